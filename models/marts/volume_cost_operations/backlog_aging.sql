{#- End-of-period backlog per channel for days and ISO weeks (KPI_SPEC item 10), with the
    change from the previous period. A week's backlog is its last day's snapshot (Sunday,
    or the as-of day while the week is still running). -#}

with

backlog_days as (

    select * from {{ ref('backlog_days') }}

),

grains as (

    select {{ unnest_list(list_literal(['day', 'week'])) }} as period_grain

),

period_days as (

    select
        grains.period_grain,
        cast(date_trunc(grains.period_grain, backlog_days.snapshot_date) as date) as period_start,
        backlog_days.*
    from backlog_days
    cross join grains

),

-- snapshot_date is already a reporting-timezone day, so truncating it gives the local week
period_ends as (

    select *
    from period_days
    qualify snapshot_date = max(snapshot_date) over (partition by period_grain, period_start, channel)

),

final as (

    select
        cast(period_grain as {{ text_type() }}) as period_grain,
        period_start,
        channel,
        snapshot_date as period_end_date,
        is_partial_day as is_partial_period,
        open_tickets,
        older_than_24h_tickets,
        older_than_48h_tickets,
        older_than_72h_tickets,
        older_than_24h_share,
        older_than_48h_share,
        older_than_72h_share,
        lag(open_tickets) over channel_window as previous_period_open_tickets,
        open_tickets - lag(open_tickets) over channel_window as open_tickets_change,
        cast(open_tickets - lag(open_tickets) over channel_window as double)
        / nullif(lag(open_tickets) over channel_window, 0) as open_tickets_growth_rate
    from period_ends
    window channel_window as (partition by period_grain, channel order by period_start)

)

select * from final
