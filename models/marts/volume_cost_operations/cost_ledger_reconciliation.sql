{#- Finance's check, as a table a dashboard can show: per cost month and currency, the ledger
    total beside what cost_per_resolution reports (allocated to tickets + unallocated). The
    singular test tests/assert_cost_per_resolution_reconciles_to_ledger.sql fails the build
    on any cent of difference; this mart makes the same comparison visible. -#}

with

support_costs as (

    select * from {{ ref('stg_finance__support_costs') }}

),

cost_per_resolution as (

    select * from {{ ref('cost_per_resolution') }}

),

ledger as (

    select
        month_start as cost_month_start,
        currency,
        sum(amount) as ledger_amount
    from support_costs
    group by month_start, currency

),

reported as (

    select
        cost_month_start,
        currency,
        coalesce(sum(allocated_cost) filter (where not is_unallocated), 0) as allocated_amount,
        coalesce(sum(allocated_cost) filter (where is_unallocated), 0) as unallocated_amount,
        sum(allocated_cost) as reported_amount
    from cost_per_resolution
    group by cost_month_start, currency

),

final as (

    select
        coalesce(ledger.cost_month_start, reported.cost_month_start) as cost_month_start,
        cast(coalesce(ledger.currency, reported.currency) as varchar) as currency,
        cast(coalesce(ledger.ledger_amount, 0) as decimal(18, 2)) as ledger_amount,
        cast(coalesce(reported.allocated_amount, 0) as decimal(18, 2)) as allocated_amount,
        cast(coalesce(reported.unallocated_amount, 0) as decimal(18, 2)) as unallocated_amount,
        cast(coalesce(reported.reported_amount, 0) as decimal(18, 2)) as reported_amount,
        cast(coalesce(reported.reported_amount, 0) - coalesce(ledger.ledger_amount, 0) as decimal(18, 2))
            as difference_amount,
        coalesce(reported.reported_amount, 0) = coalesce(ledger.ledger_amount, 0) as is_reconciled
    from ledger
    full outer join reported
        on
            ledger.cost_month_start = reported.cost_month_start
            and ledger.currency = reported.currency

)

select * from final
