"""Adversarial bad-input suite: the project built against broken export folders.

For every problem the build must either stop with an error naming the file and the
problem, or finish with the bad rows in stg_rejected_rows (file, line, reason), the
reconciliation holding, and the clean rows' figures unchanged.

Cost (marker `dbt_build`; skip with `-m "not dbt_build"`): ten dbt invocations,
  1. clean data/sample, whole project (shared with test_idempotence.py),
  2. `planted`: 18 bad rows + 1 stale conflicting duplicate on top of the clean sample,
     whole project; every mart must hash equal to the clean build,
  3. `reformatted`: the same data spelled awkwardly (BOM, 4 timestamp spellings,
     quoted newline, header-only file), staging only; every stg_* model must hash equal
     (the marts are a function of the stg_* models, seeds and vars, so equal staging
     means equal marts without paying for a second whole build),
  4. `headers`: missing/extra/renamed columns in five tables: a missing required or renamed
     column stops at run start; an extra or absent optional one is only listed,
  5. `file`: one folder per file problem, staging only: empty files, Latin-1 and a truncated
     CSV line must be handled (issue 13 §2); Windows-1252 and truncated NDJSON stop with an
     error naming the file.
Row-level problems share one folder because rejections are per row and do not interact;
header problems share one folder (the run-start check lists every bad header); a file
DuckDB cannot read stops that check at once, so each of those gets its own folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import bad_inputs as bi

pytestmark = pytest.mark.dbt_build


def _folder(tmp_path_factory, name: str, mutate) -> tuple[Path, Path, object]:
    workdir = tmp_path_factory.mktemp(name)
    exports = bi.copy_sample(workdir / "exports")
    return workdir / "dbt", exports, mutate(exports)


def _require_staging(run: bi.Run) -> None:
    """Row-level checks need only the staging audits; a failing mart must not hide them."""
    built = bi.query(run.db, "select count(*) from information_schema.tables where table_schema = 'staging' "
                             "and table_name in ('stg_rejected_rows', 'stg_row_reconciliation')")[0][0]
    if built != 2:
        pytest.fail("staging audits were not built, so this case could not be checked:\n" + _errors(run.output))


def _require_success(run: bi.Run) -> None:
    if run.returncode != 0:
        pytest.fail("dbt build failed, so this case could not be checked:\n" + _errors(run.output))


def _errors(output: str) -> str:
    """The lines of dbt's output that say what went wrong (not the whole log)."""
    lines = [line for line in output.splitlines()
             if any(word in line.lower() for word in ("error", "fail", "exception", "invalid", " - "))]
    return "\n".join(lines[-40:])


def _reconciliation(db: Path) -> dict[tuple[str, str], tuple[int, int, int, int]]:
    rows = bi.query(db, "select source_name, table_name, rows_read, rows_kept, rows_duplicate, rows_rejected "
                        "from staging.stg_row_reconciliation")
    return {(r[0], r[1]): tuple(r[2:]) for r in rows}


# ---------------------------------------------------------------- planted bad rows

@pytest.fixture(scope="module")
def planted(tmp_path_factory, baseline):
    workdir, exports, added = _folder(tmp_path_factory, "planted", bi.plant_bad_rows)
    run = bi.dbt(["build", *bi.NO_TESTS], workdir, exports)
    return {"run": run, "exports": exports, "added": added}


@pytest.mark.parametrize("plant", bi.PLANTS, ids=lambda plant: plant.case.replace(" ", "_"))
def test_planted_row_is_quarantined_with_its_reason(planted, plant):
    _require_staging(planted["run"])
    rows = bi.query(
        planted["run"].db,
        "select record_id, rejection_reason from staging.stg_rejected_rows "
        "where source_name = ? and table_name = ? and source_file like ?",
        [plant.source_name, plant.table_name, f"%/{plant.source_name}/{plant.file_name}"],
    )
    matching = [r for r in rows if plant.record_id is None or r[0] == plant.record_id]
    assert any(plant.reason in (r[1] or "") for r in matching), (
        f"{plant.case}: expected a rejected row {plant.record_id} from {plant.file_name} with a reason "
        f"containing {plant.reason!r}; rejected rows from that file: {rows}"
    )


