"""Run the great-expectations suites (``suites.py``) on a built warehouse.

Why not GX's SQL datasource: on DuckDB, GX 1.x reads metric results after the
SQLAlchemy connection that produced them is closed, so every metric comes back
empty and every expectation fails. Why not one dataframe per table: a 10M-ticket
table would have to fit in memory. So: DuckDB (opened read-only) computes,
Arrow streams the rows in bounded record batches holding only the columns a
suite needs, GX's pandas dataframe datasource validates each batch, and the
per-batch results are merged. That merge is exact because ``TableCheck`` only
admits row-local expectations (see ``suites.ROW_LOCAL``): each row passes or
fails on its own, so a table passes iff every batch passes, and its unexpected
and missing counts are the sums of the batches'. Cross-row facts are computed
by SQL into a one-row frame first.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from support_kpis.quality.suites import Check, Expect, QueryCheck, TableCheck, between, in_set

DEFAULT_BATCH_ROWS = 500_000
PARTIAL_LIST_LIMIT = 20
_REF = re.compile(r"\{\{\s*ref\(\s*['\"]([A-Za-z0-9_]+)['\"]\s*\)\s*\}\}")


class QualityError(Exception):
    """A check could not be evaluated (missing model, bad SQL); counted as errored."""


# ---------------------------------------------------------------------------
# pure helpers (tested directly)
# ---------------------------------------------------------------------------
def render_sql(sql: str, models: dict[str, str]) -> str:
    """Replace ``{{ ref('m') }}`` with the model's qualified name; a missing model is an error."""

    def qualify(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in models:
            raise QualityError(f"model {name} is not in the warehouse")
        return models[name]

    return _REF.sub(qualify, sql)


def error_message(result: Any) -> str | None:
    """The exception GX caught while evaluating an expectation, if any.

    GX reports it either at the top of ``exception_info`` or nested per metric.
    """
    info = result.exception_info or {}
    if info.get("raised_exception"):
        return str(info.get("exception_message"))
    for value in info.values():
        if isinstance(value, dict) and value.get("raised_exception"):
            return str(value.get("exception_message"))
    return None


def merge_batch_results(per_batch: list[Any]) -> Any:
    """Merge one expectation's results over the batches of a table.

    Valid only for row-local expectations: success is the AND of the batches,
    and the counts are sums. An error in any batch makes the merge an error.
    """
    from great_expectations.core.expectation_validation_result import (
        ExpectationValidationResult,
    )

    if len(per_batch) == 1:
        return per_batch[0]
    first = per_batch[0]
    for r in per_batch:
        if error_message(r):
            return ExpectationValidationResult(
                success=False,
                expectation_config=first.expectation_config,
                result={},
                exception_info=r.exception_info,
            )
    merged: dict[str, Any] = {}
    for key in ("element_count", "missing_count", "unexpected_count"):
        values = [r.result.get(key) for r in per_batch]
        if all(v is not None for v in values):
            merged[key] = int(sum(values))
    for key in ("partial_unexpected_list", "partial_unexpected_index_list"):
        values = [v for r in per_batch for v in (r.result.get(key) or [])]
        if any(key in r.result for r in per_batch):
            merged[key] = values[:PARTIAL_LIST_LIMIT]
    if "element_count" in merged and "unexpected_count" in merged:
        nonmissing = merged["element_count"] - merged.get("missing_count", 0)
        merged["unexpected_percent"] = (
            100.0 * merged["unexpected_count"] / nonmissing if nonmissing else None
        )
    return ExpectationValidationResult(
        success=all(bool(r.success) for r in per_batch),
        expectation_config=first.expectation_config,
        result=merged,
        exception_info={"raised_exception": False, "exception_message": None, "exception_traceback": None},
    )


def describe(result: Any) -> str:
    """One line naming an expectation and why it failed."""
    cfg = result.expectation_config
    args = ", ".join(
        f"{k}={v}"
        for k, v in cfg.kwargs.items()
        if k in ("column", "column_A", "column_B", "value_set", "min_value", "max_value", "regex")
    )
    text = f"{cfg.type}({args})"
    err = error_message(result)
    if err:
        return f"{text}: ERROR {err.splitlines()[0][:300] if err else ''}"
    res = result.result or {}
    if "unexpected_count" in res:
        sample = res.get("partial_unexpected_list") or []
        return (
            f"{text}: {res['unexpected_count']} unexpected of {res.get('element_count')} rows,"
            f" e.g. {[str(s) for s in sample[:5]]}"
        )
    return f"{text}: observed {res.get('observed_value')}"


# ---------------------------------------------------------------------------
# warehouse access
# ---------------------------------------------------------------------------
def connect(path: str | Path) -> duckdb.DuckDBPyConnection:
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"warehouse {path} does not exist; run dbt build first")
    con = duckdb.connect(str(path), read_only=True)
    con.execute("set TimeZone = 'UTC'")
    return con


