"""The sample-export generator: determinism, manifest counts, contract headers, planted mess."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import numpy as np
import pytest

from support_kpis.generate import generate
from support_kpis.generate.util import add_business_seconds, format_ts, ny_offset

SMALL = 2000  # the bundled sample's size
TINY = 600  # enough rows for every planted problem, for the slower checks


def _contract_columns(repo_root: Path) -> dict[str, list[str]]:
    """Columns per export table, read from docs/export_contract.md (the team's source of truth)."""
    doc = (repo_root / "docs" / "export_contract.md").read_text()
    cols: dict[str, list[str]] = {}
    for table, body in re.findall(r"### `(gorgias/\w+)\*\.ndjson`.*?\n(.*?)(?=\n###|\n## )", doc, re.S):
        cols[table] = re.findall(r"^\| `(\w+)` \|", body, re.M)
    section = doc.split("## Source `shopify`")[1].split("## Source `shipping`")[0]
    cols["shopify/orders"] = re.findall(r"`([A-Z][A-Za-z ]+)`", section.split("Columns (exact header text):")[1])
    for table, body in re.findall(r"`((?:shipping|returns|nps|time_tracking|finance)/\w+)\*\.csv`:?\s*(.*?)(?=\n- `|\n###|\n## )",
                                  doc, re.S):
        cols[table] = re.findall(r"`(\w+)`", re.sub(r"\([^)]*\)", "", body))
    return cols


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("sample_a")
    return out, generate(SMALL, 42, out)


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_is_byte_identical(sample, tmp_path: Path) -> None:
    folder, _ = sample
    generate(SMALL, 42, tmp_path)
    assert _digest(tmp_path) == _digest(folder)


def test_other_seed_differs(tmp_path: Path) -> None:
    generate(TINY, 42, tmp_path / "a")
    generate(TINY, 43, tmp_path / "b")
    a, b = _digest(tmp_path / "a"), _digest(tmp_path / "b")
    assert a.keys() == b.keys()
    assert a["gorgias/tickets.ndjson"] != b["gorgias/tickets.ndjson"]


def test_manifest_row_counts_match_lines_written(sample) -> None:
    folder, manifest = sample
    on_disk = json.loads((folder / "_manifest.json").read_text())
    assert on_disk["row_counts"] == manifest["row_counts"]
    counted: dict[str, int] = {}
    for path in folder.glob("*/*"):
        if path.parent.name.startswith("_"):
            continue
        lines = path.read_bytes().count(b"\n") - (path.suffix == ".csv")
        table = path.parent.name + "/" + re.sub(r"(_reexport)?(_p\d{3})?$", "", path.stem)
        counted[table] = counted.get(table, 0) + lines
    assert counted == manifest["row_counts"]
    assert manifest["row_counts"]["gorgias/tickets"] >= SMALL  # + re-exported copies


def test_every_contract_column_in_every_file_header(sample, repo_root: Path) -> None:
    folder, manifest = sample
    contract = _contract_columns(repo_root)
    assert len(contract) == 12 and len(contract["shopify/orders"]) == 23
    assert set(contract) == set(manifest["row_counts"])
    con = duckdb.connect()
    for table, columns in contract.items():
        files = sorted(folder.glob(f"{table}*.*"))
        assert files, table
        for path in files:
            if path.suffix == ".csv":
                header = path.read_text().splitlines()[0].split(",")
            else:
                header = list(json.loads(path.read_text().splitlines()[0]).keys())
            assert header == columns, path.name


def test_planted_ids_exist_and_are_counted(sample) -> None:
    folder, manifest = sample
    allowed = {"collapsed", "rejected", "normalised", "classified_bot", "classified_internal", "merged"}
    problems = {p["problem"] for p in manifest["planted"]}
    assert {"duplicate_reexport", "unparseable_timestamp", "unknown_ticket", "channel_variant", "auto_responder",
            "status_variant", "merged_ticket", "negative_amount", "score_out_of_range",
            "timestamp_format_variant", "chat_bot", "internal_note"} <= problems
    tickets = [json.loads(x) for x in (folder / "gorgias/tickets.ndjson").read_text().splitlines()]
    by_id = {str(t["id"]): t for t in tickets}
    messages = {str(json.loads(x)["id"]): json.loads(x)
                for x in (folder / "gorgias/messages.ndjson").read_text().splitlines()}
    for entry in manifest["planted"]:
        assert entry["expected"] in allowed, entry["problem"]
        assert entry["count"] == len(entry["ids"]) > 0, (entry["problem"], entry["table"])
        if entry["problem"] == "channel_variant":
            assert {by_id[i]["channel"] for i in entry["ids"]} == set(entry["values"])
            assert not set(entry["values"]) & {"email", "chat", "contact_form"}
        if entry["problem"] == "unparseable_timestamp" and entry["table"] == "gorgias/messages":
            values = [(messages[i]["created_datetime"],) for i in entry["ids"]]
            parsed = [duckdb.execute("select try_cast(? as timestamptz)", v).fetchone()[0] for v in values]
            assert parsed == [None] * len(values)
        if entry["problem"] == "auto_responder":
            assert all(messages[i]["via"] == "rule" and messages[i]["rule_id"] for i in entry["ids"])
        if entry["problem"] == "unknown_ticket":
            assert not {str(messages[i]["ticket_id"]) for i in entry["ids"]} & set(by_id)
        if entry["problem"] == "merged_ticket":
            assert all(by_id[i]["merged_into_ticket_id"] for i in entry["ids"])


def test_realistic_shape(sample) -> None:
    _, manifest = sample
    s = manifest["summary"]
    inbound = s["tickets_by_kind"]["inbound"]
    assert 0.25 <= s["tickets_by_reason"]["wismo"] / inbound <= 0.36
    assert 0.015 <= s["tickets_by_kind"]["spam"] / SMALL <= 0.045
    assert 0.05 <= s["reopened"] / SMALL <= 0.11
    assert s["open_at_export"] > 0 and s["repeat_contacts"] > 0


def test_new_york_offset_across_dst() -> None:
    # 2025-03-09 06:59:59Z is EST, 07:00:00Z is EDT; 2025-11-02 05:59:59Z EDT, 06:00:00Z EST
    t = np.array([1741503599, 1741503600, 1762063199, 1762063200])
    assert ny_offset(t).tolist() == [-18000, -14400, -14400, -18000]
    assert format_ts(t[:2], 3).to_pylist() == ["2025-03-09 01:59:59 -0500", "2025-03-09 03:00:00 -0400"]


def test_business_hours_email_waits_for_monday() -> None:
    # Friday 2025-03-07 17:30 New York (22:30Z) + 1 working hour -> Monday 09:30 EDT = 13:30Z
    friday = np.array([1741386600])
    got = add_business_seconds(friday, np.array([3600]), np.array([False]))
    assert got.tolist() == [1741613400]


def test_parquet_format_same_tables_all_text(tmp_path: Path) -> None:
    native = generate(TINY, 42, tmp_path / "native")
    tmp_path = tmp_path / "parquet"
    manifest = generate(TINY, 42, tmp_path, fmt="parquet")
    generate(TINY, 42, tmp_path.with_name("again"), fmt="parquet")
    assert _digest(tmp_path) == _digest(tmp_path.with_name("again"))
    assert manifest["row_counts"] == native["row_counts"]
    assert not list(tmp_path.glob("gorgias/*.ndjson"))
    con = duckdb.connect()
    types = con.sql(f"describe select * from read_parquet('{tmp_path}/gorgias/tickets.parquet')").fetchall()
    assert {t[1] for t in types} == {"VARCHAR"}
    row = con.execute(f"select customer, spam from read_parquet('{tmp_path}/gorgias/tickets.parquet') limit 1").fetchone()
    assert json.loads(row[0])["email"].endswith("@example.com") and row[1] in ("true", "false")
    n = con.execute(f"select count(*) from read_parquet('{tmp_path}/shopify/orders*.parquet')").fetchone()[0]
    assert n == native["row_counts"]["shopify/orders"]


def test_shards_keep_ids_unique(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from support_kpis.generate import export

    monkeypatch.setattr(export, "SHARD_TICKETS", TINY // 2)
    manifest = generate(TINY, 7, tmp_path)
    assert manifest["generator"]["shards"] == 2
    assert sorted(p.name for p in tmp_path.glob("gorgias/tickets*")) == [
        "tickets_p001.ndjson", "tickets_p002.ndjson", "tickets_reexport_p001.ndjson", "tickets_reexport_p002.ndjson"]
    con = duckdb.connect()
    for table, key in (("gorgias/tickets_p", "id"), ("gorgias/messages_p", "id"), ("shopify/orders", '"Name"')):
        ext = "csv" if table.startswith("shopify") else "ndjson"
        reader = "read_csv" if ext == "csv" else "read_json"
        dupes = con.execute(f"select count(*) - count(distinct {key}) from {reader}('{tmp_path}/{table}*.{ext}')"
                            + (" where \"Financial Status\" is not null" if ext == "csv" else "")).fetchone()[0]
        assert dupes == 0, table
    assert sum(e["count"] for e in manifest["planted"] if e["problem"] == "unknown_ticket") > 1
    assert len(list(tmp_path.glob("finance/*.csv"))) == 1


def _utc(text: str) -> datetime:
    """An exported timestamp (every style format_ts writes) as an aware UTC datetime."""
    text = re.sub(r"\s*([+-]\d{2}):?(\d{2})$", r"\1:\2", text.strip()).replace("Z", "+00:00")
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:  # naive exports are New York wall-clock times
        parsed = parsed.replace(tzinfo=ZoneInfo("America/New_York"))
    return parsed.astimezone(timezone.utc)


def test_no_ticket_is_about_an_order_placed_after_it(sample) -> None:
    # A customer cannot write about an order not placed yet; the generator's own link (truth
    # order_number, also what the order field and texts quote) must precede the ticket,
    # unless the manifest lists it as a planted problem.
    folder, manifest = sample
    assert not any("order" in p["problem"] and p["table"] == "gorgias/tickets" for p in manifest["planted"])
    ordered_at: dict[str, datetime] = {}
    for path in folder.glob("shopify/orders*.csv"):
        with path.open(newline="") as handle:
            for row in csv.DictReader(handle):
                if row["Created at"]:
                    ordered_at.setdefault(row["Name"].lstrip("#"), _utc(row["Created at"]))
    created_at = {str(t["id"]): _utc(t["created_datetime"])
                  for path in folder.glob("gorgias/tickets*.ndjson")
                  for t in map(json.loads, path.read_text().splitlines())}
    with (folder / "_truth" / "tickets.csv").open(newline="") as handle:
        linked = [(r["ticket_id"], r["order_number"]) for r in csv.DictReader(handle) if r["order_number"]]
    assert len(linked) > SMALL / 2
    before_order = [(ticket, number) for ticket, number in linked if created_at[ticket] < ordered_at[number]]
    assert before_order == []


# ---------------------------------------------------------------- Zendesk (--helpdesk zendesk)
ZENDESK_TS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


@pytest.fixture(scope="module")
def zendesk(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("zendesk")
    return out, generate(TINY, 42, out, helpdesk="zendesk")


def _ndjson(folder: Path, pattern: str) -> list[dict]:
    return [json.loads(line) for path in sorted(folder.glob(pattern)) for line in path.read_text().splitlines()]


def _planted(manifest: dict, problem: str, table: str) -> dict:
    found = [e for e in manifest["planted"] if e["problem"] == problem and e["table"] == table]
    assert len(found) == 1, (problem, table)
    return found[0]


def test_zendesk_writes_zendesk_not_gorgias(zendesk) -> None:
    folder, manifest = zendesk
    assert not (folder / "gorgias").exists()
    assert {p.name for p in (folder / "zendesk").iterdir()} == {
        "tickets.ndjson", "tickets_reexport.ndjson", "ticket_comments.ndjson", "ticket_comments_reexport.ndjson",
        "ticket_audits.ndjson", "users.ndjson", "users_reexport.ndjson", "groups.ndjson", "organizations.ndjson",
        "satisfaction_ratings.ndjson", "schedules.ndjson", "sla_policies.ndjson", "ticket_metrics.ndjson"}
    assert manifest["generator"]["helpdesk"] == "zendesk"
    assert manifest["generator"]["command"].startswith("python -m support_kpis.generate --tickets 600 --seed 42 "
                                                       "--helpdesk zendesk")
    assert not [e for e in manifest["planted"] if e["table"].startswith("gorgias/")]


def test_zendesk_objects_have_the_api_fields_and_types(zendesk) -> None:
    folder, manifest = zendesk
    malformed = {i for p in ("missing_id", "unparseable_timestamp", "unknown_status", "timestamp_format_variant",
                             "status_variant", "channel_variant")
                 for i in _planted(manifest, p, "zendesk/tickets")["ids"]}
    tickets = [t for t in _ndjson(folder, "zendesk/tickets*.ndjson") if "id" in t and str(t["id"]) not in malformed]
    assert len(tickets) > TINY * 0.9
    for t in tickets:
        assert isinstance(t["id"], int) and ZENDESK_TS.match(t["created_at"]) and ZENDESK_TS.match(t["updated_at"])
        assert t["status"] in ("new", "open", "pending", "hold", "solved", "closed", "deleted")
        assert t["priority"] in (None, "low", "normal", "high", "urgent")
        assert t["type"] in (None, "problem", "incident", "question", "task")
        assert isinstance(t["requester_id"], int) and isinstance(t["submitter_id"], int)
        assert t["assignee_id"] is None or isinstance(t["assignee_id"], int)
        assert set(t["via"]) == {"channel", "source"} and set(t["via"]["source"]) == {"from", "to", "rel"}
        assert all(isinstance(x, str) for x in t["tags"]) and all(isinstance(x, int) for x in t["followup_ids"])
        assert [f["id"] for f in t["custom_fields"]] == [360012345001, 360012345002, 360012345003]
        for key in ("subject", "description", "group_id", "organization_id", "brand_id", "satisfaction_rating",
                    "ticket_form_id", "is_public", "problem_id", "has_incidents", "url"):
            assert key in t
    comments = _ndjson(folder, "zendesk/ticket_comments.ndjson")
    assert {"id", "type", "ticket_id", "author_id", "body", "plain_body", "public", "created_at", "via", "metadata",
            "attachments"} <= set(comments[0])
    assert {c["type"] for c in comments} == {"Comment", "VoiceComment"}
    assert {type(c["public"]) for c in comments} == {bool}
    assert all(c["via"]["channel"] == "voice" and c["data"]["call_duration"] > 0
               for c in comments if c["type"] == "VoiceComment")
    audits = _ndjson(folder, "zendesk/ticket_audits.ndjson")
    assert {"id", "ticket_id", "created_at", "author_id", "via", "events"} <= set(audits[0])
    kinds = {e["type"] for a in audits for e in a["events"]}
    assert {"Create", "Change", "Comment"} <= kinds
    fields = {e["field_name"] for a in audits for e in a["events"] if e["type"] == "Change"}
    assert {"status", "assignee_id", "group_id", "priority", "schedule_id"} <= fields
    statuses = {e["value"] for a in audits for e in a["events"] if e.get("field_name") == "status"}
    assert statuses == {"new", "open", "pending", "hold", "solved", "closed"}
    users = _ndjson(folder, "zendesk/users*.ndjson")
    assert {u["role"] for u in users} == {"end-user", "agent", "admin"}
    assert {"id", "name", "email", "role", "role_type", "time_zone", "created_at", "updated_at", "active",
            "suspended"} <= set(users[0])
    ratings = _ndjson(folder, "zendesk/satisfaction_ratings.ndjson")
    assert {"good", "bad", "offered", "unoffered"} <= {r["score"] for r in ratings}
    schedules = _ndjson(folder, "zendesk/schedules.ndjson")
    for s in schedules:
        assert s["holidays"] and all(0 <= i["start_time"] < i["end_time"] <= 7 * 1440 for i in s["intervals"])
    per_day = [sum(1 for i in s["intervals"] if i["start_time"] // 1440 == 1) for s in schedules]
    assert 2 in per_day  # a split shift: two opening intervals on Monday
    policies = _ndjson(folder, "zendesk/sla_policies.ndjson")
    metrics = {m["metric"] for p in policies for m in p["policy_metrics"]}
    assert {"first_reply_time", "next_reply_time", "pausable_update_time"} <= metrics
    tm = _ndjson(folder, "zendesk/ticket_metrics.ndjson")
    for key in ("reply_time_in_minutes", "first_resolution_time_in_minutes", "full_resolution_time_in_minutes",
                "agent_wait_time_in_minutes", "requester_wait_time_in_minutes", "on_hold_time_in_minutes"):
        assert all(set(m[key]) == {"calendar", "business"} for m in tm)
        assert all(m[key]["business"] is None or m[key]["business"] <= m[key]["calendar"] for m in tm), key
    assert any(m["on_hold_time_in_minutes"]["calendar"] > 0 for m in tm)
    assert any(m["agent_wait_time_in_minutes"]["calendar"] > 0 for m in tm)


def test_zendesk_planted_cases_are_in_the_files(zendesk) -> None:
    folder, manifest = zendesk
    for entry in manifest["planted"]:
        assert entry["count"] == len(entry["ids"]) > 0, (entry["problem"], entry["table"])
    rows = _ndjson(folder, "zendesk/tickets.ndjson")
    final: dict[int, dict] = {}  # the latest valid snapshot of each ticket, as staging keeps it
    for t in _ndjson(folder, "zendesk/tickets*.ndjson"):
        if "id" in t and ZENDESK_TS.match(t["updated_at"]) and t["status"].lower() != "escalated" and (
                t["id"] not in final or t["updated_at"] > final[t["id"]]["updated_at"]):
            final[t["id"]] = t
    audits = _ndjson(folder, "zendesk/ticket_audits.ndjson")
    comments = _ndjson(folder, "zendesk/ticket_comments*.ndjson")
    by_ticket: dict[int, list[dict]] = {}
    for a in audits:
        by_ticket.setdefault(a["ticket_id"], []).append(a)

    assert sum("id" not in t for t in rows) == _planted(manifest, "missing_id", "zendesk/tickets")["count"]
    assert sum(t["status"] == "escalated" for t in rows) == _planted(manifest, "unknown_status",
                                                                    "zendesk/tickets")["count"]
    bad_updated = [t for t in rows if "id" in t and not ZENDESK_TS.match(t["updated_at"])]
    assert len(bad_updated) == _planted(manifest, "unparseable_timestamp", "zendesk/tickets")["count"]

    deleted = _planted(manifest, "deleted_ticket", "zendesk/tickets")
    assert sorted(str(i) for i, t in final.items() if t["status"] == "deleted") == deleted["ids"]
    assert {t["status"] for t in final.values()} >= {"new", "open", "solved", "closed", "deleted"}
    merged = _planted(manifest, "merged_ticket", "zendesk/tickets")
    for i in merged["ids"]:
        merge = [a for a in by_ticket[int(i)] if a["via"]["source"]["rel"] == "merge"]
        assert len(merge) == 1 and "closed_by_merge" in final[int(i)]["tags"]
        assert {"Comment", "Change"} <= {e["type"] for e in merge[0]["events"]}
        assert [e["value"] for e in merge[0]["events"] if e.get("field_name") == "status"] == ["closed"]
        target = int(merge[0]["via"]["source"]["to"]["ticket_id"])
        assert any(c["ticket_id"] == target and c["via"]["source"]["rel"] == "merge" for c in comments)
    followups = _planted(manifest, "followup_ticket", "zendesk/tickets")
    no_from = set(_planted(manifest, "followup_without_source_in_via", "zendesk/tickets")["ids"])
    sources = {f: s for s, t in final.items() for f in t["followup_ids"]}
    for i in followups["ids"]:
        t = final[int(i)]
        assert int(i) in sources  # the source's followup_ids
        assert (i not in no_from) == (t["via"]["source"]["rel"] == "follow_up")
        assert (i in no_from) == ("ticket_id" not in t["via"]["source"]["from"])
        assert final[sources[int(i)]]["status"].lower() == "closed"
    promoted = _planted(manifest, "end_user_promoted", "zendesk/users")
    users = _ndjson(folder, "zendesk/users.ndjson")
    again = _ndjson(folder, "zendesk/users_reexport.ndjson")
    for i in promoted["ids"]:
        before = [u for u in users if str(u["id"]) == i]
        after = [u for u in again if str(u["id"]) == i and u["role"] == "agent"]
        assert before[0]["role"] == "end-user" and len(after) == 1
        assert after[0]["updated_at"] > before[0]["updated_at"]
    promoted_comments = set(_planted(manifest, "promoted_agent_comment", "zendesk/ticket_comments")["ids"])
    assert {str(c["author_id"]) for c in comments if str(c["id"]) in promoted_comments} <= set(promoted["ids"])
    for i in _planted(manifest, "status_flip", "zendesk/ticket_audits")["ids"]:
        changes = [(a["created_at"], e["value"]) for a in by_ticket[int(i)] for e in a["events"]
                   if e.get("field_name") == "status"]
        flips = [k for k in range(len(changes) - 2) if [c[1] for c in changes[k:k + 3]] == ["pending", "open", "pending"]
                 and (_utc(changes[k + 2][0]) - _utc(changes[k][0])).total_seconds() < 60]
        assert flips, i
    metrics = {m["ticket_id"]: m for m in _ndjson(folder, "zendesk/ticket_metrics.ndjson")}
    truth = {int(r["ticket_id"]): r for r in csv.DictReader((folder / "_truth/zendesk_tickets.csv").open())}
    for problem, who in (("bot_first_reply", "bot"), ("trigger_first_reply", "trigger")):
        ids = _planted(manifest, problem, "zendesk/tickets")["ids"]
        assert sorted(str(i) for i, r in truth.items() if r["first_reply_by"] == who and r["is_deleted"] == "false") == ids
        for i in ids:
            row = truth[int(i)]
            assert row["metrics_differ"] == "true" and f"{who}_first_reply: " in row["difference_reason"]
            # Zendesk's reply time is the bot/trigger comment's, earlier than the human reply
            zd = (_utc(row["zendesk_first_reply_at"]) - _utc(final[int(i)]["created_at"])).total_seconds() // 60
            assert metrics[int(i)]["reply_time_in_minutes"]["calendar"] == zd
            assert not row["our_first_reply_at"] or row["our_first_reply_at"] > row["zendesk_first_reply_at"]
    assert sum(r["is_deleted"] == "true" for r in truth.values()) == deleted["count"]
    assert not set(deleted["ids"]) & {str(i) for i in metrics}
    changed = _planted(manifest, "schedule_change", "zendesk/ticket_audits")["ids"]
    assert sorted(str(i) for i, r in truth.items() if r["schedule_changed_at"]) == changed
    chat_bots = [c for c in comments if c["author_id"] == 9000 and c["ticket_id"] in final]
    assert {c["via"]["channel"] for c in chat_bots} == {"answer_bot", "api"}
    assert {final[c["ticket_id"]]["via"]["channel"].lower() for c in chat_bots} <= {"chat", "native_messaging"}


def test_zendesk_commerce_files_are_the_gorgias_runs(zendesk, tmp_path: Path) -> None:
    folder, manifest = zendesk
    gorgias = generate(TINY, 42, tmp_path)
    others = {k: v for k, v in _digest(tmp_path).items() if not k.startswith(("gorgias/", "_manifest"))}
    assert len(others) == 10  # every non-helpdesk file and the shared truth
    zd = _digest(folder)
    assert {k: zd.get(k) for k in others} == others
    assert {k: v for k, v in manifest["row_counts"].items() if not k.startswith("zendesk/")} == {
        k: v for k, v in gorgias["row_counts"].items() if not k.startswith("gorgias/")}


def test_zendesk_same_seed_same_bytes(zendesk, tmp_path: Path) -> None:
    folder, _ = zendesk
    generate(TINY, 42, tmp_path / "again", helpdesk="zendesk")
    assert _digest(tmp_path / "again") == _digest(folder)
    generate(TINY, 43, tmp_path / "other", helpdesk="zendesk")
    assert _digest(tmp_path / "other")["zendesk/tickets.ndjson"] != _digest(folder)["zendesk/tickets.ndjson"]


def test_zendesk_parquet_same_tables_nested_as_json_text(zendesk, tmp_path: Path) -> None:
    _, native = zendesk
    manifest = generate(TINY, 42, tmp_path / "a", fmt="parquet", helpdesk="zendesk")
    generate(TINY, 42, tmp_path / "b", fmt="parquet", helpdesk="zendesk")
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert manifest["row_counts"] == native["row_counts"]
    con = duckdb.connect()
    path = tmp_path / "a" / "zendesk" / "tickets.parquet"
    assert {t[1] for t in con.sql(f"describe select * from read_parquet('{path}')").fetchall()} == {"VARCHAR"}
    via, fields = con.execute(f"select via, custom_fields from read_parquet('{path}') where id is not null "
                              f"limit 1").fetchone()
    assert set(json.loads(via)) == {"channel", "source"} and json.loads(fields)[0]["id"] == 360012345001


def test_committed_zendesk_sample_is_what_its_command_writes(repo_root: Path, tmp_path: Path) -> None:
    sample = repo_root / "data" / "sample_zendesk"
    manifest = json.loads((sample / "_manifest.json").read_text())
    command = manifest["generator"]["command"].replace("<folder>", str(tmp_path / "again")).split()
    assert command[:3] == ["python", "-m", "support_kpis.generate"]
    assert 400 <= manifest["generator"]["tickets"] <= 600
    from support_kpis.cli import main

    assert main(["generate", *command[3:]]) == 0
    assert _digest(tmp_path / "again") == _digest(sample)


def test_business_minutes_by_schedule_split_shift_and_holiday() -> None:
    from support_kpis.generate.zendesk import business_seconds

    def utc(text: str) -> int:
        return int(datetime.fromisoformat(text).timestamp())

    one = np.ones(1, dtype=np.int64)
    never = np.full(1, np.iinfo(np.int64).max)
    # Support hours (Mon-Fri 9-18 New York): Friday 2025-03-07 17:00 EST -> Monday 10:00 EDT = 1 h + 1 h
    got = business_seconds([utc("2025-03-07T22:00:00+00:00")], [utc("2025-03-10T14:00:00+00:00")], 0 * one, 0 * one,
                           never)
    assert got.tolist() == [2 * 3600]
    # Thursday 2025-07-03 17:00 -> Monday 07-07 10:00 EDT, Friday 07-04 a holiday: 1 h + 1 h
    got = business_seconds([utc("2025-07-03T21:00:00+00:00")], [utc("2025-07-07T14:00:00+00:00")], 0 * one, 0 * one,
                           never)
    assert got.tolist() == [2 * 3600]
    # Social split shift (8-12, 14-19): Saturday 2025-03-15 11:00 -> 15:00 EDT = 1 h + 1 h
    got = business_seconds([utc("2025-03-15T15:00:00+00:00")], [utc("2025-03-15T19:00:00+00:00")], 2 * one, 2 * one,
                           never)
    assert got.tolist() == [2 * 3600]
    # schedule change at Monday 2025-03-10 12:00 EDT from Support hours to Chat hours (daily 8-22):
    # Monday 09:00-12:00 (3 h) + 12:00-21:00 (9 h), counted once
    got = business_seconds([utc("2025-03-10T12:00:00+00:00")], [utc("2025-03-11T01:00:00+00:00")], 0 * one, one,
                           np.array([utc("2025-03-10T16:00:00+00:00")]))
    assert got.tolist() == [12 * 3600]
