with

source as (

    select * from {{ export_rows(source('shipping', 'tracking_events'), 'shipping', 'tracking_events') }}

),

value_map as (

    select * from {{ ref('staging_value_map') }}

),

parsed as (

    select
        source.filename as source_file,
        {{ export_line_number() }} as source_line,
        {{ row_struct('source') }} as raw_row,  -- the row as read (a struct): raw_record_if_rejected's input
        nullif(trim(source.event_id), '') as tracking_event_id,
        nullif(trim(source.tracking_number), '') as tracking_number,
        nullif(lower(trim(source.carrier)), '') as carrier,
        source.status as raw_tracking_status,
        nullif(trim(source.location), '') as location,  -- noqa: RF04
        source.message,
        {{ to_utc_timestamp('source.checkpoint_at') }} as occurred_at

    from source

),

checked as (

    select
        parsed.*,
        parsed.tracking_event_id as raw_id,
        status_map.canonical_value as tracking_status,
        {{ rejection_reason([
            ["parsed.tracking_event_id is null", "missing event_id"],
            [is_in_the_future(['parsed.occurred_at']), "timestamp in the future"],
            ["parsed.tracking_number is null", "missing tracking_number"],
            ["parsed.occurred_at is null", "missing or unparseable checkpoint_at"],
            ["status_map.canonical_value is null", "unknown status"],
        ]) }} as rejection_reason

    from parsed
    left join value_map as status_map
        on
            status_map.domain = 'tracking_status'
            and {{ enum_key('parsed.raw_tracking_status') }} = status_map.raw_value

),

-- Incremental runs: the new rows plus the loaded rows of the entities they touch.
candidates as (

    select
        -- exclude () takes bare column names
        {{ recheck_columns_except('checked', ['raw_row']) }},  -- noqa: RF03
        {{ recheck_raw_record(raw_record_if_rejected('shipping', 'tracking_events', 'checked')) }} as raw_record
    from checked
    {{ loaded_rows_to_recheck('checked', ['tracking_event_id'], ['is_superseded']) }}

),

final as (

    select
        *,
        {{ load_timestamp() }} as loaded_at,
        {{ is_superseded(['tracking_event_id'], ['source_file desc', 'source_line desc']) }} as is_superseded

    from candidates

)

-- AM04: on incremental runs `candidates` unions the loaded rows by name (all_columns_except: `* exclude`).
select * from final  -- noqa: AM04
