{{ config(materialized='incremental') }}
{#- Zendesk's duration figures: each a `{calendar, business}` object of whole minutes. -#}
{%- set durations = [
    'reply_time', 'first_resolution_time', 'full_resolution_time',
    'agent_wait_time', 'requester_wait_time', 'on_hold_time',
] -%}
{%- set counts = ['reopens', 'replies', 'assignee_stations', 'group_stations'] -%}
{%- set optional_timestamps = ['created_at', 'solved_at', 'initially_assigned_at', 'assigned_at'] -%}
{#- Every reason a row is quarantined; a duration or count that is not a whole number >= 0
    is a figure we cannot show, so the row is set aside (never a figure read as 0). -#}
{%- set checks = [
    ["ticket_metric_id is null", "missing or non-numeric id"],
    [is_in_the_future(optional_timestamps + ['updated_at']), "timestamp in the future"],
    ["ticket_id is null", "missing or non-numeric ticket_id"],
    ["updated_at is null", "missing or unparseable updated_at"],
] -%}
{%- for timestamp in optional_timestamps -%}
    {%- do checks.append([
        is_unparseable_timestamp(timestamp | replace('_at', '_datetime')), "unparseable " ~ timestamp,
    ]) -%}
{%- endfor -%}
{%- for duration in durations -%}
    {%- do checks.append([
        is_not_json_object("raw_" ~ duration), duration ~ "_in_minutes is not a {calendar, business} object",
    ]) -%}
    {%- for basis in ['calendar', 'business'] -%}
        {%- set raw = "raw_" ~ duration ~ "_" ~ basis -%}
        {%- set typed = duration ~ "_" ~ basis ~ "_minutes" -%}
        {%- do checks.append([raw ~ " is not null and " ~ typed ~ " is null",
            "non-numeric or fractional " ~ duration ~ "_in_minutes." ~ basis]) -%}
        {%- do checks.append([typed ~ " < 0", "negative " ~ duration ~ "_in_minutes." ~ basis]) -%}
    {%- endfor -%}
{%- endfor -%}
{%- for count in counts -%}
    {%- do checks.append([
        "raw_" ~ count ~ " is not null and " ~ count ~ " is null", "non-numeric or fractional " ~ count,
    ]) -%}
    {%- do checks.append([count ~ " < 0", "negative " ~ count]) -%}
{%- endfor %}
with

source as (

    select * from {{ export_rows(source('zendesk', 'ticket_metrics'), 'zendesk', 'ticket_metrics') }}

),

parsed as (

    select
        source.filename as source_file,
        {{ export_line_number() }} as source_line,
        {{ row_struct('source') }} as raw_row,  -- the row as read (a struct): raw_record_if_rejected's input
        source.id as raw_id,
        {{ text_as_id('source.id') }} as ticket_metric_id,
        {{ text_as_id('source.ticket_id') }} as ticket_id,
        -- each duration as exported (NDJSON: JSON; Parquet: JSON text), then its two members
        source.reply_time_in_minutes as raw_reply_time,
        source.first_resolution_time_in_minutes as raw_first_resolution_time,
        source.full_resolution_time_in_minutes as raw_full_resolution_time,
        source.agent_wait_time_in_minutes as raw_agent_wait_time,
        source.requester_wait_time_in_minutes as raw_requester_wait_time,
        source.on_hold_time_in_minutes as raw_on_hold_time,
        {{ json_member_text('source.reply_time_in_minutes', 'calendar') }} as raw_reply_time_calendar,
        {{ json_member_text('source.reply_time_in_minutes', 'business') }} as raw_reply_time_business,
        {{ json_member_text('source.first_resolution_time_in_minutes', 'calendar') }}
            as raw_first_resolution_time_calendar,
        {{ json_member_text('source.first_resolution_time_in_minutes', 'business') }}
            as raw_first_resolution_time_business,
        {{ json_member_text('source.full_resolution_time_in_minutes', 'calendar') }}
            as raw_full_resolution_time_calendar,
        {{ json_member_text('source.full_resolution_time_in_minutes', 'business') }}
            as raw_full_resolution_time_business,
        {{ json_member_text('source.agent_wait_time_in_minutes', 'calendar') }} as raw_agent_wait_time_calendar,
        {{ json_member_text('source.agent_wait_time_in_minutes', 'business') }} as raw_agent_wait_time_business,
        {{ json_member_text('source.requester_wait_time_in_minutes', 'calendar') }} as raw_requester_wait_time_calendar,
        {{ json_member_text('source.requester_wait_time_in_minutes', 'business') }} as raw_requester_wait_time_business,
        {{ json_member_text('source.on_hold_time_in_minutes', 'calendar') }} as raw_on_hold_time_calendar,
        {{ json_member_text('source.on_hold_time_in_minutes', 'business') }} as raw_on_hold_time_business,
        nullif(trim(source.reopens), '') as raw_reopens,
        nullif(trim(source.replies), '') as raw_replies,
        nullif(trim(source.assignee_stations), '') as raw_assignee_stations,
        nullif(trim(source.group_stations), '') as raw_group_stations,
        source.created_at as created_datetime,
        source.solved_at as solved_datetime,
        source.initially_assigned_at as initially_assigned_datetime,
        source.assigned_at as assigned_datetime,
        source.updated_at as updated_datetime,
        {{ to_utc_timestamp('source.created_at') }} as created_at,
        {{ to_utc_timestamp('source.solved_at') }} as solved_at,
        {{ to_utc_timestamp('source.initially_assigned_at') }} as initially_assigned_at,
        {{ to_utc_timestamp('source.assigned_at') }} as assigned_at,
        {{ to_utc_timestamp('source.updated_at') }} as updated_at

    from source

),

-- Whole numbers only: Zendesk's figures are integers (try_cast would round 12.5 to 13). A JSON
-- number always has a decimal point, never a comma: no file convention to find.
typed as (

    select
        *,
        {{ parse_whole_number('raw_reply_time_calendar', "'decimal_point'", 'bigint') }}
            as reply_time_calendar_minutes,
        {{ parse_whole_number('raw_reply_time_business', "'decimal_point'", 'bigint') }}
            as reply_time_business_minutes,
        {{ parse_whole_number('raw_first_resolution_time_calendar', "'decimal_point'", 'bigint') }}
            as first_resolution_time_calendar_minutes,
        {{ parse_whole_number('raw_first_resolution_time_business', "'decimal_point'", 'bigint') }}
            as first_resolution_time_business_minutes,
        {{ parse_whole_number('raw_full_resolution_time_calendar', "'decimal_point'", 'bigint') }}
            as full_resolution_time_calendar_minutes,
        {{ parse_whole_number('raw_full_resolution_time_business', "'decimal_point'", 'bigint') }}
            as full_resolution_time_business_minutes,
        {{ parse_whole_number('raw_agent_wait_time_calendar', "'decimal_point'", 'bigint') }}
            as agent_wait_time_calendar_minutes,
        {{ parse_whole_number('raw_agent_wait_time_business', "'decimal_point'", 'bigint') }}
            as agent_wait_time_business_minutes,
        {{ parse_whole_number('raw_requester_wait_time_calendar', "'decimal_point'", 'bigint') }}
            as requester_wait_time_calendar_minutes,
        {{ parse_whole_number('raw_requester_wait_time_business', "'decimal_point'", 'bigint') }}
            as requester_wait_time_business_minutes,
        {{ parse_whole_number('raw_on_hold_time_calendar', "'decimal_point'", 'bigint') }}
            as on_hold_time_calendar_minutes,
        {{ parse_whole_number('raw_on_hold_time_business', "'decimal_point'", 'bigint') }}
            as on_hold_time_business_minutes,
        {{ parse_whole_number('raw_reopens', "'decimal_point'") }} as reopens,
        {{ parse_whole_number('raw_replies', "'decimal_point'") }} as replies,
        {{ parse_whole_number('raw_assignee_stations', "'decimal_point'") }} as assignee_stations,
        {{ parse_whole_number('raw_group_stations', "'decimal_point'") }} as group_stations

    from parsed

),

checked as (

    select
        *,
        {{ rejection_reason(checks) }} as rejection_reason

    from typed

),

candidates as (

    select
        -- exclude () takes bare column names
        {{ recheck_columns_except('checked', ['raw_row']) }},  -- noqa: RF03
        {{ recheck_raw_record(raw_record_if_rejected('zendesk', 'ticket_metrics', 'checked')) }} as raw_record
    from checked
    {{ loaded_rows_to_recheck('checked', ['ticket_id'], ['is_superseded']) }}

),

final as (

    select
        *,
        {{ load_timestamp() }} as loaded_at,
        -- one set of figures per ticket: the latest update wins (then the later file and line)
        {{ is_superseded(['ticket_id'], ['updated_at desc', 'source_file desc', 'source_line desc']) }}
            as is_superseded

    from candidates

)

-- AM04: on incremental runs `candidates` unions the loaded rows by name (all_columns_except: `* exclude`).
select * from final  -- noqa: AM04
