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

helpdesk_tickets as (
    select * from {{ ref(helpdesk_model('tickets')) }}
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

    union all

    -- kept tickets whose order-number field could not be read with certainty: the field is
    -- ignored (no guessed order), the ticket still counts
    select
        'order_number_field_ignored' as check_name,
        '{{ var("helpdesk") }}' as source_name,
        'tickets' as table_name,
        'Order number field looks like a spreadsheet-mangled order number: ignored' as detail,
        count(*) as row_count
    from helpdesk_tickets
    where has_mangled_order_number_field

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
