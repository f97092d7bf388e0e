with

tickets as (

    select * from {{ ref('tickets') }}

),

grains as (

    select * from {{ reporting_grains() }}

),

ticket_periods as (

    -- Cohort view: every ticket counts in the period it was created, so each rate's
    -- numerator is a subset of its denominator within one row.
    select
        grains.period_grain,
        {{ reporting_period_start_of_date('grains.period_grain', 'tickets.created_date') }} as period_start,
        tickets.channel,
        tickets.is_customer_ticket,
        tickets.exclusion_reason,
        tickets.is_solved,
        tickets.first_solved_at,
        tickets.is_fcr,
        tickets.is_one_touch,
        tickets.is_two_touch,
        tickets.is_multi_touch,
        tickets.is_repeat_contact,
        tickets.is_reopened,
        tickets.is_repeat_window_open

    from tickets
    cross join grains

),

aggregated as (

    select
        period_grain,
        period_start,
        channel,
        {{ ticket_count_columns() }}
        count(*) filter (where is_customer_ticket and is_solved) as solved_tickets,
        count(*) filter (where is_customer_ticket and is_fcr) as fcr_tickets,
        count(*) filter (
            where is_customer_ticket and is_fcr and is_repeat_window_open
        ) as fcr_provisional_tickets,
        count(*) filter (where is_customer_ticket and is_one_touch) as one_touch_tickets,
        count(*) filter (where is_customer_ticket and is_two_touch) as two_touch_tickets,
        count(*) filter (where is_customer_ticket and is_multi_touch) as multi_touch_tickets,
        count(*) filter (where is_customer_ticket and is_repeat_contact) as repeat_contact_tickets,
        count(*) filter (where is_customer_ticket and first_solved_at is not null) as ever_solved_tickets,
        count(*) filter (where is_customer_ticket and is_reopened) as reopened_tickets

    from ticket_periods
    group by period_grain, period_start, channel

),

final as (

    select
        period_grain,
        period_start,
        channel,
        total_tickets,
        customer_tickets,
        excluded_spam_tickets,
        excluded_merged_tickets,
        excluded_outbound_tickets,
        excluded_other_tickets,
        solved_tickets,
        fcr_tickets,
        fcr_provisional_tickets,
        cast(fcr_tickets / nullif(solved_tickets, 0) as double) as fcr_rate,
        one_touch_tickets,
        cast(one_touch_tickets / nullif(solved_tickets, 0) as double) as one_touch_rate,
        -- same denominator as one-touch: solved customer tickets
        two_touch_tickets,
        cast(two_touch_tickets / nullif(solved_tickets, 0) as double) as two_touch_rate,
        multi_touch_tickets,
        cast(multi_touch_tickets / nullif(solved_tickets, 0) as double) as multi_touch_rate,
        repeat_contact_tickets,
        cast(repeat_contact_tickets / nullif(customer_tickets, 0) as double) as repeat_contact_rate,
        ever_solved_tickets,
        reopened_tickets,
        cast(reopened_tickets / nullif(ever_solved_tickets, 0) as double) as reopen_rate

    from aggregated

)

select * from final
