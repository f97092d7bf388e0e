"""Wall time and peak memory of a command's whole process tree.

Peak memory is the largest *sum* of resident set sizes (VmRSS) over the command and all its
descendants, sampled from /proc every ``interval`` seconds in a background thread. Why not
``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``: it is the max RSS of the single largest
descendant, not the tree's sum at one instant, and it accumulates over every child this
process ever waited for, so it cannot separate the steps. The cost of sampling: a spike
shorter than the interval can be missed (dbt and DuckDB hold their memory for seconds).
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


@dataclass(frozen=True)
class StepResult:
    name: str
    seconds: float
    peak_rss_bytes: int
    returncode: int
    log_path: Path | None = None


def parse_children(proc_root: Path) -> dict[int, list[int]]:
    """Parent pid -> child pids, from every /proc/<pid>/stat (field 4 is the parent)."""
    children: dict[int, list[int]] = {}
    for stat in proc_root.glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended between listing and reading
            continue
        # The command name (field 2) is in parentheses and may contain spaces.
        fields = text[text.rfind(")") + 2:].split()
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return children


def tree_pids(root_pid: int, children: dict[int, list[int]]) -> list[int]:
    pids, stack = [], [root_pid]
    while stack:
        pid = stack.pop()
        pids.append(pid)
        stack.extend(children.get(pid, []))
    return pids


def rss_bytes(pid: int, proc_root: Path) -> int:
    """Resident set of one process (0 once it is gone): field 2 of /proc/<pid>/statm, in pages."""
    try:
        return int((proc_root / str(pid) / "statm").read_text().split()[1]) * PAGE_KB * 1024
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss_bytes(root_pid: int, proc_root: Path = Path("/proc")) -> int:
    return sum(rss_bytes(pid, proc_root) for pid in tree_pids(root_pid, parse_children(proc_root)))


class PeakRssSampler(threading.Thread):
    """Polls the tree's RSS until ``stop()``; ``peak`` holds the largest sum seen."""

    def __init__(self, root_pid: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.root_pid, self.interval, self.peak = root_pid, interval, 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.peak = max(self.peak, tree_rss_bytes(self.root_pid))
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def run_step(name: str, cmd: list[str], log_path: Path, env: dict[str, str] | None = None) -> StepResult:
    """Run ``cmd`` with output to ``log_path``; time it and sample its tree's peak RSS."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as log:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
        sampler = PeakRssSampler(proc.pid)
        sampler.start()
        returncode = proc.wait()
        seconds = time.perf_counter() - started
        sampler.stop()
    return StepResult(name, seconds, sampler.peak, returncode, log_path)
