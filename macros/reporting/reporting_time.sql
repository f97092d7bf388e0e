{#- Reporting periods are cut in the brand's reporting timezone (var reporting_timezone),
    while every stored timestamp is naive UTC. These macros are the one place that
    conversion happens, so a mart can never mix the two. -#}

{#- A naive UTC timestamp as a naive local timestamp in the reporting timezone. -#}
{% macro to_reporting_tz(utc_timestamp) -%}
    {{ utc_to_local_timestamp(utc_timestamp, "'" ~ var('reporting_timezone') ~ "'") }}
{%- endmacro %}

{#- The reporting-local calendar date of a naive UTC timestamp. -#}
{% macro reporting_date(utc_timestamp) -%}
    cast({{ to_reporting_tz(utc_timestamp) }} as date)
{%- endmacro %}

{#- The first day of the period (day, week = ISO week starting Monday, month) that contains
    a naive UTC timestamp, in the reporting timezone. `grain` is a SQL expression. -#}
{% macro reporting_period_start(grain, utc_timestamp) -%}
    {{ reporting_period_start_of_date(grain, reporting_date(utc_timestamp)) }}
{%- endmacro %}

{#- The same for a reporting-local date (reporting_date). After a fan-out to grains use this,
    on a date computed before the fan-out: the timezone conversion is the costly part, and
    done after it, it runs once per grain (sla_compliance at 10M tickets: 11 s of 17). -#}
{% macro reporting_period_start_of_date(grain, reporting_local_date) -%}
    cast(date_trunc({{ grain }}, {{ reporting_local_date }}) as date)
{%- endmacro %}

{#- The grains every period mart is reported at. Cross join this relation to fan each row
    out to one row per grain, then group by period_grain and reporting_period_start_of_date
    of a reporting date the row carries from before the fan-out. -#}
{% macro reporting_grains() -%}
    (select {{ unnest_list(list_literal(['day', 'week', 'month'])) }} as period_grain)
{%- endmacro %}
