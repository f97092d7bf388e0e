"""Shared pytest fixtures: keep this file tiny."""

import sys
from pathlib import Path

import pytest

import bad_inputs as bi

REPO_ROOT = Path(__file__).resolve().parents[2]

# pytest-xdist workers (scripts/check.sh: -n 2) run under a bare __main__ module; pyspark's
# connect package, imported by great-expectations when pyspark is installed, takes that for a
# doctest run and calls sys.exit(0) in the middle of a test. A worker's __main__ gets a name.
_main = sys.modules["__main__"]
if getattr(_main, "__spec__", None) is None and not hasattr(_main, "__file__"):
    _main.__file__ = "<pytest-xdist worker>"


# Modules whose builds take minutes, longest first (pytest --durations in CI). scripts/check.sh
# runs two xdist workers, a module at a time each, in collection order (--dist loadfile
# --no-loadscope-reorder): these start first, so a long module never starts last while the
# other worker has nothing left to do.
LONGEST_FIRST = (
    "test_spark_same_figures.py",
    "test_spark_engine.py",
    "test_spark_parquet_exports.py",
    "test_incremental.py",
    "test_spark_incremental.py",
    "test_staging_exports.py",
    "test_spark_reason_rules.py",
)


def pytest_collection_modifyitems(config, items):
    def start_order(item) -> int:
        name = item.path.name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=start_order)  # stable: every other module keeps its place, a module's tests stay together


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def baseline(tmp_path_factory):
    """data/sample built once per session, for every suite that compares a broken folder with it."""
    return bi.clean_baseline(tmp_path_factory)
