"""Publish the marts for BI tools after a build (docs/decisions/bi_and_dashboard.md).

Two outputs beside the warehouse file, both written whole and then moved into place, so a
reader never sees half a publication and a BI tool holding the old copy open never blocks
the build:

- ``<warehouse>_bi.duckdb``: the ``marts`` schema and the reference seeds the dashboard
  labels with, in DuckDB's v1.4.0 storage format, which the DuckDB 1.x engines BI tools embed
  (Evidence, duckdb-engine under Superset, python duckdb 1.4/1.5) open as well as DuckDB 2.0;
- ``<warehouse>_parquet/<mart>.parquet``: every mart as one Parquet file, for tools that read
  files (a folder per warehouse, so two warehouses in one folder never mix their marts).

The warehouse is only read. Marts are listed from the warehouse itself, so a partial
selection publishes every mart that exists, each as last built.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

# The newest storage format DuckDB 1.4 and 1.5 read; DuckDB 2.0 reads it too.
STORAGE_VERSION = "v1.4.0"
MARTS_SCHEMA = "marts"
# Seeds the dashboard reads (SLA target lines, contact-reason labels); the KPI figures are all in marts.
REFERENCE_TABLES = ("sla_policies", "contact_reasons")


@dataclass(frozen=True)
class Publication:
    bi_path: Path
    parquet_dir: Path
    row_counts: dict[str, int]


def default_warehouse() -> Path:
    return Path(os.environ.get("SUPPORT_KPIS_DB", "warehouse/support_kpis.duckdb"))


def default_targets(warehouse: Path) -> tuple[Path, Path]:
    """``warehouse/support_kpis.duckdb`` -> ``warehouse/support_kpis_bi.duckdb``, ``warehouse/support_kpis_parquet/``."""
    return warehouse.with_name(f"{warehouse.stem}_bi.duckdb"), warehouse.with_name(f"{warehouse.stem}_parquet")


def _literal(value: object) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _remove(path: Path) -> None:
    for candidate in (path, path.with_name(path.name + ".wal")):
        candidate.unlink(missing_ok=True)


def _tables(con: duckdb.DuckDBPyConnection, catalog: str, schema: str) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables"
        " where table_catalog = ? and table_schema = ? and table_type = 'BASE TABLE' order by table_name",
        [catalog, schema],
    ).fetchall()
    return [name for (name,) in rows]


def publish(warehouse: Path, bi_path: Path | None = None, parquet_dir: Path | None = None) -> Publication:
    """Copy every mart of ``warehouse`` to a DuckDB-1.x-readable file and to Parquet; returns row counts."""
    warehouse = Path(warehouse)
    default_bi, default_parquet = default_targets(warehouse)
    bi_path = Path(bi_path or default_bi)
    parquet_dir = Path(parquet_dir or default_parquet)
    if not warehouse.is_file():
        raise FileNotFoundError(f"{warehouse}: no warehouse to publish; build it first (bash scripts/build.sh)")
    bi_path.parent.mkdir(parents=True, exist_ok=True)
    parquet_dir.mkdir(parents=True, exist_ok=True)
    staging_bi = bi_path.with_name(bi_path.name + ".tmp")
    _remove(staging_bi)

    con = duckdb.connect()
    try:
        con.execute(f"attach {_literal(warehouse)} as src (read_only)")
        marts = _tables(con, "src", MARTS_SCHEMA)
        if not marts:
            raise RuntimeError(f"{warehouse}: the {MARTS_SCHEMA} schema has no table; build the marts first")
        references = [name for name in _tables(con, "src", "reference") if name in REFERENCE_TABLES]

        con.execute(f"attach {_literal(staging_bi)} as pub (storage_version {_literal(STORAGE_VERSION)})")
        con.execute(f"create schema pub.{MARTS_SCHEMA}")
        con.execute("create schema pub.reference")
        row_counts: dict[str, int] = {}
        for mart in marts:
            con.execute(f"create table pub.{MARTS_SCHEMA}.{mart} as select * from src.{MARTS_SCHEMA}.{mart}")
            row_counts[mart] = con.execute(f"select count(*) from pub.{MARTS_SCHEMA}.{mart}").fetchone()[0]
        for table in references:
            con.execute(f"create table pub.reference.{table} as select * from src.reference.{table}")
        # What was published and when, so a stale copy says so.
        con.execute(
            "create table pub.main.publication as select ? as published_at, ? as source_warehouse, ? as marts",
            [datetime.now(timezone.utc).replace(tzinfo=None), str(warehouse), len(marts)],
        )
        con.execute("detach pub")

        staged_parquet: list[tuple[Path, Path]] = []
        for mart in marts:
            target = parquet_dir / f"{mart}.parquet"
            staged = target.with_name(target.name + ".tmp")
            con.execute(f"copy src.{MARTS_SCHEMA}.{mart} to {_literal(staged)} (format parquet)")
            staged_parquet.append((staged, target))
    finally:
        con.close()

    # Move into place only once everything was written: a failure above leaves the last publication whole.
    os.replace(staging_bi, bi_path)
    for staged, target in staged_parquet:
        os.replace(staged, target)
    for stale in parquet_dir.glob("*.parquet"):
        if stale.stem not in row_counts:
            stale.unlink()
    return Publication(bi_path=bi_path, parquet_dir=parquet_dir, row_counts=row_counts)