def test_planted_stale_duplicate_is_superseded_not_rejected(planted, baseline):
    _require_staging(planted["run"])
    planted_counts = _reconciliation(planted["run"].db)[("gorgias", "tickets")]
    clean_counts = _reconciliation(baseline["run"].db)[("gorgias", "tickets")]
    assert planted_counts[2] == clean_counts[2] + 1, (planted_counts, clean_counts)
    rejected = bi.query(planted["run"].db, "select rejection_reason from staging.stg_rejected_rows "
                                           "where table_name = 'tickets' and record_id = ?",
                        [bi.STALE_DUPLICATE_TICKET])
    assert rejected == []
    status = bi.query(planted["run"].db, "select status, subject from staging.stg_gorgias__tickets "
                                         "where ticket_id = ?", [int(bi.STALE_DUPLICATE_TICKET)])
    assert status[0][1] != "CONFLICTING STALE COPY"


def test_planted_reconciliation_holds_and_counts_every_file_row(planted, baseline):
    _require_staging(planted["run"])
    counts = _reconciliation(planted["run"].db)
    clean = _reconciliation(baseline["run"].db)
    in_files = bi.file_row_counts(planted["exports"])
    problems = []
    for key, (read, kept, duplicate, rejected) in counts.items():
        if read != kept + duplicate + rejected:
            problems.append(f"{key}: read {read} != kept {kept} + duplicate {duplicate} + rejected {rejected}")
        if read != in_files[key]:
            problems.append(f"{key}: staging read {read} rows, the files hold {in_files[key]}")
        if read != clean[key][0] + planted["added"].get(key, 0):
            problems.append(f"{key}: read {read}, clean {clean[key][0]} + planted {planted['added'].get(key, 0)}")
        if kept != clean[key][1]:
            problems.append(f"{key}: kept {kept} rows, the clean build kept {clean[key][1]}")
    assert not problems, "\n".join(problems)


def test_planted_staging_outputs_equal_clean(planted, baseline):
    _require_staging(planted["run"])
    differ = {name for name, digest in bi.staging_hashes(planted["run"].db).items()
              if baseline["staging"].get(name) != digest}
    assert not differ, f"staging models changed by rows that should have been quarantined: {sorted(differ)}"


def test_planted_marts_equal_clean(planted, baseline):
    _require_success(planted["run"])
    marts = bi.kpi_mart_hashes(planted["run"].db)
    assert set(marts) == set(baseline["marts"])
    differ = sorted(name for name, digest in marts.items() if baseline["marts"][name] != digest)
    assert not differ, f"marts changed by rows that should have been quarantined: {differ}"


def test_planted_rows_are_counted_in_data_quality_summary(planted, baseline):
    """The marts leave the planted rows out; the data-quality mart must say how many."""
    _require_success(planted["run"])
    summary_sql = ("select coalesce(sum(row_count), 0) from marts.data_quality_summary "
                   "where check_name = 'rows_rejected'")
    counted = bi.query(planted["run"].db, summary_sql)[0][0]
    rejected = bi.query(planted["run"].db, "select count(*) from staging.stg_rejected_rows")[0][0]
    clean = bi.query(baseline["run"].db, summary_sql)[0][0]
    assert counted == rejected
    assert counted - clean == len(bi.PLANTS)


# ---------------------------------------------------------------- same data, awkward spellings

@pytest.fixture(scope="module")
def reformatted(tmp_path_factory, baseline):
    workdir, exports, _ = _folder(tmp_path_factory, "reformatted", bi.rewrite_equivalent_formats)
    run = bi.dbt(["build", "--select", "+path:models/staging", *bi.NO_TESTS], workdir, exports)
    return {"run": run, "exports": exports}


NEWLINE_AS_SPACE = "select * replace (replace(comment, chr(10), ' ') as comment) from staging.stg_nps__responses"


def test_reformatted_staging_outputs_equal_clean(reformatted, baseline):
    """BOM, Z / +05:30 / Shopify `-0500` / naive-local timestamps, a quoted newline and a
    header-only extra file change no staged value (the NPS comment compared with its
    planted newline read as the space it replaced)."""
    _require_success(reformatted["run"])
    differ = bi.staging_differences(reformatted["run"].db, baseline, {"stg_nps__responses": NEWLINE_AS_SPACE})
    assert not differ, f"staging models changed by a mere change of spelling: {differ}"


def test_reformatted_quoted_newline_survives_in_one_row(reformatted, baseline):
    _require_success(reformatted["run"])
    header, rows = bi.read_csv_rows(reformatted["exports"] / "nps" / "responses.csv")
    response_id, comment = rows[bi.MULTILINE_NPS_ROW][0], rows[bi.MULTILINE_NPS_ROW][header.index("comment")]
    assert "\n" in comment
    staged = bi.query(reformatted["run"].db, "select comment from staging.stg_nps__responses where response_id = ?",
                      [response_id])
    assert staged == [(comment,)]


