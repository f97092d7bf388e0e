with

source as (

    select * from {{ export_rows(source('gorgias', 'tickets'), 'gorgias', 'tickets') }}

),

channel_map as (

    select * from {{ ref('channel_map') }}

),

value_map as (

    select * from {{ ref('staging_value_map') }}

),

parsed as (

    select
        source.filename as source_file,
        {{ export_line_number() }} as source_line,
        {{ row_struct('source') }} as raw_row,  -- the row as read (a struct): raw_record_if_rejected's input
        source.id as raw_id,
        {{ text_as_id('source.id') }} as ticket_id,
        {{ json_text_at('source.customer', ['id'], '::') }} as customer_id,
        lower(trim({{ json_text_at('source.customer', ['email'], '::') }})) as customer_email,
        {{ json_text_at('source.assignee_user', ['id'], '::') }} as assignee_agent_id,
        source.channel as raw_channel,
        lower(trim(source.via)) as via,
        source.status as raw_status,
        nullif(trim(source.priority), '') as raw_priority,
        source.subject,
        {{ json_struct_list('source.custom_fields', ['name', 'value']) }} as custom_fields,
        {{ list_map(json_struct_list('source.tags', ['name']), 'tag', 'lower(trim(tag.name))') }} as tags,
        coalesce({{ text_as_boolean('source.spam') }}, false) as is_spam,
        source.merged_into_ticket_id as raw_merged_into_ticket_id,
        {{ text_as_id('source.merged_into_ticket_id') }} as merged_into_ticket_id,
        source.created_datetime,
        source.closed_datetime,
        source.updated_datetime,
        {{ to_utc_timestamp('source.created_datetime') }} as created_at,
        {{ to_utc_timestamp('source.closed_datetime') }} as closed_at,
        {{ to_utc_timestamp('source.updated_datetime') }} as updated_at

    from source

),

normalised as (

    select
        parsed.*,
        coalesce(channel_map.channel, 'other') as channel,
        status_map.canonical_value as status,
        priority_map.canonical_value as priority,
        nullif(trim({{ list_first_where(
            'parsed.custom_fields', 'field', "lower(trim(field.name)) = 'contact reason'"
        ) }}.value), '') as contact_reason_field,
        {{ list_first_where(
            'parsed.custom_fields', 'field', "lower(trim(field.name)) = 'order number'"
        ) }}.value as raw_order_number_field

    from parsed
    left join channel_map
        on {{ enum_key('parsed.raw_channel') }} = channel_map.raw_channel
    left join value_map as status_map
        on
            status_map.domain = 'ticket_status'
            and {{ enum_key('parsed.raw_status') }} = status_map.raw_value
    left join value_map as priority_map
        on
            priority_map.domain = 'ticket_priority'
            and {{ enum_key('parsed.raw_priority') }} = priority_map.raw_value

),

checked as (

    select
        *,
        -- free text such as `Order #1002` keeps its digits; a spreadsheet-mangled number
        -- (`1.0E+03`) is set aside, not read as 1003: the ticket is linked by text or inference
        nullif({{ regexp_replace_all(normalize_identifier('raw_order_number_field'), '[^0-9]', '') }}, '')
            as order_number_field,
        {{ is_mangled_identifier('raw_order_number_field') }} as has_mangled_order_number_field,
        {{ rejection_reason([
            ["ticket_id is null", "missing or non-numeric id"],
            [is_in_the_future(['created_at', 'closed_at', 'updated_at']), "timestamp in the future"],
            ["created_at is null", "missing or unparseable created_datetime"],
            ["updated_at is null", "missing or unparseable updated_datetime"],
            [is_unparseable_timestamp('closed_datetime'), "unparseable closed_datetime"],
            ["status is null", "unknown status"],
            ["raw_priority is not null and priority is null", "unknown priority"],
            ["raw_merged_into_ticket_id is not null and merged_into_ticket_id is null",
             "non-numeric merged_into_ticket_id"],
        ]) }} as rejection_reason

    from normalised

),

-- Incremental runs: the new rows plus the loaded rows of the entities they touch.
candidates as (

    select
        -- exclude () takes bare column names
        {{ recheck_columns_except('checked', ['raw_row']) }},  -- noqa: RF03
        {{ recheck_raw_record(raw_record_if_rejected('gorgias', 'tickets', 'checked')) }} as raw_record
    from checked
    {{ loaded_rows_to_recheck('checked', ['ticket_id'], ['is_superseded']) }}

),

final as (

    select
        *,
        {{ load_timestamp() }} as loaded_at,
        {{ is_superseded(['ticket_id'], ['updated_at desc', 'source_file desc', 'source_line desc']) }}
            as is_superseded

    from candidates

)

-- AM04: on incremental runs `candidates` unions the loaded rows by name (all_columns_except: `* exclude`).
select * from final  -- noqa: AM04
