"""Idempotence, late data and source freshness.

Cost (marker `dbt_build`): the clean build shared with test_bad_input.py, plus
  - a second `dbt build` over the clean warehouse (a copy of it): every mart must hash
    equal to the first build;
  - a whole build of the sample plus a later tickets export re-sending three tickets with
    a new priority: the tickets mart must change on exactly those three rows;
  - `dbt source freshness` on the sample.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone

import pytest

import bad_inputs as bi

pytestmark = pytest.mark.dbt_build


def test_building_twice_gives_identical_marts(tmp_path_factory, baseline):
    workdir = tmp_path_factory.mktemp("rebuild") / "dbt"
    workdir.mkdir()
    # Rebuild over the first build's warehouse, as a scheduled rerun would, with two dbt threads
    # so models build side by side and DuckDB aggregates in parallel (the order floating-point
    # sums are added in, ties in row_number()/any_value()/asof joins, are then free to change).
    shutil.copy(baseline["run"].db, workdir / "wh.duckdb")
    run = bi.dbt(["build", *bi.NO_TESTS], workdir, baseline["exports"], extra_env={"SUPPORT_KPIS_THREADS": "2"})
    assert run.returncode == 0, run.output[-3000:]
    rebuilt = bi.kpi_mart_hashes(run.db)
    assert set(rebuilt) == set(baseline["marts"])
    differ = sorted(name for name, digest in rebuilt.items() if baseline["marts"][name] != digest)
    if differ:
        # Pair the rows on each mart's declared grain so the report names the column and shows
        # the values (116.75000000000001 vs 116.75 is summation order; other changes are ties).
        grains = bi.model_grains(workdir / "target" / "manifest.json")
        details = [bi.describe_differences(baseline["run"].db, run.db, "marts", name, grains.get(name))
                   for name in differ]
        pytest.fail("marts differ between two builds of the same exports:\n" + "\n".join(details))
    staging = bi.staging_hashes(run.db)
    assert set(staging) == set(baseline["staging"])
    differ = sorted(name for name, digest in staging.items() if baseline["staging"].get(name) != digest)
    assert not differ, "\n".join(bi.describe_differences(baseline["run"].db, run.db, "staging", name, None)
                                 for name in differ)


@pytest.fixture(scope="module")
def late(tmp_path_factory, baseline):
    workdir = tmp_path_factory.mktemp("late")
    exports = bi.copy_sample(workdir / "exports")
    resent = bi.add_late_reexport(exports)
    run = bi.dbt(["build", *bi.NO_TESTS], workdir / "dbt", exports)
    assert run.returncode == 0, run.output[-3000:]
    return {"run": run, "resent": resent}


def _ticket_rows(db) -> dict[int, str]:
    return dict(bi.query(db, "select ticket_id, t::varchar from marts.tickets as t"))


def test_late_reexport_changes_exactly_the_resent_tickets(late, baseline):
    resent = {int(ticket_id) for ticket_id in late["resent"]}
    assert len(resent) == 3
    before, after = _ticket_rows(baseline["run"].db), _ticket_rows(late["run"].db)
    assert set(before) == set(after), "a re-export of known tickets added or removed tickets"
    changed = {ticket_id for ticket_id in before if before[ticket_id] != after[ticket_id]}
    assert changed == resent


def test_late_reexport_wins_and_is_counted(late, baseline):
    resent = sorted(int(ticket_id) for ticket_id in late["resent"])
    priorities = bi.query(late["run"].db, "select ticket_id, priority from marts.tickets "
                                          "where list_contains(?, ticket_id) order by 1", [resent])
    assert priorities == [(ticket_id, "critical") for ticket_id in resent]
    clean = bi.query(baseline["run"].db, "select rows_read, rows_duplicate from staging.stg_row_reconciliation "
                                         "where table_name = 'tickets'")[0]
    after = bi.query(late["run"].db, "select rows_read, rows_duplicate from staging.stg_row_reconciliation "
                                     "where table_name = 'tickets'")[0]
    assert after == (clean[0] + 3, clean[1] + 3)


# ---------------------------------------------------------------- source freshness

def test_source_freshness_reports_every_export_table(tmp_path_factory, baseline):
    workdir = tmp_path_factory.mktemp("freshness") / "dbt"
    run = bi.dbt(["source", "freshness"], workdir, baseline["exports"])
    results_path = workdir / "target" / "sources.json"
    assert results_path.exists(), run.output[-3000:]
    results = {r["unique_id"].split(".", 2)[2]: r for r in json.loads(results_path.read_text())["results"]}
    expected = {f"{source}.{table}" for source, tables in bi.KNOWN_TABLES.items() for table in tables}
    assert set(results) == expected, run.output[-2000:]
    problems = []
    for name, result in sorted(results.items()):
        if result["status"] == "runtime error":
            problems.append(f"{name}: {result.get('error') or result}")
            continue
        criteria = result["criteria"]
        if not (criteria.get("warn_after") or {}).get("count") or not (criteria.get("error_after") or {}).get("count"):
            problems.append(f"{name}: no warn_after/error_after declared")
        problems.extend(_status_problems(name, result))
    assert not problems, "\n".join(problems)
    # The newest ticket update, read from the file by hand (UTC), is what dbt reports.
    newest = max(bi.parse_utc(t["updated_datetime"])
                 for path in (baseline["exports"] / "gorgias").glob("tickets*.ndjson") for t in bi.read_ndjson(path)
                 if _iso(t["updated_datetime"]))
    assert _utc(results["gorgias.tickets"]["max_loaded_at"]) == newest


def _iso(text) -> bool:
    try:
        bi.parse_utc(text)
    except (TypeError, ValueError):
        return False
    return True


def _utc(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


SECONDS = {"minute": 60, "hour": 3600, "day": 86400}


def _status_problems(name: str, result: dict) -> list[str]:
    """The status dbt gave must follow from the age and the thresholds (worked out here)."""
    age = (_utc(result["snapshotted_at"]) - _utc(result["max_loaded_at"])).total_seconds()
    criteria = result["criteria"]
    error_after = criteria["error_after"]["count"] * SECONDS[criteria["error_after"]["period"]]
    warn_after = criteria["warn_after"]["count"] * SECONDS[criteria["warn_after"]["period"]]
    expected = "error" if age > error_after else "warn" if age > warn_after else "pass"
    return [] if result["status"] == expected else [f"{name}: status {result['status']}, age {age:.0f}s -> {expected}"]
