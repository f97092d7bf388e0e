"""One warehouse holds one exports folder read with one set of settings (README, "Use your own
exports"; macros/incremental/warehouse_settings.sql).

An incremental run adds what it finds to what the warehouse holds: pointed at another exports
folder it used to add that folder's rows to the first one's and report success. Now:
  - a run whose exports_path (or time zone, format, helpdesk...) differs from the build's
    stops before reading any file, naming each difference and --full-refresh;
  - --full-refresh rebuilds with the new settings, and no row of the old folder is left;
  - the same settings keep building incrementally;
  - a --full-refresh that did not rebuild every model is not taken for a finished one;
  - scripts/dbt and scripts/build.sh give each exports folder its own file.
Cost (marker dbt_build): the tiny fixture folder built three times, four short runs.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

import bad_inputs as bi

TINY = bi.REPO / "tests" / "fixtures" / "exports" / "tiny"
BASE_TABLES = [
    "base_gorgias__tickets", "base_gorgias__messages", "base_nps__responses", "base_finance__support_costs",
    "base_shopify__orders", "base_returns__return_requests",
]
STOP = "was built from other exports or settings"


def _source_folders(db: Path) -> set[str]:
    """The exports folders every base table's rows were read from."""
    folders: set[str] = set()
    for table in BASE_TABLES:
        folders |= {row[0] for row in bi.query(
            db, f"select distinct regexp_extract(source_file, '^(.*)/[^/]+/[^/]+$', 1) from staging.{table}")}
    return folders


def _row_counts(db: Path) -> dict[str, int]:
    return {table: bi.query(db, f"select count(*) from staging.{table}")[0][0] for table in BASE_TABLES}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("warehouse_settings")
    first, second = root / "first_exports", root / "second_exports"
    shutil.copytree(TINY, first)
    shutil.copytree(TINY, second)
    work = root / "dbt"
    out = {"first": first, "second": second, "work": work}
    out["first_build"] = bi.dbt(["build", *bi.NO_TESTS], work, first)
    assert out["first_build"].returncode == 0, out["first_build"].output[-3000:]
    out["first_counts"] = _row_counts(out["first_build"].db)
    paris = {"reporting_timezone": "Europe/Paris"}
    out["mixed"] = bi.dbt(["build", *bi.NO_TESTS], work, second, extra_vars=paris)
    out["after_mixed_folders"] = _source_folders(out["first_build"].db)
    out["refreshed"] = bi.dbt(["build", *bi.NO_TESTS, "--full-refresh"], work, second, extra_vars=paris)
    assert out["refreshed"].returncode == 0, out["refreshed"].output[-3000:]
    out["refreshed_folders"] = _source_folders(out["refreshed"].db)
    out["refreshed_counts"] = _row_counts(out["refreshed"].db)
    out["incremental"] = bi.dbt(["build", *bi.NO_TESTS], work, second, extra_vars=paris)
    out["incremental_counts"] = _row_counts(out["incremental"].db)
    return out


@pytest.mark.dbt_build
def test_another_exports_folder_stops_with_the_fix(runs):
    mixed = runs["mixed"]
    assert mixed.returncode != 0
    assert STOP in mixed.output
    assert f'exports_path: built with "{runs["first"]}", this run "{runs["second"]}"' in mixed.output
    assert 'reporting_timezone: built with "UTC", this run "Europe/Paris"' in mixed.output
    assert "--full-refresh" in mixed.output
    # stopped before any model: nothing of the second folder was loaded
    assert runs["after_mixed_folders"] == {str(runs["first"])}


@pytest.mark.dbt_build
def test_full_refresh_rebuilds_from_the_new_folder_only(runs):
    assert runs["refreshed_folders"] == {str(runs["second"])}
    # the same files in both folders: as many rows as the first build, not twice as many
    assert runs["refreshed_counts"] == runs["first_counts"]
    settings = dict(bi.query(runs["refreshed"].db,
                             "select setting, setting_value from main.warehouse_build_settings"))
    assert settings["exports_path"] == f'"{runs["second"]}"'
    assert settings["reporting_timezone"] == '"Europe/Paris"'
    assert {row[0] for row in bi.query(
        runs["refreshed"].db, "select distinct build_status from main.warehouse_build_settings")} == {"built"}


@pytest.mark.dbt_build
def test_same_settings_build_incrementally(runs):
    assert runs["incremental"].returncode == 0, runs["incremental"].output[-3000:]
    assert STOP not in runs["incremental"].output
    assert runs["incremental_counts"] == runs["refreshed_counts"]


@pytest.mark.dbt_build
def test_unfinished_full_refresh_is_not_taken_for_a_rebuild(runs, tmp_path):
    work = tmp_path / "dbt"
    shutil.copytree(runs["work"], work, ignore=shutil.ignore_patterns("tmp"))
    select = ["--select", "base_nps__responses"]
    partial = bi.dbt(["run", *select, "--full-refresh"], work, runs["first"])
    assert partial.returncode == 0, partial.output[-3000:]
    again = bi.dbt(["run", *select], work, runs["first"])
    assert again.returncode != 0
    assert "half rebuilt" in again.output and "--full-refresh" in again.output


def _warehouse_path_module():
    spec = importlib.util.spec_from_file_location("warehouse_path", bi.REPO / "scripts" / "warehouse_path.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("args", "expected"), [
    (["build"], "warehouse/support_kpis.duckdb"),
    (["build", "--vars", "{exports_path: data/sample}"], "warehouse/support_kpis.duckdb"),
    (["build", "--vars", '{"exports_path": "./data/sample/"}'], "warehouse/support_kpis.duckdb"),
    (["build", "--vars", "{exports_path: /data/Acme Exports, reporting_timezone: UTC}"],
     "warehouse/data-acme-exports.duckdb"),
    (["build", "--vars={exports_path: /data/acme/exports}", "--full-refresh"], "warehouse/data-acme-exports.duckdb"),
    (["build", "--vars", "{reporting_timezone: Europe/Paris}"], "warehouse/support_kpis.duckdb"),
])
def test_each_exports_folder_gets_its_own_warehouse_file(args, expected):
    assert _warehouse_path_module().warehouse_path(args) == expected
