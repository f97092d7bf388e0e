"""``python -m support_kpis.benchmark --sizes 100k,1M,10M``: the scale benchmark.

Per size: generate the exports once (cached in bench/cache/<size>-<seed>/), build them with
dbt (``dbt seed`` + ``dbt run`` = models, then ``dbt test`` = data and unit tests, then the GX
suites), run the hand-written baseline (benchmarks/baseline.sql) on the same files, compare
the headline figures of both, and write a table to bench/runs/<timestamp>.md. Exit code 1
when a step fails or any figure differs beyond rounding.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

import duckdb

from support_kpis.benchmark.compare import baseline_figures, compare, dbt_figures
from support_kpis.benchmark.measure import StepResult, run_step
from support_kpis.benchmark.report import SizeResult, format_report, format_size, parse_size

ROOT = Path(__file__).resolve().parents[2]


def _generate(tickets: int, seed: int, cache: Path, work: Path) -> StepResult | None:
    """Generate once; a folder with a _manifest.json is a finished cache entry."""
    if (cache / "_manifest.json").exists():
        return None
    cmd = [sys.executable, "-m", "support_kpis", "generate", "--tickets", str(tickets), "--seed", str(seed),
           "--out", str(cache)]
    return run_step("generate", cmd, work / "generate.log")


def bench_size(
    label: str, tickets: int | None, seed: int, run_dir: Path, skip: set[str], dbt_threads: str | None,
) -> SizeResult:
    work = run_dir / label
    work.mkdir(parents=True, exist_ok=True)
    if tickets is None:  # "sample": the bundled exports, for a quick end-to-end check
        exports = ROOT / "data" / "sample"
        generated = None
    else:
        exports = ROOT / "bench" / "cache" / f"{label}-{seed}"
        generated = _generate(tickets, seed, exports, work)
    result = SizeResult(label=label, tickets=tickets, exports=exports, generate=generated)
    if generated and generated.returncode != 0:
        result.notes.append(f"generator failed, see {generated.log_path}")
        return result

    warehouse = work / "warehouse.duckdb"
    for stale in (warehouse, Path(f"{warehouse}.wal")):
        stale.unlink(missing_ok=True)
    env = dict(os.environ)
    env.update({
        "SUPPORT_KPIS_DB": str(warehouse),
        "DBT_TARGET_PATH": str(work / "target"),
        "DBT_LOG_PATH": str(work / "logs"),
        "SUPPORT_KPIS_TEMP_DIR": str(work / "tmp"),
        "DBT_PROFILES_DIR": str(ROOT),
    })
    if dbt_threads:
        env["SUPPORT_KPIS_THREADS"] = dbt_threads
    (work / "tmp").mkdir(exist_ok=True)
    dbt = str(Path(sys.executable).with_name("dbt"))
    vars_arg = ["--vars", f"{{exports_path: '{exports}'}}"]
    steps = [
        ("models", [[dbt, "seed", *vars_arg], [dbt, "run", *vars_arg]]),
        ("tests", [[dbt, "test", *vars_arg]]),
        ("gx", [[sys.executable, "-m", "support_kpis.quality", "--warehouse", str(warehouse), "--no-docs"]]),
    ]
    result.notes += [f"{name} skipped (--skip)" for name, _ in steps if name in skip]
    steps = [(name, commands) for name, commands in steps if name not in skip]
    for name, commands in steps:
        parts = [run_step(f"{name}:{cmd[1]}", cmd, work / f"{name}-{i}.log", env) for i, cmd in enumerate(commands)]
        result.steps[name] = StepResult(
            name, sum(p.seconds for p in parts), max(p.peak_rss_bytes for p in parts),
            max(p.returncode for p in parts), parts[-1].log_path,
        )
        if result.steps[name].returncode != 0:
            result.notes.append(f"{name} failed (exit {result.steps[name].returncode}), see {work}/{name}-*.log")

    baseline_db = work / "baseline.duckdb"
    result.steps["baseline"] = run_step(
        "baseline",
        [sys.executable, "-m", "support_kpis.benchmark.baseline", "--exports", str(exports), "--out", str(baseline_db),
         "--temp-dir", str(work / "tmp")],
        work / "baseline.log", env,
    )
    if result.steps["baseline"].returncode != 0:
        result.notes.append(f"baseline failed, see {work / 'baseline.log'}")
        return result
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            dbt_side, errors = dbt_figures(con)
    except duckdb.Error as exc:  # no warehouse at all: a failed build, reported, not a crash
        result.notes.append(f"dbt warehouse unreadable: {str(exc).splitlines()[0]}")
        return result
    with duckdb.connect(str(baseline_db), read_only=True) as con:
        base_side = baseline_figures(con)
    # A metric dbt could not produce is compared as absent: every baseline figure of it differs.
    result.notes += [f"dbt figure {metric} unreadable: {error}" for metric, error in errors.items()]
    result.figures_compared = len(set(dbt_side) | set(base_side))
    result.differences = compare(dbt_side, base_side)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m support_kpis.benchmark", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100k", help="comma-separated ticket counts: 100k,1M,10M (or 'sample')")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--skip", default="", help="comma-separated steps to leave out: tests, gx")
    parser.add_argument("--threads", default=None, help="dbt threads (default: env SUPPORT_KPIS_THREADS or the profile's 2)")
    parser.add_argument("--runs-dir", default=str(ROOT / "bench" / "runs"))
    args = parser.parse_args(argv)

    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    run_dir = Path(args.runs_dir) / stamp
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    if not skip <= {"tests", "gx"}:
        parser.error(f"--skip: unknown steps {sorted(skip - {'tests', 'gx'})}; choose from tests, gx")
    if not (ROOT / "support_kpis" / "quality" / "__main__.py").exists():
        skip.add("gx")  # the GX runner is not in this checkout
    results = []
    for label in [s.strip() for s in args.sizes.split(",") if s.strip()]:
        tickets = None if label == "sample" else parse_size(label)
        label = label if tickets is None else format_size(tickets)
        print(f"==> {label}", flush=True)
        results.append(bench_size(label, tickets, args.seed, run_dir, skip, args.threads))
    report = format_report(results, stamp)
    out = Path(args.runs_dir) / f"{stamp}.md"
    out.write_text(report)
    print(report)
    print(f"written to {out}")
    failed = any(r.failed for r in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
