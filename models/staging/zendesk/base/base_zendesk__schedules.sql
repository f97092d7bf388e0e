{{ config(materialized='incremental') }}
with

source as (

    select * from {{ export_rows(source('zendesk', 'schedules'), 'zendesk', 'schedules') }}

),

time_zones as (

    select * from {{ ref('zendesk_time_zones') }}

),

-- A Rails name maps to its IANA zone; an IANA name already in the seed is accepted as is.
time_zone_names as (

    select
        zendesk_time_zone as time_zone_name,
        timezone
    from time_zones

    union

    select
        timezone as time_zone_name,
        timezone
    from time_zones

),

parsed as (

    select
        source.filename as source_file,
        {{ export_line_number() }} as source_line,
        {{ row_struct('source') }} as raw_row,  -- the row as read (a struct): raw_record_if_rejected's input
        nullif(trim(source.id), '') as raw_id,
        {{ text_as_id('source.id') }} as schedule_id,
        nullif(trim(source.name), '') as schedule_name,
        nullif(trim(source.time_zone), '') as raw_time_zone,
        -- minutes as doubles first, so 540.5 is caught instead of silently rounded
        {{ json_struct_list_of('source.intervals', [['start_time', 'DOUBLE'], ['end_time', 'DOUBLE']]) }} as intervals,
        coalesce({{ json_kind('source.intervals') }} = 'ARRAY', false) as is_intervals_array,
        {{ json_struct_list_of(
            'source.holidays',
            [['id', 'VARCHAR'], ['name', 'VARCHAR'], ['start_date', 'VARCHAR'], ['end_date', 'VARCHAR']],
        ) }} as holidays,
        source.holidays is null or {{ json_kind('source.holidays') }} in ('ARRAY', 'NULL') as is_holidays_array,
        {{ to_utc_timestamp('source.created_at') }} as created_at,
        {{ to_utc_timestamp('source.updated_at') }} as updated_at

    from source

),

shaped as (

    select
        parsed.*,
        time_zone_names.timezone,
        -- every interval has whole-minute times inside the week, end after start
        coalesce({{ list_all(list_map(
            'parsed.intervals', 'opening',
            'opening.start_time is not null and opening.end_time is not null'
            ~ ' and opening.start_time = floor(opening.start_time)'
            ~ ' and opening.end_time = floor(opening.end_time)'
            ~ ' and opening.start_time >= 0 and opening.end_time <= 10080'
            ~ ' and opening.start_time < opening.end_time'
        )) }}, true) as are_intervals_valid,
        -- [start, end] pairs sorted by start, for the overlap check
        {{ list_sorted(list_map(
            'parsed.intervals', 'opening', list_of(['opening.start_time', 'opening.end_time'])
        )) }} as sorted_intervals,
        coalesce({{ list_all(list_map(
            'parsed.holidays', 'holiday',
            'try_cast(holiday.start_date as date) is not null'
            ~ ' and try_cast(holiday.end_date as date) is not null'
            ~ ' and try_cast(holiday.end_date as date) >= try_cast(holiday.start_date as date)'
        )) }}, true) as are_holidays_valid

    from parsed
    left join time_zone_names
        on parsed.raw_time_zone = time_zone_names.time_zone_name

),

-- each interval ends before the next one starts
disjoint as (

    select
        *,
        {{ zendesk_are_intervals_disjoint('sorted_intervals') }} as are_intervals_disjoint

    from shaped

),

checked as (

    select
        *,
        {{ rejection_reason([
            ["schedule_id is null", "missing or non-numeric id"],
            [is_in_the_future(['created_at', 'updated_at']), "timestamp in the future"],
            ["updated_at is null", "missing or unparseable updated_at"],
            ["raw_time_zone is null", "missing time_zone"],
            [
                "raw_time_zone is not null and timezone is null",
                "unknown time_zone",
                "'unknown time_zone ''' || raw_time_zone || ''': add it to seed zendesk_time_zones with its IANA name'",
            ],
            ["not is_intervals_array", "intervals missing or not a JSON array"],
            [
                "is_intervals_array and not are_intervals_valid",
                "interval not in whole minutes inside the week (0-10080, end after start)",
            ],
            ["is_intervals_array and are_intervals_valid and not are_intervals_disjoint", "overlapping intervals"],
            ["not is_holidays_array", "holidays not a JSON array"],
            [
                "is_holidays_array and not are_holidays_valid",
                "holiday without a valid start_date and end_date (YYYY-MM-DD, end on or after start)",
            ],
        ]) }} as rejection_reason

    from disjoint

),

-- Incremental runs: the new rows plus the loaded rows of the schedules they touch.
candidates as (

    select
        -- exclude () takes bare column names
        {{ recheck_columns_except('checked', ['raw_row', 'sorted_intervals']) }},  -- noqa: RF03
        {{ recheck_raw_record(raw_record_if_rejected('zendesk', 'schedules', 'checked')) }} as raw_record
    from checked
    {{ loaded_rows_to_recheck('checked', ['schedule_id'], ['is_superseded']) }}

),

final as (

    select
        *,
        {{ load_timestamp() }} as loaded_at,
        {{ is_superseded(['schedule_id'], ['updated_at desc', 'source_file desc', 'source_line desc']) }}
            as is_superseded

    from candidates

)

-- AM04: on incremental runs `candidates` unions the loaded rows by name (all_columns_except: `* exclude`).
select * from final  -- noqa: AM04
