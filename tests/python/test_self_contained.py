"""The repository is complete on its own (STYLE.md 11): the KPI definitions live in docs/,
and no tracked file points outside the checkout (a sibling `shared/` folder, an absolute
path of the machine it was written on, a Markdown link climbing out of the repository)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# Generated exports: data, not prose or code, and megabytes of it.
SKIPPED_DIRS = ("data/",)
OUTSIDE_POINTERS = [
    (re.compile(r"\.\./+shared\b|\bshared/KPI_SPEC|KPI_SPEC\.md"), "the KPI spec outside the repository"),
    (re.compile(r"(?<![\w.~-])/work/"), "an absolute path on the authors' machine"),
]
MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")


def tracked_files() -> list[Path]:
    try:
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
        names = [name for name in listed.decode().split("\0") if name]
    except (OSError, subprocess.CalledProcessError):  # an unpacked archive, not a clone
        ignored = (".venv/", "target/", "logs/", "warehouse/", "dbt_packages/", ".git/", "bench/", "reports/")
        names = [str(p.relative_to(REPO)) for p in REPO.rglob("*") if p.is_file()
                 and not str(p.relative_to(REPO)).startswith(ignored)]
    return [REPO / name for name in sorted(names) if not name.startswith(SKIPPED_DIRS)
            and (REPO / name).is_file()]


def text_of(path: Path) -> str | None:
    data = path.read_bytes()
    if b"\0" in data[:4096]:
        return None  # binary
    return data.decode("utf-8", errors="replace")


def test_no_tracked_file_points_outside_the_repository():
    problems = []
    for path in tracked_files():
        if path == Path(__file__).resolve():
            continue  # the patterns themselves
        text = text_of(path)
        if text is None:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            for pattern, what in OUTSIDE_POINTERS:
                if pattern.search(line):
                    problems.append(f"{path.relative_to(REPO)}:{number}: {what}: {line.strip()}")
    assert problems == []


def test_markdown_links_stay_inside_the_repository_and_resolve():
    problems = []
    for path in tracked_files():
        if path.suffix != ".md":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for target in MARKDOWN_LINK.findall(line):
                if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
                    continue  # a web address or an anchor on the same page
                resolved = (path.parent / target.split("#")[0]).resolve()
                if not resolved.is_relative_to(REPO):
                    problems.append(f"{path.relative_to(REPO)}:{number}: {target} leaves the repository")
                elif not resolved.exists():
                    problems.append(f"{path.relative_to(REPO)}:{number}: {target} does not exist")
    assert problems == []


def test_kpi_definitions_are_complete():
    text = (REPO / "docs" / "kpi_definitions.md").read_text(encoding="utf-8")
    numbered = [int(n) for n in re.findall(r"^\s*(\d+)\. \*\*", text, flags=re.MULTILINE)]
    assert numbered == list(range(1, 12))
    headings = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
    assert headings == [
        "Conventions",
        "Category 1: Speed and accessibility",
        "Category 2: Resolution quality",
        "Category 3: Customer experience and sentiment",
        "Category 4: Volume, cost and operational control",
        "Category 5: Refunds and returns",
    ]


@pytest.mark.parametrize("page", ["README.md", "docs/decisions/README.md"])
def test_kpi_definitions_are_linked(page):
    assert "kpi_definitions.md" in (REPO / page).read_text(encoding="utf-8")
