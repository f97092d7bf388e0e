"""``python -m support_kpis.quality --warehouse FILE``: run the GX suites, exit 1 on any failure or error."""

from __future__ import annotations

import argparse
import importlib
import sys

from support_kpis.quality.runner import DEFAULT_BATCH_ROWS, Runner, connect


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m support_kpis.quality", description=__doc__)
    parser.add_argument("--warehouse", default="warehouse/support_kpis.duckdb", help="DuckDB file, opened read-only")
    parser.add_argument("--layers", default="staging,intermediate,marts", help="comma-separated layers to check")
    parser.add_argument("--docs-dir", default="reports/gx", help="where the GX data docs (HTML) are written")
    parser.add_argument("--no-docs", action="store_true", help="skip writing data docs")
    parser.add_argument("--batch-rows", type=int, default=DEFAULT_BATCH_ROWS, help="rows per validated batch")
    parser.add_argument(
        "--suites",
        default="support_kpis.quality.suites",
        help="module with a LAYERS dict of layer -> checks (tests point this at their own suites)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    layers_available = importlib.import_module(args.suites).LAYERS
    layers = [name.strip() for name in args.layers.split(",") if name.strip()]
    unknown = [name for name in layers if name not in layers_available]
    if unknown or not layers:
        print(f"unknown layers {unknown}; choose from {sorted(layers_available)}", file=sys.stderr)
        return 2
    try:
        con = connect(args.warehouse)
    except Exception as exc:  # a missing or locked warehouse is an error, never a pass
        print(f"gx: cannot open warehouse: {exc}", file=sys.stderr)
        return 2
    runner = Runner(con, batch_rows=args.batch_rows)
    summaries = [runner.run_layer(name, layers_available[name]) for name in layers]
    for summary in summaries:
        for problem in summary.problems:
            print(problem)
    for summary in summaries:
        print(summary.line())
    if not args.no_docs:
        print(f"gx data docs: {runner.write_data_docs(args.docs_dir)}")
    con.close()
    return 1 if any(s.failed or s.errored for s in summaries) else 0


if __name__ == "__main__":
    sys.exit(main())
