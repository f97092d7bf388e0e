"""The quickstart build (scripts/build.sh) runs the data tests that protect figures
(selectors.yml, selector `quickstart`): the row reconciliation, the ledger ties, the grain of
every mart and anything tagged protects_figures; not the column-level tests nor the unit tests.
One `dbt ls` (a parse, no build)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import bad_inputs as bi


@pytest.fixture(scope="module")
def selection(tmp_path_factory):
    work = tmp_path_factory.mktemp("quickstart_selection")
    env = {**os.environ, "SUPPORT_KPIS_DB": str(work / "wh.duckdb"), "DBT_TARGET_PATH": str(work / "target"),
           "DBT_LOG_PATH": str(work / "logs"), "DBT_PROFILES_DIR": str(bi.PROJECT)}
    result = subprocess.run(
        [sys.executable, "-m", "dbt.cli.main", "--quiet", "ls", "--selector", "quickstart",
         "--output", "json", "--output-keys", "unique_id", "--project-dir", str(bi.PROJECT)],
        env=env, cwd=bi.PROJECT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    selected = {json.loads(line)["unique_id"] for line in result.stdout.splitlines() if line.startswith("{")}
    manifest = json.loads((work / "target" / "manifest.json").read_text())
    return selected, manifest


def test_build_script_uses_the_quickstart_selector():
    assert "--selector quickstart" in (bi.REPO / "scripts" / "build.sh").read_text()


def test_every_model_and_seed_is_built(selection):
    selected, manifest = selection
    buildable = {uid for uid, node in manifest["nodes"].items() if node["resource_type"] in ("model", "seed")}
    assert buildable and buildable <= selected


def test_tests_that_protect_figures_run(selection):
    selected, manifest = selection
    # tests of the other helpdesk's (disabled) staging folder stay in the manifest, disabled
    tests = {uid: node for uid, node in manifest["nodes"].items()
             if node["resource_type"] == "test" and node["config"].get("enabled", True)}
    names = {tests[uid]["name"] for uid in selected if uid in tests}
    assert "assert_cost_allocation_reconciles_to_ledger" in names
    assert "assert_cost_per_resolution_reconciles_to_ledger" in names
    assert any(name.startswith("row_reconciliation_balances") for name in names)
    assert "assert_every_mart_checks_durations" in names
    assert "assert_reporting_currency_has_rates" in names
    durations = {uid for uid, node in tests.items()
                 if (node.get("test_metadata") or {}).get("name") == "non_negative_durations"}
    assert durations and durations <= selected
    mart_grains = {uid for uid, node in tests.items()
                   if (node.get("test_metadata") or {}).get("name") in ("unique", "unique_combination_of_columns")
                   and node["original_file_path"].startswith("models/marts/")}
    assert mart_grains and mart_grains <= selected
    tagged = {uid for uid, node in tests.items() if "protects_figures" in node["tags"]}
    assert tagged <= selected


def test_other_tests_are_left_to_check_sh(selection):
    selected, manifest = selection
    kinds = {manifest["nodes"][uid].get("test_metadata", {}).get("name")
             for uid in selected if manifest["nodes"].get(uid, {}).get("resource_type") == "test"}
    assert "not_null" not in kinds
    assert not any(uid.startswith("unit_test.") for uid in selected)
