with

source as (

    select * from {{ export_rows(source('zendesk', 'tickets'), 'zendesk', 'tickets') }}

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
        nullif(trim(source.requester_id), '') as customer_id,
        nullif(trim(source.submitter_id), '') as submitter_id,
        nullif(trim(source.assignee_id), '') as assignee_agent_id,
        nullif(trim(source.group_id), '') as group_id,
        -- a channel integration (Amazon, eBay, Instagram comments...) arrives as `any_channel`
        -- naming the integration in via.source.rel: that name is the channel
        case
            when {{ json_text_at(as_json('source.via'), ['channel']) }} = 'any_channel'
                then coalesce(
                    nullif(trim({{ json_text_at(as_json('source.via'), ['source', 'rel']) }}), ''), 'any_channel'
                )
            else {{ json_text_at(as_json('source.via'), ['channel']) }}
        end as raw_channel,
        lower(trim({{ json_text_at(as_json('source.via'), ['channel']) }})) as via_channel,
        lower(trim({{ json_text_at(as_json('source.via'), ['source', 'rel']) }})) as via_rel,
        {{ json_text_at(as_json('source.via'), ['source', 'from', 'ticket_id']) }} as raw_via_source_ticket_id,
        source.status as raw_status,
        nullif(trim(source.priority), '') as raw_priority,
        source.subject,
        -- ids and values as text: a field's value may be a string, number, boolean or list
        {{ json_struct_list('source.custom_fields', ['id', 'value']) }} as custom_fields,
        {{ list_map(json_typed_list('source.tags', 'varchar'), 'tag', 'lower(trim(tag))') }} as tags,
        {{ json_typed_list('source.followup_ids', 'bigint') }} as followup_ids,
        source.created_at as created_datetime,
        source.updated_at as updated_datetime,
        {{ to_utc_timestamp('source.created_at') }} as created_at,
        {{ to_utc_timestamp('source.updated_at') }} as updated_at

    from source

),

normalised as (

    select
        parsed.*,
        coalesce(channel_map.channel, 'other') as channel,
        status_map.canonical_value as helpdesk_status,
        {{ enum_key('parsed.raw_status') }} = 'deleted' as is_deleted,
        priority_map.canonical_value as priority,
        -- follow-up: the ticket was opened from a closed one (via.source.rel follow_up)
        case when parsed.via_rel = 'follow_up' then parsed.raw_via_source_ticket_id end
            as raw_followup_source_ticket_id,
        {{ zendesk_custom_field('parsed.custom_fields', 'zendesk_contact_reason_field_id') }} as contact_reason_field,
        {{ zendesk_custom_field('parsed.custom_fields', 'zendesk_order_number_field_id') }} as raw_order_number_field

    from parsed
    left join channel_map
        on {{ enum_key('parsed.raw_channel') }} = channel_map.raw_channel
    left join value_map as status_map
        on
            status_map.domain = 'zendesk_ticket_status'
            and {{ enum_key('parsed.raw_status') }} = status_map.raw_value
    left join value_map as priority_map
        on
            priority_map.domain = 'ticket_priority'
            and {{ enum_key('parsed.raw_priority') }} = priority_map.raw_value

),

checked as (

    select
        *,
        -- solved and closed are the KPI meaning of "resolved"
        case
            when helpdesk_status in ('solved', 'closed') then 'closed'
            when helpdesk_status is not null then 'open'
        end as status,
        {{ text_as_id('raw_followup_source_ticket_id') }} as followup_source_ticket_id,
        -- as for Gorgias: digits kept, a spreadsheet-mangled number set aside
        nullif({{ regexp_replace_all(normalize_identifier('raw_order_number_field'), '[^0-9]', '') }}, '')
            as order_number_field,
        {{ is_mangled_identifier('raw_order_number_field') }} as has_mangled_order_number_field,
        {{ rejection_reason([
            ["ticket_id is null", "missing or non-numeric id"],
            [is_in_the_future(['created_at', 'updated_at']), "timestamp in the future"],
            ["created_at is null", "missing or unparseable created_at"],
            ["updated_at is null", "missing or unparseable updated_at"],
            ["helpdesk_status is null", "unknown status"],
            ["raw_priority is not null and priority is null", "unknown priority"],
            ["raw_followup_source_ticket_id is not null and " ~ text_as_id('raw_followup_source_ticket_id') ~ " is null",
             "non-numeric via.source.from.ticket_id"],
        ]) }} as rejection_reason

    from normalised

),

-- Incremental runs: the new rows plus the loaded rows of the entities they touch.
candidates as (

    select
        -- exclude () takes bare column names
        {{ recheck_columns_except('checked', ['raw_row']) }},  -- noqa: RF03
        {{ recheck_raw_record(raw_record_if_rejected('zendesk', 'tickets', 'checked')) }} as raw_record
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
