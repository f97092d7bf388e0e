"""The same simulated world exported as a Zendesk Support brand (``--helpdesk zendesk``).

`build_zendesk` turns the helpdesk world of `helpdesk.make_tickets` (the tickets, messages and
events the Gorgias export is written from) into Zendesk Support API objects: tickets,
ticket_comments, ticket_audits (the full status history), users, groups, organizations,
satisfaction_ratings, schedules, sla_policies and ticket_metrics (Zendesk's own figures,
computed with Zendesk's rules). It draws from its own random generator, after the Gorgias
tables were drawn, so every other source (shopify, shipping, returns, nps, finance,
time_tracking) is byte-identical to the Gorgias run of the same seed and size.

Rows are plain dicts (the API's nested objects differ per row); export.write writes them as
NDJSON, or as Parquet with every nested field as JSON text.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa

from . import helpdesk as H
from . import phrases as P
from .util import DAY, HOUR, utc_to_local

NO_TIME = H.NO_TIME
WEEK = 7 * DAY
SUBDOMAIN = "https://brand.zendesk.com/api/v2"
BRAND_ID = 360_000_000_501
FORM_ID = 360_000_000_601
# Custom ticket field ids (the brand's own ids; staging's vars zendesk_contact_reason_field_id
# and zendesk_order_number_field_id default to the first two).
FIELD_CONTACT_REASON = 360_012_345_001
FIELD_ORDER_NUMBER = 360_012_345_002
FIELD_GIFT = 360_012_345_003
GROUPS = ((360_000_000_001, "Email team"), (360_000_000_002, "Chat team"), (360_000_000_003, "Social team"))
ORGS = ((360_000_000_701, "Acme Retail Partners"), (360_000_000_702, "Wholesale Buyers Co"))
# schedules: (id, name, intervals in minutes from Sunday 00:00, holidays (name, start, end))
_H = 60
SCHEDULES = (
    (360_000_000_101, "Support hours",
     tuple((d * 24 * _H + 9 * _H, d * 24 * _H + 18 * _H) for d in range(1, 6)),
     (("New Year's Day", "2025-01-01", "2025-01-01"), ("Memorial Day", "2025-05-26", "2025-05-26"),
      ("Independence Day", "2025-07-04", "2025-07-04"), ("Labor Day", "2025-09-01", "2025-09-01"),
      ("Thanksgiving", "2025-11-27", "2025-11-28"), ("Christmas", "2025-12-25", "2025-12-25"))),
    (360_000_000_102, "Chat hours",
     tuple((d * 24 * _H + 8 * _H, d * 24 * _H + 22 * _H) for d in range(7)),
     (("Christmas", "2025-12-25", "2025-12-25"),)),
    # a split shift: two opening intervals a day, Monday to Saturday
    (360_000_000_103, "Social split shift",
     tuple(iv for d in range(1, 7) for iv in ((d * 24 * _H + 8 * _H, d * 24 * _H + 12 * _H),
                                               (d * 24 * _H + 14 * _H, d * 24 * _H + 19 * _H))),
     (("Independence Day", "2025-07-04", "2025-07-04"), ("Christmas", "2025-12-25", "2025-12-26"))),
)
TEAM_SCHEDULE = (0, 1, 2)  # team index -> SCHEDULES index
TRIGGERS = {101: "Auto-reply: we got your message", 102: "Auto-reply: order status links",
            107: "Auto-reply: holiday hours"}
AUTOMATION_CLOSE = (90_001, "Close ticket 4 days after solved")
AUTOMATION_SOLVE = (90_002, "Solve pending tickets after 2 days")
ADMIN_IDS = (990, 991)
BOT_ID = 9000
PRIORITIES = ("normal", "low", "high", "urgent", None)
TYPES = (None, "question", "incident", "problem", "task")
STATUS_VARIANTS = {"solved": ("Solved", "SOLVED"), "closed": ("Closed",), "open": ("Open", "OPEN"),
                   "pending": ("Pending",)}
CHANNEL_VARIANTS = {"email": ("Email", "EMAIL"), "web": ("Web", "WEB "), "chat": ("Chat",)}
BAD_TIMESTAMPS = ("31/02/2025 25:61", "not a date", "2025-13-45T10:00:00Z")
RATE = 0.01


def ts(utc) -> str:
    """Zendesk API time: ``2025-01-02T14:05:09Z``."""
    return str(np.datetime64(int(utc), "s")) + "Z"


def tagify(label: str) -> str:
    """The tag Zendesk generates for a drop-down option (``Shipping::Where is it?`` -> ``shipping__where_is_it``)."""
    parts = [re.sub(r"[^a-z0-9]+", "_", p.strip().lower()).strip("_") for p in label.split(">")]
    return "__".join(parts)


def _via(channel: str, rel=None, frm=None, to=None) -> dict:
    return {"channel": channel, "source": {"from": frm or {}, "to": to or {}, "rel": rel}}


# ---------------------------------------------------------------- business time by schedule
def _week_cum(intervals, local: np.ndarray) -> np.ndarray:
    """Open seconds from a Sunday 00:00 anchor (1970-01-04) to each local instant, holidays ignored."""
    w, r = np.divmod(local - 3 * DAY, WEEK)
    total = sum(e - s for s, e in intervals) * 60
    within = np.zeros_like(local)
    for s, e in intervals:
        within += np.clip(r - s * 60, 0, (e - s) * 60)
    return w * total + within


def business_cum(schedule: int, utc: np.ndarray) -> np.ndarray:
    """Open seconds of SCHEDULES[schedule] (New York local time, holidays closed) up to each UTC instant."""
    _, _, intervals, holidays = SCHEDULES[schedule]
    local = utc_to_local(np.asarray(utc, dtype=np.int64))
    cum = _week_cum(intervals, local)
    for _, first, last in holidays:
        hs = int(np.datetime64(first, "D").astype(np.int64)) * DAY
        he = (int(np.datetime64(last, "D").astype(np.int64)) + 1) * DAY
        cum -= _week_cum(intervals, np.clip(local, hs, he)) - _week_cum(intervals, np.full_like(local, hs))
    return cum


def business_seconds(a: np.ndarray, b: np.ndarray, sched0: np.ndarray, sched1: np.ndarray,
                     change: np.ndarray) -> np.ndarray:
    """Open seconds between a and b under schedule sched0 until ``change``, then sched1 (each counted once)."""
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    out = np.zeros(a.size, dtype=np.int64)
    for s in range(len(SCHEDULES)):
        m0 = sched0 == s
        if m0.any():
            hi = np.minimum(b, change)
            part = np.where(hi > a, business_cum(s, hi) - business_cum(s, np.minimum(a, hi)), 0)
            out += np.where(m0, part, 0)
        m1 = (sched1 == s) & (change < NO_TIME)
        if m1.any():
            lo = np.maximum(a, np.minimum(change, b))
            part = np.where(b > lo, business_cum(s, b) - business_cum(s, lo), 0)
            out += np.where(m1, part, 0)
    return out


# ---------------------------------------------------------------- the export
def build_zendesk(rng: np.random.Generator, w: dict, end: int, shard: int) -> tuple[dict, list, dict, dict]:
    """Zendesk tables (rows as dicts) from the world ``w``; returns (tables, planted, truth rows, used ids).

    ``w`` holds the helpdesk world and the texts the Gorgias export wrote for it (see export.build).
    """
    tk, out, ms, ev = w["tk"], w["out"], w["ms"], w["ev"]
    cust = w["cust"]
    base = w["base"]
    n_t = tk["id"].size
    kind = tk["kind"]
    tid = tk["id"]
    team = np.array([c[2] for c in H.CHANNELS])[tk["channel"]]
    agent_id = 1000 + np.arange(H.N_AGENTS)
    planted: list[tuple] = []  # (problem, table, expected, ids, extra)

    def plant(problem, table, expected, ids, **extra):
        planted.append((problem, table, expected, [str(i) for i in ids], extra))

    # users -------------------------------------------------------------------------------
    c_email, c_name = w["c_email"].to_pylist(), w["c_name"].to_pylist()
    a_email, a_name = w["agent_email"].to_pylist(), w["agent_name"].to_pylist()
    first_ticket = np.full(cust["gorgias_id"].size, NO_TIME)
    np.minimum.at(first_ticket, tk["customer"], tk["created"])
    last_ticket = np.zeros(cust["gorgias_id"].size, dtype=np.int64)
    np.maximum.at(last_ticket, tk["customer"], tk["created"])

    # a few end users become agents mid-period: tickets they asked for are all before
    promote_at = int(w["period_start"] + (end - w["period_start"]) // 2)
    candidates = np.flatnonzero((last_ticket > 0) & (last_ticket < promote_at - 30 * DAY))
    promoted = np.sort(rng.choice(candidates, size=min(3, candidates.size), replace=False))
    promoted_ids = cust["gorgias_id"][promoted]

    # message slices per ticket
    m_start = np.searchsorted(ms["t"], np.arange(n_t))
    m_end = np.searchsorted(ms["t"], np.arange(n_t), side="right")
    e_start = np.searchsorted(ev["t"], np.arange(n_t))
    e_end = np.searchsorted(ev["t"], np.arange(n_t), side="right")
    mid = 300_000_001 + base["message"] + np.arange(ms["t"].size, dtype=np.int64)
    bodies = w["m_body"].to_pylist()
    subjects = w["subject"].to_pylist()

    # per-ticket plans ----------------------------------------------------------------------
    u = rng.random((n_t, 8))
    is_spam = kind == 2
    deleted = is_spam | ((kind == 0) & (u[:, 0] < 0.005))
    zchat = np.where(u[:, 1] < 0.5, "chat", "native_messaging")
    parent = tk["parent"]
    parent_closed_at = np.where(parent >= 0, out["closed_at"][np.maximum(parent, 0)], NO_TIME)
    followup = (kind == 0) & tk["repeat"] & (parent_closed_at < NO_TIME) & \
        (parent_closed_at + 4 * DAY < tk["created"]) & ~deleted
    # A follow-up's via keeps its channel; Zendesk's follow_up rel replaces the source rel, so a
    # follow-up of a channel told apart by its rel (any_channel, facebook) is linked only by the
    # source's followup_ids, as are a quarter of the others.
    rel_channel = np.isin(tk["channel"], [k for k, c in enumerate(H.CHANNELS)
                                          if _zd_channel(k, "chat")[0] in ("any_channel", "facebook")])
    followup_no_from = followup & ((u[:, 2] < 0.25) | rel_channel)
    escalated = np.isin(tk["priority"], (2, 3)) & (u[:, 3] < 0.35) & ~is_spam
    transfer = out["answered"] & (u[:, 4] < 0.05) & np.isin(kind, (0,))
    sched0 = np.array(TEAM_SCHEDULE)[team]
    sched_change = (u[:, 5] < 0.04) & np.isin(kind, (0, 1)) & ~deleted
    sched1 = np.where(sched0 == 2, 0, 2)
    change_at = np.full(n_t, NO_TIME)
    flip_wanted = u[:, 6] < 0.02
    pending_share = u[:, 7]
    followup_ids: dict[int, list[int]] = {}
    for i in np.flatnonzero(followup):
        followup_ids.setdefault(int(parent[i]), []).append(int(tid[i]))
    merge_target_comments: dict[int, list] = {}

    comments: list[dict] = []
    audits: list[dict] = []
    metrics: list[dict] = []
    truth: list[dict] = []
    next_audit = 600_000_001 + base.get("zaudit", 0)
    next_event = 7_000_000_001 + base.get("zevent", 0)
    next_extra_comment = 380_000_001 + base.get("zcomment", 0)
    promoted_comments: list[int] = []
    flips: list[int] = []
    bot_first: list[int] = []
    trigger_first: list[int] = []
    # status segments for the metrics: (ticket, status, start, end)
    seg_t: list[int] = []
    seg_s: list[str] = []
    seg_a: list[int] = []
    seg_b: list[int] = []
    final: dict[str, list] = {k: [] for k in ("status", "assignee", "group", "priority", "updated", "solved_at",
                                              "first_solved", "reopens", "replies", "assigned_first", "assigned_last",
                                              "assignees", "groups", "zd_reply", "our_reply", "reply_kind")}

    def new_event(type_, **fields):
        nonlocal next_event
        e = {"id": next_event, "type": type_, **fields}
        next_event += 1
        return e

    for i in range(n_t):
        t_id = int(tid[i])
        created = int(tk["created"][i])
        requester = int(cust["gorgias_id"][tk["customer"][i]])
        ag = int(tk["agent"][i])
        g = int(team[i])
        ch_code = int(tk["channel"][i])
        chan, rel = _zd_channel(ch_code, str(zchat[i]))
        pri0 = int(tk["priority"][i])
        pri_created = 0 if escalated[i] else pri0
        actions: list[tuple] = []  # (at, seq, kind, payload)
        seq = 0

        def act(at, what, payload=None):
            nonlocal seq
            actions.append((int(at), seq, what, payload))
            seq += 1

        for j in range(m_start[i], m_end[i]):
            act(ms["at"][j], "msg", j)
        assign_at = NO_TIME
        reopen_times: set[int] = set()
        for j in range(e_start[i], e_end[i]):
            etype, at = int(ev["type"][j]), int(ev["at"][j])
            if etype == H.EV_ASSIGNED:
                assign_at = at
                act(at, "assign", (agent_id[ag], GROUPS[g][0]))
            elif etype == H.EV_CLOSED and kind[i] != 3:
                act(at, "solve", int(ev["agent"][j]))
            elif etype == H.EV_MERGED:
                act(at, "merge", int(tid[parent[i]]))
            elif etype == H.EV_REOPENED:
                reopen_times.add(at)
        if assign_at == NO_TIME and w["has_assignee"][i] and kind[i] != 1:
            at = created + int(rng.integers(60, 2 * HOUR))
            if at < end:
                assign_at = at
                act(at, "assign", (agent_id[ag], GROUPS[g][0]))
        first_close = int(out["first_close"][i])
        horizon = min(first_close, end - 1) if first_close < NO_TIME else min(created + 2 * DAY, end - 1)
        if transfer[i] and assign_at < NO_TIME:
            other = (g + 1) % 3
            lo, hi = H.TEAM_AGENTS[other]
            act(created + (assign_at - created) // 3, "assign", (int(agent_id[lo + (t_id % (hi - lo))]),
                                                                   GROUPS[other][0]))
        if escalated[i] and horizon > created + 120:
            act(created + (horizon - created) // 2, "priority", pri0)
        if sched_change[i] and horizon > created + 120:
            change_at[i] = created + (horizon - created) * 2 // 3
            act(change_at[i], "schedule", int(sched1[i]))
        actions.sort()

        # walk the ticket's life
        status, assignee, group, priority, schedule = None, None, None, None, int(sched0[i])
        history: list[tuple[int, str]] = []
        replies, reopens = 0, 0
        assignees, groups = set(), set()
        assigned_first = assigned_last = NO_TIME
        solved_at = first_solved = NO_TIME
        zd_reply = our_reply = NO_TIME
        reply_kind = "none"
        requester_spoke = kind[i] != 1
        last_at = created
        ticket_audits: list[dict] = []

        def audit(at, author, via, events):
            nonlocal next_audit
            a = {"id": next_audit, "ticket_id": t_id, "created_at": at, "author_id": author, "via": via,
                 "metadata": {"system": {}, "custom": {}}, "events": events}
            next_audit += 1
            ticket_audits.append(a)
            return a

        def set_status(new, at, events):
            nonlocal status, reopens, solved_at, first_solved
            if new == status:
                return
            if status in ("solved", "closed") and new in ("new", "open", "pending", "hold"):
                reopens += 1
            if new == "solved" or (new == "closed" and status not in ("solved", "closed")):
                solved_at = at
                first_solved = min(first_solved, at)
            events.append(new_event("Change", field_name="status", value=new, previous_value=status))
            status = new
            history.append((at, new))

        for k, (at, _, what, payload) in enumerate(actions):
            if at >= end:
                break
            last_at = max(last_at, at)
            next_at = actions[k + 1][0] if k + 1 < len(actions) else end
            if what == "msg":
                j = payload
                role = int(ms["role"][j])
                opening = j == m_start[i]
                public = role != H.ROLE_NOTE
                author, cvia = requester, _via(chan, rel)
                if role == H.ROLE_AGENT or role == H.ROLE_NOTE:
                    author, cvia = int(agent_id[ag]), _via("web")
                    if not opening and role == H.ROLE_AGENT and promoted.size and at > promote_at + DAY \
                            and team[i] == 1 and len(promoted_comments) < 12 * promoted.size:
                        author = int(promoted_ids[len(promoted_comments) % promoted.size])
                        promoted_comments.append(int(mid[j]))
                elif role == H.ROLE_RULE:
                    rule = int(ms["rule"][j])
                    author = ADMIN_IDS[0]
                    cvia = _via("rule", "trigger", {"id": rule, "title": TRIGGERS.get(rule, "Trigger")})
                elif role == H.ROLE_BOT:
                    author = BOT_ID
                    cvia = _via("answer_bot" if ms["via"][j] == 6 else "api")
                body = bodies[j]
                c = {"id": int(mid[j]), "type": "Comment", "ticket_id": t_id, "author_id": author, "body": body,
                     "html_body": f"<p>{body}</p>", "plain_body": body, "public": bool(public),
                     "created_at": at, "via": cvia,
                     "metadata": {"system": {"client": "Mozilla/5.0", "ip_address": None, "location": None},
                                  "flags": [], "custom": {}},
                     "attachments": []}
                events = [new_event("Comment", author_id=author, body=body, html_body=c["html_body"],
                                    plain_body=body, public=bool(public), attachments=[])]
                if opening and chan == "voice":  # a phone call: the agent's summary of it
                    c["type"] = events[0]["type"] = "VoiceComment"
                    c["data"] = events[0]["data"] = {
                        "from": "+1212555" + f"{t_id % 10_000:04d}", "to": "+18005550100", "call_duration": 60 + t_id % 600,
                        "transcription_text": body, "recording_url": None, "started_at": ts(at)}
                if opening:
                    events += [new_event("Create", field_name="subject", value=subjects[i]),
                               new_event("Create", field_name="requester_id", value=str(requester)),
                               new_event("Create", field_name="priority", value=PRIORITIES[pri_created]),
                               new_event("Create", field_name="type", value=_type(int(kind[i]), int(tk["reason"][i])))]
                    priority = PRIORITIES[pri_created]
                    first = "pending" if kind[i] == 1 else "new"
                    events.append(new_event("Create", field_name="status", value=first))
                    if schedule != 0:  # a trigger sets the team's schedule; the default one is not logged
                        events.append(new_event("Create", field_name="schedule_id", value=str(SCHEDULES[schedule][0])))
                    status = first
                    history.append((at, first))
                    if kind[i] == 1:
                        assignee, group = int(agent_id[ag]), GROUPS[g][0]
                        events += [new_event("Create", field_name="assignee_id", value=str(assignee)),
                                   new_event("Create", field_name="group_id", value=str(group))]
                        assignees.add(assignee)
                        groups.add(group)
                        assigned_first = assigned_last = at
                    a = audit(at, author, cvia, events)
                    c["audit_id"] = a["id"]
                    comments.append(c)
                    continue
                is_agent_side = role in (H.ROLE_AGENT, H.ROLE_RULE, H.ROLE_BOT)
                if public and is_agent_side:
                    replies += 1
                    if requester_spoke and zd_reply == NO_TIME:
                        zd_reply = at
                        reply_kind = {H.ROLE_AGENT: "human", H.ROLE_RULE: "trigger", H.ROLE_BOT: "bot"}[role]
                if role == H.ROLE_AGENT and public and our_reply == NO_TIME and kind[i] != 1:
                    our_reply = at
                if role == H.ROLE_AGENT and public and status in ("new", "open"):
                    p = pending_share[i] * 7 % 1  # a per-ticket draw, reused per reply
                    new = "pending" if p < 0.55 else ("hold" if p < 0.63 else "open")
                    set_status(new, at, events)
                    if new == "pending" and flip_wanted[i] and next_at > at + 62 and i not in flips:
                        a = audit(at, author, cvia, events)
                        c["audit_id"] = a["id"]
                        comments.append(c)
                        ev_o: list = []
                        set_status("open", at + 20 + t_id % 20, ev_o)
                        audit(at + 20 + t_id % 20, author, _via("web"), ev_o)
                        ev_p: list = []
                        set_status("pending", at + 45 + t_id % 15, ev_p)
                        audit(at + 45 + t_id % 15, author, _via("web"), ev_p)
                        flips.append(t_id)
                        continue
                elif role == H.ROLE_CUSTOMER:
                    requester_spoke = True
                    # A reply to a solved ticket reopens it when the customer comes back with the
                    # problem; a thank-you after the solve stays solved (the brand's "keep solved
                    # on thanks" trigger), as in the world the Gorgias export is written from.
                    if status in ("pending", "hold") or (status == "solved" and at in reopen_times):
                        set_status("open", at, events)
                a = audit(at, author, cvia, events)
                c["audit_id"] = a["id"]
                comments.append(c)
            elif what == "assign":
                who, grp = payload
                events = []
                if who != assignee:
                    events.append(new_event("Change", field_name="assignee_id", value=str(who),
                                            previous_value=None if assignee is None else str(assignee)))
                if grp != group:
                    events.append(new_event("Change", field_name="group_id", value=str(grp),
                                            previous_value=None if group is None else str(group)))
                assignee, group = who, grp
                assignees.add(who)
                groups.add(grp)
                assigned_first = min(assigned_first, at)
                assigned_last = at
                if status == "new":
                    set_status("open", at, events)
                audit(at, who, _via("web"), events)
            elif what == "priority":
                events = [new_event("Change", field_name="priority", value=PRIORITIES[payload],
                                    previous_value=priority)]
                priority = PRIORITIES[payload]
                audit(at, assignee or ADMIN_IDS[1], _via("web"), events)
            elif what == "schedule":
                events = [new_event("Change", field_name="schedule_id", value=str(SCHEDULES[payload][0]),
                                    previous_value=str(SCHEDULES[schedule][0]))]
                schedule = payload
                audit(at, ADMIN_IDS[1], _via("rule", "trigger", {"id": 120, "title": "Set VIP schedule"}), events)
            elif what == "solve":
                events = []
                set_status("solved", at, events)
                if payload >= 0:
                    audit(at, int(agent_id[payload]), _via("web"), events)
                else:
                    audit(at, -1, _via("rule", "automation", {"id": AUTOMATION_SOLVE[0],
                                                              "title": AUTOMATION_SOLVE[1]}), events)
            elif what == "merge":
                target = payload
                body = f"Request #{t_id} \"{subjects[i]}\" was closed and merged into request #{target}."
                cid = next_extra_comment
                next_extra_comment += 1
                mvia = _via("web", "merge", {"ticket_id": t_id, "subject": subjects[i]}, {"ticket_id": target})
                events = [new_event("Comment", author_id=int(agent_id[ag]), body=body, html_body=f"<p>{body}</p>",
                                    plain_body=body, public=False, attachments=[])]
                set_status("closed", at, events)
                events.append(new_event("Change", field_name="tags", value=["closed_by_merge"], previous_value=[]))
                a = audit(at, int(agent_id[ag]), mvia, events)
                comments.append({"id": cid, "type": "Comment", "ticket_id": t_id, "author_id": int(agent_id[ag]),
                                 "body": body, "html_body": f"<p>{body}</p>", "plain_body": body, "public": False,
                                 "created_at": at, "via": mvia,
                                 "metadata": {"system": {}, "flags": [], "custom": {}}, "attachments": [],
                                 "audit_id": a["id"]})
                merge_target_comments.setdefault(int(parent[i]), []).append((at, t_id, int(agent_id[ag])))

        # Zendesk closes a solved ticket 4 days later (the automation), unless it came back
        if status == "solved" and solved_at + 4 * DAY < end:
            events = []
            set_status("closed", solved_at + 4 * DAY, events)
            audit(solved_at + 4 * DAY, -1, _via("rule", "automation", {"id": AUTOMATION_CLOSE[0],
                                                                       "title": AUTOMATION_CLOSE[1]}), events)
            last_at = solved_at + 4 * DAY
        audits.extend(ticket_audits)
        if reply_kind == "bot":
            bot_first.append(t_id)
        elif reply_kind == "trigger":
            trigger_first.append(t_id)
        history.append((NO_TIME, "end"))
        last_change = history[-2][0]
        for (a_, s_), (b_, _) in zip(history[:-1], history[1:], strict=True):
            if b_ <= last_change and s_ not in ("solved", "closed"):
                seg_t.append(i)
                seg_s.append(s_)
                seg_a.append(a_)
                seg_b.append(b_)
        for key, val in (("status", status), ("assignee", assignee), ("group", group), ("priority", priority),
                         ("updated", last_at), ("solved_at", solved_at if status in ("solved", "closed") else NO_TIME),
                         ("first_solved", first_solved), ("reopens", reopens), ("replies", replies),
                         ("assigned_first", assigned_first), ("assigned_last", assigned_last),
                         ("assignees", len(assignees)), ("groups", len(groups)), ("zd_reply", zd_reply),
                         ("our_reply", our_reply), ("reply_kind", reply_kind)):
            final[key].append(val)
        if sched_change[i] and change_at[i] >= end:
            change_at[i] = NO_TIME

    # merge notes on the surviving tickets
    for target_idx, notes in merge_target_comments.items():
        for at, src, who in notes:
            body = f"Request #{src} was closed and merged into this request."
            mvia = _via("web", "merge", {"ticket_ids": [src]}, {"ticket_id": int(tid[target_idx])})
            a = {"id": next_audit, "ticket_id": int(tid[target_idx]), "created_at": at, "author_id": who,
                 "via": mvia, "metadata": {"system": {}, "custom": {}},
                 "events": [new_event("Comment", author_id=who, body=body, html_body=f"<p>{body}</p>",
                                      plain_body=body, public=False, attachments=[])]}
            next_audit += 1
            audits.append(a)
            comments.append({"id": next_extra_comment, "type": "Comment", "ticket_id": int(tid[target_idx]),
                             "author_id": who, "body": body, "html_body": f"<p>{body}</p>", "plain_body": body,
                             "public": False, "created_at": at, "via": mvia,
                             "metadata": {"system": {}, "flags": [], "custom": {}}, "attachments": [],
                             "audit_id": a["id"]})
            next_extra_comment += 1
            final["updated"][target_idx] = max(final["updated"][target_idx], at)
    comments.sort(key=lambda c: (c["ticket_id"], c["created_at"], c["id"]))
    audits.sort(key=lambda a: (a["ticket_id"], a["created_at"], a["id"]))

    f = {k: np.array(v, dtype=object if k in ("status", "priority", "reply_kind", "assignee", "group")
                     else np.int64) for k, v in final.items()}
    deletion_at = np.where(deleted, np.maximum(f["updated"], tk["created"]) + 300, NO_TIME)
    deletion_at = np.minimum(deletion_at, end - 1)

    # ticket metrics: Zendesk's own figures -------------------------------------------------
    st = np.array(seg_t, dtype=np.int64)
    sa, sb = np.array(seg_a, dtype=np.int64), np.array(seg_b, dtype=np.int64)
    ss = np.array(seg_s, dtype=object)
    s_cal = sb - sa
    s_biz = business_seconds(sa, sb, sched0[st], sched1[st], change_at[st])

    def per_ticket(mask):
        cal = np.zeros(n_t, dtype=np.int64)
        biz = np.zeros(n_t, dtype=np.int64)
        np.add.at(cal, st[mask], s_cal[mask])
        np.add.at(biz, st[mask], s_biz[mask])
        return cal // 60, biz // 60

    requester_wait = per_ticket(np.isin(ss, ("new", "open", "hold")))
    agent_wait = per_ticket(ss == "pending")
    on_hold = per_ticket(ss == "hold")
    created = tk["created"]

    def span(b):
        ok = b < NO_TIME
        bb = np.where(ok, b, created)
        cal = (bb - created) // 60
        biz = business_seconds(created, bb, sched0, sched1, change_at) // 60
        return ok, cal, biz

    r_ok, r_cal, r_biz = span(f["zd_reply"])
    fr_ok, fr_cal, fr_biz = span(f["first_solved"])
    full_ok, full_cal, full_biz = span(f["solved_at"])

    def pair(ok, cal, biz, i):
        return {"calendar": int(cal[i]), "business": int(biz[i])} if ok[i] else {"calendar": None, "business": None}

    for i in range(n_t):
        if deleted[i]:
            continue
        metrics.append({
            "id": 800_000_001 + base["ticket"] + i, "ticket_id": int(tid[i]),
            "url": f"{SUBDOMAIN}/ticket_metrics/{800_000_001 + base['ticket'] + i}.json",
            "created_at": ts(created[i]), "updated_at": ts(f["updated"][i]),
            "solved_at": ts(f["solved_at"][i]) if f["solved_at"][i] < NO_TIME else None,
            "initially_assigned_at": ts(f["assigned_first"][i]) if f["assigned_first"][i] < NO_TIME else None,
            "assigned_at": ts(f["assigned_last"][i]) if f["assigned_last"][i] < NO_TIME else None,
            "reopens": int(f["reopens"][i]), "replies": int(f["replies"][i]),
            "assignee_stations": int(f["assignees"][i]), "group_stations": int(f["groups"][i]),
            "reply_time_in_minutes": pair(r_ok, r_cal, r_biz, i),
            "first_resolution_time_in_minutes": pair(fr_ok, fr_cal, fr_biz, i),
            "full_resolution_time_in_minutes": pair(full_ok, full_cal, full_biz, i),
            "agent_wait_time_in_minutes": {"calendar": int(agent_wait[0][i]), "business": int(agent_wait[1][i])},
            "requester_wait_time_in_minutes": {"calendar": int(requester_wait[0][i]),
                                               "business": int(requester_wait[1][i])},
            "on_hold_time_in_minutes": {"calendar": int(on_hold[0][i]), "business": int(on_hold[1][i])},
        })

    # tickets ---------------------------------------------------------------------------------
    rt_first = np.cumsum([0] + [len(P.REASON_LABELS[x]) for x in P.REASONS])
    reason_label = [P.REASON_LABELS[P.REASONS[int(r)]][int(u[k, 2] * 97) % (rt_first[int(r) + 1] - rt_first[int(r)])]
                    for k, r in enumerate(tk["reason"])]
    has_reason = np.isin(kind, (0, 3)) & (u[:, 3] * 13 % 1 < 0.55)
    onum = w["onum"]
    has_order_field = (tk["order"] >= 0) & (kind != 2) & (u[:, 4] * 17 % 1 < 0.45)
    order_text = [f"#{n}" if (k % 10 == 0) else str(n) for k, n in enumerate(onum)]
    reason_tags = [P.REASON_TAGS[P.REASONS[int(r)]] for r in tk["reason"]]
    satisfaction = w["sv"]
    sv_ticket = satisfaction["t"]
    sv_score = {int(t): (s, a) for t, s, a in zip(sv_ticket, satisfaction["score"], satisfaction["answered"],
                                                 strict=True)}
    sv_id = 7_000_001 + base["survey"] + np.arange(sv_ticket.size)
    sv_id_of = {int(t): int(x) for t, x in zip(sv_ticket, sv_id, strict=True)}
    tickets: list[dict] = []
    t_truth_status = []
    for i in range(n_t):
        t_id = int(tid[i])
        chan, rel = _zd_channel(int(tk["channel"][i]), str(zchat[i]))
        frm: dict = {}
        if kind[i] != 1:
            frm = {"address": c_email[tk["customer"][i]], "name": c_name[tk["customer"][i]]}
        if followup[i] and not followup_no_from[i]:
            via = _via(chan, "follow_up", {"ticket_id": int(tid[parent[i]]), "subject": subjects[parent[i]]})
        elif kind[i] == 1:
            via = _via("web")
        else:
            via = _via(chan, rel, frm, {"address": "support@brand.example", "name": "Brand Support"})
        status = "deleted" if deleted[i] else f["status"][i]
        t_truth_status.append(status)
        tags = []
        if kind[i] in (0, 3) and u[i, 5] * 11 % 1 < 0.3:
            tags.append(reason_tags[i][t_id % len(reason_tags[i])])
        if has_reason[i]:
            tags.append(tagify(reason_label[i]))
        if kind[i] == 3:
            tags.append("closed_by_merge")
        if is_spam[i]:
            tags.append("spam")
        if u[i, 6] * 19 % 1 < 0.06:
            tags.append(P.OTHER_TAGS[t_id % len(P.OTHER_TAGS)])
        tags = sorted(set(tags))
        rating = None
        if t_id in sv_score:
            s, answered = sv_score[t_id]
            rating = {"score": ("good" if s >= 4 else "bad") if answered else "offered", "id": sv_id_of[t_id],
                      "comment": None}
        elif f["solved_at"][i] < NO_TIME:
            rating = {"score": "unoffered"}
        tickets.append({
            "id": t_id, "url": f"{SUBDOMAIN}/tickets/{t_id}.json", "external_id": None,
            "created_at": ts(created[i]),
            "updated_at": ts(deletion_at[i] if deleted[i] else f["updated"][i]),
            "type": _type(int(kind[i]), int(tk["reason"][i])), "subject": subjects[i], "raw_subject": subjects[i],
            "description": bodies[m_start[i]] if m_end[i] > m_start[i] else "",
            "priority": f["priority"][i], "status": status,
            "requester_id": int(cust["gorgias_id"][tk["customer"][i]]),
            "submitter_id": int(agent_id[tk["agent"][i]]) if kind[i] == 1 else int(
                cust["gorgias_id"][tk["customer"][i]]),
            "assignee_id": f["assignee"][i], "group_id": f["group"][i],
            "organization_id": ORGS[int(tk["customer"][i]) % 2][0] if int(tk["customer"][i]) % 40 == 0 else None,
            "brand_id": BRAND_ID, "via": via, "tags": tags,
            "custom_fields": [
                {"id": FIELD_CONTACT_REASON, "value": tagify(reason_label[i]) if has_reason[i] else None},
                {"id": FIELD_ORDER_NUMBER, "value": order_text[i] if has_order_field[i] else None},
                {"id": FIELD_GIFT, "value": bool(t_id % 23 == 0)},
            ],
            "satisfaction_rating": rating,
            "followup_ids": sorted(followup_ids.get(i, [])),
            "ticket_form_id": FORM_ID, "is_public": True, "problem_id": None, "has_incidents": False,
            "allow_channelback": False, "allow_attachments": True,
        })
    return _finish(rng, w, end, shard, tickets, comments, audits, metrics, promoted, promote_at, promoted_comments,
                   flips, bot_first, trigger_first, followup, followup_no_from, deleted, sched0, sched1, change_at,
                   f, planted, plant, t_truth_status, next_audit, next_event, next_extra_comment)


def _zd_channel(code: int, chat_kind: str) -> tuple[str, str | None]:
    """Zendesk via.channel (and via.source.rel) of a world channel."""
    name = H.CHANNELS[code][0]
    return {
        "email": ("email", None), "chat": (chat_kind, None), "contact_form": ("web", None),
        "facebook": ("facebook", "post"), "facebook-messenger": ("facebook", "message"),
        "instagram-direct-message": ("instagram_dm", None), "instagram-comment": ("any_channel", "instagram_comment"),
        "sms": ("sms", None), "amazon": ("any_channel", "amazon"), "ebay": ("any_channel", "ebay"),
        "phone": ("voice", "inbound"),
    }[name]


def _type(kind: int, reason: int) -> str | None:
    if kind == 1:
        return "task"
    if kind == 2:
        return None
    name = P.REASONS[reason]
    return "incident" if name in ("damaged_defective", "wrong_item", "payment_issue") else (
        "question" if reason % 3 else None)


def _finish(rng, w, end, shard, tickets, comments, audits, metrics, promoted, promote_at, promoted_comments, flips,
            bot_first, trigger_first, followup, followup_no_from, deleted, sched0, sched1, change_at, f, planted,
            plant, t_truth_status, next_audit, next_event, next_extra_comment):
    tk, cust, base = w["tk"], w["cust"], w["base"]
    tid = tk["id"]
    kind = tk["kind"]
    n_t = tid.size
    c_email, c_name = w["c_email"].to_pylist(), w["c_name"].to_pylist()
    a_email, a_name = w["agent_email"].to_pylist(), w["agent_name"].to_pylist()

    # users ---------------------------------------------------------------------------------
    first_ticket = np.full(cust["gorgias_id"].size, NO_TIME)
    np.minimum.at(first_ticket, tk["customer"], tk["created"])
    requesters = np.flatnonzero(first_ticket < NO_TIME)
    spammers = set(tk["customer"][kind == 2].tolist())
    users: list[dict] = []
    upper = set(rng.choice(requesters, size=max(1, int(requesters.size * RATE / 2)), replace=False).tolist())

    def user(uid, name, email, role, created, updated, **extra):
        return {"id": int(uid), "url": f"{SUBDOMAIN}/users/{int(uid)}.json", "name": name, "email": email,
                "role": role, "role_type": None, "time_zone": "Eastern Time (US & Canada)",
                "iana_time_zone": "America/New_York", "locale": "en-US", "created_at": ts(created),
                "updated_at": ts(updated), "active": True, "suspended": False, "organization_id": None,
                "verified": True, "shared": False, **extra}

    start = w["period_start"]
    if shard == 0:
        for k in range(H.N_AGENTS):
            users.append(user(1000 + k, a_name[k], a_email[k], "agent", start - 400 * DAY, start - 30 * DAY,
                              default_group_id=GROUPS[next(t for t, (lo, hi) in enumerate(H.TEAM_AGENTS)
                                                           if lo <= k < hi)][0]))
        users.append(user(ADMIN_IDS[0], "Store Owner", "owner@brand.example", "admin", start - 500 * DAY,
                          start - 30 * DAY))
        users.append(user(ADMIN_IDS[1], "Support Lead", "lead@brand.example", "admin", start - 500 * DAY,
                          start - 30 * DAY))
        users.append(user(BOT_ID, "Brand Bot", "bot@brand.example", "agent", start - 300 * DAY, start - 30 * DAY,
                          role_type=4))
    for c in requesters:
        email = c_email[c].upper() if c in upper else c_email[c]
        users.append(user(cust["gorgias_id"][c], c_name[c], email, "end-user", first_ticket[c] - 60,
                          first_ticket[c] - 60, suspended=bool(c in spammers)))
    users.sort(key=lambda x: x["id"])
    plant("email_case_variant", "zendesk/users", "normalised", cust["gorgias_id"][sorted(upper)], column="email")
    promoted_rows = [user(cust["gorgias_id"][c], c_name[c], c_email[c], "agent", first_ticket[c] - 60, promote_at,
                          default_group_id=GROUPS[1][0]) for c in promoted]
    same_users = [u_ for u_ in users if u_["role"] == "end-user"][:: max(1, len(users) // 8)][:6]
    plant("end_user_promoted", "zendesk/users", "role_period", cust["gorgias_id"][promoted],
          promoted_at=ts(promote_at))
    plant("promoted_agent_comment", "zendesk/ticket_comments", "classified_agent", promoted_comments)
    plant("duplicate_reexport", "zendesk/users", "collapsed", [u_["id"] for u_ in same_users], detail="identical")

    # tickets: mess and re-exports --------------------------------------------------------------
    t_by_id = {t["id"]: t for t in tickets}
    idx = np.arange(n_t)
    closed_ok = np.array([t["status"] in ("solved", "closed") for t in tickets]) & (kind == 0) & out_ok(f)
    stale = _pick(rng, closed_ok & (f["reopens"] == 0), 0.0075)
    same = _pick(rng, ~np.isin(idx, stale), 0.0075)
    main = [dict(t) for t in tickets]
    for s in stale:
        snap = dict(tickets[s])
        snap["status"] = "open"
        snap["satisfaction_rating"] = None
        snap["updated_at"] = ts(int(tk["created"][s]) + 600)
        main[s] = snap
    svar = _pick(rng, np.array([t["status"] in STATUS_VARIANTS for t in main]), RATE)
    svals = []
    for s in svar:
        opts = STATUS_VARIANTS[main[s]["status"]]
        main[s] = dict(main[s], status=opts[int(rng.integers(0, len(opts)))])
        svals.append(main[s]["status"])
    cvar = _pick(rng, np.array([t["via"]["channel"] in CHANNEL_VARIANTS for t in main]) & ~np.isin(idx, stale), RATE)
    cvals = []
    for s in cvar:
        opts = CHANNEL_VARIANTS[main[s]["via"]["channel"]]
        via = dict(main[s]["via"], channel=opts[int(rng.integers(0, len(opts)))])
        main[s] = dict(main[s], via=via)
        cvals.append(via["channel"])
    tsvar = _pick(rng, ~np.isin(idx, np.r_[stale, svar]), RATE)
    for s in tsvar:
        created = int(tk["created"][s])
        text = str(np.datetime64(created + 2 * HOUR, "s")) + "+02:00" if s % 2 else \
            str(np.datetime64(created, "s")) + ".000Z"
        main[s] = dict(main[s], created_at=text)
    # malformed rows appended: no id, an unparseable updated_at, an unknown status (copies of real tickets)
    k = max(1, int(round(n_t * 0.002)))
    bad_src = rng.choice(np.flatnonzero(kind == 0), size=3 * k, replace=False)
    malformed = []
    for j, s in enumerate(bad_src):
        row = dict(tickets[s])
        if j < k:
            row.pop("id")
            row.pop("url")
        elif j < 2 * k:
            row["updated_at"] = BAD_TIMESTAMPS[j % len(BAD_TIMESTAMPS)]
        else:
            row["status"] = "escalated"
        malformed.append(row)
    reexport = sorted([tickets[s] for s in stale] + [tickets[s] for s in same], key=lambda t: t["id"])
    plant("duplicate_reexport", "zendesk/tickets", "collapsed", tid[same], detail="identical")
    plant("duplicate_reexport", "zendesk/tickets", "collapsed", tid[stale], detail="later_updated_at_wins")
    plant("status_variant", "zendesk/tickets", "normalised", tid[svar], column="status", values=sorted(set(svals)))
    plant("channel_variant", "zendesk/tickets", "normalised", tid[cvar], column="via.channel",
          values=sorted(set(cvals)))
    plant("timestamp_format_variant", "zendesk/tickets", "normalised", tid[tsvar], column="created_at")
    plant("missing_id", "zendesk/tickets", "rejected", tid[bad_src[:k]], column="id")
    plant("unparseable_timestamp", "zendesk/tickets", "rejected", tid[bad_src[k:2 * k]], column="updated_at")
    plant("unknown_status", "zendesk/tickets", "rejected", tid[bad_src[2 * k:]], column="status",
          values=["escalated"])
    plant("deleted_ticket", "zendesk/tickets", "excluded", tid[deleted], column="status")
    plant("merged_ticket", "zendesk/tickets", "merged", tid[kind == 3], column="via.source.rel")
    plant("followup_ticket", "zendesk/tickets", "linked", tid[followup], column="via.source.rel")
    plant("followup_without_source_in_via", "zendesk/tickets", "linked", tid[followup_no_from],
          column="followup_ids")
    plant("schedule_change", "zendesk/ticket_audits", "segmented", tid[change_at < NO_TIME], column="schedule_id")
    plant("status_flip", "zendesk/ticket_audits", "kept", flips, column="status")
    plant("bot_first_reply", "zendesk/tickets", "classified_bot", bot_first)
    plant("trigger_first_reply", "zendesk/tickets", "classified_bot", trigger_first)
    plant("priority_change", "zendesk/ticket_audits", "kept",
          sorted({a["ticket_id"] for a in audits for e in a["events"]
                  if e["type"] == "Change" and e.get("field_name") == "priority"}), column="priority")
    plant("group_change", "zendesk/ticket_audits", "kept",
          sorted({a["ticket_id"] for a in audits for e in a["events"]
                  if e["type"] == "Change" and e.get("field_name") == "group_id" and e.get("previous_value")}),
          column="group_id")
    plant("on_hold", "zendesk/ticket_audits", "kept",
          sorted({a["ticket_id"] for a in audits for e in a["events"]
                  if e["type"] == "Change" and e.get("field_name") == "status" and e.get("value") == "hold"}),
          column="status")

    # comments: mess --------------------------------------------------------------------------
    n_c = len(comments)
    role_of = {}
    opening = set()
    seen = set()
    for j, c in enumerate(comments):
        if c["ticket_id"] not in seen:
            opening.add(j)
            seen.add(c["ticket_id"])
        ch = c["via"]["channel"]
        role_of[j] = "trigger" if ch == "rule" else ("bot" if c["author_id"] == BOT_ID else
                                                      ("note" if not c["public"] else ""))
    not_open = np.array([j not in opening for j in range(n_c)])
    bad = _pick(rng, not_open, 0.004)
    main_c = [dict(c) for c in comments]
    for j in bad:
        main_c[j]["created_at"] = BAD_TIMESTAMPS[j % len(BAD_TIMESTAMPS)]
    orphan_src = _pick(rng, not_open & ~np.isin(np.arange(n_c), bad), 0.004)
    orphans = []
    for k_, j in enumerate(orphan_src):
        o = dict(comments[j], id=290_000_001 + base["orphan"] + k_, ticket_id=90_000_001 + base["orphan"] + k_)
        orphans.append(o)
    dup_c = _pick(rng, ~np.isin(np.arange(n_c), bad), 0.005)
    cid = np.array([c["id"] for c in comments], dtype=np.int64)
    plant("unparseable_timestamp", "zendesk/ticket_comments", "rejected", cid[bad], column="created_at")
    plant("unknown_ticket", "zendesk/ticket_comments", "rejected", [o["id"] for o in orphans], column="ticket_id")
    plant("duplicate_reexport", "zendesk/ticket_comments", "collapsed", cid[dup_c], detail="identical")
    plant("auto_responder", "zendesk/ticket_comments", "classified_bot",
          [c["id"] for j, c in enumerate(comments) if role_of[j] == "trigger"])
    plant("chat_bot", "zendesk/ticket_comments", "classified_bot",
          [c["id"] for j, c in enumerate(comments) if role_of[j] == "bot"])
    plant("internal_note", "zendesk/ticket_comments", "classified_internal",
          [c["id"] for j, c in enumerate(comments) if role_of[j] == "note"])
    plant("merge_comment", "zendesk/ticket_comments", "merged",
          [c["id"] for c in comments if c["via"]["source"]["rel"] == "merge"])

    # audits: mess ------------------------------------------------------------------------------
    n_a = len(audits)
    has_create = np.array([any(e["type"] == "Create" for e in a["events"]) for a in audits])
    abad = _pick(rng, ~has_create, 0.002)
    main_a = [dict(a) for a in audits]
    for j in abad:
        main_a[j]["created_at"] = BAD_TIMESTAMPS[j % len(BAD_TIMESTAMPS)]
    plant("unparseable_timestamp", "zendesk/ticket_audits", "rejected", [audits[j]["id"] for j in abad],
          column="created_at")

    # satisfaction ratings ------------------------------------------------------------------
    sv = w["sv"]
    ratings = []
    sv_id = 7_000_001 + base["survey"] + np.arange(sv["t"].size)
    for k_, t in enumerate(sv["t"]):
        t = int(t)
        if deleted[t]:
            continue
        answered = bool(sv["answered"][k_])
        score = ("good" if sv["score"][k_] >= 4 else "bad") if answered else "offered"
        ratings.append({
            "id": int(sv_id[k_]), "url": f"{SUBDOMAIN}/satisfaction_ratings/{int(sv_id[k_])}.json",
            "ticket_id": int(tid[t]), "requester_id": int(cust["gorgias_id"][tk["customer"][t]]),
            "assignee_id": tickets[t]["assignee_id"], "group_id": tickets[t]["group_id"], "score": score,
            "comment": (P.CSAT_COMMENTS[int(sv["score"][k_])][0] or None) if answered and k_ % 3 == 0 else None,
            "reason": None if score != "bad" else "Issue took too long to resolve", "reason_id": None,
            "created_at": ts(sv["sent"][k_]), "updated_at": ts(sv["scored"][k_] if answered else sv["sent"][k_])})
    rated = set(int(t) for t in sv["t"])
    unoffered = [i for i in range(n_t) if i not in rated and f["solved_at"][i] < NO_TIME and not deleted[i]
                 and kind[i] in (0, 1) and (int(tid[i]) % 5 == 0)]
    for k_, i in enumerate(unoffered):
        rid = 950_000_001 + base["survey"] + k_  # apart from the surveys' ids at any size
        ratings.append({"id": rid, "url": f"{SUBDOMAIN}/satisfaction_ratings/{rid}.json", "ticket_id": int(tid[i]),
                        "requester_id": int(cust["gorgias_id"][tk["customer"][i]]),
                        "assignee_id": tickets[i]["assignee_id"], "group_id": tickets[i]["group_id"],
                        "score": "unoffered", "comment": None, "reason": None, "reason_id": None,
                        "created_at": ts(f["solved_at"][i]), "updated_at": ts(f["solved_at"][i])})
    ratings.sort(key=lambda r: r["id"])
    answered_rows = [j for j, r in enumerate(ratings) if r["score"] in ("good", "bad")]
    unk = sorted(rng.choice(answered_rows, size=max(1, len(answered_rows) // 100), replace=False).tolist()) \
        if answered_rows else []
    for j in unk:
        ratings[j] = dict(ratings[j], score="great")
    plant("score_out_of_range", "zendesk/satisfaction_ratings", "rejected", [ratings[j]["id"] for j in unk],
          column="score", values=["great"])
    plant("unoffered_rating", "zendesk/satisfaction_ratings", "no_response",
          [r["id"] for r in ratings if r["score"] == "unoffered"])
    plant("offered_rating", "zendesk/satisfaction_ratings", "no_response",
          [r["id"] for r in ratings if r["score"] == "offered"])

    # everything at a fixed place: timestamps as text -----------------------------------------
    for c in main_c + orphans:
        if isinstance(c["created_at"], (int, np.integer)):
            c["created_at"] = ts(c["created_at"])
    dup_rows = [dict(main_c[j]) for j in dup_c]
    for a in main_a:
        if isinstance(a["created_at"], (int, np.integer)):
            a["created_at"] = ts(a["created_at"])

    tables: dict[str, list] = {
        "zendesk/tickets": [("tickets", main + malformed), ("tickets_reexport", reexport)],
        "zendesk/ticket_comments": [("ticket_comments", main_c + orphans), ("ticket_comments_reexport", dup_rows)],
        "zendesk/ticket_audits": [("ticket_audits", main_a)],
        "zendesk/users": [("users", users), ("users_reexport", promoted_rows + same_users)],
        "zendesk/satisfaction_ratings": [("satisfaction_ratings", ratings)],
        "zendesk/ticket_metrics": [("ticket_metrics", metrics)],
    }
    if shard == 0:
        tables["zendesk/groups"] = [("groups", [
            {"id": gid, "url": f"{SUBDOMAIN}/groups/{gid}.json", "name": name, "description": "", "default": k == 0,
             "deleted": False, "is_public": True, "created_at": ts(start - 400 * DAY), "updated_at": ts(start - 400 * DAY)}
            for k, (gid, name) in enumerate(GROUPS)])]
        tables["zendesk/organizations"] = [("organizations", [
            {"id": oid, "url": f"{SUBDOMAIN}/organizations/{oid}.json", "name": name, "domain_names": [],
             "group_id": None, "tags": ["b2b"], "created_at": ts(start - 200 * DAY), "updated_at": ts(start - 200 * DAY)}
            for oid, name in ORGS])]
        tables["zendesk/schedules"] = [("schedules", [
            {"id": sid, "name": name, "time_zone": "Eastern Time (US & Canada)",
             "created_at": ts(start - 400 * DAY), "updated_at": ts(start - 400 * DAY),
             "intervals": [{"start_time": s, "end_time": e} for s, e in ivs],
             "holidays": [{"id": sid * 10 + k, "name": hn, "start_date": hs, "end_date": he}
                          for k, (hn, hs, he) in enumerate(hols)]}
            for sid, name, ivs, hols in SCHEDULES])]
        tables["zendesk/sla_policies"] = [("sla_policies", _sla_policies(start))]
    truth = []
    for i in range(n_t):
        zd, ours, kind_ = f["zd_reply"][i], f["our_reply"][i], f["reply_kind"][i]
        reasons = []
        if deleted[i]:
            reasons.append("deleted: no ticket_metrics row, out of every KPI")
        elif kind[i] == 3:
            reasons.append("merged: Zendesk times the merged ticket to its merge; our KPIs leave it out")
        elif kind[i] == 1:
            reasons.append("agent_created: not a customer ticket in our KPIs")
        if not deleted[i] and kind_ in ("bot", "trigger"):
            reasons.append(f"{kind_}_first_reply: Zendesk counts the {kind_} comment as the reply, we wait for a human")
        truth.append({
            "ticket_id": int(tid[i]), "helpdesk_status": t_truth_status[i], "is_deleted": bool(deleted[i]),
            "merged_into_ticket_id": int(tid[tk["parent"][i]]) if kind[i] == 3 else None,
            "followup_source_ticket_id": int(tid[tk["parent"][i]]) if followup[i] else None,
            "schedule_id": SCHEDULES[int(sched1[i] if change_at[i] < NO_TIME else sched0[i])][0],
            "schedule_changed_at": ts(change_at[i]) if change_at[i] < NO_TIME else None,
            "first_reply_by": kind_,
            "zendesk_first_reply_at": ts(zd) if zd < NO_TIME else None,
            "our_first_reply_at": ts(ours) if ours < NO_TIME else None,
            "metrics_differ": bool(reasons), "difference_reason": "; ".join(reasons) or None,
        })
    used = {"zaudit": next_audit - 600_000_001 - base.get("zaudit", 0),
            "zevent": next_event - 7_000_000_001 - base.get("zevent", 0),
            "zcomment": next_extra_comment - 380_000_001 - base.get("zcomment", 0)}
    return tables, planted, truth, used


def out_ok(f: dict) -> np.ndarray:
    return f["solved_at"] < NO_TIME


def _pick(rng: np.random.Generator, mask: np.ndarray, rate: float) -> np.ndarray:
    pool = np.flatnonzero(mask)
    k = max(1, int(round(pool.size * rate))) if pool.size else 0
    return np.sort(rng.choice(pool, size=min(k, pool.size), replace=False)) if pool.size else pool


def _sla_policies(start: int) -> list[dict]:
    def metrics(frt: dict, nrt: dict, rwt: dict, business: bool) -> list[dict]:
        rows = []
        for priority in ("low", "normal", "high", "urgent"):
            rows.append({"priority": priority, "metric": "first_reply_time", "target": frt[priority],
                         "business_hours": business})
            rows.append({"priority": priority, "metric": "next_reply_time", "target": nrt[priority],
                         "business_hours": business})
            rows.append({"priority": priority, "metric": "requester_wait_time", "target": rwt[priority],
                         "business_hours": business})
        return rows

    email = metrics({"low": 1440, "normal": 480, "high": 240, "urgent": 60},
                    {"low": 1440, "normal": 480, "high": 240, "urgent": 120},
                    {"low": 4320, "normal": 2880, "high": 1440, "urgent": 480}, True)
    chat = metrics({"low": 10, "normal": 5, "high": 3, "urgent": 2},
                   {"low": 15, "normal": 10, "high": 5, "urgent": 3},
                   {"low": 1440, "normal": 720, "high": 240, "urgent": 120}, True)
    # pausing targets: Zendesk's pausable update clock stops while the ticket is pending, its
    # agent work time while pending or on hold (requester wait time while pending)
    email.append({"priority": "normal", "metric": "pausable_update_time", "target": 1440, "business_hours": True})
    email.append({"priority": "normal", "metric": "agent_work_time", "target": 2880, "business_hours": True})
    return [
        {"id": 360_000_000_201, "url": f"{SUBDOMAIN}/slas/policies/360000000201.json", "title": "Email and form",
         "description": "Replies within the business day", "position": 1,
         "filter": {"all": [{"field": "via_id", "operator": "includes", "value": ["email", "web"]}], "any": []},
         "policy_metrics": email, "created_at": ts(start - 300 * DAY), "updated_at": ts(start - 30 * DAY)},
        {"id": 360_000_000_202, "url": f"{SUBDOMAIN}/slas/policies/360000000202.json", "title": "Live chat",
         "description": "Chat and messaging", "position": 2,
         "filter": {"all": [{"field": "via_id", "operator": "includes", "value": ["chat", "native_messaging"]}],
                    "any": []},
         "policy_metrics": chat, "created_at": ts(start - 300 * DAY), "updated_at": ts(start - 30 * DAY)},
    ]


def plain(value):
    """json.dumps default: numpy scalars as Python numbers."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(type(value).__name__)


