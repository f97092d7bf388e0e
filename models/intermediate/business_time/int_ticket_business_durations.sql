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

channel_schedules as (

    select * from {{ ref('channel_schedules') }}

),

schedules as (

    select * from {{ ref('business_schedules') }}

),

calendar_days as (

    select * from {{ ref('int_business_calendar_days') }}

),

ticket_schedules as (

    -- Left joins: a channel missing from channel_schedules keeps its ticket with a null
    -- schedule_id, which the not_null test on schedule_id reports instead of dropping it.
    select
        tickets.ticket_id,
        channel_schedules.schedule_id,
        schedules.timezone,
        tickets.created_at,
        tickets.first_human_reply_at,
        tickets.first_solved_at,
        tickets.last_solved_at

    from tickets
    left join channel_schedules
        on tickets.channel = channel_schedules.channel
    left join schedules
        on channel_schedules.schedule_id = schedules.schedule_id

),

ticket_calendar_days as (

    -- One calendar row per event timestamp, each an equality join on (schedule, local date).
    select
        ticket_schedules.*,
        {{ business_minutes(
            'ticket_schedules.created_at', 'ticket_schedules.first_human_reply_at',
            'created_day', 'first_reply_day'
        ) }} as first_response_business_minutes,
        {{ business_minutes(
            'ticket_schedules.created_at', 'ticket_schedules.first_solved_at',
            'created_day', 'first_solved_day'
        ) }} as first_resolution_business_minutes,
        {{ business_minutes(
            'ticket_schedules.created_at', 'ticket_schedules.last_solved_at',
            'created_day', 'last_solved_day'
        ) }} as full_resolution_business_minutes,
        -- The first-response interval again in exact integer microseconds, for marts that sum or
        -- average it: an integer sum does not depend on the order a parallel aggregate adds in.
        (first_reply_day.business_minutes_before - created_day.business_minutes_before) * 60000000
        + {{ business_offset_us('ticket_schedules.first_human_reply_at', 'first_reply_day') }}
        - {{ business_offset_us('ticket_schedules.created_at', 'created_day') }}
            as first_response_business_microseconds

    from ticket_schedules
    {{ business_calendar_join(
        'calendar_days', 'created_day',
        'ticket_schedules.schedule_id', 'ticket_schedules.timezone', 'ticket_schedules.created_at'
    ) }}
    {{ business_calendar_join(
        'calendar_days', 'first_reply_day',
        'ticket_schedules.schedule_id', 'ticket_schedules.timezone', 'ticket_schedules.first_human_reply_at'
    ) }}
    {{ business_calendar_join(
        'calendar_days', 'first_solved_day',
        'ticket_schedules.schedule_id', 'ticket_schedules.timezone', 'ticket_schedules.first_solved_at'
    ) }}
    {{ business_calendar_join(
        'calendar_days', 'last_solved_day',
        'ticket_schedules.schedule_id', 'ticket_schedules.timezone', 'ticket_schedules.last_solved_at'
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

    from ticket_calendar_days

)

select * from final
