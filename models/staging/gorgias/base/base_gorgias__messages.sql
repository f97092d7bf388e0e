with

source as (

    select * from {{ export_rows(source('gorgias', 'messages'), 'gorgias', 'messages') }}

),

tickets as (

    select * from {{ ref('base_gorgias__tickets') }}

),

parsed as (

    select
        source.filename as source_file,
        {{ export_line_number() }} as source_line,
        {{ raw_record_json('gorgias', 'messages', 'source') }} as raw_record,
        source.id as raw_id,
        {{ text_as_id('source.id') }} as message_id,
        {{ text_as_id('source.ticket_id') }} as ticket_id,
        {{ json_text_at('source.sender', ['id'], '::') }} as sender_id,
        lower(trim({{ json_text_at('source.sender', ['email'], '::') }})) as sender_email,
        coalesce({{ text_as_boolean('source.from_agent') }}, false) as is_from_agent,
        -- A message without the flag is treated as public: only an explicit false is a note.
        coalesce({{ text_as_boolean('source.public') }}, true) as is_public,
        lower(trim(source.via)) as via,
        source.rule_id as raw_rule_id,
        {{ text_as_id('source.rule_id') }} as rule_id,
        source.body_text,
        source.sent_datetime,
        {{ to_utc_timestamp('source.created_datetime') }} as created_at,
        {{ to_utc_timestamp('source.sent_datetime') }} as sent_at

    from source

),

-- Incremental runs: the new rows plus the loaded rows of the entities they touch, and the
-- loaded rows rejected as "unknown ticket" whose ticket has arrived since.
candidates as (

    select * from parsed
    {{ loaded_rows_to_recheck(
        'parsed',
        ['message_id'],
        ['rejection_reason', 'is_superseded'],
        unknown_ticket_recheck(),
        payload_columns=['raw_record', 'body_text'],
    ) }}

),

-- the tickets this run's rows refer to (every ticket on a full build)
known_tickets as (

    {{ known_tickets() }}

),

checked as (

    select
        parsed.*,
        {{ rejection_reason([
            ["parsed.message_id is null", "missing or non-numeric id"],
            [is_in_the_future(['parsed.created_at', 'parsed.sent_at']), "timestamp in the future"],
            ["parsed.ticket_id is null", "missing or non-numeric ticket_id"],
            ["parsed.ticket_id is not null and known_tickets.ticket_id is null", "unknown ticket"],
            [is_dated_before_ticket('parsed.created_at'), "dated before its ticket was created"],
            ["parsed.created_at is null", "missing or unparseable created_datetime"],
            [is_unparseable_timestamp('parsed.sent_datetime'), "unparseable sent_datetime"],
            ["parsed.raw_rule_id is not null and parsed.rule_id is null", "non-numeric rule_id"],
        ]) }} as rejection_reason

    from candidates as parsed
    left join known_tickets
        on parsed.ticket_id = known_tickets.ticket_id

),

final as (

    select
        *,
        {{ load_timestamp() }} as loaded_at,
        -- Messages carry no update time: a re-exported message is the same message, the later file wins.
        {{ is_superseded(['message_id'], ['source_file desc', 'source_line desc']) }} as is_superseded

    from checked

)

-- AM04: on incremental runs `candidates` unions the loaded rows by name (all_columns_except: `* exclude`).
select * from final  -- noqa: AM04
