"""Every command in the README works in a fresh shell, exactly as written (issue 13, §3).

A newcomer copies the README's bash blocks into a new terminal: nothing is activated, no
virtualenv is on PATH. So every command must start with something that exists in the
checkout (`bash scripts/<x>.sh`, `scripts/dbt`, `scripts/python`), never a bare `dbt` or
`python`, and never `source` a script. The cheap commands are run for real in `bash -c` with
the project's .venv taken off PATH: the query snippet and `dbt show` of the headline figures
against the built warehouse (skipped when there is none), whose printed figures must be the
README's table, row for row."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```bash\n(.*?)```", README, flags=re.DOTALL)
# Commands a fresh shell does not have, or that only work after something else was done to it.
NOT_IN_A_FRESH_SHELL = {"dbt", "python", "python3", "pip", "pytest", "sqlfluff", "source", "."}
WAREHOUSE = Path(os.environ.get("SUPPORT_KPIS_DB", REPO / "warehouse" / "support_kpis.duckdb"))


def commands(block: str) -> list[str]:
    """A block's commands: one per line (`&&` chains split), comments dropped, a heredoc's
    body kept with the command that reads it."""
    out, lines = [], block.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        heredoc = re.search(r"<<-?'?(\w+)'?", line)
        if heredoc:
            end = lines.index(heredoc.group(1), index + 1)
            out.append("\n".join(lines[index:end + 1]))
            index = end + 1
            continue
        code = re.sub(r"\s+#.*$", "", line).strip()
        if code and not code.startswith("#"):
            out.extend(part.strip() for part in code.split("&&"))
        index += 1
    return out


ALL_COMMANDS = [command for block in BLOCKS for command in commands(block)]


def fresh_shell_env() -> dict[str, str]:
    """The caller's environment without the project's virtualenv or bootstrap variables."""
    keep = {k: v for k, v in os.environ.items()
            if k not in {"VIRTUAL_ENV", "PYTHONPATH", "DBT_PROFILES_DIR", "SUPPORT_KPIS_ROOT", "PYTHONHOME"}}
    keep["PATH"] = os.pathsep.join(
        p for p in os.environ.get("PATH", "").split(os.pathsep)
        if p and ".venv" not in p and not Path(p, "dbt").exists())
    return keep


def run_in_fresh_shell(command: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", command], cwd=REPO, env=fresh_shell_env(),
                          capture_output=True, text=True, timeout=timeout, check=False)


def test_readme_has_commands():
    assert len(ALL_COMMANDS) >= 8
    assert any(c.startswith("bash scripts/build.sh") for c in ALL_COMMANDS)


@pytest.mark.parametrize("command", ALL_COMMANDS, ids=lambda c: c.splitlines()[0][:60])
def test_command_runs_from_the_checkout(command):
    words = shlex.split(command.splitlines()[0].split("<<")[0])
    program = words[0]
    assert program not in {"source", "."}, "sourcing changes the reader's shell: run a script instead"
    assert program not in NOT_IN_A_FRESH_SHELL, f"{program!r} is not on a fresh shell's PATH: use scripts/{program}"
    assert not program.startswith(".venv"), "use scripts/dbt or scripts/python (they install .venv when missing)"
    if program == "bash":
        script = REPO / words[1]
        assert script.is_file(), f"{words[1]} does not exist"
    else:
        script = REPO / program
        assert script.is_file() and os.access(script, os.X_OK), f"{program} is not an executable in the checkout"
    if program == "scripts/python" and words[1:2] == ["-m"]:
        # The module exists and parses its arguments (running it would take minutes).
        result = run_in_fresh_shell(shlex.join([program, "-m", words[2], "--help"]))
        assert result.returncode == 0, result.stderr[-2000:]


def test_wrappers_work_without_the_virtualenv_on_path():
    result = run_in_fresh_shell("command -v dbt >/dev/null && echo 'dbt on PATH'; scripts/dbt --version")
    assert "dbt on PATH" not in result.stdout
    assert result.returncode == 0, result.stderr[-2000:]
    assert "installed:" in result.stdout


def test_sourcing_bootstrap_leaves_the_shell_as_it_was():
    result = run_in_fresh_shell(
        "cd /tmp; before=$(set +o; shopt -p); "
        f"source {shlex.quote(str(REPO / 'scripts' / 'bootstrap.sh'))}; "
        "after=$(set +o; shopt -p); pwd; [ \"$before\" = \"$after\" ] && echo options-unchanged; "
        "dbt --version >/dev/null && echo dbt-found")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines() == ["/tmp", "options-unchanged", "dbt-found"]


def _readme_command(prefix: str) -> str:
    found = [c for c in ALL_COMMANDS if c.startswith(prefix)]
    assert len(found) == 1, f"the README has {len(found)} commands starting {prefix!r}"
    return found[0]


needs_warehouse = pytest.mark.skipif(not WAREHOUSE.exists(), reason=f"no warehouse built at {WAREHOUSE}")


@needs_warehouse
def test_query_snippet_prints_the_marts():
    snippet = _readme_command("scripts/python - <<")
    assert '"warehouse/support_kpis.duckdb"' in snippet
    result = run_in_fresh_shell(snippet.replace("warehouse/support_kpis.duckdb", str(WAREHOUSE)))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "frt_median_business_minutes" in result.stdout and "10 rows" in result.stdout


def readme_headline_table() -> list[tuple[str, str]]:
    """(KPI, value) rows of the first table after "Headline figures"."""
    table = re.search(r"((?:^\|.*\|\n)+)", README.split("Headline figures", 1)[1], flags=re.MULTILINE).group(1)
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in table.splitlines()]
    return [(row[0], row[1]) for row in rows[2:]]  # after the header and its |---| line


@needs_warehouse
def test_headline_figures_command_prints_every_row_of_the_readme_table():
    command = _readme_command("scripts/dbt show --select headline_figures")
    result = run_in_fresh_shell(command)
    assert result.returncode == 0, result.stdout[-3000:]
    printed = re.findall(r"^\| ([^|]+?) +\| +(-?[\d,]+(?:\.\d+)?) \|$", result.stdout, flags=re.MULTILINE)
    table = readme_headline_table()
    assert len(table) == 11
    assert len(printed) == len(table), "dbt show must print every KPI the README lists"
    figures = {}
    for name, value in printed:
        matches = [readme_name for readme_name, _ in table
                   if readme_name == name or (name.endswith("...") and readme_name.startswith(name[:-3]))]
        assert len(matches) == 1, f"printed KPI {name!r} matches {matches} in the README table"
        figures[matches[0]] = Decimal(value.replace(",", ""))
    wrong = []
    for name, shown in table:
        places = Decimal(1).scaleb(-len(shown.split(".")[1]) if "." in shown else 0)
        printed_value = figures[name].quantize(places, rounding=ROUND_HALF_UP)
        if printed_value != Decimal(shown.replace(",", "")):
            wrong.append(f"{name}: README {shown}, dbt show {figures[name]}")
    assert wrong == [], "refresh the README's headline-figures table"
