"""Parquet exports (`export_format: parquet`) read on Apache Spark give DuckDB's staging, row
for row (issue 16: the same export files read by Spark with the same typing, quarantine and
reconciliation rules).

The tiny Gorgias fixture (tests/fixtures/exports/tiny, with its planted mistakes) is written
as Parquet exports the way the contract describes them (every scalar as text, objects and
arrays as JSON text), in row groups of two rows, so a row's position in its file
(stg_rejected_rows' source_line) must be counted across row groups; one table gets a second
file with no rows and a column the contract does not declare, and a third holds a ticket whose
'JSON' columns are plain text. Both engines build the staging
and audit models of those files once (module fixture; Spark in one invocation, in-memory
catalog) and run row_reconciliation_balances (rows counted in the files = kept + set aside);
every staging table DuckDB built must be on Spark with the same rows
(support_kpis.spark_warehouse.compare_table): the base tables (typed columns, rejection
reasons, raw records, source lines) and stg_export_files. The audit views (stg_rejected_rows,
stg_row_reconciliation) are SQL over those tables, the same on both engines.

Runs only where Java and pyspark are present (scripts/install_spark.sh, requirements.lock).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import bad_inputs as bi
from support_kpis import spark_warehouse

pytestmark = bi.SPARK_MODULE

TINY = bi.TINY_EXPORTS
PARQUET = {"export_format": "parquet"}
# The staging audit models and everything below them (every base model, stg_export_files),
# and one data test: row_reconciliation_balances, rows counted in the Parquet files
# (export_file_row_count) = kept + duplicates + rejected. No other test (indirect selection empty).
SELECTION = [*bi.STAGING_AUDIT, "resource_type:seed", "test_name:row_reconciliation_balances",
             "--indirect-selection", "empty"]


def parquet_exports(native: Path, dest: Path, row_group_size: int = 2) -> Path:
    """Every export file of `native` (NDJSON, CSV) as a Parquet export in `dest`: every scalar
    as text, objects and arrays as JSON text (docs/export_contract.md), the columns of an
    NDJSON file every key any of its objects has, in order of first appearance."""
    con = duckdb.connect()
    for path in sorted(native.glob("*/*")):
        out = dest / path.parent.name / (path.stem + ".parquet")
        out.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".ndjson":
            objects = f"read_ndjson_objects('{path}')"
            keys = [row[0] for row in con.execute(
                f"select json_key from (select unnest(json_keys(json)) as json_key, row_number() over () as key_at "
                f"from {objects}) group by json_key order by min(key_at)").fetchall()]
            columns = ", ".join(
                f"case when json_type(json -> '{key}') in ('OBJECT', 'ARRAY') then (json -> '{key}')::varchar "
                f"else json ->> '{key}' end as \"{key}\"" for key in keys)
            table = con.sql(f"select {columns} from {objects}").to_arrow_table()
        else:
            table = con.sql(f"select * from read_csv('{path}', all_varchar = true, header = true)").to_arrow_table()
        pq.write_table(table, out, row_group_size=row_group_size)
    return dest


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> tuple[bi.Run, bi.Run]:
    workdir = tmp_path_factory.mktemp("spark_parquet_exports")
    exports = parquet_exports(TINY, workdir / "exports")
    # A later export of no rows, with a column the contract does not declare: listed, read, nothing kept.
    tickets = pq.read_table(exports / "gorgias" / "tickets_2024-06-02.parquet")
    pq.write_table(tickets.slice(0, 0).append_column("vendor_extra", pa.array([], pa.string())),
                   exports / "gorgias" / "tickets_2024-06-03.parquet")
    # A ticket whose 'JSON' columns hold plain text (an NDJSON JSON string, flattened): read as
    # that JSON string on both engines, so the models treat it as they treat the NDJSON value.
    walk_in = tickets.slice(0, 1).to_pylist()[0] | {"id": "7", "customer": "walk-in customer", "tags": "vip"}
    pq.write_table(pa.Table.from_pylist([walk_in], schema=tickets.schema),
                   exports / "gorgias" / "tickets_2024-06-04.parquet")
    duck = bi.dbt(["build", *SELECTION], workdir / "duckdb", exports, extra_vars=PARQUET)
    assert duck.returncode == 0, duck.output[-3000:]
    spark = bi.dbt(["build", "--target", "spark", *SELECTION], workdir / "spark", exports,
                   extra_env={"SUPPORT_KPIS_SPARK_CATALOG": "in-memory"}, extra_vars=PARQUET)
    assert spark.returncode == 0, spark.output[-3000:]
    assert "row_reconciliation_balances" in spark.output  # the counts of the files were checked on Spark
    return duck, spark


def staging_tables(db: Path) -> list[str]:
    return [row[0] for row in bi.query(
        db, "select table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' and table_schema = 'staging' order by all")]


def test_staging_of_parquet_exports_is_the_same_on_both_engines(builds):
    duck, spark = builds
    tables = staging_tables(duck.db)
    # stg_rejected_rows and stg_row_reconciliation are views over these tables (no files on Spark)
    assert {"stg_export_files", "base_gorgias__tickets", "base_shopify__orders"} <= set(tables)
    differences = []
    with duckdb.connect(str(duck.db), read_only=True) as left, \
            spark_warehouse.connect(spark_warehouse.spark_dir_for(spark.db)) as right:
        for table in tables:
            comparison = spark_warehouse.compare_table(left, right, "staging", table)
            if not comparison.equal:
                differences.append(comparison.describe())
    assert not differences, "\n".join(differences)


def test_the_comparison_has_rows_to_compare(builds):
    """Rejected rows (numbered across row groups), reconciled counts and the empty file are there to compare."""
    duck, _ = builds
    assert bi.query(duck.db, "select count(*) from staging.stg_rejected_rows where source_file like '%.parquet'")[0][0]
    assert bi.query(duck.db, "select count(*) from staging.stg_rejected_rows where source_line > 2")[0][0]
    assert bi.query(duck.db, "select count(*) from staging.stg_export_files where is_blank")[0][0] == 1
    assert bi.query(duck.db, "select sum(rows_read) from staging.stg_row_reconciliation")[0][0] > 0
    assert bi.query(duck.db, "select count(*) from staging.base_gorgias__tickets "
                             "where ticket_id = 7 and customer_email is null")[0][0] == 1
