-- Headline figures of the whole history, one row per KPI, straight from the marts.
-- `dbt show --select headline_figures` runs it; README shows its output on the bundled sample.
with
speed as (select * from {{ ref('speed_and_accessibility') }} where period_grain = 'month'),
resolution as (select * from {{ ref('resolution_quality') }} where period_grain = 'month'),
experience as (select * from {{ ref('customer_experience') }} where period_grain = 'month'),
nps as (select * from {{ ref('nps_monthly') }}),
wismo as (select * from {{ ref('wismo') }} where period_grain = 'month'),
costs as (select * from {{ ref('cost_per_resolution') }}),
refunds as (select * from {{ ref('refund_rate') }} where period_grain = 'month'),

final as (
    select 'customer tickets' as kpi, sum(customer_tickets)::double as value from speed
    union all
    select 'first reply within 24 h (share)', sum(frt_within_target_tickets) / sum(frt_target_decided_tickets) from speed
    union all
    select
        'first-response SLA compliance',
        sum(first_response_sla_met_tickets)
        / sum(first_response_sla_met_tickets + first_response_sla_breached_tickets)
    from speed
    union all
    select 'FCR rate', sum(fcr_tickets) / sum(solved_tickets) from resolution
    union all
    select 'repeat contact rate', sum(repeat_contact_tickets) / sum(customer_tickets) from resolution
    union all
    select 'CSAT (share 4-5)', sum(satisfied_tickets) / sum(rated_tickets) from experience
    union all
    select 'NPS', 100.0 * (sum(promoters) - sum(detractors)) / sum(responses) from nps
    union all
    select 'WISMO contact rate', sum(wismo_customer_tickets) / sum(customer_tickets) from wismo
    union all
    select 'cost per contact', sum(allocated_cost) / sum(handled_customer_tickets) from costs where not is_unallocated
    union all
    select 'cost per successful resolution', sum(allocated_cost) / sum(fcr_tickets) from costs where not is_unallocated
    union all
    select 'refund rate', sum(refunded_orders) / sum(orders) from refunds
)

select
    kpi,
    round(value, 3) as value,
from final
