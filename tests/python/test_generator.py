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
