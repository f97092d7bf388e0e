{% test unique_combination_of_columns(model, combination_of_columns) %}
{#- Fails with one row per duplicated key combination (group by treats nulls as equal,
    so a null key part cannot hide a duplicate). -#}
{%- set columns_csv = combination_of_columns | join(', ') %}

with

validation as (

    select
        {{ columns_csv }},
        count(*) as n_records
    from {{ model }}
    group by {{ columns_csv }}
    having count(*) > 1

)

select * from validation

{% endtest %}