def list_models(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Model name -> ``"schema"."name"``; a name in two schemas is ambiguous and left out."""
    rows = con.execute(
        """
        select table_schema, table_name from information_schema.tables
        where table_catalog = current_database()
          and table_schema not in ('information_schema', 'pg_catalog')
        """
    ).fetchall()
    seen: dict[str, list[str]] = {}
    for schema, name in rows:
        seen.setdefault(name, []).append(f'"{schema}"."{name}"')
    return {name: quals[0] for name, quals in seen.items() if len(quals) == 1}


def column_types(con: duckdb.DuckDBPyConnection, qualified: str) -> dict[str, str]:
    schema, name = (part.strip('"') for part in qualified.split("."))
    rows = con.execute(
        """
        select column_name, data_type from information_schema.columns
        where table_catalog = current_database() and table_schema = ? and table_name = ?
        """,
        [schema, name],
    ).fetchall()
    return dict(rows)


def rechunk(batches: Iterable[pa.RecordBatch], schema: pa.Schema, batch_rows: int) -> Iterator[pa.Table]:
    """Regroup Arrow record batches into tables of exactly ``batch_rows`` rows (the last one fewer).

    DuckDB hands out vectors of ~120k rows whatever size is asked for; GX's
    per-batch overhead makes fewer, larger batches much faster.
    """
    pending: list[pa.RecordBatch] = []
    held = 0
    for record_batch in batches:
        start = 0
        while start < record_batch.num_rows:
            take = min(batch_rows - held, record_batch.num_rows - start)
            pending.append(record_batch.slice(start, take))
            held += take
            start += take
            if held == batch_rows:
                yield pa.Table.from_batches(pending, schema=schema)
                pending, held = [], 0
    if pending:
        yield pa.Table.from_batches(pending, schema=schema)


def stream_frames(
    con: duckdb.DuckDBPyConnection, sql: str, batch_rows: int
) -> Iterator[pd.DataFrame]:
    """Yield the query's rows as pandas frames of at most ``batch_rows`` rows.

    ``con.sql(...).to_arrow_reader`` streams; ``con.execute(...)`` would first
    copy the whole result. Each frame's index continues the previous one, so
    GX's unexpected-row indexes are row numbers in the whole result. An empty
    result yields one empty frame, so expectations still run (and catch
    missing columns).
    """
    reader = con.sql(sql).to_arrow_reader(batch_rows)
    offset = 0
    try:
        for table in rechunk(reader, reader.schema, batch_rows):
            frame = table.to_pandas()
            del table
            frame.index = pd.RangeIndex(offset, offset + len(frame))
            offset += len(frame)
            yield frame
        if offset == 0:
            yield reader.schema.empty_table().to_pandas()
    finally:
        # an abandoned stream would block every later query on this connection
        reader.close()


# ---------------------------------------------------------------------------
# running
# ---------------------------------------------------------------------------
@dataclass
class CheckOutcome:
    layer: str
    name: str
    results: list[Any]
    rows: int = 0


@dataclass
class LayerSummary:
    layer: str
    expectations: int = 0
    passed: int = 0
    failed: int = 0
    errored: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        text = (
            f"gx {self.layer}: {self.expectations} expectations, {self.passed} passed, "
            f"{self.failed} failed"
        )
        if self.errored:
            text += f", {self.errored} errored"
        return text + f" ({self.seconds:.1f} s)"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]+", "_", text).strip("_")[:80]


class Runner:
    def __init__(self, con: duckdb.DuckDBPyConnection, batch_rows: int = DEFAULT_BATCH_ROWS):
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        logging.getLogger("great_expectations").setLevel(logging.ERROR)
        self.gx = gx
        self.con = con
        self.batch_rows = batch_rows
        self.models = list_models(con)
        self.context = gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        asset = self.context.data_sources.add_pandas("warehouse").add_dataframe_asset("frames")
        self.batch_definition = asset.add_batch_definition_whole_dataframe("frame")
        self.suite_results: list[Any] = []

    # -- building GX objects --------------------------------------------------
    def _suite(self, suite_name: str, expectations: tuple[Expect, ...] | list[Expect]) -> Any:
        import great_expectations.expectations as gxe

        suite = self.context.suites.add(self.gx.ExpectationSuite(name=suite_name))
        for e in expectations:
            suite.add_expectation(getattr(gxe, e.type)(**e.kwargs))
        return suite

    def _errored(self, suite: Any, message: str) -> list[Any]:
        from great_expectations.core.expectation_validation_result import (
            ExpectationValidationResult,
        )

        return [
            ExpectationValidationResult(
                success=False,
                expectation_config=e.configuration,
                result={},
                exception_info={
                    "raised_exception": True,
                    "exception_message": message,
                    # the data docs renderer needs a string here
                    "exception_traceback": message,
                },
            )
            for e in suite.expectations
        ]

    def _validate_stream(self, suite: Any, sql: str) -> tuple[list[Any], int]:
        per_expectation: list[list[Any]] = [[] for _ in suite.expectations]
        rows = 0
        for frame in stream_frames(self.con, sql, self.batch_rows):
            rows += len(frame)
            batch = self.batch_definition.get_batch(batch_parameters={"dataframe": frame})
            result = batch.validate(suite)
            # GX returns results in its own order; match on the configuration.
            by_id = {r.expectation_config.id: r for r in result.results}
            for i, expectation in enumerate(suite.expectations):
                per_expectation[i].append(by_id[expectation.id])
        return [merge_batch_results(rs) for rs in per_expectation], rows

    def _record(self, layer: str, suite_name: str, display: str, results: list[Any], rows: int) -> CheckOutcome:
        from great_expectations.core.expectation_validation_result import (
            ExpectationSuiteValidationResult,
        )

        evaluated = len(results)
        successful = sum(bool(r.success) for r in results)
        self.suite_results.append(
            ExpectationSuiteValidationResult(
                success=successful == evaluated,
                results=results,
                suite_name=suite_name,
                statistics={
                    "evaluated_expectations": evaluated,
                    "successful_expectations": successful,
                    "unsuccessful_expectations": evaluated - successful,
                    "success_percent": 100.0 * successful / evaluated if evaluated else None,
                },
                meta={"check": display, "layer": layer, "rows": rows},
            )
        )
        return CheckOutcome(layer, display, results, rows)

    # -- checks ---------------------------------------------------------------
    def run_table(self, layer: str, check: TableCheck) -> list[CheckOutcome]:
        outcomes = []
        # 1. shape: row count, duplicate keys, DuckDB column types (one-row frame)
        shape_exp: list[Expect] = [between("row_count", 1)]
        if check.grain:
            shape_exp.append(between("duplicate_keys", 0, 0))
        shape_exp += [in_set(f"type__{c}", [t]) for c, t in check.types.items()]
        shape_name = f"{layer}.{check.model}.shape"
        shape_suite = self._suite(shape_name, shape_exp)
        qualified = self.models.get(check.model)
        if qualified is None:
            message = f"model {check.model} is not in the warehouse"
            outcomes.append(self._record(layer, shape_name, f"{check.model} (shape)", self._errored(shape_suite, message), 0))
            if check.expectations:
                suite = self._suite(f"{layer}.{check.model}", check.expectations)
                outcomes.append(self._record(layer, suite.name, check.model, self._errored(suite, message), 0))
            return outcomes
        types = column_types(self.con, qualified)
        grain_cols = ", ".join(f'"{c}"' for c in check.grain)
        duplicate_sql = (
            f"count(*) - (select count(*) from (select distinct {grain_cols} from {qualified}))"
            if check.grain
            else "0"
        )
        try:
            # fetchall, not fetchone: DuckDB 2.0 refuses new work while a result is unfinished
            ((row_count, duplicates),) = self.con.execute(
                f"select count(*), {duplicate_sql} from {qualified}"
            ).fetchall()
            shape = {"row_count": [row_count], "duplicate_keys": [duplicates]}
            # A missing column is left out of the frame, so GX reports it as an error by name.
            shape.update({f"type__{c}": [types[c]] for c in check.types if c in types})
            results, _ = self._validate_frame(shape_suite, pd.DataFrame(shape))
        except duckdb.Error as exc:
            results = self._errored(shape_suite, str(exc))
        outcomes.append(self._record(layer, shape_name, f"{check.model} (grain, types, not empty)", results, 1))

        # 2. row-local expectations, streamed in batches of only the needed columns
        if check.expectations:
            suite = self._suite(f"{layer}.{check.model}", check.expectations)
            present = [c for c in check.columns() if c in types]
            select = ", ".join(f'"{c}"' for c in present) or "null as no_columns"
            try:
                results, rows = self._validate_stream(suite, f"select {select} from {qualified}")
            except duckdb.Error as exc:
                results, rows = self._errored(suite, str(exc)), 0
            outcomes.append(self._record(layer, suite.name, check.model, results, rows))
        return outcomes

    def _validate_frame(self, suite: Any, frame: pd.DataFrame) -> tuple[list[Any], int]:
        batch = self.batch_definition.get_batch(batch_parameters={"dataframe": frame})
        return list(batch.validate(suite).results), len(frame)

    def run_query(self, layer: str, check: QueryCheck) -> CheckOutcome:
        suite = self._suite(f"{layer}.query.{_slug(check.name)}", check.expectations)
        try:
            sql = render_sql(check.sql, self.models)
            results, rows = self._validate_stream(suite, sql)
        except (QualityError, duckdb.Error) as exc:
            results, rows = self._errored(suite, str(exc).splitlines()[0]), 0
        return self._record(layer, suite.name, check.name, results, rows)

    def run_layer(self, layer: str, checks: list[Check]) -> LayerSummary:
        started = time.perf_counter()
        summary = LayerSummary(layer)
        for check in checks:
            outcomes = (
                self.run_table(layer, check)
                if isinstance(check, TableCheck)
                else [self.run_query(layer, check)]
            )
            for outcome in outcomes:
                shared_errors: dict[str, int] = {}
                for r in outcome.results:
                    summary.expectations += 1
                    err = error_message(r)
                    if err and err.startswith("model "):
                        # a missing model errors every expectation on it: say so once
                        summary.errored += 1
                        shared_errors[err] = shared_errors.get(err, 0) + 1
                    elif err:
                        summary.errored += 1
                        summary.problems.append(f"ERRORED {layer} {outcome.name}: {describe(r)}")
                    elif r.success:
                        summary.passed += 1
                    else:
                        summary.failed += 1
                        summary.problems.append(f"FAILED {layer} {outcome.name}: {describe(r)}")
                for err, count in shared_errors.items():
                    summary.problems.append(
                        f"ERRORED {layer} {outcome.name}: {err} ({count} expectations not evaluated)"
                    )
        summary.seconds = time.perf_counter() - started
        return summary

    # -- data docs --------------------------------------------------------------
    def write_data_docs(self, directory: str | Path) -> Path:
        from great_expectations.core.run_identifier import RunIdentifier
        from great_expectations.data_context.types.resource_identifiers import (
            ExpectationSuiteIdentifier,
            ValidationResultIdentifier,
        )

        directory = Path(directory).resolve()
        directory.mkdir(parents=True, exist_ok=True)
        self.context.add_data_docs_site(
            site_name="support_kpis",
            site_config={
                "class_name": "SiteBuilder",
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(directory),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            },
        )
        run_id = RunIdentifier(run_name="support_kpis_quality")
        store = self.context.validation_results_store
        for result in self.suite_results:
            key = ValidationResultIdentifier(
                expectation_suite_identifier=ExpectationSuiteIdentifier(name=result.suite_name),
                run_id=run_id,
                batch_identifier="warehouse",
            )
            store.set(key, result)
        self.context.build_data_docs(site_names=["support_kpis"])
        return directory / "index.html"
