-- One row per data-quality check and table: how many rows a check found, so a support lead
-- sees in one place what the build set aside, flagged or could not use. Each check is one
-- union branch below: add a branch (same five columns) for every new kind of problem.
with

rejected_rows as (
    select * from {{ ref('stg_rejected_rows') }}
),

reconciliation as (
    select * from {{ ref('stg_row_reconciliation') }}
),

checks as (

    select
        'rows_rejected' as check_name,
        source_name,
        table_name,
        rejection_reason as detail,
        count(*) as row_count
    from rejected_rows
    group by source_name, table_name, rejection_reason

    union all

    select
        'rows_duplicate' as check_name,
        source_name,
        table_name,
        'superseded by a later re-export of the same id' as detail,
        rows_duplicate as row_count
    from reconciliation

),

final as (

    select
        ---------- strings
        check_name,
        source_name,
        table_name,
        detail,

        ---------- numerics
        row_count

    from checks

)

select * from final
