{{ config(
    materialized='incremental',
    incremental_strategy=engine_incremental_strategy('rebuild_keys'),
    unique_key='ticket_id',
    rebuild_set='int_ticket_rebuild_set',
    on_schema_change='fail',
    post_hook="{{ record_rebuild_watermark() }}",
) }}
-- The business-hours schedule a ticket follows, cut into segments at each recorded schedule
-- change, with the shift that makes one ticket's business positions continuous across them
-- (macros/business_time/ticket_business_time.sql reads it; nothing else should).
-- depends_on: {{ ref('int_ticket_rebuild_set') }}
with

threads as (

    select * from {{ ref('int_ticket_threads') }}
    {{ rebuild_filter() }}

),

helpdesk_tickets as (

    select * from {{ ref(helpdesk_model('tickets')) }}
    {{ rebuild_filter() }}

),

schedule_events as (

    select * from {{ ref(helpdesk_model('ticket_events')) }}
    {{ rebuild_filter() }}

),

channel_schedules as (

    select * from {{ ref('channel_schedules') }}

),

schedules as (

    select * from {{ ref('int_business_schedules') }}

),

calendar_days as (

    select * from {{ ref('int_business_calendar_days') }}

),

-- One recorded schedule per instant (the last event of the instant wins); a null value_after
-- clears the ticket's schedule, i.e. it returns to its channel's.
schedule_changes as (

    select
        ticket_id,
        occurred_at as segment_start_at,
        value_after as assigned_schedule_id

    from schedule_events
    where changed_field = 'schedule'
    qualify row_number() over (partition by ticket_id, occurred_at order by ticket_event_id desc) = 1

),

changed_tickets as (

    select distinct ticket_id from schedule_changes

),

-- Most tickets never change schedule (every Gorgias ticket): one segment, from always to
-- still, under the schedule the helpdesk gives the ticket (null: its channel's), no shift.
-- They skip the window functions and boundary lookups below, which cost per row.
unchanged_tickets as (

    select
        threads.ticket_id,
        1 as segment_number,
        cast(null as timestamp) as segment_start_at,
        cast(null as timestamp) as segment_end_at,
        coalesce(helpdesk_tickets.schedule_id, channel_schedules.schedule_id) as schedule_id,
        case when helpdesk_tickets.schedule_id is null then 'channel' else 'ticket' end as schedule_source,
        cast(0 as bigint) as position_shift_us

    from threads
    left join helpdesk_tickets
        on threads.ticket_id = helpdesk_tickets.ticket_id
    left join channel_schedules
        on threads.channel = channel_schedules.channel
    where threads.ticket_id not in (select changed_tickets.ticket_id from changed_tickets)

),

segment_starts as (

    -- A ticket with recorded changes follows its channel's schedule until the first one (the
    -- export says nothing earlier), then each change's value (null: its channel's again).
    select
        threads.ticket_id,
        threads.channel,
        cast(null as timestamp) as segment_start_at,
        cast(null as {{ text_type() }}) as assigned_schedule_id

    from threads
    inner join changed_tickets
        on threads.ticket_id = changed_tickets.ticket_id

    union all

    select
        threads.ticket_id,
        threads.channel,
        schedule_changes.segment_start_at,
        schedule_changes.assigned_schedule_id

    from schedule_changes
    inner join threads
        on schedule_changes.ticket_id = threads.ticket_id

),

segments as (

    select
        segment_starts.ticket_id,
        {{ widen_to_bigint('row_number() over ticket_segments') }} as segment_number,
        segment_starts.segment_start_at,
        lead(segment_starts.segment_start_at) over ticket_segments as segment_end_at,
        coalesce(segment_starts.assigned_schedule_id, channel_schedules.schedule_id) as schedule_id,
        case when segment_starts.assigned_schedule_id is null then 'channel' else 'ticket' end
            as schedule_source

    from segment_starts
    left join channel_schedules
        on segment_starts.channel = channel_schedules.channel
    window ticket_segments as (
        partition by segment_starts.ticket_id
        order by segment_starts.segment_start_at asc nulls first
    )

),

with_timezones as (

    select
        segments.*,
        schedules.timezone,
        lag(segments.schedule_id) over ticket_segments as previous_schedule_id,
        lag(schedules.timezone) over ticket_segments as previous_timezone

    from segments
    left join schedules
        on segments.schedule_id = schedules.schedule_id
    window ticket_segments as (partition by segments.ticket_id order by segments.segment_number)

),

changed_segments as (

    -- At a change instant c the ticket's position must not jump: the new schedule's position
    -- F_new(c) is moved to the old one's F_old(c). Null when c is outside the calendar or a
    -- schedule is unknown, which makes every later position null rather than wrong.
    select
        with_timezones.ticket_id,
        with_timezones.segment_number,
        with_timezones.segment_start_at,
        with_timezones.segment_end_at,
        with_timezones.schedule_id,
        with_timezones.schedule_source,
        case
            when with_timezones.segment_number = 1 then 0
            else
                (previous_day.business_minutes_before - start_day.business_minutes_before) * 60000000
                + {{ business_offset_us('with_timezones.segment_start_at', 'previous_day') }}
                - {{ business_offset_us('with_timezones.segment_start_at', 'start_day') }}
        end as boundary_step_us

    from with_timezones
    {{ business_calendar_join(
        'calendar_days', 'previous_day', 'with_timezones.previous_schedule_id',
        'with_timezones.previous_timezone', 'with_timezones.segment_start_at'
    ) }}
    {{ business_calendar_join(
        'calendar_days', 'start_day', 'with_timezones.schedule_id',
        'with_timezones.timezone', 'with_timezones.segment_start_at'
    ) }}

),

changed_shifts as (

    select
        ticket_id,
        segment_number,
        segment_start_at,
        segment_end_at,
        schedule_id,
        schedule_source,
        case
            when count(*) filter (where boundary_step_us is null) over running_steps = 0
                then cast(sum(boundary_step_us) over running_steps as bigint)
        end as position_shift_us

    from changed_segments
    window running_steps as (
        partition by ticket_id
        order by segment_number
        rows between unbounded preceding and current row
    )

),

all_segments as (

    select * from unchanged_tickets
    union all
    select * from changed_shifts

),

final as (

    select
        all_segments.ticket_id,
        all_segments.segment_number,
        all_segments.segment_start_at,
        all_segments.segment_end_at,
        all_segments.schedule_id,
        all_segments.schedule_source,
        schedules.timezone,
        schedules.timezone is not null as is_schedule_known,
        -- the ticket's only segment: ticket_business_time joins these once per ticket
        all_segments.segment_start_at is null and all_segments.segment_end_at is null as is_only_segment,
        all_segments.position_shift_us

    from all_segments
    left join schedules
        on all_segments.schedule_id = schedules.schedule_id

)

select * from final
