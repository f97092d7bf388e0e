{% test not_empty_model(model) %}
{#- Fails (one row) when the model has no rows at all. -#}

with

row_count as (

    select count(*) as n_records
    from {{ model }}

),

validation as (

    select n_records
    from row_count
    where n_records = 0

)

select * from validation

{% endtest %}
