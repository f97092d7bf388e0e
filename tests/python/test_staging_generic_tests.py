"""The project's generic tests (tests/generic/) can pass AND fail.

Builds a throwaway dbt project in a temp dir whose test-paths point at this repo's
tests/generic, with one tiny model, and runs each generic test against a passing and a
failing configuration. Expected outcomes are written by hand from the 4-row model below.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# id, k, amount: (1,'a',5), (2,'a',10), (3,'b',null), (3,'b',20)
MODEL_SQL = """
select * from (values
    (1, 'a', 5),
    (2, 'a', 10),
    (3, 'b', null),
    (3, 'b', 20)
) as t (id, k, amount)
"""

EMPTY_SQL = "select 1 as id where false"

# A duration named as a word of the column name (wait_minutes, p90_resolution_days) is checked;
# minutes_share-like names too; `daysold` is not a duration word. One negative p90.
DURATIONS_SQL = """
select * from (values
    (1, 5.0, 2.0, -3),
    (2, 0.0, -1.5, -4)
) as t (id, wait_minutes, p90_resolution_days, daysold)
"""

# non_negative_durations on probe_durations (model-level; arguments or none), should pass?
DURATION_CASES = [
    ("", False),  # p90_resolution_days has -1.5
    ("{exclude_columns: [p90_resolution_days]}", True),  # daysold (-3, -4) is not a duration name
]

# (test yaml, should pass?)
CASES = [
    ("unique_combination_of_columns: {combination_of_columns: [id, amount]}", True),
    ("unique_combination_of_columns: {combination_of_columns: [id, k]}", False),
    ("not_empty_model", True),
    ("expression_is_true: {expression: 'id >= 1'}", True),
    ("expression_is_true: {expression: 'amount > 0'}", False),  # null amount is not a pass
    ("expression_is_true: {expression: 'coalesce(amount, 5) > 4'}", True),
]

COLUMN_CASES = [
    ("amount", "accepted_range: {min_value: 5, max_value: 20}", True),
    ("amount", "accepted_range: {min_value: 5, max_value: 20, inclusive: false}", False),
    ("amount", "accepted_range: {min_value: 6}", False),
    ("amount", "accepted_range: {max_value: 20}", True),
]


def _write_project(root: Path) -> None:
    (root / "models").mkdir(parents=True)
    # dbt only treats files under <test-path>/generic/ as generic tests (and does not
    # follow symlinks there): copy ours in.
    shutil.copytree(REPO / "tests" / "generic", root / "tests" / "generic")
    (root / "dbt_project.yml").write_text(
        textwrap.dedent(
            f"""
            name: generic_tests_probe
            version: "0.1.0"
            config-version: 2
            profile: probe
            model-paths: ["models"]
            test-paths: ["tests"]
            """
        )
    )
    (root / "profiles.yml").write_text(
        textwrap.dedent(
            f"""
            probe:
              target: dev
              outputs:
                dev:
                  type: duckdb
                  path: "{root / 'probe.duckdb'}"
                  threads: 1
            """
        )
    )
    (root / "models" / "probe.sql").write_text(MODEL_SQL)
    (root / "models" / "probe_empty.sql").write_text(EMPTY_SQL)
    (root / "models" / "probe_durations.sql").write_text(DURATIONS_SQL)
    lines = ["version: 2", "models:", "  - name: probe", "    data_tests:"]
    for i, (yaml_test, _) in enumerate(CASES):
        name, _, args = yaml_test.partition(":")
        if args:
            lines.append(f"      - {name}:")
            lines.append(f"          name: case_{i}")
            lines.append(f"          arguments: {args.strip()}")
        else:
            lines.append(f"      - {name}:")
            lines.append(f"          name: case_{i}")
    lines.append("    columns:")
    lines.append("      - name: amount")
    lines.append("        data_tests:")
    for i, (_, yaml_test, _) in enumerate(COLUMN_CASES):
        name, _, args = yaml_test.partition(":")
        lines.append(f"          - {name}:")
        lines.append(f"              name: col_case_{i}")
        lines.append(f"              arguments: {args.strip()}")
    lines += [
        "  - name: probe_empty",
        "    data_tests:",
        "      - not_empty_model:",
        "          name: empty_case",
        "      - non_negative_durations:",  # no duration column at all: passes
        "          name: durations_none_case",
        "  - name: probe_durations",
        "    data_tests:",
    ]
    for i, (args, _) in enumerate(DURATION_CASES):
        lines.append("      - non_negative_durations:")
        lines.append(f"          name: durations_case_{i}")
        if args:
            lines.append(f"          arguments: {args}")
    (root / "models" / "_probe.yml").write_text("\n".join(lines) + "\n")


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("generic_probe")
    _write_project(root)
    env = {**os.environ, "DBT_PROFILES_DIR": str(root), "DBT_TARGET_PATH": str(root / "target"),
           "DBT_LOG_PATH": str(root / "logs")}
    subprocess.run(
        [sys.executable, "-m", "dbt.cli.main", "build", "--project-dir", str(root)],
        env=env, capture_output=True, text=True, check=False,
    )
    run_results = json.loads((root / "target" / "run_results.json").read_text())
    return {r["unique_id"].split(".")[2]: r["status"] for r in run_results["results"]}


def test_table_level_cases(results):
    for i, (yaml_test, should_pass) in enumerate(CASES):
        assert results[f"case_{i}"] == ("pass" if should_pass else "fail"), yaml_test


def test_column_level_cases(results):
    for i, (_, yaml_test, should_pass) in enumerate(COLUMN_CASES):
        assert results[f"col_case_{i}"] == ("pass" if should_pass else "fail"), yaml_test


def test_not_empty_model_fails_on_empty(results):
    assert results["empty_case"] == "fail"


def test_non_negative_durations_finds_duration_columns_by_name(results):
    for i, (args, should_pass) in enumerate(DURATION_CASES):
        assert results[f"durations_case_{i}"] == ("pass" if should_pass else "fail"), args
    assert results["durations_none_case"] == "pass"
