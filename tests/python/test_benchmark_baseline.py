"""The hand-written baseline runs on the bundled sample and agrees with the generator's own truth."""

from __future__ import annotations

import csv
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


SAMPLE_ZENDESK = SAMPLE.with_name("sample_zendesk")


def test_baseline_on_the_zendesk_sample_gives_the_gorgias_figures_of_the_same_world(tmp_path: Path):
    # data/sample_zendesk is the world of `generate --tickets 500 --seed 42` exported from Zendesk:
    # read through the Zendesk views, the same program gives the Gorgias export's figures, except
    # where the Zendesk export plants its own differences (deleted tickets leave the KPIs, and
    # other rows are rejected).
    manifest = json.loads((SAMPLE_ZENDESK / "_manifest.json").read_text())
    gen = manifest["generator"]
    gorgias_folder = tmp_path / "gorgias"
    subprocess.run([sys.executable, "-m", "support_kpis", "generate", "--tickets", str(gen["tickets"]), "--seed",
                    str(gen["seed"]), "--out", str(gorgias_folder)], check=True, capture_output=True)
    zendesk = baseline_figures(run_baseline(SAMPLE_ZENDESK, helpdesk="zendesk"))
    gorgias = baseline_figures(run_baseline(gorgias_folder))
    assert {metric for metric, _ in zendesk} == set(DBT_FIGURE_QUERIES)
    # customer tickets: the world's inbound tickets but the deleted ones
    truth = {r["ticket_id"]: r for r in csv.DictReader((SAMPLE_ZENDESK / "_truth/tickets.csv").open())}
    deleted_inbound = sum(1 for r in csv.DictReader((SAMPLE_ZENDESK / "_truth/zendesk_tickets.csv").open())
                          if r["is_deleted"] == "true" and truth[r["ticket_id"]]["kind"] == "inbound")
    count = {name: sum(v for (m, _), v in figures.items() if m == "customer_tickets")
             for name, figures in (("zendesk", zendesk), ("gorgias", gorgias))}
    assert deleted_inbound > 0
    assert count["zendesk"] == count["gorgias"] - deleted_inbound == manifest["summary"]["tickets_by_kind"][
        "inbound"] - deleted_inbound
    # figures from the shared commerce files are identical; the helpdesk ones mostly
    for metric in ("nps", "refund_rate", "refund_resolution_median_hours", "backlog_at_as_of"):
        assert {k: v for k, v in zendesk.items() if k[0] == metric} == {k: v for k, v in gorgias.items()
                                                                        if k[0] == metric}, metric
    for metric in ("frt_median_calendar_minutes", "fcr_rate", "wismo_rate", "csat_share", "repeat_contact_rate"):
        keys = {k for k in gorgias if k[0] == metric}
        same = sum(zendesk.get(k) == gorgias[k] for k in keys)
        assert same >= 0.6 * len(keys), (metric, same, len(keys))
    for (metric, key), value in zendesk.items():
        if metric.endswith("_rate") or metric == "csat_share":
            assert value is None or 0 <= value <= 1, (metric, key, value)


def test_baseline_reads_zendesk_parquet_like_ndjson(tmp_path: Path):
    figures = {}
    for fmt in ("native", "parquet"):
        out = tmp_path / fmt
        subprocess.run([sys.executable, "-m", "support_kpis.generate", "--tickets", "400", "--seed", "5",
                        "--helpdesk", "zendesk", "--export-format", fmt, "--out", str(out)],
                       check=True, capture_output=True)
        figures[fmt] = baseline_figures(run_baseline(out, export_format=fmt, helpdesk="zendesk"))
    assert figures["native"] and compare(figures["native"], figures["parquet"]) == []
    assert any(v for (metric, _), v in figures["parquet"].items() if metric == "wismo_rate")
