"""Run ``benchmarks/baseline.sql`` on an exports folder: ``python -m support_kpis.benchmark.baseline``.

Run as its own process by the benchmark so its time and memory are measured like dbt's.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
BASELINE_SQL = ROOT / "benchmarks" / "baseline.sql"


def run_baseline(
    exports: Path,
    out: Path | None = None,
    *,
    export_timezone: str = "America/New_York",
    reporting_timezone: str = "UTC",
    repeat_window_days: int = 7,
    temp_dir: str | None = None,
) -> duckdb.DuckDBPyConnection:
    """Execute the script in a fresh in-memory DuckDB; the connection holds ``headline_figures``.

    The same memory limit as the dbt profile applies (env SUPPORT_KPIS_MEMORY_LIMIT).
    """
    con = duckdb.connect(str(out) if out else ":memory:")
    con.execute(f"set memory_limit = '{os.environ.get('SUPPORT_KPIS_MEMORY_LIMIT', '8GB')}'")
    con.execute("set preserve_insertion_order = true")
    if temp_dir:
        con.execute(f"set temp_directory = '{temp_dir}'")
    variables = {
        "exports_path": str(exports),
        "seeds_path": str(ROOT / "seeds"),
        "export_timezone": export_timezone,
        "reporting_timezone": reporting_timezone,
        "repeat_window_days": repeat_window_days,
    }
    for name, value in variables.items():
        con.execute(f"set variable {name} = ?", [value])
    con.execute(BASELINE_SQL.read_text())
    return con


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m support_kpis.benchmark.baseline", description=__doc__)
    parser.add_argument("--exports", required=True)
    parser.add_argument("--out", required=True, help="DuckDB file to write headline_figures into")
    parser.add_argument("--export-timezone", default="America/New_York")
    parser.add_argument("--reporting-timezone", default="UTC")
    parser.add_argument("--temp-dir", default=None)
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.unlink(missing_ok=True)
    started = time.perf_counter()
    con = run_baseline(
        Path(args.exports), out, export_timezone=args.export_timezone,
        reporting_timezone=args.reporting_timezone, temp_dir=args.temp_dir,
    )
    rows = con.execute("select count(*) from headline_figures").fetchall()[0][0]
    con.close()
    print(f"baseline: {rows} figures in {time.perf_counter() - started:.1f} s -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
