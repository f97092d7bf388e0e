-- Allocated cost must equal finance's export to the cent for every cost month, team and
-- currency, with no pool missing on either side; and in the reporting currency, each pool's
-- rows must add up to the pool converted once (round(amount x rate) to the cent, never a
-- sum of yen and dollars). Returns one row per pool that is off.

with

support_costs as (

    select * from {{ ref('stg_finance__support_costs') }}

),

allocations as (

    select * from {{ ref('int_ticket_cost_allocations') }}

),

ledger as (

    select
        month_start as cost_month_start,
        team,
        currency,
        sum(amount) as ledger_amount,
        round(sum(amount) * max(fx_rate_to_reporting), 2) as ledger_amount_reporting
    from support_costs
    group by month_start, team, currency

),

allocated as (

    select
        cost_month_start,
        team,
        currency,
        sum(allocated_amount) as allocated_amount,
        sum(allocated_amount_reporting) as allocated_amount_reporting
    from allocations
    group by cost_month_start, team, currency

),

final as (

    select
        coalesce(ledger.cost_month_start, allocated.cost_month_start) as cost_month_start,
        coalesce(ledger.team, allocated.team) as team,
        coalesce(ledger.currency, allocated.currency) as currency,
        ledger.ledger_amount,
        allocated.allocated_amount,
        ledger.ledger_amount_reporting,
        allocated.allocated_amount_reporting
    from ledger
    full outer join allocated
        on
            ledger.cost_month_start = allocated.cost_month_start
            and ledger.team = allocated.team
            and ledger.currency = allocated.currency
    where
        ledger.ledger_amount is distinct from allocated.allocated_amount
        or ledger.ledger_amount_reporting is distinct from allocated.allocated_amount_reporting

)

select * from final
