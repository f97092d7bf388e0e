"""The published marts open in the DuckDB 1.x that BI tools embed, and as Parquet (issue 15 §2).

A DuckDB 1.4 client from its own environment (scripts/bi_reader_env.sh, requirements-bi-reader.lock)
opens the publication the build wrote and one this test writes, lists the marts and reads
figures that must equal the warehouse's; the same client refuses the DuckDB 2.0 warehouse
itself, which is why the publication exists. Reads the warehouse check.sh/build.sh built.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import duckdb
import pytest

from dashboard_support import REPO, built_warehouse
from support_kpis.publish import default_targets, publish

# Figures compared between the DuckDB 2.0 warehouse and what the 1.x reader sees in the copy.
FIGURES = {
    "customer tickets": "select sum(customer_tickets)::bigint from marts.speed_and_accessibility where period_grain = 'month'",
    "allocated cost": "select sum(allocated_cost)::varchar from marts.cost_per_resolution",
    "frt median sum": "select round(sum(frt_median_business_minutes), 6) from marts.speed_and_accessibility",
    "latest ticket": "select max(created_at)::varchar from marts.tickets",
    "ledger": "select sum(ledger_amount)::varchar from marts.cost_ledger_reconciliation",
}

READER = """
import json, sys, duckdb
out = {"version": duckdb.__version__}
try:
    con = duckdb.connect(sys.argv[1], read_only=True)
except Exception as exc:
    out["error"] = str(exc)
    print(json.dumps(out)); sys.exit(0)
marts = [r[0] for r in con.execute(
    "select table_name from information_schema.tables where table_schema = 'marts' order by 1").fetchall()]
out["counts"] = {m: con.execute(f"select count(*) from marts.{m}").fetchone()[0] for m in marts}
out["figures"] = {k: con.execute(q).fetchone()[0] for k, q in json.loads(sys.argv[2]).items()}
print(json.dumps(out, default=str))
"""


@pytest.fixture(scope="module")
def reader_python() -> str:
    result = subprocess.run(["bash", str(REPO / "scripts" / "bi_reader_env.sh")],
                            capture_output=True, text=True, check=True)
    return result.stdout.strip().splitlines()[-1]


def read_with_duckdb_1x(python: str, db: Path) -> dict:
    result = subprocess.run([python, "-c", READER, str(db), json.dumps(FIGURES)],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def warehouse_state(db: Path) -> dict:
    with duckdb.connect(str(db), read_only=True) as con:
        marts = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
            " and table_type = 'BASE TABLE' order by 1").fetchall()]
        return {
            "counts": {m: con.execute(f"select count(*) from marts.{m}").fetchone()[0] for m in marts},
            "figures": {k: con.execute(q).fetchone()[0] for k, q in FIGURES.items()},
        }


@pytest.fixture(scope="module")
def warehouse() -> Path:
    return built_warehouse()


@pytest.fixture(scope="module")
def expected(warehouse: Path) -> dict:
    return json.loads(json.dumps(warehouse_state(warehouse), default=str))


@pytest.fixture(scope="module")
def fresh(warehouse: Path, tmp_path_factory) -> object:
    out = tmp_path_factory.mktemp("publish")
    return publish(warehouse, out / "bi.duckdb", out / "parquet")


def test_the_1x_reader_is_old_and_refuses_the_warehouse(reader_python: str, warehouse: Path) -> None:
    seen = read_with_duckdb_1x(reader_python, warehouse)
    assert seen["version"].startswith("1."), seen["version"]
    assert "version number" in seen.get("error", ""), seen  # the DuckDB 2.0 file format


@pytest.mark.parametrize("which", ["fresh", "built"])
def test_duckdb_1x_opens_the_publication(which: str, reader_python: str, warehouse: Path, expected: dict,
                                         fresh) -> None:
    bi = fresh.bi_path if which == "fresh" else default_targets(warehouse)[0]
    seen = read_with_duckdb_1x(reader_python, bi)
    assert "error" not in seen, seen["error"]
    assert seen["counts"] == expected["counts"]  # every mart, every row
    assert seen["figures"] == expected["figures"]


def test_publication_keeps_references_and_says_when(fresh) -> None:
    with duckdb.connect(str(fresh.bi_path), read_only=True) as con:
        assert con.execute("select count(*) from reference.sla_policies").fetchone()[0] > 0
        assert con.execute("select marts from main.publication").fetchone()[0] == len(fresh.row_counts)


@pytest.mark.parametrize("which", ["fresh", "built"])
def test_every_mart_as_parquet_with_its_rows(which: str, fresh, warehouse: Path, expected: dict) -> None:
    folder = fresh.parquet_dir if which == "fresh" else default_targets(warehouse)[1]
    files = {p.stem: p for p in folder.glob("*.parquet")}
    assert set(files) == set(expected["counts"])
    with duckdb.connect() as con:
        for mart, path in files.items():
            assert con.execute("select count(*) from read_parquet(?)", [str(path)]).fetchone()[0] \
                == expected["counts"][mart], mart


def test_a_failed_publication_leaves_the_last_one_whole(tmp_path: Path, fresh) -> None:
    """A warehouse without marts (e.g. only staging built) raises and does not touch the old copy."""
    bi = tmp_path / "bi.duckdb"
    bi.write_bytes(fresh.bi_path.read_bytes())
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(RuntimeError, match="marts"):
        publish(empty, bi, tmp_path / "parquet")
    assert bi.read_bytes() == fresh.bi_path.read_bytes()
    assert not list(tmp_path.glob("*.tmp"))
