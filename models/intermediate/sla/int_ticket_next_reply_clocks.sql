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
        {{ widen_to_bigint(
            'row_number() over (partition by clock_starts.ticket_id order by clock_starts.reply_block)'
        ) }}
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

measured as (

    -- business time on the ticket's schedule over time (the one entry point); the schedule
    -- shown is the one in force when the clock started
    {{ ticket_business_time('stopped', [['started_at', 'stopped_at', 'clock']], schedule_id_at='started_at') }}

),

final as (

    select
        ticket_id,
        clock_sequence,
        schedule_id,
        started_at,
        stopped_at,
        coalesce(stopped_at = replied_at, false) as is_stopped_by_reply,
        customer_message_count,
        {{ calendar_minutes('started_at', 'stopped_at') }} as calendar_minutes,
        clock_business_minutes as business_minutes

    from measured

)

select * from final
