"""Layers point one way (STYLE.md 8): staging <- intermediate <- marts.

A staging model never reads an intermediate model or a mart, and an intermediate model never
reads a mart (a mart may build on a core mart). Checked on the manifest of a `dbt parse`,
so a new `ref()` against the flow fails here before anything is built.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import bad_inputs as bi

LAYERS = ("staging", "intermediate", "marts")


def layer_of(node: dict) -> str | None:
    """The layer a model lives in, from its folder under models/ (None outside the three)."""
    path = node.get("original_file_path", "")
    return next((layer for layer in LAYERS if path.startswith(f"models/{layer}/")), None)


def layer_violations(manifest: dict) -> list[str]:
    """Every model that reads a model of a later layer, as `layer model -> layer model`."""
    nodes = manifest["nodes"]
    found = []
    for node in nodes.values():
        if node["resource_type"] != "model" or layer_of(node) is None:
            continue
        for parent_id in (node.get("depends_on") or {}).get("nodes", []):
            parent = nodes.get(parent_id)
            if parent is None or parent["resource_type"] != "model" or layer_of(parent) is None:
                continue
            if LAYERS.index(layer_of(parent)) > LAYERS.index(layer_of(node)):
                found.append(f"{layer_of(node)} {node['name']} -> {layer_of(parent)} {parent['name']}")
    return sorted(found)


def test_layer_violations_are_found():
    """The check itself can fail: an intermediate model reading a mart is reported."""
    manifest = {"nodes": {
        "model.p.tickets": {"resource_type": "model", "name": "tickets",
                            "original_file_path": "models/marts/core/tickets.sql",
                            "depends_on": {"nodes": ["model.p.int_ticket_threads"]}},
        "model.p.int_ticket_threads": {"resource_type": "model", "name": "int_ticket_threads",
                                       "original_file_path": "models/intermediate/tickets/int_ticket_threads.sql",
                                       "depends_on": {"nodes": []}},
        "model.p.int_csat_surveys": {"resource_type": "model", "name": "int_csat_surveys",
                                     "original_file_path": "models/intermediate/experience/int_csat_surveys.sql",
                                     "depends_on": {"nodes": ["model.p.tickets", "model.p.int_ticket_threads"]}},
        "model.p.stg_x": {"resource_type": "model", "name": "stg_x",
                          "original_file_path": "models/staging/x/stg_x.sql",
                          "depends_on": {"nodes": ["model.p.int_ticket_threads"]}},
    }}
    assert layer_violations(manifest) == [
        "intermediate int_csat_surveys -> marts tickets",
        "staging stg_x -> intermediate int_ticket_threads",
    ]


@pytest.mark.dbt_build
def test_no_model_reads_a_later_layer(tmp_path):
    run = bi.dbt(["parse"], tmp_path / "dbt", bi.SAMPLE)
    assert run.returncode == 0, run.output[-3000:]
    manifest = json.loads(Path(tmp_path / "dbt" / "target" / "manifest.json").read_text())
    assert layer_violations(manifest) == []
