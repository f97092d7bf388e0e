"""The hand-written baseline runs on the bundled sample and agrees with the generator's own truth."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from support_kpis.benchmark.baseline import run_baseline
from support_kpis.benchmark.compare import DBT_FIGURE_QUERIES, baseline_figures, compare

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


def test_baseline_on_sample_covers_every_metric_and_counts_inbound_tickets():
    con = run_baseline(SAMPLE)
    figures = baseline_figures(con)
    assert {metric for metric, _ in figures} == set(DBT_FIGURE_QUERIES)
    # The generator's manifest says how many tickets it made inbound (not spam/merged/outbound).
    inbound = json.loads((SAMPLE / "_manifest.json").read_text())["summary"]["tickets_by_kind"]["inbound"]
    assert sum(v for (metric, _), v in figures.items() if metric == "customer_tickets") == inbound
    # Shares stay in [0, 1]; NPS in [-100, 100].
    for (metric, key), value in figures.items():
        if metric.endswith("_rate") or metric == "csat_share":
            assert value is None or 0 <= value <= 1, (metric, key, value)
        if metric == "nps":
            assert -100 <= value <= 100, (key, value)


def test_baseline_reads_parquet_exports_like_the_native_ones(tmp_path: Path):
    # Same seed, both formats: the Parquet views (JSON text parsed back into structs) must give
    # every figure the NDJSON/CSV readers give.
    figures = {}
    for fmt in ("native", "parquet"):
        out = tmp_path / fmt
        subprocess.run([sys.executable, "-m", "support_kpis", "generate", "--tickets", "400", "--seed", "5",
                        "--out", str(out), "--format", fmt], check=True, capture_output=True)
        assert any(out.rglob("*.parquet")) == (fmt == "parquet")
        figures[fmt] = baseline_figures(run_baseline(out, export_format=fmt))
    assert figures["native"] and compare(figures["native"], figures["parquet"]) == []
    # Tags and custom fields reach the figures: WISMO tickets are found by contact reason.
    assert any(v for (metric, _), v in figures["parquet"].items() if metric == "wismo_rate")
