"""The benchmark report: incremental-day ratio and its 10M target, skipped steps, peak table."""

from __future__ import annotations

from pathlib import Path

from support_kpis.benchmark.measure import StepResult
from support_kpis.benchmark.report import SizeResult, format_report

GB = 1024**3


def _result(tickets: int, label: str, **seconds: float) -> SizeResult:
    steps = {name: StepResult(name, s, int(1.5 * GB), 0) for name, s in seconds.items()}
    return SizeResult(label=label, tickets=tickets, exports=Path("/x"), steps=steps, figures_compared=3)


def test_day_ratio_and_the_10m_target():
    missed = _result(10_000_000, "10M", models=1000.0, incremental=120.0, baseline=400.0)
    assert missed.day_ratio == 0.12
    assert "target incremental day < 10% of the full model time: MISSED (12.0%)" in missed.target_notes()
    met = _result(10_000_000, "10M", models=1000.0, incremental=80.0, baseline=400.0)
    assert "target incremental day < 10% of the full model time: met (8.0%)" in met.target_notes()
    text = format_report([met], "stamp")
    # size, format, full, day, day/full, tests, gx, baseline, full/baseline, figures, differences
    assert "| 10M | duckdb | native | 1000.0 | 80.0 | 8.0% | - | - | 400.0 | 2.50x | 3 | 0 |" in text
    assert "| 10M (duckdb) | 1.50 | 1.50 | - | - | 1.50 |" in text
    assert text.rstrip().endswith("Result: passed")


def test_no_day_step_no_ratio_and_no_day_target_below_10m():
    result = _result(1_000_000, "1M", models=300.0, baseline=200.0)
    assert result.day_ratio is None
    assert not any("incremental" in note for note in result.target_notes())
    assert "target model time <= 2x baseline: met (1.50x)" in result.target_notes()


def test_skipped_baseline_is_not_a_failure_but_shows_no_figures():
    result = _result(100_000, "100k", models=30.0, incremental=5.0)
    result.figures_compared = 0
    assert not result.failed
    assert "| 100k | duckdb | native | 30.0 | 5.0 | 16.7% | - | - | - | - | - | - |" in format_report([result], "s")


def test_a_failed_day_or_a_baseline_without_figures_fails_the_run():
    failed_day = _result(100_000, "100k", models=30.0, baseline=10.0)
    failed_day.steps["incremental"] = StepResult("incremental", 2.0, 0, 2)
    assert failed_day.failed
    assert "| 2.0 (failed) |" in format_report([failed_day], "s")
    no_figures = _result(100_000, "100k", models=30.0, baseline=10.0)
    no_figures.figures_compared = 0
    assert no_figures.failed


def test_day_note_counts_the_split():
    result = _result(100_000, "100k", models=30.0)
    result.day = {"cutoff": "2026-01-01T00:00:00+00:00", "files": {
        "gorgias/tickets.ndjson": {"history_rows": 90, "day_rows": 10},
        "gorgias/tickets_reexport.ndjson": {"history_rows": 4, "day_rows": 1},
        "gorgias/messages.ndjson": {"history_rows": 200, "day_rows": 20},
        "nps/responses.csv": {"history_rows": 7, "day_rows": 0},
    }}
    assert result.day_note() == ("day = rows at/after 2026-01-01T00:00:00+00:00: 31 rows (11 ticket rows) "
                                 "in 3 files, on a history of 301 rows")


def test_each_engine_is_its_own_row():
    duck = _result(100_000, "100k", models=30.0, baseline=10.0)
    spark = _result(100_000, "100k", models=300.0, baseline=10.0)
    spark.engine = "spark"
    text = format_report([duck, spark], "s")
    assert "| 100k | duckdb | native | 30.0 |" in text
    assert "| 100k | spark | native | 300.0 |" in text
    assert "| 100k (spark) |" in text
