{#- Finance's check, as a table a dashboard can show: per cost month and currency, the ledger
    total beside what cost_per_resolution reports (allocated to tickets + unallocated), in the
    ledger's currency and in the reporting currency (each pool converted once), and how many
    of the month's pools (team) int_ticket_cost_allocations does not split to the cent. The
    one place the ledger is reconciled: the singular tests assert_cost_allocation_reconciles_to_ledger
    and assert_cost_per_resolution_reconciles_to_ledger fail the build on any row not reconciled. -#}

with

support_costs as (

    select * from {{ ref('stg_finance__support_costs') }}

),

allocations as (

    select * from {{ ref('int_ticket_cost_allocations') }}

),

cost_per_resolution as (

    select * from {{ ref('cost_per_resolution') }}

),

-- pools as int_ticket_cost_allocations forms them (month x team x currency), converted once
ledger_pools as (

    select
        month_start as cost_month_start,
        team,
        currency,
        sum(amount) as ledger_amount,
        round(sum(amount) * max(fx_rate_to_reporting), 2) as ledger_amount_reporting
    from support_costs
    group by month_start, team, currency

),

allocated_pools as (

    select
        cost_month_start,
        team,
        currency,
        sum(allocated_amount) as allocated_amount,
        sum(allocated_amount_reporting) as allocated_amount_reporting
    from allocations
    group by cost_month_start, team, currency

),

-- a pool missing on either side, or split off by a cent in either currency
pool_pairs as (

    select
        coalesce(ledger_pools.cost_month_start, allocated_pools.cost_month_start) as cost_month_start,
        coalesce(ledger_pools.currency, allocated_pools.currency) as currency,
        (
            ledger_pools.ledger_amount is distinct from allocated_pools.allocated_amount
            or ledger_pools.ledger_amount_reporting is distinct from allocated_pools.allocated_amount_reporting
        ) as is_pool_off
    from ledger_pools
    full outer join allocated_pools
        on
            ledger_pools.cost_month_start = allocated_pools.cost_month_start
            and ledger_pools.team = allocated_pools.team
            and ledger_pools.currency = allocated_pools.currency

),

pool_checks as (

    select
        cost_month_start,
        currency,
        count(*) filter (where is_pool_off) as pools_not_reconciled
    from pool_pairs
    group by cost_month_start, currency

),

ledger as (

    select
        cost_month_start,
        currency,
        sum(ledger_amount) as ledger_amount,
        sum(ledger_amount_reporting) as ledger_amount_reporting
    from ledger_pools
    group by cost_month_start, currency

),

reported as (

    select
        cost_month_start,
        currency,
        coalesce(sum(allocated_cost) filter (where not is_unallocated), 0) as allocated_amount,
        coalesce(sum(allocated_cost) filter (where is_unallocated), 0) as unallocated_amount,
        sum(allocated_cost) as reported_amount,
        sum(allocated_cost_reporting) as reported_amount_reporting
    from cost_per_resolution
    group by cost_month_start, currency

),

months as (

    select
        cost_month_start,
        currency
    from ledger
    union
    select
        cost_month_start,
        currency
    from reported
    union
    select
        cost_month_start,
        currency
    from pool_checks

),

final as (

    select
        months.cost_month_start,
        cast(months.currency as {{ text_type() }}) as currency,
        cast(coalesce(ledger.ledger_amount, 0) as decimal(18, 2)) as ledger_amount,
        cast(coalesce(reported.allocated_amount, 0) as decimal(18, 2)) as allocated_amount,
        cast(coalesce(reported.unallocated_amount, 0) as decimal(18, 2)) as unallocated_amount,
        cast(coalesce(reported.reported_amount, 0) as decimal(18, 2)) as reported_amount,
        cast(coalesce(reported.reported_amount, 0) - coalesce(ledger.ledger_amount, 0) as decimal(18, 2))
            as difference_amount,
        cast(ledger.ledger_amount_reporting as decimal(18, 2)) as ledger_amount_reporting,
        cast(reported.reported_amount_reporting as decimal(18, 2)) as reported_amount_reporting,
        coalesce(pool_checks.pools_not_reconciled, 0) as pools_not_reconciled,
        (
            ledger.ledger_amount is not distinct from reported.reported_amount
            and ledger.ledger_amount_reporting is not distinct from reported.reported_amount_reporting
            and coalesce(pool_checks.pools_not_reconciled, 0) = 0
        ) as is_reconciled
    from months
    left join ledger
        on
            months.cost_month_start = ledger.cost_month_start
            and months.currency = ledger.currency
    left join reported
        on
            months.cost_month_start = reported.cost_month_start
            and months.currency = reported.currency
    left join pool_checks
        on
            months.cost_month_start = pool_checks.cost_month_start
            and months.currency = pool_checks.currency

)

select * from final
