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

# The export tables baseline.sql reads, one view each (``export_<source>_<table>``), so the
# script itself never names a file format. native = the vendor's files (NDJSON for gorgias,
# CSV otherwise); parquet = the same tables as text Parquet, JSON columns parsed back into
# the structs the NDJSON reader gives. Each view: (glob under exports_path, native reader
# options, parquet select list).
_TICKET_COLUMNS = {
    "id": "varchar", "channel": "varchar", "via": "varchar", "status": "varchar", "priority": "varchar",
    "subject": "varchar", "customer": "struct(id varchar, email varchar)",
    "tags": "struct(name varchar)[]", "custom_fields": "struct(name varchar, value varchar)[]",
    "spam": "varchar", "merged_into_ticket_id": "varchar", "created_datetime": "varchar",
    "closed_datetime": "varchar", "updated_datetime": "varchar",
}
_JSON_SHAPES = {  # from_json shape of the struct columns, matching _TICKET_COLUMNS
    "customer": '{"id": "VARCHAR", "email": "VARCHAR"}',
    "tags": '[{"name": "VARCHAR"}]',
    "custom_fields": '[{"name": "VARCHAR", "value": "VARCHAR"}]',
}
_NDJSON_COLUMNS = {
    "messages": ["id", "ticket_id", "from_agent", "public", "via", "rule_id", "body_text", "created_datetime"],
    "ticket_events": ["id", "object_id", "type", "created_datetime"],
    "satisfaction_surveys": ["id", "ticket_id", "score", "sent_datetime", "scored_datetime", "created_datetime"],
}
_CSV_TABLES = {  # view -> (glob, with filename column)
    "export_shopify_orders": ("shopify/orders*", False),
    "export_nps_responses": ("nps/responses*", False),
    "export_finance_support_costs": ("finance/support_costs*", False),
    "export_returns_return_requests": ("returns/return_requests*", True),
}


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def reader_views(exports: Path, export_format: str) -> dict[str, str]:
    """View name -> the select that reads the export table in ``export_format``."""
    root = str(exports)
    views: dict[str, str] = {}
    if export_format == "native":
        columns = ", ".join(f"{name}: '{kind}'" for name, kind in _TICKET_COLUMNS.items())
        views["export_gorgias_tickets"] = (
            f"select * from read_json({_quote(root + '/gorgias/tickets*.ndjson')}, format = 'newline_delimited', "
            f"filename = true, columns = {{{columns}}})"
        )
        for table, names in _NDJSON_COLUMNS.items():
            columns = ", ".join(f"{name}: 'varchar'" for name in names)
            views[f"export_gorgias_{table}"] = (
                f"select * from read_json({_quote(f'{root}/gorgias/{table}*.ndjson')}, "
                f"format = 'newline_delimited', columns = {{{columns}}})"
            )
        for view, (glob, filename) in _CSV_TABLES.items():
            views[view] = (f"select * from read_csv({_quote(f'{root}/{glob}.csv')}, all_varchar = true"
                           f"{', filename = true' if filename else ''})")
    elif export_format == "parquet":
        select = ", ".join(
            f"from_json({name}, {_quote(_JSON_SHAPES[name])}) as {name}" if name in _JSON_SHAPES else name
            for name in _TICKET_COLUMNS
        )
        views["export_gorgias_tickets"] = (
            f"select {select}, filename "
            f"from read_parquet({_quote(root + '/gorgias/tickets*.parquet')}, filename = true, union_by_name = true)"
        )
        for table, names in _NDJSON_COLUMNS.items():
            views[f"export_gorgias_{table}"] = (
                f"select {', '.join(names)} "
                f"from read_parquet({_quote(f'{root}/gorgias/{table}*.parquet')}, union_by_name = true)"
            )
        for view, (glob, filename) in _CSV_TABLES.items():
            views[view] = (f"select * from read_parquet({_quote(f'{root}/{glob}.parquet')}, union_by_name = true"
                           f"{', filename = true' if filename else ''})")
    else:
        raise ValueError(f"export_format {export_format!r}: expected native or parquet")
    return views


def run_baseline(
    exports: Path,
    out: Path | None = None,
    *,
    export_format: str = "native",
    export_timezone: str = "America/New_York",
    reporting_timezone: str = "UTC",
    repeat_window_days: int = 7,
    temp_dir: str | None = None,
) -> duckdb.DuckDBPyConnection:
    """Execute the script in a fresh DuckDB (in memory unless ``out``); the connection holds ``headline_figures``.

    The export tables are read through the views of ``reader_views(exports, export_format)``.

    The same memory limit as the dbt profile applies (env SUPPORT_KPIS_MEMORY_LIMIT).
    """
    con = duckdb.connect(str(out) if out else ":memory:")
    con.execute(f"set memory_limit = '{os.environ.get('SUPPORT_KPIS_MEMORY_LIMIT', '4GB')}'")
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
    for view, select in reader_views(exports, export_format).items():
        con.execute(f"create or replace temp view {view} as {select}")
    con.execute(BASELINE_SQL.read_text())
    return con


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m support_kpis.benchmark.baseline", description=__doc__)
    parser.add_argument("--exports", required=True)
    parser.add_argument("--out", required=True, help="DuckDB file to write headline_figures into")
    parser.add_argument("--format", choices=("native", "parquet"), default="native", help="the exports' format")
    parser.add_argument("--export-timezone", default="America/New_York")
    parser.add_argument("--reporting-timezone", default="UTC")
    parser.add_argument("--temp-dir", default=None)
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.unlink(missing_ok=True)
    started = time.perf_counter()
    con = run_baseline(
        Path(args.exports), out, export_format=args.format, export_timezone=args.export_timezone,
        reporting_timezone=args.reporting_timezone, temp_dir=args.temp_dir,
    )
    rows = con.execute("select count(*) from headline_figures").fetchall()[0][0]
    con.close()
    print(f"baseline: {rows} figures in {time.perf_counter() - started:.1f} s -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
