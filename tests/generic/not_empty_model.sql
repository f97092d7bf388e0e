{% test not_empty_model(model, export_table=none) %}
{#- Fails (one row) when the model has no rows at all. export_table ('<source>.<table>'): the
    model reads an optional export (required_export_tables), so it fails only when that
    export's files hold rows: a brand without the export, or whose files hold no row (a day
    without surveys), gets an empty model, not a failed build. -#}

with

row_count as (

    select count(*) as n_records
    from {{ model }}

),

validation as (

    select n_records
    from row_count
    where
        n_records = 0
        {%- if export_table %}
        and {{ export_file_row_count(export_table.split('.')[0], export_table.split('.')[1]) }} > 0
        {%- endif %}

)

select * from validation

{% endtest %}
