with

source as (

    select * from {{ export_rows(source('zendesk', 'ticket_comments'), 'zendesk', 'ticket_comments') }}

),

tickets as (

    select * from {{ ref('base_zendesk__tickets') }}

),

parsed as (

    select
        source.filename as source_file,
        {{ export_line_number() }} as source_line,
        {{ raw_record_json('zendesk', 'ticket_comments', 'source') }} as raw_record,
        source.id as raw_id,
        {{ text_as_id('source.id') }} as comment_id,
        {{ text_as_id('source.ticket_id') }} as ticket_id,
        nullif(trim(source.author_id), '') as author_id,
        -- A comment without the flag is treated as public: only an explicit false is a note.
        coalesce(try_cast(source.public as boolean), true) as is_public,
        lower(trim({{ json_text_at(as_json('source.via'), ['channel']) }})) as via_channel,
        lower(trim({{ json_text_at(as_json('source.via'), ['source', 'rel']) }})) as via_rel,
        {{ json_text_at(as_json('source.via'), ['source', 'from', 'id']) }} as raw_via_source_id,
        coalesce(source.plain_body, source.body) as body_text,
        {{ to_utc_timestamp('source.created_at') }} as created_at

    from source

),

-- Incremental runs: the new rows plus the loaded rows of the entities they touch, and the
-- loaded rows rejected as "unknown ticket" whose ticket has arrived since.
candidates as (

    select * from parsed
    {{ loaded_rows_to_recheck(
        'parsed',
        ['comment_id'],
        ['rule_id', 'rejection_reason', 'is_superseded'],
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
        -- a trigger or automation wrote it: its id is the rule id (via.source.from.id)
        case
            when parsed.via_rel in ('trigger', 'automation') then {{ text_as_id('parsed.raw_via_source_id') }}
        end as rule_id,
        {{ rejection_reason([
            ["parsed.comment_id is null", "missing or non-numeric id"],
            [is_in_the_future(['parsed.created_at']), "timestamp in the future"],
            ["parsed.ticket_id is null", "missing or non-numeric ticket_id"],
            ["parsed.ticket_id is not null and known_tickets.ticket_id is null", "unknown ticket"],
            [is_dated_before_ticket('parsed.created_at'), "dated before its ticket was created"],
            ["parsed.created_at is null", "missing or unparseable created_at"],
            [
                "parsed.via_rel in ('trigger', 'automation') and " ~ text_as_id('parsed.raw_via_source_id') ~ " is null",
                "trigger or automation comment without a numeric via.source.from.id",
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
        -- Comments carry no update time: a re-exported comment is the same comment, the later file wins.
        {{ is_superseded(['comment_id'], ['source_file desc', 'source_line desc']) }} as is_superseded

    from checked

)

-- AM04: on incremental runs `candidates` unions the loaded rows by name (all_columns_except: `* exclude`).
select * from final  -- noqa: AM04
