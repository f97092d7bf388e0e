{#- Name of a helpdesk staging model for the configured helpdesk (dbt var `helpdesk`), so a
    zendesk staging folder with the same outputs can replace gorgias without touching the
    intermediate layer: ref(helpdesk_model('tickets')) -> ref('stg_gorgias__tickets'). -#}
{% macro helpdesk_model(entity) -%}
    {{- return('stg_' ~ var('helpdesk') ~ '__' ~ entity) -}}
{%- endmacro %}
