with

source as (

    select * from {{ export_rows(source('zendesk', 'users'), 'zendesk', 'users') }}

),

value_map as (

    select * from {{ ref('staging_value_map') }}

),

parsed as (

    select
        source.filename as source_file,
        {{ export_line_number() }} as source_line,
        {{ row_struct('source') }} as raw_row,  -- the row as read (a struct): raw_record_if_rejected's input
        source.id as raw_id,
        nullif(trim(source.id), '') as user_id,
        source.name as user_name,
        lower(trim(source.email)) as user_email,
        source.role as raw_role,
        coalesce(try_cast(source.active as boolean), true) as is_active,
        source.updated_at as updated_datetime,
        {{ to_utc_timestamp('source.created_at') }} as created_at,
        {{ to_utc_timestamp('source.updated_at') }} as updated_at

    from source

),

checked as (

    select
        parsed.*,
        role_map.canonical_value as role,  -- noqa: RF04
        {{ rejection_reason([
            [text_as_id('parsed.user_id') ~ " is null", "missing or non-numeric id"],
            [is_in_the_future(['parsed.created_at', 'parsed.updated_at']), "timestamp in the future"],
            ["parsed.updated_at is null", "missing or unparseable updated_at"],
            ["role_map.canonical_value is null", "unknown role"],
        ]) }} as rejection_reason

    from parsed
    left join value_map as role_map
        on
            role_map.domain = 'helpdesk_user_role'
            and {{ enum_key('parsed.raw_role') }} = role_map.raw_value

),

-- Incremental runs: the new rows plus the loaded rows of the entities they touch.
candidates as (

    select
        -- exclude () takes bare column names
        {{ recheck_columns_except('checked', ['raw_row']) }},  -- noqa: RF03
        {{ recheck_raw_record(raw_record_if_rejected('zendesk', 'users', 'checked')) }} as raw_record
    from checked
    {{ loaded_rows_to_recheck('checked', ['user_id'], ['is_superseded']) }}

),

final as (

    select
        *,
        {{ load_timestamp() }} as loaded_at,
        -- the latest copy is the user's current name, email and role; stg_zendesk__users
        -- reads the older copies too (role periods)
        {{ is_superseded(['user_id'], ['updated_at desc', 'source_file desc', 'source_line desc']) }}
            as is_superseded

    from candidates

)

-- AM04: on incremental runs `candidates` unions the loaded rows by name (all_columns_except: `* exclude`).
select * from final  -- noqa: AM04
