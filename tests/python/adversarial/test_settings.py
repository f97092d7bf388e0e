"""Bad settings stop the run before any model (issue 13 §1, "Bad settings").

Each bad var is given on the command line (--vars) to `dbt run -s stg_row_reconciliation`;
the run-start check (macros/validation/validate_vars.sql) must fail the run with a message
naming the var, its bad value and what is allowed, and no model may run (the warehouse
stays empty). Before this check: repeat_window_days -7 built every model (no ticket was a
repeat contact, FCR overstated), an unknown time zone failed deep inside a model with
DuckDB's raw error, and a negative clock skew quietly accepted replies sent before their
ticket. An unsupported helpdesk stops the parse itself (its staging models do not exist),
with the same kind of message. Cost: three dbt invocations that stop before any model.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import bad_inputs as bi

pytestmark = pytest.mark.dbt_build

SELECT = ["run", "--select", "stg_row_reconciliation"]

# var -> (bad value, words its message line must contain besides the var name)
BAD_VARS = {
    "repeat_window_days": (-7, ["-7", "whole number of days >= 1"]),
    "nps_recent_ticket_window_days": (0, ["0", "whole number of days >= 1"]),
    "frt_target_hours": ("24h", ['"24h"', "whole number of hours >= 1"]),
    "message_clock_skew_minutes": (-5, ["-5", "whole number of minutes >= 0"]),
    "export_timezone": ("America/New_Yrok", ['"America/New_Yrok"', "not a time zone", "America/New_York"]),
    "reporting_timezone": ("CEST+2", ['"CEST+2"', "not a time zone", "UTC"]),
    "as_of_at": ("31/12/2025", ['"31/12/2025"', "not a timestamp"]),
    "latest_plausible_at": ("tomorrow", ['"tomorrow"', "not a timestamp"]),
    "export_format": ("csv", ['"csv"', "native, parquet"]),
    "reporting_currency": ("US$", ['"US$"', "3-letter ISO 4217"]),
    "zendesk_order_number_field_id": ("Order number", ['"Order number"', "numeric id of a Zendesk ticket field"]),
}


def _no_model_ran(run: bi.Run) -> bool:
    if "START sql" in run.output or "OK created" in run.output:
        return False
    if not Path(run.db).exists():
        return True
    tables = bi.query(run.db, "select count(*) from information_schema.tables where table_schema not in ('main', 'information_schema', 'pg_catalog')")
    return tables[0][0] == 0


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> Path:
    return bi.copy_sample(tmp_path_factory.mktemp("settings") / "exports")


@pytest.fixture(scope="module")
def all_bad(tmp_path_factory, exports) -> bi.Run:
    """Every bad var at once: the check lists them all in one message."""
    return bi.dbt(SELECT, tmp_path_factory.mktemp("all_bad"), exports,
                  extra_vars={name: value for name, (value, _) in BAD_VARS.items()})


def test_every_bad_var_is_named_with_its_value_and_the_allowed_values(all_bad):
    assert all_bad.returncode != 0
    assert "Bad settings: the run stopped before any model" in all_bad.output
    lines = [line.strip() for line in all_bad.output.splitlines()]
    for name, (_, words) in BAD_VARS.items():
        matching = [line for line in lines if line.startswith(f"- {name} = ")]
        assert matching, f"no message line for {name}:\n{all_bad.output[-3000:]}"
        for word in words:
            assert word in matching[0], (name, word, matching[0])


def test_no_model_ran(all_bad):
    assert _no_model_ran(all_bad), all_bad.output[-3000:]


def test_a_single_bad_var_stops_the_run(tmp_path_factory, exports):
    value, words = BAD_VARS["repeat_window_days"]
    run = bi.dbt(SELECT, tmp_path_factory.mktemp("single"), exports, extra_vars={"repeat_window_days": value})
    assert run.returncode != 0
    assert "- repeat_window_days = " in run.output and all(word in run.output for word in words), run.output[-3000:]
    assert sum(line.strip().startswith("- ") and " = " in line for line in run.output.splitlines()) == 1
    assert _no_model_ran(run), run.output[-3000:]


def test_unknown_helpdesk_stops_the_parse_with_the_allowed_values(tmp_path_factory, exports):
    run = bi.dbt(SELECT, tmp_path_factory.mktemp("helpdesk"), exports, extra_vars={"helpdesk": "freshdesk"})
    assert run.returncode != 0
    assert 'Bad settings: helpdesk = "freshdesk": must be one of gorgias, zendesk' in run.output, run.output[-3000:]
    assert _no_model_ran(run), run.output[-3000:]
