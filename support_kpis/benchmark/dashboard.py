"""``python -m support_kpis.benchmark.dashboard [--warehouse FILE]``: how long each dashboard page's queries take.

Opens the published copy (default: the one beside $SUPPORT_KPIS_DB) read-only and, per page and
period grain, runs exactly the queries the page runs (dashboard.queries.PAGE_QUERIES) on a
fresh connection, as a page render after a republication would (Streamlit's cache empty).
Reports the best and worst of --repeat runs; target: under a second per page at 1M tickets.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from dashboard import queries

TARGET_SECONDS = 1.0


def time_pages(db: Path, grains: list[str], repeat: int) -> list[tuple[str, str, float, float, int]]:
    results = []
    for page in queries.PAGE_QUERIES:
        for grain in grains:
            seconds, rows = [], 0
            for _ in range(repeat):
                started = time.perf_counter()
                con = queries.connect(db)
                try:
                    rows = queries.run_page_queries(con, page, queries.Filters(grain=grain))
                finally:
                    con.close()
                seconds.append(time.perf_counter() - started)
            results.append((page, grain, min(seconds), max(seconds), rows))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m support_kpis.benchmark.dashboard", description=__doc__)
    parser.add_argument("--warehouse", type=Path, default=None,
                        help="published BI copy (default: <$SUPPORT_KPIS_DB>_bi.duckdb, see support_kpis.publish)")
    parser.add_argument("--grains", default="month,day", help="period grains to time, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    db = args.warehouse or queries.warehouse_path()
    results = time_pages(db, [g.strip() for g in args.grains.split(",") if g.strip()], args.repeat)
    tickets = queries.connect(db).execute("select count(*) from marts.tickets").fetchone()[0]
    print(f"dashboard page queries on {db} ({tickets:,} tickets), {args.repeat} runs each, cold connection\n")
    print("| page | grain | best s | worst s | rows |")
    print("|---|---|---:|---:|---:|")
    for page, grain, best, worst, rows in results:
        print(f"| {page} | {grain} | {best:.3f} | {worst:.3f} | {rows:,} |")
    slow = [r for r in results if r[2] >= TARGET_SECONDS]
    print(f"\n{'all pages' if not slow else f'{len(slow)} page runs not'} under {TARGET_SECONDS:g} s (best of runs)")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
