{#-
    Converts a naive UTC timestamp (the staging contract) into naive local
    time in the reporting timezone (var `reporting_timezone`), for cutting
    days, weeks and months and for comparing with local calendar dates such
    as a promised delivery date. DuckDB's ICU time zones handle DST.
-#}
{% macro to_reporting_timezone(utc_timestamp) -%}
    (({{ utc_timestamp }} at time zone 'UTC') at time zone '{{ var("reporting_timezone", "UTC") }}')
{%- endmacro %}
