{#- Dates and times written or read with a strftime-style format ('%Y-%m'): DuckDB's
    functions take it as is; Spark's take Java's pattern letters. -#}

{% macro try_strptime(text_expression, format) %}
{#- The text read with `format` as a timestamp; null when it does not match. -#}
    {{ return(adapter.dispatch('try_strptime', 'support_kpis')(text_expression, format)) }}
{%- endmacro %}


{% macro duckdb__try_strptime(text_expression, format) %}
try_strptime({{ text_expression }}, '{{ format }}')
{%- endmacro %}


{% macro spark__try_strptime(text_expression, format) %}
{#- One-letter M/d/H/m/s read one or two digits, as DuckDB's %m/%d/%H/%M/%S do. -#}
try_to_timestamp({{ text_expression }}, '{{ java_datetime_pattern(format, parsing=true) }}')
{%- endmacro %}


{% macro strftime(expression, format) %}
{#- The date or timestamp as text in `format`. -#}
    {{ return(adapter.dispatch('strftime', 'support_kpis')(expression, format)) }}
{%- endmacro %}


{% macro duckdb__strftime(expression, format) %}
strftime({{ expression }}, '{{ format }}')
{%- endmacro %}


{% macro spark__strftime(expression, format) %}
date_format({{ expression }}, '{{ java_datetime_pattern(format) }}')
{%- endmacro %}


{% macro java_datetime_pattern(format, parsing=false) %}
{#- strftime codes the project uses, as Java DateTimeFormatter letters. -#}
{%- set codes = {
    '%Y': 'yyyy', '%m': 'M' if parsing else 'MM', '%d': 'd' if parsing else 'dd',
    '%H': 'H' if parsing else 'HH', '%M': 'm' if parsing else 'mm', '%S': 's' if parsing else 'ss',
} -%}
{%- set pattern = namespace(text=format) -%}
{%- for code, letters in codes.items() -%}
    {%- set pattern.text = pattern.text | replace(code, letters) -%}
{%- endfor -%}
{%- if '%' in pattern.text -%}
    {{ exceptions.raise_compiler_error("java_datetime_pattern: no Spark pattern for '" ~ format ~ "'") }}
{%- endif -%}
{{ return(pattern.text) }}
{%- endmacro %}
