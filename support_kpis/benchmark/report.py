"""Sizes, per-size results and the Markdown table the benchmark prints and writes."""

from __future__ import annotations

import platform
import re
from dataclasses import dataclass, field
from pathlib import Path

from support_kpis.benchmark.compare import Difference
from support_kpis.benchmark.measure import StepResult

_SUFFIX = {"": 1, "k": 1_000, "m": 1_000_000}
# Issue targets: at 1M, dbt model time <= 2x the baseline and peak memory under 6 GB.
TARGET_MODEL_RATIO = 2.0
TARGET_PEAK_BYTES = 6 * 1024**3
MAX_DIFFERENCES_SHOWN = 50


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
    def peak_bytes(self) -> int:
        return max((s.peak_rss_bytes for s in self.steps.values()), default=0)

    @property
    def failed(self) -> bool:
        steps_failed = any(s.returncode != 0 for s in self.steps.values())
        return steps_failed or bool(self.differences) or self.figures_compared == 0

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
        return notes


def _gb(n: int) -> str:
    return f"{n / 1024**3:.2f} GB"


def _secs(step: StepResult | None) -> str:
    if step is None:
        return "-"
    return f"{step.seconds:.1f}" + ("" if step.returncode == 0 else " (failed)")


def format_report(results: list[SizeResult], stamp: str) -> str:
    lines = [
        f"# support_kpis benchmark {stamp}",
        "",
        f"Host: {platform.node()}, {platform.machine()}, Python {platform.python_version()}. "
        "Times are wall seconds; peak = largest summed RSS of the step's process tree (/proc, 0.1 s).",
        "",
        "| size | models s | tests s | gx s | baseline s | models / baseline | peak models | peak tests | "
        "peak gx | peak baseline | figures | differences |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        ratio = r.model_ratio
        peaks = [_gb(r.steps[n].peak_rss_bytes) if n in r.steps else "-" for n in ("models", "tests", "gx", "baseline")]
        lines.append(
            f"| {r.label} | {_secs(r.steps.get('models'))} | {_secs(r.steps.get('tests'))} | "
            f"{_secs(r.steps.get('gx'))} | {_secs(r.steps.get('baseline'))} | "
            f"{'-' if ratio is None else f'{ratio:.2f}x'} | {' | '.join(peaks)} | "
            f"{r.figures_compared} | {len(r.differences)} |"
        )
    for r in results:
        extra = r.target_notes() + r.notes
        if r.generate:
            extra.insert(0, f"generated {r.exports} in {r.generate.seconds:.1f} s")
        if not extra and not r.differences:
            continue
        lines += ["", f"## {r.label}", ""]
        lines += [f"- {note}" for note in extra]
        if r.differences:
            lines += ["", f"Figure differences (dbt vs baseline), {len(r.differences)}:", ""]
            lines += [f"- {d.line()}" for d in r.differences[:MAX_DIFFERENCES_SHOWN]]
            if len(r.differences) > MAX_DIFFERENCES_SHOWN:
                lines.append(f"- ... {len(r.differences) - MAX_DIFFERENCES_SHOWN} more")
    status = "FAILED" if any(r.failed for r in results) else "passed"
    lines += ["", f"Result: {status}", ""]
    return "\n".join(lines)
