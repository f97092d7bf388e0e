-- One row per next-reply clock: after a public human reply, the customer's next message
-- starts a clock (later customer messages before the next human reply join the same wait),
-- stopped by the next public human reply, or by a solve before it (the ticket was dealt with
-- without a reply). Bot, trigger and internal messages stop nothing: they are not human replies.
with

messages as (

    select * from {{ ref('int_ticket_messages') }}

),

periods as (

    select * from {{ ref('int_ticket_status_periods') }}

),

durations as (

    select * from {{ ref('int_ticket_business_durations') }}

),

schedules as (

    select * from {{ ref('business_schedules') }}

),

calendar_days as (

    select * from {{ ref('int_business_calendar_days') }}

),

numbered as (

    -- reply_block k = the messages from the k-th human reply up to (not including) the next;
    -- message_sequence orders the thread by time, so a clock never stops before it starts
    select
        ticket_id,
        message_sequence,
        author_type,
        is_human_reply,
        created_at,
        count(*) filter (where is_human_reply) over (
            partition by ticket_id order by message_sequence rows between unbounded preceding and current row
        ) as reply_block

    from messages

),

replies as (

    select
        ticket_id,
        reply_block,
        created_at as replied_at

    from numbered
    where is_human_reply

),

clock_starts as (

    select
        ticket_id,
        reply_block,
        min(created_at) as started_at,
        count(*) as customer_message_count

    from numbered
    where author_type = 'customer' and reply_block >= 1
    group by ticket_id, reply_block

),

solved_for_good as (

    -- A customer message on a solved ticket that stays solved (no later unsolved status)
    -- starts no clock: nobody is expected to answer it.
    select
        clock_starts.ticket_id,
        clock_starts.reply_block

    from clock_starts
    inner join periods
        on
            clock_starts.ticket_id = periods.ticket_id
            and clock_starts.started_at >= periods.started_at
            and periods.is_current
            and periods.status_bucket = 'solved'

),

next_solves as (

    select
        clock_starts.ticket_id,
        clock_starts.reply_block,
        min(periods.started_at) as solved_at

    from clock_starts
    inner join periods
        on
            clock_starts.ticket_id = periods.ticket_id
            and periods.status_bucket = 'solved'
            and clock_starts.started_at <= periods.started_at
    group by clock_starts.ticket_id, clock_starts.reply_block

),

stopped as (

    select
        clock_starts.ticket_id,
        row_number() over (partition by clock_starts.ticket_id order by clock_starts.reply_block)
            as clock_sequence,
        clock_starts.started_at,
        clock_starts.customer_message_count,
        replies.replied_at,
        next_solves.solved_at,
        -- whichever comes first; null while neither has happened
        case
            when replies.replied_at is null then next_solves.solved_at
            when next_solves.solved_at is null then replies.replied_at
            else least(replies.replied_at, next_solves.solved_at)
        end as stopped_at

    from clock_starts
    left join replies
        on
            clock_starts.ticket_id = replies.ticket_id
            and replies.reply_block = clock_starts.reply_block + 1
    left join next_solves
        on
            clock_starts.ticket_id = next_solves.ticket_id
            and clock_starts.reply_block = next_solves.reply_block
    where not exists (
        select 1 from solved_for_good
        where
            solved_for_good.ticket_id = clock_starts.ticket_id
            and solved_for_good.reply_block = clock_starts.reply_block
    )

),

with_schedule as (

    select
        stopped.*,
        durations.schedule_id,
        schedules.timezone

    from stopped
    left join durations
        on stopped.ticket_id = durations.ticket_id
    left join schedules
        on durations.schedule_id = schedules.schedule_id

),

final as (

    select
        with_schedule.ticket_id,
        with_schedule.clock_sequence,
        with_schedule.schedule_id,
        with_schedule.started_at,
        with_schedule.stopped_at,
        coalesce(with_schedule.stopped_at = with_schedule.replied_at, false) as is_stopped_by_reply,
        with_schedule.customer_message_count,
        {{ calendar_minutes('with_schedule.started_at', 'with_schedule.stopped_at') }} as calendar_minutes,
        {{ business_minutes('with_schedule.started_at', 'with_schedule.stopped_at', 'start_day', 'stop_day') }}
            as business_minutes

    from with_schedule
    {{ business_calendar_join(
        'calendar_days', 'start_day', 'with_schedule.schedule_id', 'with_schedule.timezone', 'with_schedule.started_at'
    ) }}
    {{ business_calendar_join(
        'calendar_days', 'stop_day', 'with_schedule.schedule_id', 'with_schedule.timezone', 'with_schedule.stopped_at'
    ) }}

)

select * from final
