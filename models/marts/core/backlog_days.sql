{#- Backlog at the end of each reporting day, per channel: open customer tickets and how
    many are older than 24, 48 and 72 hours (KPI_SPEC item 10). Every day x channel has a
    row, zero included, so a BI line chart has no gaps. -#}

with

snapshots as (

    select * from {{ ref('int_backlog_daily_snapshots') }}

),

day_spine as (

    select * from {{ ref('int_backlog_day_spine') }}

),

open_periods as (

    select * from {{ ref('int_ticket_open_periods') }}

),

channels as (

    select distinct channel from open_periods

),

-- "Older than N hours" is strict: a ticket exactly 24 h old is not yet older than 24 h.
daily as (

    select
        snapshot_date,
        channel,
        count(*) as open_tickets,
        count(*) filter (where is_reopened_period) as reopened_open_tickets,
        count(*) filter (where age_minutes > 24 * 60) as older_than_24h_tickets,
        count(*) filter (where age_minutes > 48 * 60) as older_than_48h_tickets,
        count(*) filter (where age_minutes > 72 * 60) as older_than_72h_tickets,
        {{ quantile_cont_exact('age_minutes', 0.5) }} as median_age_minutes,
        {{ quantile_cont_exact('age_minutes', 0.9) }} as p90_age_minutes
    from snapshots
    group by snapshot_date, channel

),

final as (

    select
        day_spine.snapshot_date,
        channels.channel,
        day_spine.snapshot_at,
        day_spine.is_partial_day,
        cast(coalesce(daily.open_tickets, 0) as bigint) as open_tickets,
        cast(coalesce(daily.reopened_open_tickets, 0) as bigint) as reopened_open_tickets,
        cast(coalesce(daily.older_than_24h_tickets, 0) as bigint) as older_than_24h_tickets,
        cast(coalesce(daily.older_than_48h_tickets, 0) as bigint) as older_than_48h_tickets,
        cast(coalesce(daily.older_than_72h_tickets, 0) as bigint) as older_than_72h_tickets,
        cast(daily.older_than_24h_tickets as double) / nullif(daily.open_tickets, 0) as older_than_24h_share,
        cast(daily.older_than_48h_tickets as double) / nullif(daily.open_tickets, 0) as older_than_48h_share,
        cast(daily.older_than_72h_tickets as double) / nullif(daily.open_tickets, 0) as older_than_72h_share,
        -- ages are shown to a hundredth of a minute; more digits are interpolation noise
        cast({{ round_double('daily.median_age_minutes', 2) }} as double) as median_age_minutes,
        cast({{ round_double('daily.p90_age_minutes', 2) }} as double) as p90_age_minutes
    from day_spine
    cross join channels
    left join daily
        on
            day_spine.snapshot_date = daily.snapshot_date
            and channels.channel = daily.channel

)

select * from final
