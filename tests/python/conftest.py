"""Shared pytest fixtures: keep this file tiny."""

from pathlib import Path

import pytest

import bad_inputs as bi

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def baseline(tmp_path_factory):
    """data/sample built once per session, for every suite that compares a broken folder with it."""
    return bi.clean_baseline(tmp_path_factory)
