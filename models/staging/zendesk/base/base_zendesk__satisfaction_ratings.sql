with

source as (

    select * from {{ export_rows(source('zendesk', 'satisfaction_ratings'), 'zendesk', 'satisfaction_ratings') }}

),

tickets as (

    select * from {{ ref('base_zendesk__tickets') }}

),

parsed as (

    select
        source.filename as source_file,
        {{ export_line_number() }} as source_line,
        {{ raw_record_json('zendesk', 'satisfaction_ratings', 'source') }} as raw_record,
        source.id as raw_id,
        {{ text_as_id('source.id') }} as rating_id,
        {{ text_as_id('source.ticket_id') }} as ticket_id,
        nullif(trim(source.requester_id), '') as customer_id,
        lower(trim(source.score)) as raw_score,
        source.comment,
        source.updated_at as updated_datetime,
        {{ to_utc_timestamp('source.created_at') }} as created_at,
        {{ to_utc_timestamp('source.updated_at') }} as updated_at

    from source

),

-- Incremental runs: the new rows plus the loaded rows of the entities they touch, and the
-- loaded rows rejected as "unknown ticket" whose ticket has arrived since.
candidates as (

    select * from parsed
    {{ loaded_rows_to_recheck(
        'parsed',
        ['rating_id'],
        ['score', 'is_offered', 'rejection_reason', 'is_superseded'],
        unknown_ticket_recheck(),
        payload_columns=['raw_record', 'comment'],
    ) }}

),

-- the tickets this run's rows refer to (every ticket on a full build)
known_tickets as (

    {{ known_tickets() }}

),

-- good -> 5 and bad -> 1 on the 1-5 CSAT scale (docs/decisions/zendesk.md); a number is the
-- newer numeric scale; offered = asked, no answer yet; unoffered = never asked.
scored as (

    select
        *,
        case
            when raw_score = 'good' then 5
            when raw_score = 'bad' then 1
            when {{ regexp_full_match('raw_score', '[0-9]+') }} then try_cast(raw_score as integer)
        end as score,
        raw_score <> 'unoffered' as is_offered
    from candidates

),

checked as (

    select
        parsed.*,
        {{ rejection_reason([
            ["parsed.rating_id is null", "missing or non-numeric id"],
            [is_in_the_future(['parsed.created_at', 'parsed.updated_at']), "timestamp in the future"],
            ["parsed.ticket_id is null", "missing or non-numeric ticket_id"],
            ["parsed.ticket_id is not null and known_tickets.ticket_id is null", "unknown ticket"],
            ["parsed.created_at is null", "missing or unparseable created_at"],
            [is_unparseable_timestamp('parsed.updated_datetime'), "unparseable updated_at"],
            [
                "parsed.score is null and coalesce(parsed.raw_score, '') not in ('offered', 'unoffered')",
                "unknown score (not offered, unoffered, good, bad or a whole number)",
            ],
            ["parsed.score not between 1 and 5", "score out of range 1-5"],
        ]) }} as rejection_reason

    from scored as parsed
    left join known_tickets
        on parsed.ticket_id = known_tickets.ticket_id

),

final as (

    select
        *,
        {{ load_timestamp() }} as loaded_at,
        -- a rating is re-exported once answered: the later update (then file, line) wins
        {{ is_superseded(['rating_id'], ['updated_at desc nulls last', 'source_file desc', 'source_line desc']) }}
            as is_superseded

    from checked

)

-- AM04: on incremental runs `candidates` unions the loaded rows by name (all_columns_except: `* exclude`).
select * from final  -- noqa: AM04
