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


-- unit-test fixtures
{#- dbt casts each value of a unit test's dict rows (given and expect) with safe_cast(value,
    column type). A list or struct column is written in the YAML as a YAML list / mapping, e.g.
    `windows: [{open_at: "2025-03-03 14:00:00", close_at: "2025-03-03 23:00:00"}]` (every struct
    field, in the column's order); these two implementations of dbt's safe_cast spell it as
    each engine's literal, then cast it to the column's type like any other value. Any other
    value is cast exactly as dbt's own implementations do (no model calls safe_cast). A DuckDB
    literal in a string ("[{open_at: ...}]") does not parse on Spark: see docs/decisions/spark.md. -#}


{% macro duckdb__safe_cast(field, type) -%}
{%- if field is mapping or (field is sequence and field is not string) -%}
cast({{ fixture_literal(field) }} as {{ type }})
{%- else -%}
cast({{ field }} as {{ type }})
{%- endif -%}
{%- endmacro %}


{% macro spark__safe_cast(field, type) -%}
{%- if field is mapping or (field is sequence and field is not string) -%}
cast({{ fixture_literal(field) }} as {{ type }})
{%- else -%}
{#- dbt-spark's: Spark does not cast text to a list, struct or map -#}
{%- set field_clean = field.strip('"').strip("'") if (cast_from_string_unsupported_for(type) and field is string) else field -%}
cast({{ field_clean }} as {{ type }})
{%- endif %}
{% endmacro %}


{% macro fixture_literal(value) %}
{#- A YAML value of a unit-test fixture as a SQL literal: lists and mappings (structs)
    recursively, text quoted, YAML dates and timestamps as their text (the cast types them). -#}
    {{ return(adapter.dispatch('fixture_literal', 'support_kpis')(value)) }}
{%- endmacro %}


{% macro default__fixture_literal(value) -%}
{%- if value is mapping -%}
{ {%- for key, item in value.items() -%}
'{{ key }}': {{ fixture_literal(item) }}{{ ', ' if not loop.last }}
{%- endfor -%} }
{%- elif value is sequence and value is not string -%}
[ {%- for item in value -%}{{ fixture_literal(item) }}{{ ', ' if not loop.last }}{%- endfor -%} ]
{%- else -%}
{{ fixture_scalar(value) }}
{%- endif -%}
{%- endmacro %}


{% macro spark__fixture_literal(value) -%}
{%- if value is mapping -%}
named_struct( {%- for key, item in value.items() -%}
'{{ key }}', {{ fixture_literal(item) }}{{ ', ' if not loop.last }}
{%- endfor -%} )
{%- elif value is sequence and value is not string -%}
array( {%- for item in value -%}{{ fixture_literal(item) }}{{ ', ' if not loop.last }}{%- endfor -%} )
{%- else -%}
{{ fixture_scalar(value) }}
{%- endif -%}
{%- endmacro %}


{% macro fixture_scalar(value) -%}
{%- if value is none -%}
null
{%- elif value is boolean -%}
{{ 'true' if value else 'false' }}
{%- elif value is number -%}
{{ value }}
{%- else -%}
{{ dbt.string_literal(dbt.escape_single_quotes(value | string)) }}
{%- endif -%}
{%- endmacro %}
