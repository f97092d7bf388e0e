with

source as (

    select * from {{ export_rows(source('zendesk', 'ticket_metrics'), 'zendesk', 'ticket_metrics') }}

),

parsed as (

    select
        source.filename as source_file,
        {{ export_line_number() }} as source_line,
        source as raw_row,  -- the row as read (a struct): raw_record_if_rejected's input
        source.id as raw_id,
        try_cast(source.id as bigint) as ticket_metric_id,
        try_cast(source.ticket_id as bigint) as ticket_id,
        source.solved_at,
        source.initially_assigned_at,
        source.assigned_at,
        try_cast(source.reopens as integer) as reopens,
        try_cast(source.replies as integer) as replies,
        try_cast(source.assignee_stations as integer) as assignee_stations,
        try_cast(source.group_stations as integer) as group_stations,
        source.reply_time_in_minutes::json as reply_time_in_minutes,
        source.first_resolution_time_in_minutes::json as first_resolution_time_in_minutes,
        source.full_resolution_time_in_minutes::json as full_resolution_time_in_minutes,
        source.agent_wait_time_in_minutes::json as agent_wait_time_in_minutes,
        source.requester_wait_time_in_minutes::json as requester_wait_time_in_minutes,
        source.on_hold_time_in_minutes::json as on_hold_time_in_minutes,
        source.updated_at as updated_datetime,
        {{ to_utc_timestamp('source.created_at') }} as created_at,
        {{ to_utc_timestamp('source.updated_at') }} as updated_at

    from source

),

checked as (

    select
        *,
        {{ rejection_reason([
            ["ticket_metric_id is null", "missing or non-numeric id"],
            [is_in_the_future(['created_at', 'updated_at']), "timestamp in the future"],
            [is_unparseable_timestamp('updated_datetime'), "unparseable updated_at"],
            ["ticket_id is null", "missing or non-numeric ticket_id"],
        ]) }} as rejection_reason

    from parsed

),

-- Incremental runs: the new rows plus the loaded rows of the entities they touch.
candidates as (

    select
        -- exclude () takes bare column names
        checked.* exclude (raw_row),  -- noqa: RF03
        {{ raw_record_if_rejected('zendesk', 'ticket_metrics', 'checked') }} as raw_record
    from checked
    {{ loaded_rows_to_recheck('checked', ['ticket_metric_id'], ['is_superseded']) }}

),

final as (

    select
        *,
        {{ load_timestamp() }} as loaded_at,
        {{ is_superseded(
            ['ticket_metric_id'], ['updated_at desc nulls last', 'source_file desc', 'source_line desc']
        ) }} as is_superseded

    from candidates

)

-- AM04: on incremental runs `candidates` unions the loaded rows by name (select * exclude).
select * from final  -- noqa: AM04
