"""Sizes, per-size results and the Markdown table the benchmark prints and writes."""

from __future__ import annotations

import os
import platform
import re
from dataclasses import dataclass, field
from pathlib import Path

from support_kpis.benchmark.compare import Difference
from support_kpis.benchmark.measure import StepResult

_SUFFIX = {"": 1, "k": 1_000, "m": 1_000_000}
# Issue targets: at 1M, dbt model time (full build) <= 2x the baseline and peak memory under 6 GB;
# at 10M, one new day's incremental build in under 10% of the full build's model time.
TARGET_MODEL_RATIO = 2.0
TARGET_PEAK_BYTES = 6 * 1024**3
TARGET_DAY_RATIO = 0.10
MAX_DIFFERENCES_SHOWN = 50
# Report columns: step key -> heading.
STEP_HEADINGS = {"models": "models (full)", "incremental": "incremental day", "tests": "tests", "gx": "gx",
                 "baseline": "baseline"}


def parse_size(text: str) -> int:
    """'100k' -> 100000, '1M' -> 1000000, '2500' -> 2500."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*", text)
    if not match:
        raise ValueError(f"size {text!r}: expected a ticket count such as 100k, 1M or 10M")
    return int(float(match.group(1)) * _SUFFIX[match.group(2).lower()])


def format_size(tickets: int) -> str:
    for suffix, factor in (("M", 1_000_000), ("k", 1_000)):
        if tickets >= factor and tickets % factor == 0:
            return f"{tickets // factor}{suffix}"
    return str(tickets)


@dataclass
class SizeResult:
    label: str
    tickets: int | None
    exports: Path
    generate: StepResult | None = None
    export_format: str = "native"
    engine: str = "duckdb"
    split: StepResult | None = None  # the day split, when made in this run
    day: dict | None = None  # the split's _split.json (cutoff, rows per file on each side)
    steps: dict[str, StepResult] = field(default_factory=dict)
    differences: list[Difference] = field(default_factory=list)
    figures_compared: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def model_ratio(self) -> float | None:
        models, baseline = self.steps.get("models"), self.steps.get("baseline")
        if not models or not baseline or baseline.seconds <= 0:
            return None
        return models.seconds / baseline.seconds

    @property
    def day_ratio(self) -> float | None:
        """Incremental-day model time / full-build model time."""
        models, day = self.steps.get("models"), self.steps.get("incremental")
        if not models or not day or models.seconds <= 0:
            return None
        return day.seconds / models.seconds

    @property
    def peak_bytes(self) -> int:
        return max((s.peak_rss_bytes for s in self.steps.values()), default=0)

    @property
    def failed(self) -> bool:
        steps_failed = any(s.returncode != 0 for s in self.steps.values())
        no_figures = "baseline" in self.steps and self.figures_compared == 0
        return steps_failed or bool(self.differences) or no_figures or "models" not in self.steps

    def day_note(self) -> str | None:
        """What "one new day" was: its cutoff and how many rows it added."""
        if not self.day:
            return None
        files = self.day["files"]
        day_rows = sum(f["day_rows"] for f in files.values())
        history_rows = sum(f["history_rows"] for f in files.values())
        tickets = sum(f["day_rows"] for name, f in files.items() if name.startswith("gorgias/tickets"))
        made = f", split in {self.split.seconds:.1f} s" if self.split else ""
        return (f"day = rows at/after {self.day['cutoff']}: {day_rows} rows ({tickets} ticket rows) "
                f"in {sum(1 for f in files.values() if f['day_rows'])} files, on a history of {history_rows} rows{made}")

    def target_notes(self) -> list[str]:
        """The issue's targets, checked where they apply (reported, not a failure of the run)."""
        notes = []
        if self.tickets == 1_000_000:
            ratio = self.model_ratio
            if ratio is not None:
                verdict = "met" if ratio <= TARGET_MODEL_RATIO else "MISSED"
                notes.append(f"target model time <= {TARGET_MODEL_RATIO:g}x baseline: {verdict} ({ratio:.2f}x)")
            verdict = "met" if self.peak_bytes < TARGET_PEAK_BYTES else "MISSED"
            notes.append(f"target peak memory < 6 GB: {verdict} ({_gb(self.peak_bytes)})")
        if self.tickets == 10_000_000:
            verdict = "met" if not any(s.returncode != 0 for s in self.steps.values()) else "MISSED"
            notes.append(f"target 10M completes: {verdict}")
            ratio = self.day_ratio
            if ratio is not None:
                verdict = "met" if ratio < TARGET_DAY_RATIO else "MISSED"
                notes.append(f"target incremental day < {TARGET_DAY_RATIO:.0%} of the full model time: "
                             f"{verdict} ({ratio:.1%})")
        return notes


