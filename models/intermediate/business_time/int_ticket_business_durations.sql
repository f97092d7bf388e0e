{{ config(
    materialized='incremental',
    incremental_strategy='rebuild_keys',
    unique_key='ticket_id',
    rebuild_set='int_ticket_rebuild_set',
    on_schema_change='fail',
    post_hook="{{ record_rebuild_watermark() }}",
) }}
-- depends_on: {{ ref('int_ticket_rebuild_set') }}
with

tickets as (

    select * from {{ ref('int_ticket_threads') }}
    {{ rebuild_filter() }}

),

-- Business minutes follow the ticket's schedule over time (int_ticket_schedule_segments):
-- the one entry point macros/business_time/ticket_business_time.sql.
measured as (

    {{ ticket_business_time(
        'tickets',
        [
            ['created_at', 'first_human_reply_at', 'first_response'],
            ['created_at', 'first_solved_at', 'first_resolution'],
            ['created_at', 'last_solved_at', 'full_resolution'],
        ],
        schedule_id_at='created_at',
    ) }}

),

final as (

    select
        ticket_id,
        schedule_id,
        {{ calendar_minutes('created_at', 'first_human_reply_at') }} as first_response_calendar_minutes,
        first_response_business_minutes,
        epoch_us(first_human_reply_at) - epoch_us(created_at) as first_response_calendar_microseconds,
        first_response_business_microseconds,
        {{ calendar_minutes('created_at', 'first_solved_at') }} as first_resolution_calendar_minutes,
        first_resolution_business_minutes,
        {{ calendar_minutes('created_at', 'last_solved_at') }} as full_resolution_calendar_minutes,
        full_resolution_business_minutes

    from measured

)

select * from final
