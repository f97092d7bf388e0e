{#- Small SQL spellings that differ by engine, used across every layer. One macro each, so a
    model keeps one text: DuckDB's spelling on the left, Spark's on the right. -#}

{% macro all_columns_except(relation_alias, columns) %}
{#- `<alias>.*` without `columns`: DuckDB `* exclude (...)`, Spark `* except (...)`. -#}
    {{ return(adapter.dispatch('all_columns_except', 'support_kpis')(relation_alias, columns)) }}
{%- endmacro %}


{% macro default__all_columns_except(relation_alias, columns) -%}
{{ relation_alias ~ '.' if relation_alias }}* exclude ({{ columns | join(', ') }})
{%- endmacro %}


{% macro spark__all_columns_except(relation_alias, columns) -%}
{{ relation_alias ~ '.' if relation_alias }}* except ({{ columns | join(', ') }})
{%- endmacro %}


{% macro epoch_seconds(timestamp_expression) %}
{#- Seconds since 1970-01-01 UTC as a double (fractions kept): durations are differences of these. -#}
    {{ return(adapter.dispatch('epoch_seconds', 'support_kpis')(timestamp_expression)) }}
{%- endmacro %}


{% macro default__epoch_seconds(timestamp_expression) -%}
epoch({{ timestamp_expression }})
{%- endmacro %}


{% macro spark__epoch_seconds(timestamp_expression) -%}
{#- 1e6 is a double literal: a double division, as DuckDB's epoch() (1000000.0 is a decimal
    in Spark, and a difference of two of them stayed a decimal, of another type than DuckDB's). -#}
(unix_micros({{ timestamp_expression }}) / 1e6)
{%- endmacro %}


{% macro epoch_microseconds(timestamp_expression) %}
{#- Microseconds since 1970-01-01 UTC as a bigint: exact durations (no float noise). -#}
    {{ return(adapter.dispatch('epoch_microseconds', 'support_kpis')(timestamp_expression)) }}
{%- endmacro %}


{% macro default__epoch_microseconds(timestamp_expression) -%}
epoch_us({{ timestamp_expression }})
{%- endmacro %}


{% macro spark__epoch_microseconds(timestamp_expression) -%}
unix_micros({{ timestamp_expression }})
{%- endmacro %}
