with

source as (

    select * from {{ export_rows(source('nps', 'responses'), 'nps', 'responses') }}

),

parsed as (

    select
        source.filename as source_file,
        {{ export_line_number() }} as source_line,
        {{ row_struct('source') }} as raw_row,  -- the row as read (a struct): raw_record_if_rejected's input
        nullif(trim(source.response_id), '') as response_id,
        nullif(lower(trim(source.person_email)), '') as customer_email,
        nullif(trim(source.score), '') as raw_score,
        {{ text_as_integer('source.score') }} as score,
        nullif(trim(source.comment), '') as comment,  -- noqa: RF04
        {{ to_utc_timestamp('source.created_at') }} as responded_at

    from source

),

checked as (

    select
        *,
        response_id as raw_id,
        {{ rejection_reason([
            ["response_id is null", "missing response_id"],
            [is_in_the_future(['responded_at']), "timestamp in the future"],
            ["score is null", "missing or non-integer score"],
            ["score not between 0 and 10", "score out of range 0-10"],
            ["responded_at is null", "missing or unparseable created_at"],
        ]) }} as rejection_reason

    from parsed

),

-- Incremental runs: the new rows plus the loaded rows of the entities they touch.
candidates as (

    select
        -- exclude () takes bare column names
        {{ recheck_columns_except('checked', ['raw_row']) }},  -- noqa: RF03
        {{ recheck_raw_record(raw_record_if_rejected('nps', 'responses', 'checked')) }} as raw_record
    from checked
    {{ loaded_rows_to_recheck('checked', ['response_id'], ['is_superseded']) }}

),

final as (

    select
        *,
        {{ load_timestamp() }} as loaded_at,
        {{ is_superseded(['response_id'], ['source_file desc', 'source_line desc']) }} as is_superseded

    from candidates

)

-- AM04: on incremental runs `candidates` unions the loaded rows by name (all_columns_except: `* exclude`).
select * from final  -- noqa: AM04
