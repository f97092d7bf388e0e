"""Run ``benchmarks/baseline.sql`` on an exports folder: ``python -m support_kpis.benchmark.baseline``.

Run as its own process by the benchmark so its time and memory are measured like dbt's.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
BASELINE_SQL = ROOT / "benchmarks" / "baseline.sql"
_SEEDS_SECTION = "-- ---------------------------------------------------------------- seeds"

# The export tables baseline.sql reads, one view each (``export_<source>_<table>``; the helpdesk's
# four as ``export_helpdesk_<table>`` in Gorgias's shape), so the script itself never names a
# file format or a helpdesk. native = the vendor's files (NDJSON for the helpdesk, CSV
# otherwise); parquet = the same tables as text Parquet, JSON columns parsed back into the
# structs the NDJSON reader gives. A Zendesk folder is presented in the same shapes by
# zendesk_views (below). Each view: (glob under exports_path, native reader options, parquet
# select list).
_TICKET_COLUMNS = {
    "id": "varchar", "channel": "varchar", "via": "varchar", "status": "varchar", "priority": "varchar",
    "subject": "varchar", "customer": "struct(id varchar, email varchar)",
    "tags": "struct(name varchar)[]", "custom_fields": "struct(name varchar, value varchar)[]",
    "spam": "varchar", "merged_into_ticket_id": "varchar", "created_datetime": "varchar",
    "closed_datetime": "varchar", "updated_datetime": "varchar",
}
_JSON_SHAPES = {  # from_json shape of the struct columns, matching _TICKET_COLUMNS
    "customer": '{"id": "VARCHAR", "email": "VARCHAR"}',
    "tags": '[{"name": "VARCHAR"}]',
    "custom_fields": '[{"name": "VARCHAR", "value": "VARCHAR"}]',
}
_NDJSON_COLUMNS = {
    "messages": ["id", "ticket_id", "from_agent", "public", "via", "rule_id", "body_text", "created_datetime"],
    "ticket_events": ["id", "object_id", "type", "created_datetime"],
    "satisfaction_surveys": ["id", "ticket_id", "score", "sent_datetime", "scored_datetime", "created_datetime"],
}
_CSV_TABLES = {  # view -> (glob, with filename column)
    "export_shopify_orders": ("shopify/orders*", False),
    "export_nps_responses": ("nps/responses*", False),
    "export_finance_support_costs": ("finance/support_costs*", False),
    "export_returns_return_requests": ("returns/return_requests*", True),
}


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def reader_views(exports: Path, export_format: str, helpdesk: str = "gorgias") -> dict[str, str]:
    """View name -> the select that reads the export table in ``export_format``."""
    root = str(exports)
    views: dict[str, str] = {}
    if helpdesk == "zendesk":
        views.update(zendesk_views(exports, export_format))
        for view, (glob, filename) in _CSV_TABLES.items():
            ext = "parquet" if export_format == "parquet" else "csv"
            reader = ("read_parquet({}, union_by_name = true" if ext == "parquet" else "read_csv({}, all_varchar = true")
            views[view] = (f"select * from {reader.format(_quote(f'{root}/{glob}.{ext}'))}"
                           f"{', filename = true' if filename else ''})")
        return views
    if helpdesk != "gorgias":
        raise ValueError(f"helpdesk {helpdesk!r}: expected gorgias or zendesk")
    if export_format == "native":
        columns = ", ".join(f"{name}: '{kind}'" for name, kind in _TICKET_COLUMNS.items())
        views["export_helpdesk_tickets"] = (
            f"select * from read_json({_quote(root + '/gorgias/tickets*.ndjson')}, format = 'newline_delimited', "
            f"filename = true, columns = {{{columns}}})"
        )
        for table, names in _NDJSON_COLUMNS.items():
            columns = ", ".join(f"{name}: 'varchar'" for name in names)
            views[f"export_helpdesk_{table}"] = (
                f"select * from read_json({_quote(f'{root}/gorgias/{table}*.ndjson')}, "
                f"format = 'newline_delimited', columns = {{{columns}}})"
            )
        for view, (glob, filename) in _CSV_TABLES.items():
            views[view] = (f"select * from read_csv({_quote(f'{root}/{glob}.csv')}, all_varchar = true"
                           f"{', filename = true' if filename else ''})")
    elif export_format == "parquet":
        select = ", ".join(
            f"from_json({name}, {_quote(_JSON_SHAPES[name])}) as {name}" if name in _JSON_SHAPES else name
            for name in _TICKET_COLUMNS
        )
        views["export_helpdesk_tickets"] = (
            f"select {select}, filename "
            f"from read_parquet({_quote(root + '/gorgias/tickets*.parquet')}, filename = true, union_by_name = true)"
        )
        for table, names in _NDJSON_COLUMNS.items():
            views[f"export_helpdesk_{table}"] = (
                f"select {', '.join(names)} "
                f"from read_parquet({_quote(f'{root}/gorgias/{table}*.parquet')}, union_by_name = true)"
            )
        for view, (glob, filename) in _CSV_TABLES.items():
            views[view] = (f"select * from read_parquet({_quote(f'{root}/{glob}.parquet')}, union_by_name = true"
                           f"{', filename = true' if filename else ''})")
    else:
        raise ValueError(f"export_format {export_format!r}: expected native or parquet")
    return views


# Zendesk Support API objects, read as text (nested fields as structs), then presented in the
# Gorgias shapes above. The reading only translates vocabulary; every KPI rule stays in
# baseline.sql:
# - status: solved/closed -> closed (the KPI "resolved"), new/open/pending/hold -> open; a row
#   with an unknown status is left out (as staging rejects it); a deleted ticket is presented
#   as spam (out of every KPI, like spam);
# - channel: Zendesk's via.channel (+ via.source.rel) in the channel_map seed's words;
# - merged: the ticket's merge audit (via.source.rel = merge, status -> closed);
# - closed time: the last status change to solved (or to closed from an unsolved status);
# - custom fields by the brand's numeric ids (variables zendesk_contact_reason_field_id /
#   zendesk_order_number_field_id); the contact-reason drop-down's tag is matched back to the
#   contact_reason_field_map seed's value whose Zendesk tag it is (whole path, else last level);
# - a comment is an agent's when its author had an agent/admin role at that time (users
#   re-exported with another role and a later updated_at change role from then); trigger
#   comments (via rule) carry their trigger id as rule_id, bot comments (via answer_bot / api)
#   an automated via of the helpdesk_vias seed;
# - status events: -> solved (or -> closed from unsolved) is a close, solved/closed -> unsolved
#   a reopen; satisfaction good -> 5, bad -> 1, offered/unoffered -> no score.
_ZD_JSON = {  # column -> (native read_json type, parquet from_json shape)
    "tickets": {
        "id": ("varchar", None), "status": ("varchar", None), "subject": ("varchar", None),
        "requester_id": ("varchar", None), "submitter_id": ("varchar", None),
        "via": ("struct(channel varchar, source struct(rel varchar))",
                '{"channel": "VARCHAR", "source": {"rel": "VARCHAR"}}'),
        "tags": ("varchar[]", '["VARCHAR"]'),
        "custom_fields": ("struct(id varchar, value varchar)[]", '[{"id": "VARCHAR", "value": "VARCHAR"}]'),
        "created_at": ("varchar", None), "updated_at": ("varchar", None),
    },
    "ticket_comments": {
        "id": ("varchar", None), "ticket_id": ("varchar", None), "author_id": ("varchar", None),
        "public": ("varchar", None), "plain_body": ("varchar", None), "created_at": ("varchar", None),
        "via": ("struct(channel varchar, source struct(\"from\" struct(id varchar), rel varchar))",
                '{"channel": "VARCHAR", "source": {"from": {"id": "VARCHAR"}, "rel": "VARCHAR"}}'),
    },
    "ticket_audits": {
        "id": ("varchar", None), "ticket_id": ("varchar", None), "created_at": ("varchar", None),
        "via": ("struct(channel varchar, source struct(\"to\" struct(ticket_id varchar), rel varchar))",
                '{"channel": "VARCHAR", "source": {"to": {"ticket_id": "VARCHAR"}, "rel": "VARCHAR"}}'),
        "events": ("struct(id varchar, type varchar, field_name varchar, value varchar, previous_value varchar)[]",
                   '[{"id": "VARCHAR", "type": "VARCHAR", "field_name": "VARCHAR", "value": "VARCHAR", '
                   '"previous_value": "VARCHAR"}]'),
    },
    "users": {
        "id": ("varchar", None), "email": ("varchar", None), "role": ("varchar", None),
        "updated_at": ("varchar", None),
    },
    "satisfaction_ratings": {
        "id": ("varchar", None), "ticket_id": ("varchar", None), "score": ("varchar", None),
        "created_at": ("varchar", None), "updated_at": ("varchar", None),
    },
}
ZENDESK_FIELD_IDS = {"zendesk_contact_reason_field_id": "360012345001", "zendesk_order_number_field_id": "360012345002"}


def _zendesk_raw(root: str, table: str, export_format: str) -> str:
    columns = _ZD_JSON[table]
    if export_format == "native":
        spec = ", ".join(f"{name}: '{kind}'" for name, (kind, _) in columns.items())
        return (f"select *, row_number() over () as read_order from read_json("
                f"{_quote(f'{root}/zendesk/{table}*.ndjson')}, format = 'newline_delimited', filename = true, "
                f"columns = {{{spec}}})")
    if export_format == "parquet":
        select = ", ".join(f"from_json({name}, {_quote(shape)}) as {name}" if shape else name
                           for name, (_, shape) in columns.items())
        return (f"select {select}, filename, row_number() over () as read_order from read_parquet("
                f"{_quote(f'{root}/zendesk/{table}*.parquet')}, filename = true, union_by_name = true)")
    raise ValueError(f"export_format {export_format!r}: expected native or parquet")


def zendesk_views(exports: Path, export_format: str) -> dict[str, str]:
    """The four helpdesk views baseline.sql reads, from a Zendesk folder (see the notes above)."""
    root = str(exports)
    reasons = _quote(str(ROOT / "seeds" / "tickets" / "contact_reason_field_map.csv"))
    tag = ("array_to_string(list_transform(string_split(lower({0}), '>'), "
           "lambda x: trim(regexp_replace(x, '[^a-z0-9]+', '_', 'g'), '_')), '__')")
    views = {f"zendesk_raw_{t}": _zendesk_raw(root, t, export_format) for t in _ZD_JSON}
    views["zendesk_reason_tags"] = (
        f"select distinct field_value, {tag.format('field_value')} as zendesk_tag "
        f"from read_csv({reasons}, all_varchar = true)")
    # one row per user and role period: a re-export with a later updated_at starts a new period
    views["zendesk_user_roles"] = """
        select distinct on (try_cast(id as bigint), utc_ts(updated_at))
            try_cast(id as bigint) as user_id, lower(trim(role)) as role, lower(trim(email)) as email,
            utc_ts(updated_at) as valid_from
        from zendesk_raw_users
        where try_cast(id as bigint) is not null
        order by try_cast(id as bigint), utc_ts(updated_at), read_order desc"""
    views["zendesk_users_now"] = """
        select distinct on (user_id) user_id, email from zendesk_user_roles
        order by user_id, valid_from desc nulls last"""
    views["zendesk_status_events"] = """
        select
            audits.id as audit_id, try_cast(audits.ticket_id as bigint) as ticket_id, audits.created_at,
            audits.via.source.rel as rel, audits.via.source."to".ticket_id as to_ticket_id,
            event.id as event_id, lower(event.value) as value, lower(event.previous_value) as previous_value
        from zendesk_raw_ticket_audits as audits, unnest(audits.events) as e(event)
        where event.type = 'Change' and event.field_name = 'status'"""
    views["export_helpdesk_ticket_events"] = """
        select
            event_id as id, cast(ticket_id as varchar) as object_id,
            case
                when value = 'solved' or (value = 'closed' and coalesce(previous_value, '') not in ('solved', 'closed'))
                    then 'ticket-closed'
                when previous_value in ('solved', 'closed') and value in ('new', 'open', 'pending', 'hold')
                    then 'ticket-reopened'
                else 'other'
            end as type,
            created_at as created_datetime
        from zendesk_status_events"""
    views["export_helpdesk_tickets"] = f"""
        with closes as (
            select ticket_id, arg_max(created_at, utc_ts(created_at)) as closed_datetime
            from export_helpdesk_ticket_events
                join zendesk_status_events on export_helpdesk_ticket_events.id = zendesk_status_events.event_id
            where type = 'ticket-closed' and utc_ts(created_datetime) is not null
            group by ticket_id
        ),
        merges as (
            select ticket_id, any_value(to_ticket_id) as merged_into
            from zendesk_status_events
            where rel = 'merge' and value = 'closed' and to_ticket_id is distinct from cast(ticket_id as varchar)
            group by ticket_id
        )
        select
            t.id,
            case lower(trim(t.via.channel))
                when 'native_messaging' then 'chat'
                when 'web' then 'contact_form'
                when 'facebook' then case when t.via.source.rel = 'message' then 'facebook_messenger' else 'facebook' end
                when 'instagram_dm' then 'instagram_direct_message'
                when 'any_channel' then t.via.source.rel
                when 'voice' then 'phone'
                else t.via.channel
            end as channel,
            lower(trim(t.via.channel)) as via,
            case when lower(trim(t.status)) in ('solved', 'closed') then 'closed' else 'open' end as status,
            t.subject,
            {{'id': t.requester_id, 'email': users.email}} as customer,
            list_transform(t.tags, lambda x: {{'name': x}}) as tags,
            [
                {{'name': 'Contact reason', 'value': coalesce(
                    (select min(field_value) from zendesk_reason_tags where zendesk_tag = reason.value),
                    (select min(field_value) from zendesk_reason_tags
                     where zendesk_tag = string_split(reason.value, '__')[-1]),
                    reason.value)}},
                {{'name': 'Order number', 'value': order_number.value}}
            ] as custom_fields,
            case when lower(trim(t.status)) = 'deleted' then 'true' else 'false' end as spam,
            merges.merged_into as merged_into_ticket_id,
            t.created_at as created_datetime,
            closes.closed_datetime,
            t.updated_at as updated_datetime,
            t.filename
        from zendesk_raw_tickets as t
        left join zendesk_users_now as users on try_cast(t.requester_id as bigint) = users.user_id
        left join closes on try_cast(t.id as bigint) = closes.ticket_id
        left join merges on try_cast(t.id as bigint) = merges.ticket_id
        left join lateral (
            select list_filter(t.custom_fields, lambda f: f.id = getvariable('zendesk_contact_reason_field_id'))[1] as f
        ) as r(reason) on true
        left join lateral (
            select list_filter(t.custom_fields, lambda f: f.id = getvariable('zendesk_order_number_field_id'))[1] as f
        ) as o(order_number) on true
        where lower(trim(t.status)) in ('new', 'open', 'pending', 'hold', 'solved', 'closed', 'deleted')
        order by t.read_order"""
    views["export_helpdesk_messages"] = """
        with comments as (
            select *, utc_ts(created_at) as created_ts from zendesk_raw_ticket_comments
        ),
        first_roles as (
            select distinct on (user_id) user_id, role from zendesk_user_roles order by user_id, valid_from
        )
        select
            c.id,
            c.ticket_id,
            case when coalesce(period.role, first_roles.role) in ('agent', 'admin') then 'true' else 'false' end
                as from_agent,
            c.public,
            case lower(c.via.channel)
                when 'answer_bot' then 'self_service'
                when 'web' then case when coalesce(period.role, first_roles.role) in ('agent', 'admin')
                    then 'helpdesk' else 'form' end
                else lower(c.via.channel)
            end as via,
            case when lower(c.via.channel) = 'rule' then c.via.source."from".id end as rule_id,
            c.plain_body as body_text,
            c.created_at as created_datetime
        from comments as c
        asof left join zendesk_user_roles as period
            on try_cast(c.author_id as bigint) = period.user_id and c.created_ts >= period.valid_from
        left join first_roles on try_cast(c.author_id as bigint) = first_roles.user_id
        order by c.read_order"""
    views["export_helpdesk_satisfaction_surveys"] = """
        select
            id, ticket_id,
            case lower(trim(score)) when 'good' then '5' when 'bad' then '1' when 'offered' then null
                when 'unoffered' then null else score end as score,
            created_at as sent_datetime,
            case when lower(trim(score)) in ('good', 'bad') then updated_at end as scored_datetime,
            created_at as created_datetime
        from zendesk_raw_satisfaction_ratings"""
    return views


def run_baseline(
    exports: Path,
    out: Path | None = None,
    *,
    export_format: str = "native",
    helpdesk: str = "gorgias",
    export_timezone: str = "America/New_York",
    reporting_timezone: str = "UTC",
    repeat_window_days: int = 7,
    temp_dir: str | None = None,
) -> duckdb.DuckDBPyConnection:
    """Execute the script in a fresh DuckDB (in memory unless ``out``); the connection holds ``headline_figures``.

    The export tables are read through the views of ``reader_views(exports, export_format)``.

    The same memory limit as the dbt profile applies (env SUPPORT_KPIS_MEMORY_LIMIT).
    """
    con = duckdb.connect(str(out) if out else ":memory:")
    con.execute(f"set memory_limit = '{os.environ.get('SUPPORT_KPIS_MEMORY_LIMIT', '4GB')}'")
    con.execute("set preserve_insertion_order = true")
    if temp_dir:
        con.execute(f"set temp_directory = '{temp_dir}'")
    variables = {
        "exports_path": str(exports),
        "seeds_path": str(ROOT / "seeds"),
        "export_timezone": export_timezone,
        "reporting_timezone": reporting_timezone,
        "repeat_window_days": repeat_window_days,
    }
    variables.update(ZENDESK_FIELD_IDS)
    for name, value in variables.items():
        con.execute(f"set variable {name} = ?", [value])
    # the script's helper macros (utc_ts...) first: the Zendesk views parse times with them
    con.execute(BASELINE_SQL.read_text().split(_SEEDS_SECTION)[0])
    for view, select in reader_views(exports, export_format, helpdesk).items():
        con.execute(f"create or replace temp view {view} as {select}")
    con.execute(BASELINE_SQL.read_text())
    return con


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m support_kpis.benchmark.baseline", description=__doc__)
    parser.add_argument("--exports", required=True)
    parser.add_argument("--out", required=True, help="DuckDB file to write headline_figures into")
    parser.add_argument("--format", choices=("native", "parquet"), default="native", help="the exports' format")
    parser.add_argument("--helpdesk", choices=("gorgias", "zendesk"), default="gorgias",
                        help="the helpdesk folder to read (gorgias/ or zendesk/)")
    parser.add_argument("--export-timezone", default="America/New_York")
    parser.add_argument("--reporting-timezone", default="UTC")
    parser.add_argument("--temp-dir", default=None)
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.unlink(missing_ok=True)
    started = time.perf_counter()
    con = run_baseline(
        Path(args.exports), out, export_format=args.format, helpdesk=args.helpdesk, export_timezone=args.export_timezone,
        reporting_timezone=args.reporting_timezone, temp_dir=args.temp_dir,
    )
    rows = con.execute("select count(*) from headline_figures").fetchall()[0][0]
    con.close()
    print(f"baseline: {rows} figures in {time.perf_counter() - started:.1f} s -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
