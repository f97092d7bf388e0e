with

source as (

    select * from {{ export_rows(
        source('time_tracking', 'ticket_time_entries'), 'time_tracking', 'ticket_time_entries'
    ) }}

),

tickets as (

    select * from {{ ref('base_' ~ var('helpdesk') ~ '__tickets') }}

),

parsed as (

    select
        source.filename as source_file,
        {{ export_line_number() }} as source_line,
        {{ raw_record_json('time_tracking', 'ticket_time_entries', 'source') }} as raw_record,
        nullif(trim(source.entry_id), '') as time_entry_id,
        nullif(trim(source.ticket_id), '') as raw_ticket_id,
        {{ text_as_id(normalize_identifier('source.ticket_id')) }} as ticket_id,
        nullif(lower(trim(source.agent_email)), '') as agent_email,
        nullif(trim(source.duration_seconds), '') as raw_duration_seconds,
        -- the file's decimal convention (a window over the file), then the count read by it
        {{ number_convention(['source.duration_seconds']) }} as number_convention,
        {{ parse_whole_number('source.duration_seconds', 'number_convention') }} as duration_seconds,
        {{ to_utc_timestamp('source.started_at') }} as started_at

    from source

),

-- Incremental runs: the new rows plus the loaded rows of the entities they touch, and the
-- loaded rows rejected as "unknown ticket" whose ticket has arrived since.
candidates as (

    select * from parsed
    {{ loaded_rows_to_recheck(
        'parsed',
        ['time_entry_id'],
        ['raw_id', 'rejection_reason', 'is_superseded'],
        unknown_ticket_recheck(),
        payload_columns=['raw_record'],
    ) }}

),

-- the tickets this run's rows refer to (every ticket on a full build)
known_tickets as (

    {{ known_tickets() }}

),

checked as (

    select
        parsed.*,
        parsed.time_entry_id as raw_id,
        {{ rejection_reason([
            ["parsed.time_entry_id is null", "missing entry_id"],
            [is_in_the_future(['parsed.started_at']), "timestamp in the future"],
            [is_mangled_identifier('parsed.raw_ticket_id'), "ticket_id looks like a spreadsheet-mangled ticket id"],
            ["parsed.ticket_id is null and not " ~ is_mangled_identifier('parsed.raw_ticket_id'),
             "missing or non-numeric ticket_id"],
            ["parsed.ticket_id is not null and known_tickets.ticket_id is null", "unknown ticket"],
            ["parsed.started_at is null", "missing or unparseable started_at"],
            ["parsed.raw_duration_seconds is null", "missing or non-integer duration_seconds"],
            ["parsed.duration_seconds < 0", "negative duration_seconds"],
        ] + number_checks([
            ['parsed.raw_duration_seconds', 'parsed.duration_seconds', 'duration_seconds',
             'missing or non-integer duration_seconds'],
        ], 'parsed.number_convention')) }} as rejection_reason

    from candidates as parsed
    left join known_tickets
        on parsed.ticket_id = known_tickets.ticket_id

),

final as (

    select
        *,
        {{ load_timestamp() }} as loaded_at,
        {{ is_superseded(['time_entry_id'], ['source_file desc', 'source_line desc']) }} as is_superseded

    from checked

)

-- AM04: on incremental runs `candidates` unions the loaded rows by name (all_columns_except: `* exclude`).
select * from final  -- noqa: AM04
