"""Helpdesk tickets, their message/event timelines, CSAT surveys and agent time entries."""

from __future__ import annotations

import numpy as np

from . import phrases as P
from .commerce import Period, seasonal_times
from .util import DAY, HOUR, add_business_seconds

# channel code -> (channel text, via text, team, share among inbound tickets)
CHANNELS = (
    ("email", "email", 0, 0.40),
    ("chat", "chat", 1, 0.25),
    ("contact_form", "form", 0, 0.12),
    ("facebook", "api", 2, 0.025),
    ("facebook-messenger", "api", 2, 0.03),
    ("instagram-direct-message", "api", 2, 0.035),
    ("instagram-comment", "api", 2, 0.01),
    ("sms", "sms", 2, 0.05),
    ("amazon", "api", 0, 0.03),
    ("ebay", "api", 0, 0.02),
    ("phone", "api", 0, 0.03),
)
CH_EMAIL, CH_CHAT, CH_FORM = 0, 1, 2
# median first-reply delay in working seconds per channel
FIRST_REPLY_MEDIAN = np.array([9000, 90, 9000, 2700, 2700, 2700, 2700, 1800, 10800, 10800, 60])
PRIORITIES = ("normal", "low", "high", "critical", "")
TEAM_AGENTS = ((0, 12), (12, 18), (18, 24))  # email_team, chat_team, social_team agent index ranges
N_AGENTS = 24
ROLE_CUSTOMER, ROLE_AGENT, ROLE_RULE, ROLE_BOT, ROLE_NOTE = range(5)
VIAS = ("email", "chat", "form", "helpdesk", "api", "rule", "self_service", "sms")
EV_CREATED, EV_ASSIGNED, EV_CLOSED, EV_REOPENED, EV_MERGED = range(5)
EVENT_TYPES = ("ticket-created", "ticket-assigned", "ticket-closed", "ticket-reopened", "ticket-merged")
RET_KINDS = ("wrong_item", "damaged_defective", "late", "other")
NO_TIME = np.iinfo(np.int64).max


def _lognormal(rng: np.random.Generator, median: np.ndarray | float, sigma: float, n: int) -> np.ndarray:
    return rng.lognormal(np.log(median), sigma, n).astype(np.int64)


