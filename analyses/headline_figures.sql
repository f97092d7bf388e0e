-- Headline figures of the whole history, one row per KPI, straight from the marts.
-- `dbt show --select headline_figures` runs it; README shows its output on the bundled sample.
with

speed as (

    select * from {{ ref('speed_and_accessibility') }}
    where period_grain = 'month'

),

resolution as (

    select * from {{ ref('resolution_quality') }}
    where period_grain = 'month'

),

experience as (

    select * from {{ ref('customer_experience') }}
    where period_grain = 'month'

),

nps as (

    select * from {{ ref('nps_monthly') }}

),

wismo as (

    select * from {{ ref('wismo') }}
    where period_grain = 'month'

),

-- Costed tickets, cost in var reporting_currency: cost_per_resolution has one row per
-- ledger currency, and a ticket paid from pools in two currencies is on both, so a figure
-- across currencies divides the converted cost by distinct tickets, one row each here.
costs as (

    select * from {{ ref('tickets') }}
    where allocated_cost_reporting is not null

),

refunds as (

    select * from {{ ref('refund_rate') }}
    where period_grain = 'month'

),

figures as (

    select
        'customer tickets' as kpi,
        sum(customer_tickets)::double as kpi_value
    from speed

    union all

    select
        'first reply within 24 h (share)' as kpi,
        sum(frt_within_target_tickets) / sum(frt_target_decided_tickets) as kpi_value
    from speed

    union all

    select
        'first-response SLA compliance' as kpi,
        sum(first_response_sla_met_tickets)
        / sum(first_response_sla_met_tickets + first_response_sla_breached_tickets) as kpi_value
    from speed

    union all

    select
        'FCR rate' as kpi,
        sum(fcr_tickets) / sum(solved_tickets) as kpi_value
    from resolution

    union all

    select
        'repeat contact rate' as kpi,
        sum(repeat_contact_tickets) / sum(customer_tickets) as kpi_value
    from resolution

    union all

    select
        'CSAT (share 4-5)' as kpi,
        sum(satisfied_tickets) / sum(rated_tickets) as kpi_value
    from experience

    union all

    select
        'NPS' as kpi,
        100.0 * (sum(promoters) - sum(detractors)) / sum(responses) as kpi_value
    from nps

    union all

    select
        'WISMO contact rate' as kpi,
        sum(wismo_customer_tickets) / sum(customer_tickets) as kpi_value
    from wismo

    union all

    select
        'cost per contact' as kpi,
        sum(allocated_cost_reporting) / count(*) as kpi_value
    from costs

    union all

    select
        'cost per successful resolution' as kpi,
        sum(allocated_cost_reporting) / count(*) filter (where is_fcr) as kpi_value
    from costs

    union all

    select
        'refund rate' as kpi,
        sum(refunded_orders) / sum(orders) as kpi_value
    from refunds

),

final as (

    select
        kpi,
        round(kpi_value, 3) as kpi_value
    from figures

)

select * from final
