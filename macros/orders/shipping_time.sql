{#- A promised delivery date is a calendar date where the parcel arrives: the brand's local
    time zone (KPI spec 8), not the reporting time zone. Var shipping_timezone, else the
    export time zone. -#}
{% macro shipping_timezone() -%}
    {{ return(var('shipping_timezone', none) or var('export_timezone')) }}
{%- endmacro %}

{#- The shipping-local calendar date of a naive UTC timestamp: compare it with a promised date. -#}
{#- Spelled per engine (macros/engines/commerce_intermediate.sql). -#}
{% macro shipping_local_date(utc_timestamp) -%}
    {{ adapter.dispatch('shipping_local_date', 'support_kpis')(utc_timestamp, shipping_timezone()) }}
{%- endmacro %}
