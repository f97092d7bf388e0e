with

source as (

    select * from {{ export_rows(source('zendesk', 'organizations'), 'zendesk', 'organizations') }}

),

parsed as (

    select
        source.filename as source_file,
        {{ export_line_number() }} as source_line,
        {{ row_struct('source') }} as raw_row,  -- the row as read (a struct): raw_record_if_rejected's input
        source.id as raw_id,
        {{ text_as_id('source.id') }} as organization_id,
        source.name as organization_name,
        source.updated_at as updated_datetime,
        {{ to_utc_timestamp('source.created_at') }} as created_at,
        {{ to_utc_timestamp('source.updated_at') }} as updated_at

    from source

),

checked as (

    select
        *,
        {{ rejection_reason([
            ["organization_id is null", "missing or non-numeric id"],
            [is_in_the_future(['created_at', 'updated_at']), "timestamp in the future"],
            [is_unparseable_timestamp('updated_datetime'), "unparseable updated_at"],

        ]) }} as rejection_reason

    from parsed

),

-- Incremental runs: the new rows plus the loaded rows of the entities they touch.
candidates as (

    select
        -- exclude () takes bare column names
        {{ recheck_columns_except('checked', ['raw_row']) }},  -- noqa: RF03
        {{ recheck_raw_record(raw_record_if_rejected('zendesk', 'organizations', 'checked')) }} as raw_record
    from checked
    {{ loaded_rows_to_recheck('checked', ['organization_id'], ['is_superseded']) }}

),

final as (

    select
        *,
        {{ load_timestamp() }} as loaded_at,
        {{ is_superseded(['organization_id'], ['updated_at desc nulls last', 'source_file desc', 'source_line desc']) }}
            as is_superseded

    from candidates

)

-- AM04: on incremental runs `candidates` unions the loaded rows by name (all_columns_except: `* exclude`).
select * from final  -- noqa: AM04
