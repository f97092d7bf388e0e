with

source as (

    select * from {{ export_rows(source('shipping', 'notifications'), 'shipping', 'notifications') }}

),

value_map as (

    select * from {{ ref('staging_value_map') }}

),

parsed as (

    select
        source.filename as source_file,
        {{ export_line_number() }} as source_line,
        {{ row_struct('source') }} as raw_row,  -- the row as read (a struct): raw_record_if_rejected's input
        nullif(trim(source.notification_id), '') as notification_id,
        nullif(trim(source.order_name), '') as raw_order_name,
        {{ normalize_identifier('source.order_name') }} as order_number,
        nullif(trim(source.tracking_number), '') as tracking_number,
        source.notification_type as raw_notification_type,
        source.channel as raw_channel,
        {{ to_utc_timestamp('source.sent_at') }} as sent_at

    from source

),

checked as (

    select
        parsed.*,
        parsed.notification_id as raw_id,
        type_map.canonical_value as notification_type,
        channel_map.canonical_value as channel,
        {{ rejection_reason([
            ["parsed.notification_id is null", "missing notification_id"],
            [is_in_the_future(['parsed.sent_at']), "timestamp in the future"],
            ["parsed.sent_at is null", "missing or unparseable sent_at"],
            [is_mangled_identifier('parsed.raw_order_name'), "order_name looks like a spreadsheet-mangled order number"],
            ["type_map.canonical_value is null", "unknown notification_type"],
            ["channel_map.canonical_value is null", "unknown channel"],
        ]) }} as rejection_reason

    from parsed
    left join value_map as type_map
        on
            type_map.domain = 'notification_type'
            and {{ enum_key('parsed.raw_notification_type') }} = type_map.raw_value
    left join value_map as channel_map
        on
            channel_map.domain = 'notification_channel'
            and {{ enum_key('parsed.raw_channel') }} = channel_map.raw_value

),

-- Incremental runs: the new rows plus the loaded rows of the entities they touch.
candidates as (

    select
        -- exclude () takes bare column names
        {{ recheck_columns_except('checked', ['raw_row']) }},  -- noqa: RF03
        {{ recheck_raw_record(raw_record_if_rejected('shipping', 'notifications', 'checked')) }} as raw_record
    from checked
    {{ loaded_rows_to_recheck('checked', ['notification_id'], ['is_superseded']) }}

),

final as (

    select
        *,
        {{ load_timestamp() }} as loaded_at,
        {{ is_superseded(['notification_id'], ['source_file desc', 'source_line desc']) }} as is_superseded

    from candidates

)

-- AM04: on incremental runs `candidates` unions the loaded rows by name (all_columns_except: `* exclude`).
select * from final  -- noqa: AM04
