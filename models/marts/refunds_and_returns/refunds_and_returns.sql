/*
    Refund and return resolution per reporting period x normalised refund reason x request
    type (KPI_SPEC item 11). Requests count in the period they were opened (cohort), so
    completed, closed and open requests add up to the row's requests. Open requests are aged
    in calendar hours at the data's as-of time, with the backlog's 24/48/72 h thresholds.
*/

with

refund_requests as (

    select
        *,
        -- reporting date once per row, before the fan-out to grains (reporting_time.sql)
        {{ reporting_date('requested_at') }} as requested_date
    from {{ ref('refund_requests') }}

),

grains as (

    select * from {{ reporting_grains() }}

),

request_periods as (

    select
        grains.period_grain,
        {{ reporting_period_start_of_date('grains.period_grain', 'refund_requests.requested_date') }} as period_start,
        refund_requests.refund_reason,
        refund_requests.request_type,
        refund_requests.request_outcome,
        refund_requests.is_open_at_as_of,
        refund_requests.resolution_hours,
        -- the same interval as an exact integer, for the mean (a double avg() varies by run)
        {{ epoch_microseconds('refund_requests.refunded_at') }}
        - {{ epoch_microseconds('refund_requests.requested_at') }}
            as resolution_microseconds,
        refund_requests.open_age_hours

    from refund_requests
    cross join grains

),

aggregated as (

    select
        period_grain,
        period_start,
        refund_reason,
        request_type,
        count(*) as requests,
        count(*) filter (where request_outcome = 'refunded') as completed_refunds,
        count(*) filter (where request_outcome = 'closed_without_refund') as closed_without_refund_requests,
        count(*) filter (where request_outcome = 'open') as open_requests,
        cast(sum(resolution_microseconds) as double)
        / (nullif(count(resolution_microseconds), 0) * 3600000000.0) as mean_resolution_hours,
        {{ quantile_cont_exact('resolution_hours', 0.5) }} as median_resolution_hours,
        {{ quantile_cont_exact('resolution_hours', 0.9) }} as p90_resolution_hours,
        count(*) filter (where is_open_at_as_of) as open_at_as_of_requests,
        -- Strict, as in the backlog: a request exactly 24 h old is not older than 24 h.
        count(*) filter (where open_age_hours > 24) as open_older_than_24h_requests,
        count(*) filter (where open_age_hours > 48) as open_older_than_48h_requests,
        count(*) filter (where open_age_hours > 72) as open_older_than_72h_requests,
        {{ quantile_cont_exact('open_age_hours', 0.5) }} as median_open_age_hours

    from request_periods
    group by period_grain, period_start, refund_reason, request_type

),

final as (

    select
        period_grain,
        period_start,
        refund_reason,
        request_type,
        requests,
        completed_refunds,
        closed_without_refund_requests,
        open_requests,
        cast(completed_refunds / nullif(requests, 0) as double) as refund_completion_rate,
        cast({{ round_double('mean_resolution_hours', 4) }} as double) as mean_resolution_hours,
        cast({{ round_double('median_resolution_hours', 4) }} as double) as median_resolution_hours,
        cast({{ round_double('p90_resolution_hours', 4) }} as double) as p90_resolution_hours,
        cast({{ round_double('mean_resolution_hours / 24.0', 4) }} as double) as mean_resolution_days,
        cast({{ round_double('median_resolution_hours / 24.0', 4) }} as double) as median_resolution_days,
        cast({{ round_double('p90_resolution_hours / 24.0', 4) }} as double) as p90_resolution_days,
        open_at_as_of_requests,
        open_older_than_24h_requests,
        open_older_than_48h_requests,
        open_older_than_72h_requests,
        cast(open_older_than_24h_requests / nullif(open_at_as_of_requests, 0) as double)
            as open_older_than_24h_share,
        cast(open_older_than_48h_requests / nullif(open_at_as_of_requests, 0) as double)
            as open_older_than_48h_share,
        cast(open_older_than_72h_requests / nullif(open_at_as_of_requests, 0) as double)
            as open_older_than_72h_share,
        cast({{ round_double('median_open_age_hours', 4) }} as double) as median_open_age_hours

    from aggregated

)

select * from final
