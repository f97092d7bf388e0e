{% test expression_is_true(model, expression, column_name=none) %}
{#- Fails on every row where the expression is false OR null: a check that cannot be
    evaluated is not a pass. On a column, the expression is appended to it
    (e.g. column_name: amount, expression: ">= 0"). -#}
{%- set full_expression = (column_name ~ ' ' ~ expression) if column_name is not none else expression %}

with

validation as (

    select *
    from {{ model }}
    where not coalesce(({{ full_expression }}), false)

)

select * from validation

{% endtest %}
