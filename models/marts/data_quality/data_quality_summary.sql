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

contact_reasons as (
    select * from {{ ref('int_ticket_contact_reasons') }}
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

    -- a filled "Contact reason" field the field map does not know (by full path or leaf):
    -- its tickets fell through to tags and rules; add the value to contact_reason_field_map
    select
        'reason_field_unmapped' as check_name,
        '{{ var("helpdesk") }}' as source_name,
        'tickets' as table_name,
        'Contact reason field value not in contact_reason_field_map (full path or leaf)' as detail,
        count(*) filter (where reason_field_match = 'unmapped') as row_count
    from contact_reasons

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
