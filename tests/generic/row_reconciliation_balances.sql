{% test row_reconciliation_balances(model) %}
{#-
    On stg_row_reconciliation: fails for every export table where
    rows_read <> rows_kept + rows_duplicate + rows_rejected, or where rows_read differs
    from the rows counted directly in the export files (export_file_row_count, which
    does not use staging's readers), or where a table is missing on either side.
-#}

with

reconciliation as (

    select * from {{ model }}

),

file_counts as (

    {% for export in staging_export_tables() %}
    select
        '{{ export[0] }}' as source_name,
        '{{ export[1] }}' as table_name,
        {{ export_file_row_count(export[0], export[1]) }} as rows_in_files
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

validation as (

    select
        coalesce(reconciliation.source_name, file_counts.source_name) as source_name,
        coalesce(reconciliation.table_name, file_counts.table_name) as table_name,
        reconciliation.rows_read,
        reconciliation.rows_kept,
        reconciliation.rows_duplicate,
        reconciliation.rows_rejected,
        file_counts.rows_in_files

    from reconciliation
    full outer join file_counts
        on
            reconciliation.source_name = file_counts.source_name
            and reconciliation.table_name = file_counts.table_name
    where
        reconciliation.rows_read is null
        or file_counts.rows_in_files is null
        or reconciliation.rows_read
        <> reconciliation.rows_kept + reconciliation.rows_duplicate + reconciliation.rows_rejected
        or reconciliation.rows_read <> file_counts.rows_in_files

)

select * from validation

{% endtest %}
