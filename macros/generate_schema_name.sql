{#- Use the folder's schema name as is (staging, intermediate, marts) so BI tools
    query `marts.<model>` instead of dbt's default `main_marts.<model>`. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