def test_reformatted_reconciliation_and_rejections_unchanged(reformatted, baseline):
    _require_success(reformatted["run"])
    assert _reconciliation(reformatted["run"].db) == _reconciliation(baseline["run"].db)
    sql = ("select source_name, table_name, regexp_extract(source_file, '[^/]+$'), source_line, record_id, "
           "rejection_reason from staging.stg_rejected_rows order by all")
    assert bi.query(reformatted["run"].db, sql) == bi.query(baseline["run"].db, sql)


# ---------------------------------------------------------------- file-level problems

@pytest.fixture(scope="module")
def header_run(tmp_path_factory):
    workdir, exports, _ = _folder(tmp_path_factory, "headers", bi.break_headers)
    # The run-start check reads every file whatever is selected: select the smallest model.
    return bi.dbt(["build", "--select", "base_finance__support_costs", *bi.NO_TESTS], workdir, exports)


@pytest.mark.parametrize("file_name", sorted(bi.HEADER_PROBLEMS))
def test_header_problem_stops_the_run_naming_file_and_column(header_run, file_name):
    assert header_run.returncode != 0, "a build with broken headers succeeded"
    lines = [line for line in header_run.output.splitlines() if file_name in line]
    words = bi.HEADER_PROBLEMS[file_name]
    assert any(all(word in line for word in words) for line in lines), (
        f"no error line names {file_name} with {words}; dbt said:\n{_errors(header_run.output)}"
    )


@pytest.mark.parametrize("file_name", sorted(bi.HEADER_NOTES))
def test_header_note_is_listed_not_a_reason_to_stop(header_run, file_name):
    """An unknown column or an absent optional one is listed in the run-start log line, and
    is not among the problems that stop the run."""
    words = bi.HEADER_NOTES[file_name]
    lines = [line for line in header_run.output.splitlines() if file_name in line]
    assert any(all(word in line for word in words) for line in lines), (
        f"no log line names {file_name} with {words}; dbt said:\n{_errors(header_run.output)}")
    error = header_run.output.split("do not match the export contract", 1)[-1]
    assert file_name not in error, f"{file_name} is listed as a reason to stop:\n{error}"


@pytest.mark.parametrize("case", sorted(bi.FILE_PROBLEMS))
def test_unreadable_file_is_named_in_an_error_or_handled(tmp_path_factory, baseline, case):
    """Either an error line names the file and the problem, or the build went through and
    handled it: an empty file adds no rows, the Latin-1 answer is decoded, a truncated
    last line is quarantined (for those, must_be_handled: an error fails the test). One folder per case: the run-start check stops at the first
    file DuckDB cannot read, which would hide the others."""
    problem = bi.FILE_PROBLEMS[case]
    workdir, exports, _ = _folder(tmp_path_factory, "file", lambda e: problem.write(e, problem.file_name))
    run = bi.dbt(["build", *bi.STAGING_AUDIT, "stg_nps__responses", *bi.NO_TESTS], workdir, exports)
    named = [line for line in run.output.splitlines() if problem.file_name in line]
    if problem.must_be_handled:
        # issue 13 §2: empty files, Latin-1 and a truncated CSV line are valid exports
        assert run.returncode == 0, f"{problem.file_name}: the build stopped:\n{_errors(run.output)}"
        assert _handled(run.db, baseline, exports, problem.file_name), f"{problem.file_name}: not handled"
        return
    if any(any(word in line.lower() for word in problem.words) for line in named):
        return
    if run.returncode == 0 and _handled(run.db, baseline, exports, problem.file_name):
        return
    pytest.fail(f"{problem.file_name}: neither an error naming the file and the problem {problem.words} nor a "
                f"handled row. exit code {run.returncode}; dbt said:\n{_errors(run.output)}")


def _handled(db: Path, baseline, exports: Path, file_name: str) -> bool:
    source_name, base = file_name.split("/")
    if "empty" in base:
        table = next(t for t in bi.KNOWN_TABLES[source_name] if base.startswith(t))
        return _reconciliation(db)[(source_name, table)] == _reconciliation(baseline["run"].db)[(source_name, table)]
    if "latin1" in base:
        response_id, comment = bi.LATIN1_RESPONSE
        return bi.query(db, "select comment from staging.stg_nps__responses where response_id = ?",
                        [response_id]) == [(comment,)]
    # Truncated: the file's last record (by a count that ignores the reader) is quarantined.
    text = (exports / file_name).read_text(encoding="utf-8")
    last = len([line for line in text.splitlines() if line.strip()]) - (0 if base.endswith(".ndjson") else 1)
    return bool(bi.query(db, "select 1 from staging.stg_rejected_rows where source_file like ? and source_line = ?",
                         [f"%/{file_name}", last]))