def _blocks(blocks: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    return {k: np.concatenate([b[k] for b in blocks]) for k in blocks[0]}


def timeline(rng: np.random.Generator, t: dict[str, np.ndarray], end: int) -> tuple[dict, dict, dict]:
    """Messages, events and per-ticket outcomes for tickets t (keys: created, channel, kind, priority, agent).

    kind: 0 inbound, 1 outbound (agent writes first), 2 spam, 3 duplicate merged at t['merged_at'].
    Returns (messages, events, outcome); anything at or after ``end`` is not exported.
    """
    n = t["created"].size
    created, ch, kind = t["created"], t["channel"], t["kind"]
    chat = ch == CH_CHAT
    inbound, outbound, spam, dup = kind == 0, kind == 1, kind == 2, kind == 3
    via_open = np.array([VIAS.index(c[1]) if c[1] in VIAS else 4 for c in CHANNELS])[ch]
    idx = np.arange(n)
    msgs: list[dict[str, np.ndarray]] = []
    evs: list[dict[str, np.ndarray]] = []

    def msg(mask, at, role, via, rule=0):
        m = np.asarray(mask)
        msgs.append({"t": idx[m], "at": np.asarray(at)[m], "role": np.full(m.sum(), role),
                     "via": np.broadcast_to(via, n)[m], "rule": np.broadcast_to(rule, n)[m]})

    def ev(mask, at, etype, by_agent):
        m = np.asarray(mask)
        evs.append({"t": idx[m], "at": np.asarray(at)[m], "type": np.full(m.sum(), etype),
                    "agent": np.broadcast_to(by_agent, n)[m]})

    # opening message and brand-side automation
    msg(~outbound, created, ROLE_CUSTOMER, via_open)
    msg(outbound, created, ROLE_AGENT, VIAS.index("helpdesk"))
    auto = (inbound | dup) & np.isin(ch, (CH_EMAIL, CH_FORM)) & (rng.random(n) < 0.35)
    msg(auto, created + rng.integers(3, 40, n), ROLE_RULE, VIAS.index("rule"), rng.choice([101, 102, 107], n))
    bot = inbound & chat & (rng.random(n) < 0.5)
    msg(bot, created + rng.integers(2, 15, n), ROLE_BOT, np.where(rng.random(n) < 0.5, 4, 6))

    # first human reply (working hours), follow-ups
    unanswered = inbound & (rng.random(n) < 0.05)
    answered = inbound & ~unanswered
    fast = np.isin(t["priority"], (2, 3))
    delay = _lognormal(rng, FIRST_REPLY_MEDIAN[ch] * np.where(fast, 0.5, 1.0), 1.25, n)
    delay = np.clip(delay, 20, 30 * HOUR)
    reply1 = add_business_seconds(created, delay, chat)
    msg(answered, reply1, ROLE_AGENT, VIAS.index("helpdesk"))
    note = answered & (rng.random(n) < 0.1)
    msg(note, created + ((reply1 - created) * rng.uniform(0.2, 0.8, n)).astype(np.int64), ROLE_NOTE,
        VIAS.index("helpdesk"))
    cust_answer = outbound & (rng.random(n) < 0.6)
    answer_at = created + _lognormal(rng, 8 * HOUR, 1.0, n)
    msg(cust_answer, answer_at, ROLE_CUSTOMER, VIAS.index("email"))
    follow = answered & (rng.random(n) < 0.45)
    follow_at = reply1 + _lognormal(rng, 4 * HOUR, 1.0, n)
    msg(follow, follow_at, ROLE_CUSTOMER, via_open)
    reply2 = (follow & (rng.random(n) < 0.85)) | cust_answer
    base2 = np.where(outbound, answer_at, follow_at)
    reply2_at = add_business_seconds(base2, np.clip(_lognormal(rng, 3600, 1.0, n), 20, 20 * HOUR), chat)
    msg(reply2, reply2_at, ROLE_AGENT, VIAS.index("helpdesk"))

    # first close
    last_agent = np.where(reply2, reply2_at, np.where(answered, reply1, created))
    auto_close = rng.random(n) < 0.3
    close1 = last_agent + np.where(auto_close, rng.integers(DAY, 3 * DAY, n), rng.integers(10, 300, n))
    unanswered_closed = unanswered & (rng.random(n) < 0.5)
    close1 = np.where(unanswered, created + rng.integers(DAY, 10 * DAY, n), close1)
    close1 = np.where(spam, created + _lognormal(rng, HOUR, 1.0, n), close1)
    close1 = np.where(dup, t["merged_at"], close1)
    closes = ~unanswered | unanswered_closed
    agent_closed = (answered | outbound) & ~auto_close

    # reopen: the customer writes back after the close, an agent answers, closed again
    reopen = closes & (inbound | outbound) & (rng.random(n) < 0.08)
    reopen_at = close1 + _lognormal(rng, 20 * HOUR, 1.0, n)
    msg(reopen, reopen_at, ROLE_CUSTOMER, via_open)
    reply3 = reopen & (rng.random(n) < 0.9)
    reply3_at = add_business_seconds(reopen_at, np.clip(_lognormal(rng, 3600, 1.0, n), 20, 20 * HOUR), chat)
    msg(reply3, reply3_at, ROLE_AGENT, VIAS.index("helpdesk"))
    close2 = np.where(reply3, reply3_at + rng.integers(10, 300, n), reopen_at + 3 * DAY)

    agent = t["agent"]
    ev(np.ones(n, bool), created, EV_CREATED, np.where(outbound, agent, -1))
    ev(answered, reply1 - rng.integers(10, 600, n), EV_ASSIGNED, agent)
    ev(closes, close1, EV_CLOSED, np.where(agent_closed | dup, agent, -1))
    ev(dup, t["merged_at"], EV_MERGED, agent)
    ev(reopen, reopen_at, EV_REOPENED, -1)
    ev(reopen, close2, EV_CLOSED, np.where(reply3, agent, -1))

    m, e = _blocks(msgs), _blocks(evs)
    m = {k: v[m["at"] < end] for k, v in m.items()}
    e = {k: v[e["at"] < end] for k, v in e.items()}
    final_close = np.where(reopen, close2, close1)
    reopened_before_end = reopen & (reopen_at < end)
    is_closed = closes & np.where(reopened_before_end, close2 < end, close1 < end)
    closed_at = np.where(is_closed, np.where(reopened_before_end, close2, close1), NO_TIME)
    updated = np.full(n, 0, dtype=np.int64)
    np.maximum.at(updated, m["t"], m["at"])
    np.maximum.at(updated, e["t"], e["at"])
    first_reply = np.where(answered & (reply1 < end), reply1, NO_TIME)
    outcome = {
        "closed": is_closed, "closed_at": closed_at, "first_close": np.where(closes & (close1 < end), close1, NO_TIME),
        "final_close": final_close, "updated": updated, "first_reply": first_reply,
        "reopened": reopened_before_end, "unanswered": unanswered, "answered": answered & (reply1 < end),
    }
    return m, e, outcome


def _order_weights(o: dict[str, np.ndarray], ret_kind: np.ndarray) -> dict[str, np.ndarray]:
    ships, late, exc, delivered = o["ships"], o["late"], o["exception"], o["delivered"]
    open_order = ~o["cancelled"]
    # late/excepted shipments drive WISMO; a proactive delay alert or shipping confirmation damps it
    on_time = np.where(o["confirmation"], 1.0, 1.8)
    wismo = np.where(ships, np.where(exc, 14.0, np.where(late, np.where(o["delay_alert"], 4.0, 9.0), on_time)),
                     np.where(open_order, 2.0, 0.0))
    has_ret = ret_kind >= 0
    return {
        "wismo": wismo,
        "return_refund_status": np.where(has_ret, 25.0, np.where(delivered, 0.3, 0.0)),
        "payment_issue": np.ones(o["created"].size),
        "address_change": open_order * 1.0,
        "order_change_cancel": np.where(o["cancelled"], 15.0, 1.0),
        "damaged_defective": np.where(ret_kind == RET_KINDS.index("damaged_defective"), 40.0,
                                      delivered * 1.0),
        "wrong_item": np.where(ret_kind == RET_KINDS.index("wrong_item"), 40.0, delivered * 1.0),
        "product_question_troubleshooting": delivered * 1.0,
        "other": np.ones(o["created"].size),
    }


LINKED_SHARE = {"wismo": 0.97, "return_refund_status": 0.95, "payment_issue": 0.85, "address_change": 0.95,
                "order_change_cancel": 0.95, "damaged_defective": 0.95, "wrong_item": 0.95,
                "product_question_troubleshooting": 0.35, "other": 0.3}


def contact_time(rng: np.random.Generator, reason: str, order: np.ndarray, o: dict[str, np.ndarray],
                 ret_requested: np.ndarray) -> np.ndarray:
    n = order.size
    u = rng.uniform
    if reason == "wismo":
        promised = o["promised_day"][order] * DAY + 14 * HOUR
        return np.select(
            [o["exception"][order], o["late"][order], o["ships"][order]],
            [o["shipped_at"][order] + (u(3, 8, n) * DAY).astype(np.int64),
             promised + (u(0.2, 4, n) * DAY).astype(np.int64),
             o["shipped_at"][order] + (u(1, 4, n) * DAY).astype(np.int64)],
            o["created"][order] + (u(2, 6, n) * DAY).astype(np.int64))
    if reason == "return_refund_status":
        req = ret_requested[order]
        return np.where(req > 0, req + (u(4, 15, n) * DAY).astype(np.int64),
                        o["delivered_at"][order] + (u(3, 20, n) * DAY).astype(np.int64))
    if reason in ("damaged_defective", "wrong_item"):
        return o["delivered_at"][order] + (u(0.1, 3, n) * DAY).astype(np.int64)
    if reason in ("payment_issue", "address_change", "order_change_cancel"):
        return o["created"][order] + _lognormal(rng, 5 * HOUR, 1.0, n)
    return o["delivered_at"][order] + (u(1, 30, n) * DAY).astype(np.int64)


def make_tickets(rng: np.random.Generator, n_tickets: int, period: Period, com: dict, ids: dict[str, int]) -> dict:
    o, r = com["orders"], com["returns"]
    n_orders = o["created"].size
    n_customers = com["customers"]["gorgias_id"].size
    first_day = period.start // DAY
    ret_kind = np.full(n_orders, -1)
    ret_kind_code = np.array([RET_KINDS.index(k) for k in P.RETURN_REASON_KIND])
    ret_kind[r["order"]] = ret_kind_code[r["reason"]]
    ret_requested = np.zeros(n_orders, dtype=np.int64)
    ret_requested[r["order"]] = r["requested"]

    n_dup = int(round(n_tickets * 0.02))
    n_rep = int(round(n_tickets * 0.05))
    n_base = n_tickets - n_dup - n_rep
    kind = rng.choice(3, size=n_base, p=[0.93, 0.04, 0.03])
    inbound_idx = np.flatnonzero(kind == 0)
    share = np.array([P.REASON_SHARE[x] for x in P.REASONS])
    reason = np.full(n_base, P.REASONS.index("other"))
    reason[inbound_idx] = rng.choice(len(P.REASONS), size=inbound_idx.size, p=share / share.sum())
    order = np.full(n_base, -1)
    created = np.zeros(n_base, dtype=np.int64)
    weights = _order_weights(o, ret_kind)
    for ri, name in enumerate(P.REASONS):
        rows = np.flatnonzero((reason == ri) & (kind == 0))
        linked = rows[rng.random(rows.size) < LINKED_SHARE[name]]
        w = weights[name]
        if linked.size and w.sum() > 0:
            order[linked] = rng.choice(n_orders, size=linked.size, p=w / w.sum())
            created[linked] = contact_time(rng, name, order[linked], o, ret_requested)
    outbound = np.flatnonzero(kind == 1)
    # an agent writes about an order placed in the period, within 3 days: inside the period
    recent = np.flatnonzero((o["created"] >= period.start) & (o["created"] < period.end - 3 * DAY))
    order[outbound] = recent[rng.integers(0, recent.size, outbound.size)]
    created[outbound] = o["created"][order[outbound]] + rng.integers(HOUR, 3 * DAY, outbound.size)
    bad = (created < period.start) | (created >= period.end) | (order < 0)
    created[bad] = seasonal_times(rng, int(bad.sum()), first_day, period.days)
    # A redrawn time can fall before the order: nobody writes about an order not placed yet,
    # so such a ticket is about no order (tests/python/test_generator.py).
    order[(order >= 0) & (created < o["created"][np.maximum(order, 0)])] = -1
    customer = np.where(order >= 0, o["customer"][np.maximum(order, 0)], rng.integers(0, n_customers, n_base))

    ch_share = np.array([c[3] for c in CHANNELS])
    channel = rng.choice(len(CHANNELS), size=n_base, p=ch_share / ch_share.sum())
    channel[kind == 1] = CH_EMAIL
    channel[kind == 2] = np.where(rng.random(int((kind == 2).sum())) < 0.7, CH_EMAIL, CH_FORM)
    base = {"created": created, "channel": channel, "kind": kind, "reason": reason, "order": order,
            "customer": customer, "parent": np.full(n_base, -1), "repeat": np.zeros(n_base, bool),
            "merged_at": np.zeros(n_base, dtype=np.int64)}
    base["priority"] = rng.choice(len(PRIORITIES), size=n_base, p=[0.7, 0.1, 0.12, 0.02, 0.06])
    base["agent"] = _agent_for(rng, channel)
    m0, e0, out0 = timeline(rng, base, period.end)

    # repeat contacts: same customer, order and reason after the previous ticket was solved
    eligible = np.flatnonzero((kind == 0) & (order >= 0) & out0["closed"])
    eligible = eligible[rng.permutation(eligible.size)]
    gap = np.where(rng.random(eligible.size) < 0.7, rng.uniform(0.2, 6.5, eligible.size),
                   rng.uniform(7.05, 10, eligible.size))
    rep_created = out0["closed_at"][eligible] + (gap * DAY).astype(np.int64)
    ok = rep_created < period.end - HOUR
    parents, rep_created = eligible[ok][:n_rep], rep_created[ok][:n_rep]
    # duplicates written on another channel minutes after the parent, merged into it
    dparents = np.flatnonzero((kind == 0) & (created < period.end - DAY))
    dparents = dparents[rng.permutation(dparents.size)][:n_dup]
    dup_created = created[dparents] + rng.integers(300, 3 * HOUR, dparents.size)

    def derived(par, when, k, channel_):
        m = par.size
        d = {"created": when, "channel": channel_, "kind": np.full(m, k), "reason": reason[par],
             "order": order[par], "customer": customer[par], "parent": par, "repeat": np.full(m, k == 0),
             "priority": base["priority"][par], "agent": base["agent"][par],
             "merged_at": when + rng.integers(600, 4 * HOUR, m) if k == 3 else np.zeros(m, dtype=np.int64)}
        if k == 3:
            d["merged_at"] = np.minimum(d["merged_at"], period.end - 1)
        return d

    rep = derived(parents, rep_created, 0, base["channel"][parents])
    dup = derived(dparents, dup_created, 3, rng.choice([CH_EMAIL, CH_FORM, CH_CHAT], size=dparents.size))
    m1, e1, out1 = timeline(rng, rep, period.end)
    m2, e2, out2 = timeline(rng, dup, period.end)

    # concatenate, order by creation time, assign ids
    parts = [base, rep, dup]
    tk = {k: np.concatenate([p[k] for p in parts]) for k in base}
    outc = {k: np.concatenate([x[k] for x in (out0, out1, out2)]) for k in out0}
    offsets = np.cumsum([0, n_base, rep["created"].size])
    tk["parent"] = np.where(tk["parent"] >= 0, tk["parent"], -1)  # indices into base (offset 0)
    msgs = _blocks([dict(m0), {**m1, "t": m1["t"] + offsets[1]}, {**m2, "t": m2["t"] + offsets[2]}])
    evs = _blocks([dict(e0), {**e1, "t": e1["t"] + offsets[1]}, {**e2, "t": e2["t"] + offsets[2]}])
    perm = np.lexsort((np.arange(tk["created"].size), tk["created"]))
    rank = np.empty_like(perm)
    rank[perm] = np.arange(perm.size)
    tk = {k: v[perm] for k, v in tk.items()}
    outc = {k: v[perm] for k, v in outc.items()}
    tk["parent"] = np.where(tk["parent"] >= 0, rank[np.maximum(tk["parent"], 0)], -1)
    msgs["t"], evs["t"] = rank[msgs["t"]], rank[evs["t"]]
    mo = np.lexsort((msgs["role"], msgs["at"], msgs["t"]))
    eo = np.lexsort((evs["type"], evs["at"], evs["t"]))
    msgs = {k: v[mo] for k, v in msgs.items()}
    evs = {k: v[eo] for k, v in evs.items()}
    tk["id"] = 20_000_001 + ids["ticket"] + np.arange(perm.size, dtype=np.int64)
    return {"tickets": tk, "outcome": outc, "messages": msgs, "events": evs}


def _agent_for(rng: np.random.Generator, channel: np.ndarray) -> np.ndarray:
    team = np.array([c[2] for c in CHANNELS])[channel]
    lo = np.array([a[0] for a in TEAM_AGENTS])[team]
    hi = np.array([a[1] for a in TEAM_AGENTS])[team]
    return lo + (rng.random(channel.size) * (hi - lo)).astype(np.int64)


def make_surveys(rng: np.random.Generator, hd: dict, end: int) -> dict[str, np.ndarray]:
    tk, out = hd["tickets"], hd["outcome"]
    eligible = np.flatnonzero((out["first_close"] < NO_TIME) & np.isin(tk["kind"], (0, 1)))
    chosen = eligible[rng.random(eligible.size) < 0.6]
    n = chosen.size
    close = out["first_close"][chosen]
    early = rng.random(n) < 0.015
    created = np.where(early, tk["created"][chosen] + ((close - tk["created"][chosen]) * 0.5).astype(np.int64),
                       close)
    sent = created + np.where(early, rng.integers(60, 600, n), rng.integers(HOUR, DAY, n))
    answered = rng.random(n) < 0.4
    scored = sent + _lognormal(rng, 5 * HOUR, 1.2, n)
    frt = np.where(out["first_reply"][chosen] < NO_TIME, out["first_reply"][chosen] - tk["created"][chosen],
                   3 * DAY)
    latent = (4.6 - 0.9 * (frt > DAY) - 0.5 * (frt > 4 * HOUR) - 1.3 * out["reopened"][chosen]
              - 1.0 * tk["repeat"][chosen] + rng.normal(0, 0.8, n))
    score = np.clip(np.round(latent), 1, 5).astype(np.int64)
    keep = sent < end
    answered &= scored < end
    return {"t": chosen[keep], "created": created[keep], "sent": sent[keep], "answered": answered[keep],
            "scored": scored[keep], "score": score[keep]}


def make_time_entries(rng: np.random.Generator, hd: dict, end: int) -> dict[str, np.ndarray]:
    out = hd["outcome"]
    handled = np.flatnonzero(out["answered"] & (rng.random(out["answered"].size) < 0.7))
    k = rng.choice([1, 2, 3], size=handled.size, p=[0.6, 0.3, 0.1])
    t = np.repeat(handled, k)
    pos = np.arange(t.size) - np.repeat(np.cumsum(k) - k, k)
    duration = np.clip(_lognormal(rng, 240, 0.9, t.size), 10, 7200)
    start = out["first_reply"][t] - duration - rng.integers(0, 120, t.size) + pos * rng.integers(HOUR, 2 * DAY, t.size)
    keep = start + duration < end
    return {"t": t[keep], "start": start[keep], "duration": duration[keep]}
