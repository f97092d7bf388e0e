{{ config(
    materialized='incremental',
    incremental_strategy=engine_incremental_strategy('rebuild_keys'),
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

-- tickets under a schedule nobody defines for part of their life: business time not shown there
unknown_schedule_tickets as (

    select distinct ticket_id
    from {{ ref('int_ticket_schedule_segments') }}
    where not is_schedule_known

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
        measured.ticket_id,
        measured.schedule_id,
        {{ calendar_minutes('measured.created_at', 'measured.first_human_reply_at') }}
            as first_response_calendar_minutes,
        measured.first_response_business_minutes,
        {{ epoch_microseconds('measured.first_human_reply_at') }} - {{ epoch_microseconds('measured.created_at') }}
            as first_response_calendar_microseconds,
        measured.first_response_business_microseconds,
        {{ calendar_minutes('measured.created_at', 'measured.first_solved_at') }}
            as first_resolution_calendar_minutes,
        measured.first_resolution_business_minutes,
        {{ calendar_minutes('measured.created_at', 'measured.last_solved_at') }}
            as full_resolution_calendar_minutes,
        measured.full_resolution_business_minutes,
        unknown_schedule_tickets.ticket_id is not null as has_unknown_schedule

    from measured
    left join unknown_schedule_tickets
        on measured.ticket_id = unknown_schedule_tickets.ticket_id

)

select * from final
