{#- Generic engine spellings several layers use (one definition each; dispatched). -#}


{% macro array_size(array) %}
    {{ return(adapter.dispatch('array_size', 'support_kpis')(array)) }}
{%- endmacro %}


{% macro default__array_size(array) -%}
len({{ array }})
{%- endmacro %}


{% macro spark__array_size(array) -%}
size({{ array }})
{%- endmacro %}


{% macro integer_divide(dividend, divisor) %}
{#- Integer division (rounds toward zero for non-negative operands, the only use): `//` vs `div`. -#}
    {{ return(adapter.dispatch('integer_divide', 'support_kpis')(dividend, divisor)) }}
{%- endmacro %}


{% macro default__integer_divide(dividend, divisor) -%}
{{ dividend }} // {{ divisor }}
{%- endmacro %}


{% macro spark__integer_divide(dividend, divisor) -%}
{{ dividend }} div {{ divisor }}
{%- endmacro %}


{% macro text_type() %}
{#- The type name of text for casts (`cast(null as ...)`): Spark's `varchar` needs a length. -#}
    {{ return(adapter.dispatch('text_type', 'support_kpis')()) }}
{%- endmacro %}


{% macro default__text_type() -%}
varchar
{%- endmacro %}


{% macro spark__text_type() -%}
string
{%- endmacro %}


{% macro spark_string_literal(text) -%}
'{{ text | string | replace("\\", "\\\\") | replace("'", "\\'") }}'
{%- endmacro %}


{% macro cte_as_materialized() %}
{#- `<name> as materialized (`: DuckDB computes the CTE once (a rebuild run's key list, read
    by several import CTEs); Spark has no such hint (it reuses an exchange on its own). -#}
    {{ return(adapter.dispatch('cte_as_materialized', 'support_kpis')()) }}
{%- endmacro %}


{% macro default__cte_as_materialized() -%}
as materialized
{%- endmacro %}


{% macro spark__cte_as_materialized() -%}
as
{%- endmacro %}


{% macro interval_days(days) %}
{#- An interval of `days` days to add to or subtract from a naive UTC timestamp. -#}
    {{ return(adapter.dispatch('interval_days', 'support_kpis')(days)) }}
{%- endmacro %}


{% macro default__interval_days(days) -%}
to_days({{ days }})
{%- endmacro %}


{% macro spark__interval_days(days) -%}
make_dt_interval({{ days }})
{%- endmacro %}


{% macro utc_to_local_timestamp(utc_timestamp, timezone_sql) %}
{#- A naive UTC timestamp as naive wall-clock time in `timezone_sql` (a SQL expression). -#}
    {{ return(adapter.dispatch('utc_to_local_timestamp', 'support_kpis')(utc_timestamp, timezone_sql)) }}
{%- endmacro %}


{% macro default__utc_to_local_timestamp(utc_timestamp, timezone_sql) -%}
timezone({{ timezone_sql }}, timezone('UTC', {{ utc_timestamp }}))
{%- endmacro %}


{% macro spark__utc_to_local_timestamp(utc_timestamp, timezone_sql) -%}
from_utc_timestamp({{ utc_timestamp }}, {{ timezone_sql }})
{%- endmacro %}


{% macro duckdb__integer_divide(dividend, divisor) -%}
{{ dividend }} // {{ divisor }}
{%- endmacro %}
