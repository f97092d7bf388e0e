"""Turn the generated entities into export files (docs/export_contract.md), plant the mess, write the manifest."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import commerce as C
from . import helpdesk as H
from . import phrases as P
from . import zendesk as Z
from .util import (DAY, GORGIAS, HOUR, ISO_LOCAL_T, ISO_PLUS2, ISO_Z, NAIVE_LOCAL, SHOPIFY_LOCAL,
                   SHOPIFY_PLUS1, cat, fill_templates, format_ts, list_of_structs, local_to_utc, money, pick,
                   replace_at, take, text, utc_to_local)

# Planted-mess rates (share of rows of the table concerned).
RATE_REEXPORT = 0.015
RATE_VARIANT = 0.01
RATE_BAD_TS = 0.004
RATE_UNKNOWN_TICKET = 0.004
RATE_OUT_OF_RANGE = 0.012
RATE_NEGATIVE_REFUND = 0.01
ID_CAP = 1000
BAD_TIMESTAMPS = ("31/02/2025 25:61", "not a date", "2025-13-45T10:00:00Z", "yesterday")

CHANNEL_VARIANTS = {H.CH_EMAIL: ("E-mail", "Email ", "EMAIL"), H.CH_CHAT: ("CHAT", "Chat"),
                    H.CH_FORM: ("Contact Form", "contact form")}
STATUS_VARIANTS = {True: ("Closed", "CLOSED", "solved"), False: ("Open", "OPEN")}


class Mess:
    """Collects planted problems for the manifest."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        self.entries: list[dict] = []

    def pick(self, n: int, rate: float, candidates: np.ndarray | None = None) -> np.ndarray:
        pool = np.arange(n) if candidates is None else np.flatnonzero(candidates)
        k = int(round(pool.size * rate))
        if pool.size and k == 0 and rate > 0:
            k = 1
        return np.sort(self.rng.choice(pool, size=min(k, pool.size), replace=False)) if pool.size else pool

    def add(self, problem: str, table: str, expected: str, ids, column: str | None = None, **extra) -> None:
        ids = [str(i) for i in np.asarray(ids).tolist()]
        entry = {"problem": problem, "table": table, "expected": expected, "count": len(ids),
                 "ids": sorted(ids)[:ID_CAP], **extra}
        if column:
            entry["column"] = column
        self.entries.append(entry)


def _ts_styles(rng: np.random.Generator, n: int, default: int, variants: tuple[int, ...],
               rate: float = RATE_VARIANT) -> np.ndarray:
    style = np.full(n, default)
    hit = rng.random(n) < rate
    style[hit] = rng.choice(variants, size=int(hit.sum()))
    return style


def _title(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v.title() for v in values)


