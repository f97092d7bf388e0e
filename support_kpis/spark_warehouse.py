"""What a Spark build wrote, read with DuckDB; and the row-for-row comparison of two engines.

The `spark` target (profiles.yml) writes every table as Parquet files under
`<spark dir>/tables/<schema>.db/<table>/` (partitioned tables one folder deeper). DuckDB reads
them directly, so the benchmark's figures, the engine-comparison test and an analyst's check
use the same SQL on both engines' output. Spark's views (staging `stg_*`) have no files: they
are compared through the tables that read them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

# Build-time columns: when the row was loaded or allocated, not what it says.
BUILD_TIME_COLUMNS = ("loaded_at", "allocated_at")
# Doubles (rates, averages, minutes) are compared after rounding to this many decimals: the
# engines sum floating point in different orders. Decimals (money) and integers are exact.
DOUBLE_DECIMALS = 9


def spark_dir_for(duckdb_path: str | Path) -> Path:
    """The Spark folder profiles.yml derives from SUPPORT_KPIS_DB (SUPPORT_KPIS_SPARK_DIR wins)."""
    if os.environ.get("SUPPORT_KPIS_SPARK_DIR"):
        return Path(os.environ["SUPPORT_KPIS_SPARK_DIR"])
    return Path(str(duckdb_path).replace(".duckdb", "") + ".spark")


def spark_tables(spark_dir: Path) -> dict[tuple[str, str], Path]:
    """(schema, table) -> folder, for every Spark table (an empty table may have no Parquet file)."""
    tables = {}
    for schema_dir in sorted((spark_dir / "tables").glob("*.db")):
        for table_dir in sorted(p for p in schema_dir.iterdir() if p.is_dir()):
            tables[(schema_dir.name.removesuffix(".db"), table_dir.name)] = table_dir
    return tables


def has_rows_files(folder: Path) -> bool:
    """Spark writes no Parquet file for a table without rows: only such a folder is readable."""
    return next(folder.rglob("*.parquet"), None) is not None


def connect(spark_dir: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with one view per Spark table, in the same schema and name."""
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    for (schema, table), folder in spark_tables(spark_dir).items():
        con.execute(f'create schema if not exists "{schema}"')
        if not has_rows_files(folder):
            continue  # no rows and no schema to read: compare_table reports it as empty
        partitioned = any(p.is_dir() and "=" in p.name for p in folder.iterdir())
        con.execute(
            f'create view "{schema}"."{table}" as select * from read_parquet('
            f"'{folder}/**/*.parquet', hive_partitioning = {str(partitioned).lower()})"
        )
    return con


@dataclass
class TableComparison:
    schema: str
    table: str
    rows_left: int = 0
    rows_right: int = 0
    missing_columns: list[str] = field(default_factory=list)  # in left, not in right
    extra_columns: list[str] = field(default_factory=list)  # in right, not in left
    only_left: list[dict] = field(default_factory=list)
    only_right: list[dict] = field(default_factory=list)
    error: str | None = None

    @property
    def equal(self) -> bool:
        return not (self.error or self.missing_columns or self.extra_columns or self.only_left or self.only_right)

    def describe(self, limit: int = 3) -> str:
        head = f"{self.schema}.{self.table}: {self.rows_left} rows vs {self.rows_right}"
        if self.equal:
            return head + ": equal"
        lines = [head + ": DIFFERENT"]
        if self.error:
            lines.append(f"  {self.error}")
        if self.missing_columns or self.extra_columns:
            lines.append(f"  columns only left {self.missing_columns}, only right {self.extra_columns}")
        for label, rows in (("only left", self.only_left), ("only right", self.only_right)):
            lines += [f"  {label}: {row}" for row in rows[:limit]]
            if len(rows) > limit:
                lines.append(f"  ... {len(rows)} rows {label}")
        return "\n".join(lines)


def compare_table(left: duckdb.DuckDBPyConnection, right: duckdb.DuckDBPyConnection, schema: str, table: str,
                  ignore: tuple[str, ...] = BUILD_TIME_COLUMNS) -> TableComparison:
    """Rows of schema.table in `left` and in `right` as multisets: every column but `ignore`,
    doubles rounded to DOUBLE_DECIMALS, a column typed differently by the two engines compared
    as text (a decimal and a double of the same value still differ: reported, not hidden)."""
    result = TableComparison(schema, table)

    def columns(con) -> dict[str, str]:
        return dict(con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position", [schema, table]).fetchall())

    left_types, right_types = columns(left), columns(right)
    if not right_types:
        result.rows_left = left.execute(f'select count(*) from "{schema}"."{table}"').fetchone()[0]
        if result.rows_left:
            result.error = "no such table (or no rows) on the right"
        return result
    result.missing_columns = sorted(set(left_types) - set(right_types) - set(ignore))
    result.extra_columns = sorted(set(right_types) - set(left_types) - set(ignore))
    shared = [c for c in left_types if c in right_types and c not in ignore]

    def expression(column: str, types: dict[str, str]) -> str:
        quoted = f'"{column}"'
        if "DOUBLE" in (left_types[column], right_types[column]) or "FLOAT" in (left_types[column], right_types[column]):
            return f"round(cast({quoted} as double), {DOUBLE_DECIMALS})"
        if left_types[column] != right_types[column]:
            if left_types[column].endswith("[]") and right_types[column].endswith("[]"):
                # e.g. DuckDB's JSON[] and Spark's list of JSON texts: element by element
                return f"cast({quoted} as varchar[])"
            if "TIMESTAMP" in left_types[column] and "TIMESTAMP" in right_types[column]:
                return f"cast({quoted} as timestamp)"
            return f"cast({quoted} as varchar)"
        return quoted

    def rows(con, types) -> list[tuple]:
        select = ", ".join(expression(c, types) for c in shared) or "1"
        return con.execute(f'select {select} from "{schema}"."{table}"').fetchall()

    left_rows = [_hashable(r) for r in rows(left, left_types)]
    right_rows = [_hashable(r) for r in rows(right, right_types)]
    result.rows_left, result.rows_right = len(left_rows), len(right_rows)
    counts: dict[tuple, int] = {}
    for row in left_rows:
        counts[row] = counts.get(row, 0) + 1
    for row in right_rows:
        counts[row] = counts.get(row, 0) - 1
    for row, count in counts.items():
        target = result.only_left if count > 0 else result.only_right
        target += [dict(zip(shared, row))] * abs(count)
    return result


def _hashable(value):
    """Rows as dictionary keys: lists (arrays) and dicts (structs) frozen to tuples."""
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple((k, _hashable(v)) for k, v in value.items())
    return value
