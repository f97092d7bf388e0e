with

source as (

    select * from {{ export_rows(source('gorgias', 'ticket_events'), 'gorgias', 'ticket_events') }}

),

tickets as (

    select * from {{ ref('base_gorgias__tickets') }}

),

value_map as (

    select * from {{ ref('staging_value_map') }}

),

parsed as (

    select
        source.filename as source_file,
        {{ export_line_number() }} as source_line,
        {{ raw_record_json('gorgias', 'ticket_events', 'source') }} as raw_record,
        source.id as raw_id,
        {{ text_as_id('source.id') }} as ticket_event_id,
        {{ text_as_id('source.object_id') }} as ticket_id,
        lower(trim(source.type)) as raw_event_type,
        source.user_id,
        {{ to_utc_timestamp('source.created_datetime') }} as occurred_at

    from source

),

-- Incremental runs: the new rows plus the loaded rows of the entities they touch, and the
-- loaded rows rejected as "unknown ticket" whose ticket has arrived since.
candidates as (

    select * from parsed
    {{ loaded_rows_to_recheck(
        'parsed',
        ['ticket_event_id'],
        ['event_type', 'rejection_reason', 'is_superseded'],
        unknown_ticket_recheck(),
        payload_columns=['raw_record'],
    ) }}

),

-- the tickets this run's rows refer to (every ticket on a full build)
known_tickets as (

    {{ known_tickets() }}

),

-- A close or reopen dated before its ticket existed would give a negative resolution time:
-- quarantined. Other event types (assignments...) decide nothing and are kept.
checked as (

    select
        parsed.*,
        -- Types outside the status lifecycle (assigned, tagged...) are kept as `other`.
        coalesce(event_type_map.canonical_value, 'other') as event_type,
        {{ rejection_reason([
            ["parsed.ticket_event_id is null", "missing or non-numeric id"],
            [is_in_the_future(['parsed.occurred_at']), "timestamp in the future"],
            ["parsed.ticket_id is null", "missing or non-numeric object_id"],
            ["parsed.ticket_id is not null and known_tickets.ticket_id is null", "unknown ticket"],
            ["parsed.occurred_at is null", "missing or unparseable created_datetime"],
            [
                "event_type_map.canonical_value in ('closed', 'reopened') and "
                ~ is_dated_before_ticket('parsed.occurred_at'),
                "status event dated before its ticket was created",
            ],
        ]) }} as rejection_reason

    from candidates as parsed
    left join known_tickets
        on parsed.ticket_id = known_tickets.ticket_id
    left join value_map as event_type_map
        on
            event_type_map.domain = 'ticket_event_type'
            and {{ enum_key('parsed.raw_event_type') }} = event_type_map.raw_value

),

final as (

    select
        *,
        {{ load_timestamp() }} as loaded_at,
        {{ is_superseded(['ticket_event_id'], ['source_file desc', 'source_line desc']) }} as is_superseded

    from checked

)

-- AM04: on incremental runs `candidates` unions the loaded rows by name (all_columns_except: `* exclude`).
select * from final  -- noqa: AM04