def build(rng: np.random.Generator, n_tickets: int, period: C.Period, base: dict[str, int],
          helpdesk: str = "gorgias", zrng: np.random.Generator | None = None,
          shard: int = 0) -> tuple[dict[str, list[tuple[str, pa.Table]]], Mess, dict, dict, dict]:
    com = C.make_commerce(rng, n_tickets, period, base)
    hd = H.make_tickets(rng, n_tickets, period, com, base)
    mess = Mess(rng)
    cust, o, lines, r = com["customers"], com["orders"], com["lines"], com["returns"]
    tk, out, ms, ev = hd["tickets"], hd["outcome"], hd["messages"], hd["events"]
    n_t = tk["id"].size
    end = period.end
    tables: dict[str, list[tuple[str, pa.Table]]] = {}

    # customers ----------------------------------------------------------------------------
    c_email = cat(take(P.FIRST_NAMES, cust["first"]), ".", take(P.LAST_NAMES, cust["last"]),
                  text(cust["number"]), "@example.com")
    c_name = cat(take(_title(P.FIRST_NAMES), cust["first"]), " ", take(_title(P.LAST_NAMES), cust["last"]))
    agent_idx = np.arange(H.N_AGENTS)
    agent_email = cat("agent", pc.utf8_lpad(text(agent_idx + 1), 2, "0"), "@brand.example")
    agent_name = cat(take(_title(P.FIRST_NAMES), agent_idx % len(P.FIRST_NAMES)), " Agent")
    agent_id = 1000 + agent_idx

    # tickets --------------------------------------------------------------------------------
    tc = tk["customer"]
    kind = tk["kind"]
    inbound = np.isin(kind, (0, 3))
    linked = tk["order"] >= 0
    onum = np.where(linked, o["number"][np.maximum(tk["order"], 0)], 0)
    m_subj = linked & inbound & (rng.random(n_t) < 0.3)
    m_body = linked & inbound & ~m_subj & (rng.random(n_t) < 0.3)
    subj = pc.if_else(pa.array(m_subj),
                      fill_templates(rng, P.SUBJECTS_WITH_ORDER, P.REASONS, tk["reason"], onum),
                      fill_templates(rng, P.SUBJECTS_WITHOUT_ORDER, P.REASONS, tk["reason"], onum))
    subj = pc.if_else(pa.array(kind == 2), pick(rng, P.SPAM_SUBJECTS, n_t), subj)
    out_subj = fill_templates(rng, {"x": P.OUTBOUND_SUBJECTS}, ("x",), np.zeros(n_t, int), onum)
    subj = pc.if_else(pa.array(kind == 1), out_subj, subj)
    chat = tk["channel"] == H.CH_CHAT
    core = pc.if_else(pa.array(m_body),
                      fill_templates(rng, P.BODIES_WITH_ORDER, P.REASONS, tk["reason"], onum),
                      fill_templates(rng, P.BODIES_WITHOUT_ORDER, P.REASONS, tk["reason"], onum))
    greet = pc.if_else(pa.array(chat), "", pick(rng, P.GREETINGS, n_t))
    sign = pc.if_else(pa.array(chat), "", pick(rng, P.SIGNOFFS, n_t))
    first_body = cat(greet, core, sign)
    first_body = pc.if_else(pa.array(kind == 2), pick(rng, P.SPAM_BODIES, n_t), first_body)
    out_body = fill_templates(rng, {"x": P.OUTBOUND_BODIES}, ("x",), np.zeros(n_t, int), onum)
    first_body = pc.if_else(pa.array(kind == 1), out_body, first_body)

    channel = take([c[0] for c in H.CHANNELS], tk["channel"])
    variant_rows = mess.pick(n_t, RATE_VARIANT, np.isin(tk["channel"], list(CHANNEL_VARIANTS)))
    used: set[str] = set()
    if variant_rows.size:
        vals = []
        for code in tk["channel"][variant_rows]:
            opts = CHANNEL_VARIANTS[int(code)]
            vals.append(opts[int(rng.integers(0, len(opts)))])
        used.update(vals)
        mask = np.zeros(n_t, bool)
        mask[variant_rows] = True
        channel = pc.replace_with_mask(channel, pa.array(mask), pa.array(vals, pa.string()))
    mess.add("channel_variant", "gorgias/tickets", "normalised", tk["id"][variant_rows], column="channel",
             values=sorted(used))
    via = pc.if_else(pa.array(kind == 1), "helpdesk", take([c[1] for c in H.CHANNELS], tk["channel"]))

    closed = out["closed"]
    status = pc.if_else(pa.array(closed), "closed", "open")
    srows = mess.pick(n_t, RATE_VARIANT)
    svals = [STATUS_VARIANTS[bool(c)][int(rng.integers(0, len(STATUS_VARIANTS[bool(c)])))] for c in closed[srows]]
    smask = np.zeros(n_t, bool)
    smask[srows] = True
    if srows.size:
        status = pc.replace_with_mask(status, pa.array(smask), pa.array(svals, pa.string()))
    mess.add("status_variant", "gorgias/tickets", "normalised", tk["id"][srows], column="status",
             values=sorted(set(svals)))

    email_variant = mess.pick(n_t, RATE_VARIANT / 2)
    t_email = c_email.take(pa.array(tc))
    if email_variant.size:
        emask = np.zeros(n_t, bool)
        emask[email_variant] = True
        t_email = pc.if_else(pa.array(emask), pc.utf8_upper(t_email), t_email)
    mess.add("email_case_variant", "gorgias/tickets", "normalised", tk["id"][email_variant],
             column="customer.email")
    customer = pa.StructArray.from_arrays(
        [pa.array(cust["gorgias_id"][tc]), t_email, c_name.take(pa.array(tc))], names=["id", "email", "name"])
    has_assignee = out["answered"] | (kind == 1) | (out["unanswered"] & (rng.random(n_t) < 0.5))
    ag = tk["agent"]
    assignee = pa.StructArray.from_arrays([pa.array(agent_id[ag]), agent_email.take(pa.array(ag))],
                                          names=["id", "email"], mask=pa.array(~has_assignee))

    reason_tag = np.flatnonzero(inbound & (kind != 3) & (rng.random(n_t) < 0.25))
    rt_first = np.cumsum([0] + [len(P.REASON_TAGS[x]) for x in P.REASONS])
    rt_count = np.diff(rt_first)
    rt_flat = [t for x in P.REASONS for t in P.REASON_TAGS[x]]
    rr = tk["reason"][reason_tag]
    rt_choice = rt_first[rr] + (rng.random(rr.size) * rt_count[rr]).astype(int)
    other_tag = np.flatnonzero(rng.random(n_t) < 0.06)
    spam_tag = np.flatnonzero(kind == 2)
    tags = list_of_structs(n_t, [
        (reason_tag, {"name": take(rt_flat, rt_choice)}),
        (other_tag, {"name": pick(rng, P.OTHER_TAGS, other_tag.size)}),
        (spam_tag, {"name": pa.array(["spam"] * spam_tag.size, pa.string())}),
    ])
    cr_label = np.flatnonzero(inbound & (kind != 3) & (rng.random(n_t) < 0.35))
    lab_first = np.cumsum([0] + [len(P.REASON_LABELS[x]) for x in P.REASONS])
    lab_flat = [t for x in P.REASONS for t in P.REASON_LABELS[x]]
    lr = tk["reason"][cr_label]
    lab_choice = lab_first[lr] + (rng.random(lr.size) * np.diff(lab_first)[lr]).astype(int)
    cr_empty = np.flatnonzero(~np.isin(np.arange(n_t), cr_label) & (rng.random(n_t) < 0.3))
    on_field = np.flatnonzero(linked & (kind != 2) & (rng.random(n_t) < 0.3))
    on_text = pc.if_else(pa.array(rng.random(on_field.size) < 0.1), cat("#", text(onum[on_field])),
                         text(onum[on_field]))
    fields = list_of_structs(n_t, [
        (cr_label, {"name": pa.array(["Contact reason"] * cr_label.size, pa.string()),
                    "value": take(lab_flat, lab_choice)}),
        (cr_empty, {"name": pa.array(["Contact reason"] * cr_empty.size, pa.string()),
                    "value": pa.array([""] * cr_empty.size, pa.string())}),
        (on_field, {"name": pa.array(["Order number"] * on_field.size, pa.string()), "value": on_text}),
    ])
    parent_id = np.where(tk["parent"] >= 0, tk["id"][np.maximum(tk["parent"], 0)], 0)
    merged_into = pa.array(np.where(kind == 3, parent_id, 0), pa.int64(), mask=kind != 3)
    mess.add("merged_ticket", "gorgias/tickets", "merged", tk["id"][kind == 3], column="merged_into_ticket_id")

    t_style = _ts_styles(rng, n_t, GORGIAS, (ISO_Z, ISO_PLUS2, NAIVE_LOCAL, SHOPIFY_LOCAL, ISO_LOCAL_T))
    mess.add("timestamp_format_variant", "gorgias/tickets", "normalised", tk["id"][t_style != GORGIAS],
             column="created_datetime")
    tickets = pa.table({
        "id": pa.array(tk["id"]), "channel": channel, "via": via, "status": status,
        "priority": take(H.PRIORITIES, tk["priority"]), "subject": subj, "customer": customer,
        "assignee_user": assignee, "tags": tags, "custom_fields": fields, "spam": pa.array(kind == 2),
        "merged_into_ticket_id": merged_into,
        "created_datetime": format_ts(tk["created"], t_style),
        "closed_datetime": format_ts(out["closed_at"], GORGIAS, valid=closed),
        "updated_datetime": format_ts(out["updated"], GORGIAS),
    })
    # re-exports: identical copies, and stale first snapshots superseded by the later export
    stale = mess.pick(n_t, RATE_REEXPORT / 2, closed & ~out["reopened"] & (kind == 0) & out["answered"])
    same = mess.pick(n_t, RATE_REEXPORT / 2, ~np.isin(np.arange(n_t), stale))
    snap_at = np.minimum(out["first_reply"][stale], out["updated"][stale] - 60)
    early = tickets.take(pa.array(stale))
    early = early.set_column(early.schema.get_field_index("status"), "status",
                             pa.array(["open"] * stale.size, pa.string()))
    early = early.set_column(early.schema.get_field_index("closed_datetime"), "closed_datetime",
                             pa.nulls(stale.size, pa.string()))
    early = early.set_column(early.schema.get_field_index("updated_datetime"), "updated_datetime",
                             format_ts(snap_at, GORGIAS))
    main_rows = tickets
    if stale.size:
        mask = np.zeros(n_t, bool)
        mask[stale] = True
        pos = np.cumsum(mask) - 1
        main_rows = pa.table({name: (pc.if_else(pa.array(mask), early[name].combine_chunks().take(
            pa.array(np.maximum(pos, 0))), tickets[name]) if name in ("status", "closed_datetime",
                                                                      "updated_datetime") else tickets[name])
                              for name in tickets.column_names})
    reexport = pa.concat_tables([tickets.take(pa.array(stale)), tickets.take(pa.array(same))])
    reexport = reexport.take(pc.sort_indices(reexport, [("id", "ascending")]))
    tables["gorgias/tickets"] = [("tickets", main_rows), ("tickets_reexport", reexport)]
    mess.add("duplicate_reexport", "gorgias/tickets", "collapsed", tk["id"][same], detail="identical")
    mess.add("duplicate_reexport", "gorgias/tickets", "collapsed", tk["id"][stale],
             detail="later_updated_datetime_wins")

    # messages -------------------------------------------------------------------------------
    n_m = ms["t"].size
    mid = 300_000_001 + base["message"] + np.arange(n_m, dtype=np.int64)
    role = ms["role"]
    mt = ms["t"]
    opening = np.r_[True, mt[1:] != mt[:-1]]
    from_agent = role != H.ROLE_CUSTOMER
    body = pc.if_else(pa.array(role == H.ROLE_CUSTOMER), pick(rng, P.FOLLOWUP_BODIES, n_m),
                      pick(rng, P.AGENT_BODIES, n_m))
    body = pc.if_else(pa.array(role == H.ROLE_RULE), P.AUTO_REPLY_BODY, body)
    body = pc.if_else(pa.array(role == H.ROLE_BOT), pick(rng, P.BOT_BODIES, n_m), body)
    body = pc.if_else(pa.array(role == H.ROLE_NOTE), pick(rng, P.NOTE_BODIES, n_m), body)
    body = pc.if_else(pa.array(opening), first_body.take(pa.array(mt)), body)
    is_bot = np.isin(role, (H.ROLE_RULE, H.ROLE_BOT))
    sid = np.where(is_bot, 9000, np.where(from_agent, agent_id[tk["agent"][mt]], cust["gorgias_id"][tc[mt]]))
    semail = pc.if_else(pa.array(is_bot), "support@brand.example",
                        pc.if_else(pa.array(from_agent), agent_email.take(pa.array(tk["agent"][mt])),
                                   c_email.take(pa.array(tc[mt]))))
    sname = pc.if_else(pa.array(is_bot), "Brand Bot",
                       pc.if_else(pa.array(from_agent), agent_name.take(pa.array(tk["agent"][mt])),
                                  c_name.take(pa.array(tc[mt]))))
    m_style = _ts_styles(rng, n_m, GORGIAS, (ISO_Z, ISO_PLUS2, NAIVE_LOCAL))
    m_created = format_ts(ms["at"], m_style)
    bad = mess.pick(n_m, RATE_BAD_TS, ~opening)
    m_created = replace_at(m_created, bad, BAD_TIMESTAMPS, rng)
    public = role != H.ROLE_NOTE
    messages = pa.table({
        "id": pa.array(mid), "ticket_id": pa.array(tk["id"][mt]),
        "sender": pa.StructArray.from_arrays([pa.array(sid), semail, sname], names=["id", "email", "name"]),
        "from_agent": pa.array(from_agent), "public": pa.array(public),
        "via": take(H.VIAS, ms["via"]),
        "rule_id": pa.array(ms["rule"], pa.int64(), mask=role != H.ROLE_RULE),
        "body_text": body, "created_datetime": m_created,
        "sent_datetime": format_ts(ms["at"] + rng.integers(0, 5, n_m), GORGIAS, valid=from_agent & public),
    })
    mess.add("timestamp_format_variant", "gorgias/messages", "normalised", mid[m_style != GORGIAS],
             column="created_datetime")
    mess.add("unparseable_timestamp", "gorgias/messages", "rejected", mid[bad], column="created_datetime")
    mess.add("auto_responder", "gorgias/messages", "classified_bot", mid[role == H.ROLE_RULE])
    mess.add("chat_bot", "gorgias/messages", "classified_bot", mid[role == H.ROLE_BOT])
    mess.add("internal_note", "gorgias/messages", "classified_internal", mid[role == H.ROLE_NOTE])
    # messages whose ticket is not in the export, appended after the real ones
    orphan_src = mess.pick(n_m, RATE_UNKNOWN_TICKET)
    orphans = messages.take(pa.array(orphan_src))
    orphan_ids = 290_000_001 + base["orphan"] + np.arange(orphan_src.size, dtype=np.int64)
    orphans = orphans.set_column(0, "id", pa.array(orphan_ids))
    orphans = orphans.set_column(1, "ticket_id", pa.array(90_000_001 + base["orphan"] + np.arange(orphan_src.size)))
    orphans = orphans.set_column(orphans.schema.get_field_index("created_datetime"), "created_datetime",
                                 format_ts(ms["at"][orphan_src], GORGIAS))
    mess.add("unknown_ticket", "gorgias/messages", "rejected", orphan_ids, column="ticket_id")
    m_dup = mess.pick(n_m, RATE_REEXPORT / 3, ~np.isin(np.arange(n_m), bad))
    tables["gorgias/messages"] = [("messages", pa.concat_tables([messages, orphans])),
                                  ("messages_reexport", messages.take(pa.array(m_dup)))]
    mess.add("duplicate_reexport", "gorgias/messages", "collapsed", mid[m_dup], detail="identical")

    # ticket events ----------------------------------------------------------------------------
    n_e = ev["t"].size
    eid = 900_000_001 + base["event"] + np.arange(n_e, dtype=np.int64)
    e_created = format_ts(ev["at"], GORGIAS)
    ebad = mess.pick(n_e, RATE_BAD_TS, ev["type"] != H.EV_CREATED)
    e_created = replace_at(e_created, ebad, BAD_TIMESTAMPS, rng)
    tables["gorgias/ticket_events"] = [("ticket_events", pa.table({
        "id": pa.array(eid), "object_id": pa.array(tk["id"][ev["t"]]), "type": take(H.EVENT_TYPES, ev["type"]),
        "user_id": pa.array(agent_id[np.maximum(ev["agent"], 0)], pa.int64(), mask=ev["agent"] < 0),
        "created_datetime": e_created}))]
    mess.add("unparseable_timestamp", "gorgias/ticket_events", "rejected", eid[ebad], column="created_datetime")

    # satisfaction surveys --------------------------------------------------------------------
    sv = H.make_surveys(rng, hd, end)
    n_s = sv["t"].size
    svid = 7_000_001 + base["survey"] + np.arange(n_s, dtype=np.int64)
    score = sv["score"].copy()
    oor = mess.pick(n_s, RATE_OUT_OF_RANGE, sv["answered"])
    score[oor] = rng.choice([0, 7], size=oor.size)
    c_first = np.cumsum([0] + [len(P.CSAT_COMMENTS[s]) for s in range(1, 6)])
    cflat = [c for s in range(1, 6) for c in P.CSAT_COMMENTS[s]]
    sc = np.clip(score, 1, 5) - 1
    comment = take(cflat, c_first[sc] + (rng.random(n_s) * np.diff(c_first)[sc]).astype(int))
    has_comment = sv["answered"] & (rng.random(n_s) < 0.6) & pc.not_equal(comment, "").to_numpy(False)
    comment = pc.if_else(pa.array(has_comment), comment,
                         pa.nulls(n_s, pa.string()))
    tables["gorgias/satisfaction_surveys"] = [("satisfaction_surveys", pa.table({
        "id": pa.array(svid), "ticket_id": pa.array(tk["id"][sv["t"]]),
        "customer_id": pa.array(cust["gorgias_id"][tc[sv["t"]]]),
        "score": pa.array(score, pa.int64(), mask=~sv["answered"]), "body_text": comment,
        "created_datetime": format_ts(sv["created"], GORGIAS),
        "sent_datetime": format_ts(sv["sent"], GORGIAS),
        "scored_datetime": format_ts(sv["scored"], GORGIAS, valid=sv["answered"])}))]
    mess.add("score_out_of_range", "gorgias/satisfaction_surveys", "rejected", svid[oor], column="score",
             values=sorted({int(x) for x in score[oor]}))
    early_survey = sv["created"] < out["first_close"][sv["t"]]

    # returns (status as of the export) -------------------------------------------------------
    n_r = r["order"].size
    rid = cat("RET-", pc.utf8_lpad(text(base["ret"] + np.arange(1, n_r + 1)), 7, "0"))
    normal = r["outcome"] == 0
    exch = r["type"] == 2
    appr = normal & (r["approved"] < end)
    recv = appr & (r["received"] < end)
    refd = recv & ~exch & (r["refunded"] < end)
    closed_ex = recv & exch & (r["received"] + 2 * DAY < end)
    rstatus = np.select([r["outcome"] == 1, r["outcome"] == 2, refd, closed_ex, recv, appr],
                        [4, 5, 3, 6, 2, 1], 0)
    r_statuses = ("requested", "approved", "received", "refunded", "rejected", "cancelled", "closed")
    r_updated = np.select([r["outcome"] > 0, refd, closed_ex, recv, appr],
                          [r["requested"] + DAY, r["refunded"], r["received"] + 2 * DAY, r["received"],
                           r["approved"]], r["requested"])
    o_refunded = np.zeros(o["created"].size, dtype=np.int64)
    np.add.at(o_refunded, r["order"][refd], r["amount"][refd])
    # link to a ticket about the same order and a returns-related reason
    rel = np.isin(tk["reason"], [P.REASONS.index(x) for x in ("return_refund_status", "damaged_defective",
                                                               "wrong_item")]) & (tk["order"] >= 0)
    ticket_of_order = np.zeros(o["created"].size, dtype=np.int64)
    rel_idx = np.flatnonzero(rel)[::-1]
    ticket_of_order[tk["order"][rel_idx]] = tk["id"][rel_idx]
    link = ticket_of_order[r["order"]]
    link_ok = (link > 0) & (rng.random(n_r) < 0.6)
    rtype = take(("refund", "return", "exchange"), r["type"])
    tvar = mess.pick(n_r, RATE_VARIANT * 2, r["type"] == 0)
    if tvar.size:
        rtype = replace_at(rtype, tvar, ("Refund", "store_credit"), rng)
    neg = mess.pick(n_r, RATE_NEGATIVE_REFUND, r["amount"] > 0)
    amount_c = r["amount"].copy()
    amount_c[neg] = -amount_c[neg]
    amount = pc.if_else(pa.array(exch), pa.nulls(n_r, pa.string()), money(amount_c))
    returns = pa.table({
        "return_id": rid, "order_name": cat("#", text(o["number"][r["order"]])),
        "customer_email": c_email.take(pa.array(o["customer"][r["order"]])), "type": rtype,
        "reason": take(P.RETURN_REASONS, r["reason"]), "status": take(r_statuses, rstatus),
        "requested_at": format_ts(r["requested"], ISO_Z), "approved_at": format_ts(r["approved"], ISO_Z, valid=appr),
        "received_at": format_ts(r["received"], ISO_Z, valid=recv),
        "refunded_at": format_ts(r["refunded"], ISO_Z, valid=refd), "refund_amount": amount, "currency": pa.array(["USD"] * n_r, pa.string()),
        "helpdesk_ticket_id": pa.array(link, pa.int64(), mask=~link_ok),
        "updated_at": format_ts(r_updated, ISO_Z),
    })
    rbad = mess.pick(n_r, RATE_BAD_TS * 2)
    rbad = rbad[~np.isin(rbad, neg)]
    if rbad.size:
        returns = returns.set_column(returns.schema.get_field_index("requested_at"), "requested_at",
                                     replace_at(returns["requested_at"].combine_chunks(), rbad, BAD_TIMESTAMPS, rng))
    r_same = mess.pick(n_r, RATE_REEXPORT, ~np.isin(np.arange(n_r), np.r_[neg, rbad]))
    tables["returns/return_requests"] = [("return_requests", returns),
                                         ("return_requests_reexport", returns.take(pa.array(r_same)))]
    mess.add("type_variant", "returns/return_requests", "normalised", pc.take(rid, pa.array(tvar)).to_numpy(False),
             column="type")
    mess.add("negative_amount", "returns/return_requests", "rejected", pc.take(rid, pa.array(neg)).to_numpy(False),
             column="refund_amount")
    mess.add("unparseable_timestamp", "returns/return_requests", "rejected",
             pc.take(rid, pa.array(rbad)).to_numpy(False), column="requested_at")
    mess.add("duplicate_reexport", "returns/return_requests", "collapsed",
             pc.take(rid, pa.array(r_same)).to_numpy(False), detail="identical")

    # shopify orders (one row per line item) -----------------------------------------------------
    ol = lines["order"]
    first = lines["first"]
    refunded_total = np.where(o["cancelled"] & o["paid"], o["total"], o_refunded)
    fin = np.where((o_refunded > 0) & ~o["cancelled"], 4, o["financial"])
    fin = np.where((o_refunded >= o["total"]) & ~o["cancelled"], 3, fin)
    partial = o["ships"] & (o["n_lines"] > 1) & (rng.random(o["created"].size) < 0.02)
    ful = np.where(partial, 1, np.where(o["ships"], 0, 2))
    o_style = _ts_styles(rng, o["created"].size, SHOPIFY_LOCAL, (SHOPIFY_PLUS1,))
    fo = pa.array(first)

    def first_only(values: pa.Array) -> pa.Array:
        return pc.if_else(fo, values.take(pa.array(ol)), pa.nulls(ol.size, pa.string()))

    orders = pa.table({
        "Name": cat("#", text(o["number"][ol])), "Email": c_email.take(pa.array(o["customer"][ol])),
        "Financial Status": first_only(take(C.FINANCIAL, fin)),
        "Paid at": first_only(format_ts(o["paid_at"], o_style, valid=o["paid"])),
        "Fulfillment Status": first_only(take(("fulfilled", "partial", "unfulfilled"), ful)),
        "Fulfilled at": first_only(format_ts(o["shipped_at"], o_style, valid=o["ships"])),
        "Currency": first_only(pa.array(["USD"] * o["created"].size, pa.string())),
        "Subtotal": first_only(money(o["subtotal"])), "Shipping": first_only(money(o["shipping"])),
        "Taxes": first_only(money(o["taxes"])), "Total": first_only(money(o["total"])),
        "Discount Amount": first_only(money(o["discount"])),
        "Shipping Method": first_only(take(("Standard Shipping", "Express Shipping"), o["express"].astype(int))),
        "Created at": format_ts(o["created"], o_style).take(pa.array(ol)),
        "Lineitem quantity": pa.array(lines["qty"]),
        "Lineitem name": take([p[0] for p in P.PRODUCTS], lines["product"]),
        "Lineitem price": money(np.array([p[2] for p in P.PRODUCTS])[lines["product"]]),
        "Lineitem sku": take([p[1] for p in P.PRODUCTS], lines["product"]),
        "Cancelled at": first_only(format_ts(o["cancelled_at"], o_style, valid=o["cancelled"])),
        "Refunded Amount": first_only(money(refunded_total)),
        "Id": pa.array(o["order_id"][ol]),
        "Shipping Country": first_only(take(C.COUNTRIES, o["country"])),
        "Source": first_only(take(C.SOURCES, o["source"])),
    })
    tables["shopify/orders"] = [("orders", orders)]
    mess.add("timestamp_format_variant", "shopify/orders", "normalised", o["order_id"][o_style != SHOPIFY_LOCAL],
             column="Created at")

    # shipping ---------------------------------------------------------------------------------------
    fidx = np.flatnonzero(o["ships"])
    carrier_txt = take(C.CARRIERS, o["carrier"])
    tn_prefix = take(("1Z999AA1", "9400", "7", "JD0"), o["carrier"])
    tn_pad = np.array([10, 18, 11, 15])[o["carrier"]]
    tn_digits = text(o["number"] * 37 + 100_000)
    tn = cat(tn_prefix, pc.utf8_lpad(tn_digits, 10, "0"))
    tn = pc.if_else(pa.array(tn_pad > 10), cat(tn_prefix, pc.utf8_lpad(tn_digits, 15, "0")), tn)
    tn = pc.if_else(pa.array(o["has_tracking"]), tn, pa.nulls(tn.__len__(), pa.string()))
    te = C.tracking_events(rng, o, end)
    last_ev = o["shipped_at"].copy()
    np.maximum.at(last_ev, te["order"], te["at"])
    promised = (o["promised_day"] * DAY).astype("datetime64[s]").astype("datetime64[D]").astype(str)
    fulfil_id = cat("FUL-", text(o["number"]))
    cvar = mess.pick(fidx.size, RATE_VARIANT)
    f_carrier = carrier_txt.take(pa.array(fidx))
    if cvar.size:
        cmask = np.zeros(fidx.size, bool)
        cmask[cvar] = True
        f_carrier = pc.if_else(pa.array(cmask), pc.utf8_upper(f_carrier), f_carrier)
    tables["shipping/fulfillments"] = [("fulfillments", pa.table({
        "fulfillment_id": fulfil_id.take(pa.array(fidx)), "order_id": pa.array(o["order_id"][fidx]),
        "order_name": cat("#", text(o["number"][fidx])), "carrier": f_carrier,
        "tracking_number": tn.take(pa.array(fidx)),
        "service_level": take(("standard", "express"), o["express"][fidx].astype(int)),
        "shipped_at": format_ts(o["shipped_at"][fidx], ISO_Z),
        "promised_delivery_date": pa.array(promised[fidx], pa.string()),
        "updated_at": format_ts(last_ev[fidx], ISO_Z)}))]
    mess.add("carrier_case_variant", "shipping/fulfillments", "normalised",
             fulfil_id.take(pa.array(fidx[cvar])).to_numpy(False), column="carrier")

    n_te = te["order"].size
    te_id = cat("TE", pc.utf8_lpad(text(base["te"] + np.arange(1, n_te + 1)), 9, "0"))
    tstat = take(C.STATUSES, te["status"])
    avar = mess.pick(n_te, RATE_VARIANT * 2, te["status"] != 4)
    if avar.size:
        amask = np.zeros(n_te, bool)
        amask[avar] = True
        tstat = pc.if_else(pa.array(amask), take(C.AFTERSHIP, te["status"]), tstat)
    te_style = _ts_styles(rng, n_te, ISO_Z, (ISO_PLUS2, NAIVE_LOCAL))
    te_at = format_ts(te["at"], te_style)
    tebad = mess.pick(n_te, RATE_BAD_TS)
    te_at = replace_at(te_at, tebad, BAD_TIMESTAMPS, rng)
    tables["shipping/tracking_events"] = [("tracking_events", pa.table({
        "event_id": te_id, "tracking_number": tn.take(pa.array(te["order"])),
        "carrier": carrier_txt.take(pa.array(te["order"])), "status": tstat, "checkpoint_at": te_at,
        "location": take(P.CITIES, te["city"]), "message": take(list(P.TRACKING_MESSAGES.values()), te["status"])}))]
    mess.add("status_variant", "shipping/tracking_events", "normalised", te_id.take(pa.array(avar)).to_numpy(False),
             column="status")
    mess.add("unparseable_timestamp", "shipping/tracking_events", "rejected",
             te_id.take(pa.array(tebad)).to_numpy(False), column="checkpoint_at")

    kinds = [("shipping_confirmation", o["confirmation"], o["shipped_at"] + rng.integers(300, 3600, o["created"].size)),
             ("delay_alert", o["delay_alert"], o["promised_day"] * DAY + 13 * HOUR),
             ("out_for_delivery", o["ofd_notice"], o["delivered_at"] - rng.integers(2 * HOUR, 6 * HOUR,
                                                                                    o["created"].size)),
             ("delivered", o["delivered_notice"], o["delivered_at"] + rng.integers(60, 1200, o["created"].size))]
    n_idx = np.concatenate([np.flatnonzero(m) for _, m, _ in kinds])
    n_type = np.concatenate([np.full(int(m.sum()), i) for i, (_, m, _) in enumerate(kinds)])
    n_at = np.concatenate([a[m] for _, m, a in kinds])
    keep = n_at < end
    n_idx, n_type, n_at = n_idx[keep], n_type[keep], n_at[keep]
    so = np.lexsort((n_type, n_idx, n_at))
    n_idx, n_type, n_at = n_idx[so], n_type[so], n_at[so]
    tables["shipping/notifications"] = [("notifications", pa.table({
        "notification_id": cat("NTF-", pc.utf8_lpad(text(base["ntf"] + np.arange(1, n_idx.size + 1)), 8, "0")),
        "order_name": cat("#", text(o["number"][n_idx])), "tracking_number": tn.take(pa.array(n_idx)),
        "notification_type": take([k[0] for k in kinds], n_type),
        "channel": take(("email", "sms"), (rng.random(n_idx.size) < 0.2).astype(int)),
        "sent_at": format_ts(n_at, ISO_Z)}))]

    # NPS ------------------------------------------------------------------------------------------------
    n_c = cust["gorgias_id"].size
    n_nps = max(int(n_c * 0.12), 10)
    from_ticket = rng.random(n_nps) < 0.4
    inb = np.flatnonzero(kind == 0)
    src_t = inb[rng.integers(0, inb.size, n_nps)]
    n_cust = np.where(from_ticket, tc[src_t], rng.integers(0, n_c, n_nps))
    n_at = np.where(from_ticket, tk["created"][src_t] + (rng.uniform(1, 29, n_nps) * DAY).astype(np.int64),
                    C.seasonal_times(rng, n_nps, period.start // DAY, period.days))
    unhappy = from_ticket & (out["reopened"][src_t] | tk["repeat"][src_t])
    nscore = np.clip(np.round(rng.normal(8.2, 1.8, n_nps) - 2.5 * unhappy), 0, 10).astype(np.int64)
    keep = n_at < end
    n_cust, n_at, nscore = n_cust[keep], n_at[keep], nscore[keep]
    so = np.argsort(n_at, kind="stable")
    n_cust, n_at, nscore = n_cust[so], n_at[so], nscore[so]
    nid = text(880_001 + base["nps"] + np.arange(n_cust.size))
    noor = mess.pick(n_cust.size, RATE_OUT_OF_RANGE)
    nscore[noor] = rng.choice([11, -1], size=noor.size)
    tables["nps/responses"] = [("responses", pa.table({
        "response_id": nid, "person_email": c_email.take(pa.array(n_cust)), "score": pa.array(nscore),
        "comment": pick(rng, P.NPS_COMMENTS, n_cust.size), "created_at": text(n_at)}))]
    mess.add("score_out_of_range", "nps/responses", "rejected", nid.take(pa.array(noor)).to_numpy(False),
             column="score", values=sorted({int(x) for x in nscore[noor]}))

    # time tracking --------------------------------------------------------------------------------------
    tt = H.make_time_entries(rng, hd, end)
    so = np.lexsort((tt["t"], tt["start"]))
    tt = {k: v[so] for k, v in tt.items()}
    tables["time_tracking/ticket_time_entries"] = [("ticket_time_entries", pa.table({
        "entry_id": cat("TT-", pc.utf8_lpad(text(base["tt"] + np.arange(1, tt["t"].size + 1)), 8, "0")),
        "ticket_id": pa.array(tk["id"][tt["t"]]), "agent_email": agent_email.take(pa.array(tk["agent"][tt["t"]])),
        "started_at": format_ts(tt["start"], ISO_Z), "duration_seconds": pa.array(tt["duration"])}))]

    month = utc_to_local(tk["created"]).astype("datetime64[s]").astype("datetime64[M]").astype(str)
    months, per_month = np.unique(month, return_counts=True)
    tickets_per_month = {str(m_): int(c_) for m_, c_ in zip(months, per_month, strict=True)}

    truth = pa.table({
        "ticket_id": pa.array(tk["id"]),
        "kind": take(("inbound", "outbound", "spam", "merged_duplicate"), kind),
        "true_reason": pc.if_else(pa.array(np.isin(kind, (0, 3))), take(P.REASONS, tk["reason"]),
                                  pa.nulls(n_t, pa.string())),
        "order_number": pa.array(onum, pa.int64(), mask=~linked),
        "is_repeat_contact": pa.array(tk["repeat"]),
        "parent_ticket_id": pa.array(parent_id, pa.int64(), mask=tk["parent"] < 0),
        "is_reopened": pa.array(out["reopened"]), "is_unanswered": pa.array(out["unanswered"]),
    })
    summary = {
        "tickets_by_kind": {k: int((kind == i).sum()) for i, k in
                            enumerate(("inbound", "outbound", "spam", "merged_duplicate"))},
        "tickets_by_reason": {k: int(((tk["reason"] == i) & (kind == 0)).sum()) for i, k in enumerate(P.REASONS)},
        "repeat_contacts": int(tk["repeat"].sum()), "reopened": int(out["reopened"].sum()),
        "unanswered_inbound": int(out["unanswered"].sum()), "open_at_export": int((~closed).sum()),
        "orders": int(o["created"].size), "late_shipments": int(o["late"].sum()),
        "exception_shipments": int(o["exception"].sum()),
        "surveys_created_before_first_close": int(early_survey.sum()),
    }
    tables["_truth/tickets"] = [("tickets", truth)]
    used = {"customer": cust["gorgias_id"].size, "order": o["created"].size, "ticket": n_t,
            "message": n_m, "orphan": orphan_src.size, "event": n_e, "survey": n_s, "ret": n_r, "te": n_te,
            "ntf": n_idx.size, "nps": n_cust.size, "tt": tt["t"].size}
    if helpdesk == "zendesk":
        # The same world as a Zendesk brand, drawn from its own generator after every other
        # table was drawn: the commerce files stay the Gorgias run's, byte for byte.
        world = {"tk": tk, "out": out, "ms": ms, "ev": ev, "cust": cust, "base": base, "c_email": c_email,
                 "c_name": c_name, "agent_email": agent_email, "agent_name": agent_name, "m_body": body,
                 "subject": subj, "onum": onum, "has_assignee": has_assignee, "sv": sv,
                 "period_start": period.start}
        ztables, zplanted, ztruth, zused = Z.build_zendesk(zrng, world, end, shard)
        for key in [k for k in tables if k.startswith("gorgias/")]:
            del tables[key]
        mess.entries = [e for e in mess.entries if not e["table"].startswith("gorgias/")]
        for problem, table, expected, ids, extra in zplanted:
            mess.add(problem, table, expected, ids, **extra)
        tables.update(ztables)
        tables["_truth/zendesk_tickets"] = [("zendesk_tickets", pa.Table.from_pylist(ztruth, schema=Z.TRUTH_SCHEMA))]
        summary["zendesk"] = {e[0]: len(e[3]) for e in zplanted if e[1] in ("zendesk/tickets", "zendesk/users")
                              and e[0] in Z.SUMMARY_PROBLEMS}
        used.update(zused)
    return tables, mess, summary, used, tickets_per_month


def support_costs(rng: np.random.Generator, tickets_per_month: dict[str, int]) -> pa.Table:
    """Finance's monthly costs per team and category, scaled to the ticket volume (cents kept)."""
    months = np.array(sorted(tickets_per_month))
    per_month = np.array([tickets_per_month[m_] for m_ in months])
    rows = []
    for team, cat_, unit in (("email_team", "salaries", 3.1), ("chat_team", "salaries", 2.2),
                             ("social_team", "salaries", 0.9), ("all", "software", 0.7),
                             ("email_team", "outsourcing", 1.5)):
        cents = (per_month * unit * 100 * rng.uniform(0.95, 1.05, months.size)).astype(np.int64) + 250_000
        if cat_ == "outsourcing":
            peak = np.char.endswith(months, "-11") | np.char.endswith(months, "-12")
            cents = np.where(peak, cents, 0)
        for m_, c_ in zip(months, cents, strict=True):
            if c_ > 0:
                rows.append((str(m_), team, cat_, int(c_)))
    rows.sort()
    return pa.table({
        "month": pa.array([x[0] for x in rows], pa.string()), "team": pa.array([x[1] for x in rows], pa.string()),
        "cost_category": pa.array([x[2] for x in rows], pa.string()),
        "amount": money(np.array([x[3] for x in rows], dtype=np.int64)),
        "currency": pa.array(["USD"] * len(rows), pa.string())})


FORMATS = {"gorgias": "ndjson", "zendesk": "ndjson"}
SHARD_TICKETS = 500_000
ID_KEYS = ("customer", "order", "ticket", "message", "orphan", "event", "survey", "ret", "te", "ntf", "nps", "tt",
           "zaudit", "zevent", "zcomment")


def write(con: duckdb.DuckDBPyConnection, tables: dict[str, list[tuple[str, pa.Table]]], out: Path, fmt: str,
          suffix: str = "") -> dict[str, dict[str, int]]:
    """Write every table (file stem + suffix); return {table: {relative file: rows}}."""
    written: dict[str, dict[str, int]] = {}
    for key, files in tables.items():
        source = key.split("/")[0]
        folder = out / source
        folder.mkdir(parents=True, exist_ok=True)
        written[key] = {}
        for stem, table in files:
            ext = "parquet" if fmt == "parquet" and source != "_truth" else FORMATS.get(source, "csv")
            path = folder / f"{stem}{suffix}.{ext}"
            if isinstance(table, list):  # API objects as dicts (zendesk): each row its own nesting
                _write_rows(table, path, ext)
                written[key][str(path.relative_to(out))] = len(table)
                continue
            con.register("t", table)
            cols = []
            for field in table.schema:
                name = f'"{field.name}"'
                if ext != "parquet":
                    cols.append(name)
                elif pa.types.is_struct(field.type) or pa.types.is_list(field.type):
                    cols.append(f"to_json({name})::varchar as {name}")
                else:
                    cols.append(f"{name}::varchar as {name}")
            options = {"ndjson": "format json", "csv": "format csv, header true",
                       "parquet": "format parquet, compression zstd"}[ext]
            con.execute(f"copy (select {', '.join(cols)} from t) to '{path}' ({options})")
            con.unregister("t")
            written[key][str(path.relative_to(out))] = table.num_rows
    return written


def _write_rows(rows: list[dict], path: Path, ext: str) -> None:
    if ext == "parquet":
        import pyarrow.parquet as pq

        pq.write_table(Z.parquet_table(rows), path, compression="zstd")
        return
    with path.open("w") as handle:
        for row in rows:
            handle.write(json.dumps(row, separators=(",", ":"), ensure_ascii=False, default=Z.plain) + "\n")


def _merge_planted(entries: list[dict]) -> list[dict]:
    merged: dict[tuple, dict] = {}
    for e in entries:
        key = tuple(sorted((k, json.dumps(v)) for k, v in e.items() if k not in ("ids", "count", "values")))
        if key in merged:
            m = merged[key]
            m["count"] += e["count"]
            m["ids"] = (m["ids"] + e["ids"])[:ID_CAP]
            if "values" in e:
                m["values"] = sorted(set(m["values"]) | set(e["values"]), key=str)
        else:
            merged[key] = dict(e)
    return list(merged.values())


def _add(a: dict, b: dict) -> dict:
    return {k: _add(a.get(k, {}), v) if isinstance(v, dict) else a.get(k, 0) + v for k, v in b.items()}


def generate(n_tickets: int, seed: int, out: Path, fmt: str = "native", start: str = "2025-01-01",
             days: int = 365, helpdesk: str = "gorgias") -> dict:
    """Write the whole export contract for n_tickets tickets into out; return the manifest.

    Above SHARD_TICKETS tickets the brand is generated in shards of independent customers
    (ids continue across shards), each written as its own file per table (``tickets_p002.ndjson``),
    so memory stays bounded at any size.
    """
    first_day = int(np.datetime64(start, "D").astype(np.int64))
    period = C.Period(start=int(local_to_utc(np.array([first_day * DAY]))[0]),
                      end=int(local_to_utc(np.array([(first_day + days) * DAY]))[0]), days=days)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*/*"):
        if old.is_file() and old.suffix in (".ndjson", ".csv", ".parquet"):
            old.unlink()
    n_shards = max(1, -(-n_tickets // SHARD_TICKETS))
    sizes = [n_tickets // n_shards + (i < n_tickets % n_shards) for i in range(n_shards)]
    base = dict.fromkeys(ID_KEYS, 0)
    con = duckdb.connect()
    con.execute("set preserve_insertion_order = true")
    written: dict[str, dict[str, int]] = {}
    planted: list[dict] = []
    summary: dict = {}
    per_month: dict = {}
    for shard, size in enumerate(sizes):
        rng = np.random.default_rng([seed, shard])
        if helpdesk not in ("gorgias", "zendesk"):
            raise ValueError(f"helpdesk {helpdesk!r}: expected gorgias or zendesk")
        tables, mess, shard_summary, used, shard_months = build(
            rng, size, period, base, helpdesk, np.random.default_rng([seed, shard, 1_000_003]), shard)
        suffix = f"_p{shard + 1:03d}" if n_shards > 1 else ""
        for key, files in write(con, tables, out, fmt, suffix).items():
            written.setdefault(key, {}).update(files)
        del tables
        planted += mess.entries
        summary = _add(summary, shard_summary)
        per_month = _add(per_month, shard_months)
        base = {k: base[k] + used.get(k, 0) for k in ID_KEYS}
    rng = np.random.default_rng([seed, n_shards])
    for key, files in write(con, {"finance/support_costs": [("support_costs", support_costs(rng, per_month))]},
                            out, fmt).items():
        written[key] = files
    con.close()
    manifest = {
        "generator": {"tickets": n_tickets, "seed": seed, "format": fmt, "start": start, "days": days,
                      **({"helpdesk": helpdesk, "command": (
                          f"python -m support_kpis.generate --tickets {n_tickets} --seed {seed} --helpdesk {helpdesk}"
                          + (f" --export-format {fmt}" if fmt != "native" else "")
                          + (f" --start {start}" if start != "2025-01-01" else "")
                          + (f" --days {days}" if days != 365 else "") + " --out <folder>")}
                         if helpdesk != "gorgias" else {}),
                      "shards": n_shards, "export_timezone": "America/New_York",
                      "export_time_utc": str(np.datetime64(period.end, "s")) + "Z"},
        "row_counts": {k: sum(v.values()) for k, v in sorted(written.items()) if not k.startswith("_")},
        "files": {f: n for v in written.values() for f, n in v.items()},
        "planted": _merge_planted(planted),
        "summary": summary,
    }
    (out / "_manifest.json").write_text(json.dumps(manifest, sort_keys=True, indent=1) + "\n")
    return manifest
