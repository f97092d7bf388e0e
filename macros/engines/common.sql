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
