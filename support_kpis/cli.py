"""Command line: `python -m support_kpis <command> ...`. Add a subcommand with a `_cmd_<name>` function."""

from __future__ import annotations

import argparse
import time
from pathlib import Path


def _cmd_generate(args: argparse.Namespace) -> int:
    from support_kpis.generate import generate

    started = time.perf_counter()
    manifest = generate(args.tickets, args.seed, Path(args.out), fmt=args.format, start=args.start, days=args.days,
                        helpdesk=args.helpdesk)
    size = sum(p.stat().st_size for p in Path(args.out).rglob("*") if p.is_file())
    print(f"wrote {args.out}: {sum(manifest['row_counts'].values())} rows in {len(manifest['files'])} files, "
          f"{size / 1e6:.1f} MB, {time.perf_counter() - started:.1f} s")
    return 0


def _cmd_publish(args: argparse.Namespace) -> int:
    from support_kpis.publish import default_warehouse, publish

    started = time.perf_counter()
    publication = publish(Path(args.warehouse or default_warehouse()), args.bi_db, args.parquet_dir)
    rows = sum(publication.row_counts.values())
    print(f"published {len(publication.row_counts)} marts ({rows} rows) to {publication.bi_path} "
          f"and {publication.parquet_dir}/, {time.perf_counter() - started:.1f} s")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="support_kpis", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="write a seeded sample of every raw export (docs/export_contract.md)")
    gen.add_argument("--tickets", type=int, default=2000, help="number of helpdesk tickets (2,000 to 10,000,000)")
    gen.add_argument("--seed", type=int, default=42)
    gen.add_argument("--out", default="data/sample", help="exports folder to (over)write")
    gen.add_argument("--helpdesk", choices=("gorgias", "zendesk"), default="gorgias",
                     help="helpdesk the tickets are exported from (gorgias/ or zendesk/ folder); the other "
                          "sources are the same files for the same seed and size")
    gen.add_argument("--format", "--export-format", dest="format", choices=("native", "parquet"), default="native",
                     help="native: NDJSON for gorgias, CSV otherwise; parquet: every table as text Parquet")
    gen.add_argument("--start", default="2025-01-01", help="first local day of the period (YYYY-MM-DD)")
    gen.add_argument("--days", type=int, default=365, help="length of the period in days")
    gen.set_defaults(func=_cmd_generate)
    pub = sub.add_parser("publish", help="copy the marts to a DuckDB-1.x-readable file and to Parquet, for BI tools")
    pub.add_argument("--warehouse", help="built warehouse, read only (default: $SUPPORT_KPIS_DB or warehouse/support_kpis.duckdb)")
    pub.add_argument("--bi-db", help="published DuckDB file (default: <warehouse>_bi.duckdb beside it)")
    pub.add_argument("--parquet-dir", help="folder for <mart>.parquet (default: <warehouse>_parquet/ beside it)")
    pub.set_defaults(func=_cmd_publish)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))
