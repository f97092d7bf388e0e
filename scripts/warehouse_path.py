"""Prints the warehouse file a dbt command works on, given that command's arguments.

One file per exports folder, so pointing the build at a brand's exports never adds their
rows to another folder's warehouse: `warehouse/support_kpis.duckdb` for the bundled sample
(no `exports_path` in --vars, or data/sample), `warehouse/<exports path as a slug>.duckdb`
for any other folder (e.g. /data/acme/exports -> warehouse/data-acme-exports.duckdb).
scripts/dbt and scripts/build.sh call it when SUPPORT_KPIS_DB is not set. Relative paths are
read from the repository root, where dbt runs.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_WAREHOUSE = "warehouse/support_kpis.duckdb"


def exports_path(args: list[str]) -> str | None:
    """exports_path from the last --vars of a dbt command line (YAML or JSON), or None."""
    found = None
    for index, arg in enumerate(args):
        if arg == "--vars" and index + 1 < len(args):
            text = args[index + 1]
        elif arg.startswith("--vars="):
            text = arg.split("=", 1)[1]
        else:
            continue
        try:
            parsed = yaml.safe_load(text)
        except yaml.YAMLError:
            continue  # dbt itself says what is wrong with the --vars
        if isinstance(parsed, dict) and parsed.get("exports_path") is not None:
            found = str(parsed["exports_path"])
    return found


def warehouse_path(args: list[str], root: Path = ROOT) -> str:
    path = exports_path(args)
    if path is None:
        return SAMPLE_WAREHOUSE
    folder = (root / Path(path).expanduser()).resolve()
    if folder == (root / "data" / "sample").resolve():
        return SAMPLE_WAREHOUSE
    slug = re.sub(r"[^a-z0-9]+", "-", str(folder).lower()).strip("-") or "exports"
    return f"warehouse/{slug}.duckdb"


if __name__ == "__main__":
    print(warehouse_path(sys.argv[1:]))
