-- One row per audit (the export's grain, for reconciliation); its events stay a JSON list,
-- flattened by stg_zendesk__ticket_events.
with

source as (

    select * from {{ export_rows(source('zendesk', 'ticket_audits'), 'zendesk', 'ticket_audits') }}

),

tickets as (

    select * from {{ ref('base_zendesk__tickets') }}

),

parsed as (

    select
        source.filename as source_file,
        {{ export_line_number() }} as source_line,
        {{ raw_record_json('zendesk', 'ticket_audits', 'source') }} as raw_record,
        source.id as raw_id,
        {{ text_as_id('source.id') }} as audit_id,
        {{ text_as_id('source.ticket_id') }} as ticket_id,
        nullif(trim(source.author_id), '') as author_id,
        lower(trim({{ json_text_at(as_json('source.via'), ['channel']) }})) as via_channel,
        lower(trim({{ json_text_at(as_json('source.via'), ['source', 'rel']) }})) as via_rel,
        {{ json_field(as_json('source.via'), '$.source') }} as via_source,
        {{ json_typed_list('source.events', 'json') }} as events,
        {{ to_utc_timestamp('source.created_at') }} as occurred_at

    from source

),

-- Incremental runs: the new rows plus the loaded rows of the entities they touch, and the
-- loaded rows rejected as "unknown ticket" whose ticket has arrived since.
candidates as (

    select * from parsed
    {{ loaded_rows_to_recheck(
        'parsed',
        ['audit_id'],
        ['rejection_reason', 'is_superseded'],
        unknown_ticket_recheck(),
        payload_columns=['raw_record'],
    ) }}

),

-- the tickets this run's rows refer to (every ticket on a full build)
known_tickets as (

    {{ known_tickets() }}

),

-- An audit changing the status before its ticket existed would give a negative resolution
-- time: quarantined, as Gorgias's close/reopen events are.
checked as (

    select
        parsed.*,
        {{ rejection_reason([
            ["parsed.audit_id is null", "missing or non-numeric id"],
            [is_in_the_future(['parsed.occurred_at']), "timestamp in the future"],
            ["parsed.ticket_id is null", "missing or non-numeric ticket_id"],
            ["parsed.ticket_id is not null and known_tickets.ticket_id is null", "unknown ticket"],
            ["parsed.occurred_at is null", "missing or unparseable created_at"],
            ["parsed.events is null", "events is not a list"],
            [
                list_length(list_where('parsed.events', 'event',
                    json_text_at('event', ['type']) ~ " in ('Create', 'Change') "
                    ~ "and " ~ json_text_at('event', ['field_name']) ~ " in " ~ zendesk_tracked_audit_fields() ~ " "
                    ~ "and " ~ text_as_id(json_text_at('event', ['id'])) ~ " is null")) ~ " > 0",
                "a status, assignee, group, priority or schedule event without a numeric id",
            ],
            [
                list_length(list_where('parsed.events', 'event',
                    json_text_at('event', ['type']) ~ " = 'Change' "
                    ~ "and " ~ json_text_at('event', ['field_name']) ~ " = 'status'")) ~ " > 0 and "
                ~ is_dated_before_ticket('parsed.occurred_at'),
                "status change dated before its ticket was created",
            ],
        ]) }} as rejection_reason

    from candidates as parsed
    left join known_tickets
        on parsed.ticket_id = known_tickets.ticket_id

),

final as (

    select
        *,
        {{ load_timestamp() }} as loaded_at,
        {{ is_superseded(['audit_id'], ['source_file desc', 'source_line desc']) }} as is_superseded

    from checked

)

-- AM04: on incremental runs `candidates` unions the loaded rows by name (all_columns_except: `* exclude`).
select * from final  -- noqa: AM04
