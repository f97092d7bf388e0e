{{ config(
    materialized='incremental',
    incremental_strategy=engine_incremental_strategy('rebuild_keys'),
    unique_key='ticket_id',
    rebuild_set='int_ticket_rebuild_set',
    on_schema_change='fail',
    post_hook="{{ record_rebuild_watermark() }}",
) }}
-- Agent handle time per ticket (KPI spec 9): tracked time where agents tracked any, else the
-- default_handle_times seed by channel and reason, then the channel's `*` row, then `*`,`*`.

-- depends_on: {{ ref('int_ticket_rebuild_set') }}
with

threads as (
    select * from {{ ref('int_ticket_threads') }}
    {{ rebuild_filter() }}
),

contact_reasons as (
    select * from {{ ref('int_ticket_contact_reasons') }}
    {{ rebuild_filter() }}
),

time_entries as (
    select * from {{ ref('stg_time_tracking__ticket_time_entries') }}
    {{ rebuild_filter() }}
),

default_handle_times as (
    select * from {{ ref('default_handle_times') }}
),

tracked as (
    select
        ticket_id,
        sum(duration_seconds) / {{ decimal_divisor('60.0') }} as tracked_minutes,
        sum(duration_seconds) as tracked_seconds,
        count(*) as time_entry_count
    from time_entries
    where duration_seconds > 0
    group by ticket_id
),

defaults as (
    select
        threads.ticket_id,
        coalesce(
            exact_default.default_minutes,
            channel_default.default_minutes,
            global_default.default_minutes
        ) as default_minutes
    from threads
    left join contact_reasons
        on threads.ticket_id = contact_reasons.ticket_id
    left join default_handle_times as exact_default
        on
            threads.channel = exact_default.channel
            and contact_reasons.contact_reason = exact_default.contact_reason
    left join default_handle_times as channel_default
        on
            threads.channel = channel_default.channel
            and channel_default.contact_reason = '*'
    left join default_handle_times as global_default
        on
            global_default.channel = '*'
            and global_default.contact_reason = '*'
),

final as (
    select
        threads.ticket_id,
        coalesce(tracked.tracked_minutes, defaults.default_minutes) as handle_minutes,
        case when tracked.tracked_minutes is not null then 'tracked' else 'default' end as handle_time_source,
        -- Exact seconds (decimal) for marts that sum handle time: a sum of double minutes
        -- depends on the order a parallel aggregate adds them in.
        cast(
            coalesce(tracked.tracked_seconds, defaults.default_minutes * 60) as decimal(18, 3)
        ) as handle_seconds,
        tracked.tracked_minutes,
        coalesce(tracked.time_entry_count, 0) as time_entry_count,
        defaults.default_minutes
    from threads
    left join tracked
        on threads.ticket_id = tracked.ticket_id
    left join defaults
        on threads.ticket_id = defaults.ticket_id
)

select * from final
