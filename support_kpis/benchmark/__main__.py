"""``python -m support_kpis.benchmark --sizes 100k,1M,10M [--format parquet]``: the scale benchmark.

Per size: generate the exports once (cached in bench/cache/<size>-<seed>[-parquet]/), split
them once into history + the last day (bench/cache/<name>.split/, day_split.py), build the
history with dbt (``dbt seed`` + ``dbt run`` = models (full)), add the day's files and run
``dbt run`` again (= models (incremental day)), then ``dbt test`` and the GX suites on that
warehouse; run the hand-written baseline (benchmarks/baseline.sql) on history + day, compare
the headline figures of both, and write a table to bench/runs/<timestamp>.md. Exit code 1
when a step fails or any figure differs beyond rounding.

``--engine spark`` (or ``duckdb,spark``) builds the same exports with the `spark` target
(local Spark in the dbt process; its tables are read back with DuckDB for the figures): a
compatibility measurement on one machine, not a speed claim (docs/decisions/spark.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
from pathlib import Path

import duckdb

from support_kpis.benchmark.compare import baseline_figures, compare, dbt_figures
from support_kpis.benchmark.day_split import link_tree, load_split
from support_kpis.benchmark.measure import StepResult, run_step
from support_kpis.benchmark.report import SizeResult, format_report, format_size, parse_size
from support_kpis import spark_warehouse

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "bench" / "cache"
SKIPPABLE = ("incremental", "tests", "gx", "baseline")
ENGINES = ("duckdb", "spark")


def cache_name(label: str, seed: int, export_format: str, helpdesk: str = "gorgias") -> str:
    return (f"{label}-{seed}" + ("-parquet" if export_format == "parquet" else "")
            + ("" if helpdesk == "gorgias" else f"-{helpdesk}"))


def _generate(tickets: int, seed: int, export_format: str, cache: Path, work: Path,
              helpdesk: str = "gorgias") -> StepResult | None:
    """Generate once; a folder with a _manifest.json is a finished cache entry."""
    if (cache / "_manifest.json").exists():
        return None
    cmd = [sys.executable, "-m", "support_kpis", "generate", "--tickets", str(tickets), "--seed", str(seed),
           "--format", export_format, "--out", str(cache), "--helpdesk", helpdesk]
    return run_step("generate", cmd, work / "generate.log")


def _split(exports: Path, export_format: str, split_dir: Path, work: Path) -> tuple[StepResult | None, dict | None]:
    """Split once (day_split.py, its own process so its time and memory are measured); reuse a finished split."""
    info = load_split(exports, split_dir)
    if info is not None:
        return None, info
    step = run_step(
        "split",
        [sys.executable, "-m", "support_kpis.benchmark.day_split", "--cache", str(exports),
         "--format", export_format, "--out", str(split_dir)],
        work / "split.log",
    )
    return step, load_split(exports, split_dir)


def _dbt_step(name: str, commands: list[list[str]], work: Path, env: dict[str, str]) -> StepResult:
    parts = [run_step(f"{name}:{cmd[1]}", cmd, work / f"{name}-{i}.log", env) for i, cmd in enumerate(commands)]
    return StepResult(name, sum(p.seconds for p in parts), max(p.peak_rss_bytes for p in parts),
                      max(p.returncode for p in parts), parts[-1].log_path)


def bench_size(
    label: str, tickets: int | None, seed: int, export_format: str, run_dir: Path, skip: set[str],
    helpdesk: str = "gorgias", engine: str = "duckdb",
) -> SizeResult:
    work = run_dir / (label if engine == "duckdb" else f"{label}-{engine}")
    work.mkdir(parents=True, exist_ok=True)
    requested_skip = set(skip)
    if tickets is None:  # "sample": the bundled exports, for a quick end-to-end check
        cache = ROOT / "data" / ("sample" if helpdesk == "gorgias" else f"sample_{helpdesk}")
        generated = None
    else:
        cache = CACHE / cache_name(label, seed, export_format, helpdesk)
        generated = _generate(tickets, seed, export_format, cache, work, helpdesk)
    result = SizeResult(label=label, tickets=tickets, exports=cache, generate=generated, export_format=export_format,
                        engine=engine)
    if generated and generated.returncode != 0:
        result.notes.append(f"generator failed, see {generated.log_path}")
        return result

    exports = cache
    if helpdesk != "gorgias" and "incremental" not in skip:
        skip = skip | {"incremental"}  # the day split knows the Gorgias files only
        result.notes.append(f"incremental day not run: the day split does not split {helpdesk} exports yet")
    if "incremental" not in skip:
        split_dir = CACHE / f"{cache.name}.split"
        result.split, result.day = _split(cache, export_format, split_dir, work)
        if result.day is None:
            result.notes.append(f"day split failed, see {work / 'split.log'}")
            return result
        # dbt and the baseline read a folder of links: the history first, the day's files added later.
        exports = work / "exports"
        shutil.rmtree(exports, ignore_errors=True)
        link_tree(split_dir / "history", exports)

    warehouse = work / "warehouse.duckdb"
    for stale in (warehouse, Path(f"{warehouse}.wal")):
        stale.unlink(missing_ok=True)
    spark_dir = work / "warehouse.spark"  # the spark target's tables and metastore
    shutil.rmtree(spark_dir, ignore_errors=True)
    if engine == "spark" and "gx" not in skip:
        skip = skip | {"gx"}
        result.notes.append("gx not run: the suites read the DuckDB warehouse")
    env = dict(os.environ)
    env.update({
        "SUPPORT_KPIS_DB": str(warehouse),
        "DBT_TARGET_PATH": str(work / "target"),
        "DBT_LOG_PATH": str(work / "logs"),
        "SUPPORT_KPIS_TEMP_DIR": str(work / "tmp"),
        "DBT_PROFILES_DIR": str(ROOT),
        "SUPPORT_KPIS_SPARK_DIR": str(spark_dir),
    })
    (work / "tmp").mkdir(exist_ok=True)
    dbt = str(Path(sys.executable).with_name("dbt"))
    dbt_vars = {"exports_path": str(exports), "export_format": export_format}
    if helpdesk != "gorgias":
        dbt_vars["helpdesk"] = helpdesk
    vars_arg = ["--vars", json.dumps(dbt_vars), *(["--target", "spark"] if engine == "spark" else [])]
    result.notes += [f"{name} skipped (--skip)" for name in SKIPPABLE if name in requested_skip]

    result.steps["models"] = _dbt_step("models", [[dbt, "seed", *vars_arg], [dbt, "run", *vars_arg]], work, env)
    if result.steps["models"].returncode != 0:
        result.notes.append(f"models failed (exit {result.steps['models'].returncode}), see {work}/models-*.log")
    if "incremental" not in skip:
        if result.steps["models"].returncode != 0:
            result.notes.append("incremental day not run: the full build failed")
        else:
            link_tree(split_dir / "day", exports)  # the new day's files, beside the history's
            result.steps["incremental"] = _dbt_step("incremental", [[dbt, "run", *vars_arg]], work, env)
            if result.steps["incremental"].returncode != 0:
                result.notes.append(f"incremental day failed (exit {result.steps['incremental'].returncode}), "
                                    f"see {work}/incremental-0.log")
    later = [
        ("tests", [[dbt, "test", *vars_arg]]),
        ("gx", [[sys.executable, "-m", "support_kpis.quality", "--warehouse", str(warehouse), "--no-docs"]]),
    ]
    for name, commands in later:
        if name in skip:
            continue
        result.steps[name] = _dbt_step(name, commands, work, env)
        if result.steps[name].returncode != 0:
            result.notes.append(f"{name} failed (exit {result.steps[name].returncode}), see {work}/{name}-*.log")

    if "baseline" in skip:
        return result
    baseline_db = work / "baseline.duckdb"
    result.steps["baseline"] = run_step(
        "baseline",
        [sys.executable, "-m", "support_kpis.benchmark.baseline", "--exports", str(exports), "--out", str(baseline_db),
         "--format", export_format, "--helpdesk", helpdesk, "--temp-dir", str(work / "tmp")],
        work / "baseline.log", env,
    )
    if result.steps["baseline"].returncode != 0:
        result.notes.append(f"baseline failed, see {work / 'baseline.log'}")
        return result
    try:
        with (spark_warehouse.connect(spark_dir) if engine == "spark"
              else duckdb.connect(str(warehouse), read_only=True)) as con:
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
    parser.add_argument("--format", choices=("native", "parquet"), default="native", dest="export_format",
                        help="exports as the vendors' files (NDJSON/CSV) or as Parquet (dbt var export_format)")
    parser.add_argument("--helpdesk", choices=("gorgias", "zendesk"), default="gorgias",
                        help="helpdesk of the generated exports (dbt var helpdesk; 'sample' reads data/sample_zendesk)")
    parser.add_argument("--engine", default="duckdb",
                        help="comma-separated engines to build with: duckdb, spark (the spark target; Java + pyspark)")
    parser.add_argument("--skip", default="",
                        help=f"comma-separated steps to leave out: {', '.join(SKIPPABLE)}")
    parser.add_argument("--threads", default=None, help="dbt threads (default: env SUPPORT_KPIS_THREADS or the profile's 2)")
    parser.add_argument("--runs-dir", default=str(ROOT / "bench" / "runs"))
    args = parser.parse_args(argv)
    if args.threads:
        os.environ["SUPPORT_KPIS_THREADS"] = args.threads  # every dbt step, and the report, see it

    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    run_dir = Path(args.runs_dir) / stamp
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    if not skip <= set(SKIPPABLE):
        parser.error(f"--skip: unknown steps {sorted(skip - set(SKIPPABLE))}; choose from {', '.join(SKIPPABLE)}")
    labels = [s.strip() for s in args.sizes.split(",") if s.strip()]
    engines = [e.strip() for e in args.engine.split(",") if e.strip()]
    if not set(engines) <= set(ENGINES):
        parser.error(f"--engine: unknown {sorted(set(engines) - set(ENGINES))}; choose from {', '.join(ENGINES)}")
    if "sample" in labels and args.export_format != "native":
        parser.error("--sizes sample: the bundled sample is native exports only")
    if not (ROOT / "support_kpis" / "quality" / "__main__.py").exists():
        skip.add("gx")  # the GX runner is not in this checkout
    results = []
    for label in labels:
        tickets = None if label == "sample" else parse_size(label)
        label = label if tickets is None else format_size(tickets)
        for engine in engines:
            print(f"==> {label} ({args.export_format}, {args.helpdesk}, {engine})", flush=True)
            results.append(bench_size(label, tickets, args.seed, args.export_format, run_dir, skip, args.helpdesk,
                                      engine))
    report = format_report(results, stamp)
    out = Path(args.runs_dir) / f"{stamp}.md"
    out.write_text(report)
    print(report)
    print(f"written to {out}")
    failed = any(r.failed for r in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
