with

source as (

    select * from {{ export_rows(source('gorgias', 'satisfaction_surveys'), 'gorgias', 'satisfaction_surveys') }}

),

tickets as (

    select * from {{ ref('base_gorgias__tickets') }}

),

parsed as (

    select
        source.filename as source_file,
        {{ export_line_number() }} as source_line,
        {{ raw_record_json('gorgias', 'satisfaction_surveys', 'source') }} as raw_record,
        source.id as raw_id,
        {{ text_as_id('source.id') }} as survey_id,
        {{ text_as_id('source.ticket_id') }} as ticket_id,
        source.customer_id,
        nullif(trim(source.score), '') as raw_score,
        {{ text_as_integer('source.score', 'integer') }} as score,
        source.body_text as comment,  -- noqa: RF04
        source.sent_datetime,
        source.scored_datetime,
        {{ to_utc_timestamp('source.created_datetime') }} as created_at,
        {{ to_utc_timestamp('source.sent_datetime') }} as sent_at,
        {{ to_utc_timestamp('source.scored_datetime') }} as scored_at

    from source

),

-- Incremental runs: the new rows plus the loaded rows of the entities they touch, and the
-- loaded rows rejected as "unknown ticket" whose ticket has arrived since.
candidates as (

    select * from parsed
    {{ loaded_rows_to_recheck(
        'parsed',
        ['survey_id'],
        ['rejection_reason', 'is_superseded'],
        unknown_ticket_recheck(),
        payload_columns=['raw_record', 'comment'],
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
            ["parsed.survey_id is null", "missing or non-numeric id"],
            [is_in_the_future(['parsed.created_at', 'parsed.sent_at', 'parsed.scored_at']), "timestamp in the future"],
            ["parsed.ticket_id is null", "missing or non-numeric ticket_id"],
            ["parsed.ticket_id is not null and known_tickets.ticket_id is null", "unknown ticket"],
            ["parsed.created_at is null", "missing or unparseable created_datetime"],
            ["parsed.raw_score is not null and parsed.score is null", "non-integer score"],
            ["parsed.score not between 1 and 5", "score out of range 1-5"],
            [is_unparseable_timestamp('parsed.sent_datetime'), "unparseable sent_datetime"],
            [is_unparseable_timestamp('parsed.scored_datetime'), "unparseable scored_datetime"],
            ["parsed.scored_at < parsed.sent_at", "scored before it was sent"],
        ]) }} as rejection_reason

    from candidates as parsed
    left join known_tickets
        on parsed.ticket_id = known_tickets.ticket_id

),

final as (

    select
        *,
        {{ load_timestamp() }} as loaded_at,
        -- A survey is re-exported once answered: the copy with a later answer (then created, file, line) wins.
        {{ is_superseded(
            ['survey_id'],
            ['scored_at desc nulls last', 'created_at desc', 'source_file desc', 'source_line desc']
        ) }} as is_superseded

    from checked

)

-- AM04: on incremental runs `candidates` unions the loaded rows by name (all_columns_except: `* exclude`).
select * from final  -- noqa: AM04