def parquet_table(rows: list[dict]) -> pa.Table:
    """Rows as a Parquet-ready table: every column text, nested fields as JSON text (as the Gorgias export)."""
    import json

    names: list[str] = []
    for r in rows:
        for key in r:
            if key not in names:
                names.append(key)

    def text(v):
        if v is None:
            return None
        if isinstance(v, (dict, list)):
            return json.dumps(v, separators=(",", ":"), ensure_ascii=False, default=plain)
        if isinstance(v, (bool, np.bool_)):
            return "true" if v else "false"
        if isinstance(v, np.generic):
            return str(v.item())
        return str(v)

    return pa.table({n: pa.array([text(r.get(n)) for r in rows], pa.string()) for n in names})


TRUTH_SCHEMA = pa.schema([
    ("ticket_id", pa.int64()), ("helpdesk_status", pa.string()), ("is_deleted", pa.bool_()),
    ("merged_into_ticket_id", pa.int64()), ("followup_source_ticket_id", pa.int64()), ("schedule_id", pa.int64()),
    ("schedule_changed_at", pa.string()), ("first_reply_by", pa.string()), ("zendesk_first_reply_at", pa.string()),
    ("our_first_reply_at", pa.string()), ("metrics_differ", pa.bool_()), ("difference_reason", pa.string()),
])
SUMMARY_PROBLEMS = ("deleted_ticket", "merged_ticket", "followup_ticket", "end_user_promoted", "bot_first_reply",
                    "trigger_first_reply")
