{{ config(
    materialized='incremental',
    incremental_strategy='rebuild_keys',
    unique_key='ticket_id',
    rebuild_set='int_ticket_rebuild_set',
    on_schema_change='fail',
    post_hook="{{ record_rebuild_watermark() }}",
) }}
{#- The last day of the previous build was cut at its as-of time (partial day, open-ended
    periods): the tickets open on it get new snapshots as the as-of time moves. -#}
{%- set open_on_last_day -%}
    select previous.ticket_id from {{ this }} as previous
    where previous.snapshot_date = (select max(latest.snapshot_date) from {{ this }} as latest)
{%- endset %}
{#- One row per reporting day and customer ticket open at the end of that day (reporting
    timezone). Set-based: each open period becomes a range of snapshot dates joined to the
    day spine on range overlap, so the work grows with ticket-days open, never with minutes
    and never with a loop. -#}

-- depends_on: {{ ref('int_ticket_rebuild_set') }}
with

-- tickets rebuilt besides the rebuild set (none on a full build; read by rebuild_filter)
refresh_ids as materialized (  -- noqa: ST03

    {{ rebuild_extra_keys(open_on_last_day) }}

),

open_periods as (

    select * from {{ ref('int_ticket_open_periods') }}
    {{ rebuild_filter(also_cte='refresh_ids') }}

),

day_spine as (

    select * from {{ ref('int_backlog_day_spine') }}

),

-- the same as-of instant as the spine's, so both agree on the last day
as_of as (

    select max(as_of_at) as as_of_at from day_spine

),

-- A period is open at the end of day D when it opened before D's end and closes at or after
-- it: D runs from the opening's local date to the day before the closing's local date. On
-- the as-of day the state at the as-of instant counts (open if not closed by then).
period_dates as (

    select
        open_periods.ticket_id,
        open_periods.channel,
        open_periods.ticket_created_at,
        open_periods.open_period_number,
        open_periods.is_reopened_period,
        {{ reporting_date('open_periods.opened_at') }} as first_snapshot_date,
        case
            when open_periods.closed_at is null or open_periods.closed_at > as_of.as_of_at
                then {{ reporting_date('as_of.as_of_at') }}
            else {{ reporting_date('open_periods.closed_at') }} - 1
        end as last_snapshot_date
    from open_periods
    cross join as_of
    where open_periods.opened_at <= as_of.as_of_at

),

final as (

    select
        day_spine.snapshot_date,
        day_spine.snapshot_at,
        day_spine.is_partial_day,
        period_dates.ticket_id,
        period_dates.channel,
        period_dates.ticket_created_at,
        period_dates.open_period_number,
        period_dates.is_reopened_period,
        -- age since the ticket was created (not since its last reopen), as helpdesks show it
        (epoch(day_spine.snapshot_at) - epoch(period_dates.ticket_created_at)) / 60.0 as age_minutes
    from period_dates
    inner join day_spine
        on
            period_dates.first_snapshot_date <= day_spine.snapshot_date
            and period_dates.last_snapshot_date >= day_spine.snapshot_date

)

select * from final
