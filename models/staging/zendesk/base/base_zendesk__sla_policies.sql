with

source as (

    select * from {{ export_rows(source('zendesk', 'sla_policies'), 'zendesk', 'sla_policies') }}

),

parsed as (

    select
        source.filename as source_file,
        {{ export_line_number() }} as source_line,
        {{ row_struct('source') }} as raw_row,  -- the row as read (a struct): raw_record_if_rejected's input
        source.id as raw_id,
        {{ text_as_id('source.id') }} as sla_policy_id,
        source.title as sla_policy_title,
        try_cast(source.position as integer) as sla_policy_position,
        {{ as_json('source.filter') }} as filter_conditions,
        {{ as_json('source.policy_metrics') }} as policy_metrics,
        source.updated_at as updated_datetime,
        {{ to_utc_timestamp('source.created_at') }} as created_at,
        {{ to_utc_timestamp('source.updated_at') }} as updated_at

    from source

),

checked as (

    select
        *,
        {{ rejection_reason([
            ["sla_policy_id is null", "missing or non-numeric id"],
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
        {{ recheck_raw_record(raw_record_if_rejected('zendesk', 'sla_policies', 'checked')) }} as raw_record
    from checked
    {{ loaded_rows_to_recheck('checked', ['sla_policy_id'], ['is_superseded']) }}

),

final as (

    select
        *,
        {{ load_timestamp() }} as loaded_at,
        {{ is_superseded(['sla_policy_id'], ['updated_at desc nulls last', 'source_file desc', 'source_line desc']) }}
            as is_superseded

    from candidates

)

-- AM04: on incremental runs `candidates` unions the loaded rows by name (all_columns_except: `* exclude`).
select * from final  -- noqa: AM04
