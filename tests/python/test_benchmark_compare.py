"""The benchmark's comparison and bookkeeping logic, on tiny hand-made inputs (the benchmark itself is not run in CI)."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from support_kpis.benchmark.compare import DBT_FIGURE_QUERIES, baseline_figures, compare, figures_from_rows, values_match
from support_kpis.benchmark.measure import parse_children, tree_pids, tree_rss_bytes
from support_kpis.benchmark.report import SizeResult, format_report, format_size, parse_size

M = "fcr_rate"


def test_equal_after_rounding_passes():
    # 0.1234564 and 0.1234561 both round to 0.123456.
    dbt = figures_from_rows(M, [("2025-01", 0.1234564)])
    base = figures_from_rows(M, [("2025-01", 0.1234561)])
    assert compare(dbt, base) == []


def test_difference_beyond_rounding_fails_and_names_both_values():
    dbt = figures_from_rows(M, [("2025-01", 0.75)])
    base = figures_from_rows(M, [("2025-01", 0.7)])
    [diff] = compare(dbt, base)
    assert (diff.metric, diff.key, diff.dbt_value, diff.baseline_value) == (M, "2025-01", 0.75, 0.7)
    assert "dbt=0.750000 baseline=0.700000" in diff.line()


def test_relative_tolerance_for_large_values():
    # 1e-6 relative of 123456789 is ~123: a difference of 50 passes, 500 fails.
    assert values_match(123456789.0, 123456839.0)
    assert not values_match(123456789.0, 123457289.0)


def test_absolute_tolerance_for_small_values():
    assert values_match(0.000001, 0.000002)
    assert not values_match(0.000001, 0.000003)


def test_missing_key_on_either_side_is_a_difference():
    dbt = figures_from_rows(M, [("2025-01", 0.5), ("2025-02", 0.5)])
    base = figures_from_rows(M, [("2025-01", 0.5), ("2025-03", 0.5)])
    problems = {(d.key, d.problem) for d in compare(dbt, base)}
    assert problems == {("2025-02", "only in dbt"), ("2025-03", "only in baseline")}


def test_empty_slice_equals_absent_slice():
    # dbt ships a month with 0 customer tickets and a null rate; the baseline has no such row.
    dbt = figures_from_rows("customer_tickets", [("2026-01|email", 0)]) | figures_from_rows(M, [("2026-01", None)])
    assert compare(dbt, {}) == []
    [diff] = compare(figures_from_rows("customer_tickets", [("2026-01|email", 1)]), {})
    assert diff.problem == "only in dbt"


def test_null_against_value_is_a_difference_and_null_against_null_is_not():
    assert compare(figures_from_rows(M, [("k", None)]), figures_from_rows(M, [("k", None)])) == []
    [diff] = compare(figures_from_rows(M, [("k", None)]), figures_from_rows(M, [("k", 0.0)]))
    assert diff.problem == "one side null"


def test_baseline_table_is_read_and_rounded():
    con = duckdb.connect()
    con.execute("create table headline_figures as select 'nps' as metric, '2025-01' as key, 12.34567891 as value")
    assert baseline_figures(con) == {("nps", "2025-01"): 12.345679}


def test_every_headline_metric_has_a_dbt_query():
    # The eleven figures the issue names, one query each.
    assert set(DBT_FIGURE_QUERIES) == {
        "customer_tickets", "frt_median_calendar_minutes", "fcr_rate", "repeat_contact_rate", "csat_share",
        "nps", "wismo_rate", "cost_per_contact", "backlog_at_as_of", "refund_rate", "refund_resolution_median_hours",
    }


@pytest.mark.parametrize(("text", "tickets", "label"), [("100k", 100_000, "100k"), ("1M", 1_000_000, "1M"),
                                                        ("10m", 10_000_000, "10M"), ("2500", 2500, "2500")])
def test_sizes(text, tickets, label):
    assert parse_size(text) == tickets
    assert format_size(tickets) == label


def test_bad_size_is_rejected():
    with pytest.raises(ValueError, match="100k"):
        parse_size("lots")


def test_process_tree_from_a_fake_proc(tmp_path: Path):
    # 10 -> 11 -> 13, 10 -> 12; 20 is unrelated. A command name with spaces and ')' must not shift fields.
    for pid, ppid, comm in [(10, 1, "python"), (11, 10, "dbt (run)"), (12, 10, "x"), (13, 11, "duck db"), (20, 1, "y")]:
        (tmp_path / str(pid)).mkdir()
        (tmp_path / str(pid) / "stat").write_text(f"{pid} ({comm}) S {ppid} 0 0\n")
        (tmp_path / str(pid) / "statm").write_text(f"100 {pid} 0 0 0 0 0\n")
    assert sorted(tree_pids(10, parse_children(tmp_path))) == [10, 11, 12, 13]
    page = os.sysconf("SC_PAGE_SIZE")
    assert tree_rss_bytes(10, tmp_path) == (10 + 11 + 12 + 13) * page


def test_report_fails_on_a_difference(tmp_path: Path):
    dbt = figures_from_rows(M, [("2025-01", 0.75)])
    base = figures_from_rows(M, [("2025-01", 0.7)])
    result = SizeResult(label="100k", tickets=100_000, exports=tmp_path, differences=compare(dbt, base),
                        figures_compared=1)
    assert result.failed
    text = format_report([result], "stamp")
    assert "fcr_rate [2025-01]: dbt=0.750000 baseline=0.700000" in text
    assert text.rstrip().endswith("Result: FAILED")