def _gb(n: int) -> str:
    return f"{n / 1024**3:.2f} GB"


def _secs(step: StepResult | None) -> str:
    if step is None:
        return "-"
    return f"{step.seconds:.1f}" + ("" if step.returncode == 0 else " (failed)")


def _ratio(value: float | None, percent: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:.1%}" if percent else f"{value:.2f}x"


def format_report(results: list[SizeResult], stamp: str) -> str:
    steps = list(STEP_HEADINGS)
    lines = [
        f"# support_kpis benchmark {stamp}",
        "",
        f"Host: {platform.node()}, {platform.machine()}, Python {platform.python_version()}. "
        "Times are wall seconds. models (full) = dbt seed + run on the history; incremental day = dbt run "
        "after adding the last day's files; tests, gx and the baseline run on history + day.",
        "",
        f"Settings (profiles.yml, from the environment): dbt threads {os.environ.get('SUPPORT_KPIS_THREADS', '2')}, "
        f"DuckDB memory limit {os.environ.get('SUPPORT_KPIS_MEMORY_LIMIT', '4GB')}"
        + (f", Spark driver heap {os.environ.get('SUPPORT_KPIS_SPARK_MEMORY', '2g')}, "
           f"{os.environ.get('SUPPORT_KPIS_SPARK_SHUFFLE_PARTITIONS', '4')} shuffle partitions"
           if any(r.engine == "spark" for r in results) else "")
        + f"; {os.cpu_count()} cores.",
        "",
        "| size | engine | format | models (full) s | incremental day s | day / full | tests s | gx s | baseline s | "
        "full / baseline | figures | differences |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        compared = "baseline" in r.steps and r.steps["baseline"].returncode == 0
        lines.append(
            f"| {r.label} | {r.engine} | {r.export_format} | {_secs(r.steps.get('models'))} | {_secs(r.steps.get('incremental'))} | "
            f"{_ratio(r.day_ratio, percent=True)} | {_secs(r.steps.get('tests'))} | {_secs(r.steps.get('gx'))} | "
            f"{_secs(r.steps.get('baseline'))} | {_ratio(r.model_ratio)} | "
            f"{r.figures_compared if compared else '-'} | {len(r.differences) if compared else '-'} |"
        )
    lines += [
        "",
        "Peak memory (GB): the largest summed RSS of the step's process tree (/proc, every 0.1 s).",
        "",
        "| size | " + " | ".join(STEP_HEADINGS[s] for s in steps) + " |",
        "|---|" + "---|" * len(steps),
    ]
    for r in results:
        peaks = [f"{r.steps[s].peak_rss_bytes / 1024**3:.2f}" if s in r.steps else "-" for s in steps]
        lines.append(f"| {r.label} ({r.engine}) | " + " | ".join(peaks) + " |")
    for r in results:
        extra = r.target_notes() + r.notes
        day = r.day_note()
        if day:
            extra.insert(0, day)
        if r.generate:
            extra.insert(0, f"generated {r.exports} in {r.generate.seconds:.1f} s")
        if not extra and not r.differences:
            continue
        lines += ["", f"## {r.label} ({r.engine})", ""]
        lines += [f"- {note}" for note in extra]
        if r.differences:
            lines += ["", f"Figure differences (dbt vs baseline), {len(r.differences)}:", ""]
            lines += [f"- {d.line()}" for d in r.differences[:MAX_DIFFERENCES_SHOWN]]
            if len(r.differences) > MAX_DIFFERENCES_SHOWN:
                lines.append(f"- ... {len(r.differences) - MAX_DIFFERENCES_SHOWN} more")
    status = "FAILED" if any(r.failed for r in results) else "passed"
    lines += ["", f"Result: {status}", ""]
    return "\n".join(lines)
