{{ config(
    materialized='incremental',
    incremental_strategy=engine_incremental_strategy('rebuild_keys'),
    unique_key='ticket_id',
    rebuild_set='int_ticket_rebuild_set',
    on_schema_change='fail',
    pre_hook="{{ delete_all_if_as_of_moved_back('helpdesk') }}",
    post_hook="{{ record_rebuild_watermark(data_as_of_at('helpdesk')) }}",
    rebuild_keeps_rows="snapshot_date < (select min(new_rows.snapshot_date) from {new_rows} as new_rows where new_rows.ticket_id = {target}.ticket_id)",
) }}
{#- The last day of the previous build was cut at its as-of time (partial day, open-ended
    periods): the tickets open on it get new snapshots as the as-of time moves. A ticket
    rebuilt only for that (not in the rebuild set) gets snapshots from that day on, and keeps
    the ones before it (config rebuild_keeps_rows): an open ticket has one per day it has been
    open, and rewriting them all every day was most of this model's daily time. -#}
{#- When the as-of time moved back (an as_of_at var set earlier than the last build's),
    days past it and tickets opened after it must go: the pre-hook empties the table and
    every ticket is rebuilt, as in a full build. -#}
{%- set open_on_last_day -%}
    select previous.ticket_id from {{ this }} as previous
    where previous.snapshot_date = (select max(latest.snapshot_date) from {{ this }} as latest)
    union
    select every_ticket.ticket_id from {{ ref('int_ticket_open_periods') }} as every_ticket
    where {{ as_of_moved_back_since_last_build('helpdesk') }}
{%- endset %}
{#- One row per reporting day and customer ticket open at the end of that day (reporting
    timezone). Set-based: each open period becomes a range of snapshot dates joined to the
    day spine on range overlap, so the work grows with ticket-days open, never with minutes
    and never with a loop. -#}
{%- set partial_only_tickets -%}
    select
        refresh_ids.ticket_id,
        (select max(previous.snapshot_date) from {{ this }} as previous) as from_date
    from refresh_ids
    where refresh_ids.ticket_id not in (
        select rebuild_set.ticket_id from {{ ref('int_ticket_rebuild_set') }} as rebuild_set
    )
{%- endset %}
{%- set no_partial_only_tickets -%}
    select
        cast(null as bigint) as ticket_id,
        cast(null as date) as from_date
    where false
{%- endset %}

-- depends_on: {{ ref('int_ticket_rebuild_set') }}
with

-- tickets rebuilt besides the rebuild set (none on a full build; read by rebuild_filter)
refresh_ids {{ cte_as_materialized() }} (  -- noqa: ST03

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

-- tickets rebuilt only because they were open on the last built day: from that day on
partial_only as (

    {{ partial_only_tickets if is_rebuild_run() else no_partial_only_tickets }}

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
        case
            when partial_only.from_date > {{ reporting_date('open_periods.opened_at') }} then partial_only.from_date
            else {{ reporting_date('open_periods.opened_at') }}
        end as first_snapshot_date,
        case
            when open_periods.closed_at is null or open_periods.closed_at > as_of.as_of_at
                then {{ reporting_date('as_of.as_of_at') }}
            else {{ reporting_date('open_periods.closed_at') }} - 1
        end as last_snapshot_date
    from open_periods
    cross join as_of
    left join partial_only
        on open_periods.ticket_id = partial_only.ticket_id
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
        (
            {{ epoch_seconds('day_spine.snapshot_at') }}
            - {{ epoch_seconds('period_dates.ticket_created_at') }}
        ) / 60.0 as age_minutes
    from period_dates
    inner join day_spine
        on
            period_dates.first_snapshot_date <= day_spine.snapshot_date
            and period_dates.last_snapshot_date >= day_spine.snapshot_date

)

select * from final
