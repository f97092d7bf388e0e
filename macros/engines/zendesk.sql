{#- Engine spellings the Zendesk staging and intermediate models need (JSON text, lists and
    their lambdas, unnesting, unbounded timestamps). Each dispatches to a duckdb__ version that
    renders the SQL DuckDB always had and a spark__ one; several are general and may move to a
    shared file once the Spark branches are merged (docs/decisions/spark.md). -#}

{% macro timestamp_before_all() %}
{#- A timestamp before every real one, for open-ended ranges: DuckDB's -infinity; Spark has
    no infinite timestamps, so its earliest (only compared, never shown). -#}
    {{ return(adapter.dispatch('timestamp_before_all', 'support_kpis')()) }}
{%- endmacro %}


{% macro duckdb__timestamp_before_all() -%}
'-infinity'::timestamp
{%- endmacro %}


{% macro spark__timestamp_before_all() -%}
timestamp'0001-01-01 00:00:00'
{%- endmacro %}


{% macro timestamp_after_all() %}
{#- A timestamp after every real one: DuckDB's infinity; Spark's latest (only compared). -#}
    {{ return(adapter.dispatch('timestamp_after_all', 'support_kpis')()) }}
{%- endmacro %}


{% macro duckdb__timestamp_after_all() -%}
'infinity'::timestamp
{%- endmacro %}


{% macro spark__timestamp_after_all() -%}
timestamp'9999-12-31 23:59:59.999999'
{%- endmacro %}


{% macro text_type() %}
{#- The unbounded text type for casts: Spark's varchar needs a length. -#}
    {{ return(adapter.dispatch('text_type', 'support_kpis')()) }}
{%- endmacro %}


{% macro duckdb__text_type() -%}
varchar
{%- endmacro %}


{% macro spark__text_type() -%}
string
{%- endmacro %}


{% macro integer_divide(dividend, divisor) %}
{#- Integer division (both non-negative here): DuckDB `//`, Spark `div`. -#}
    {{ return(adapter.dispatch('integer_divide', 'support_kpis')(dividend, divisor)) }}
{%- endmacro %}


{% macro duckdb__integer_divide(dividend, divisor) -%}
{{ dividend }} // {{ divisor }}
{%- endmacro %}


{% macro spark__integer_divide(dividend, divisor) -%}
({{ dividend }} div {{ divisor }})
{%- endmacro %}


{% macro json_field_text(json_expression, path) %}
{#- The member at `path` ('$.a.b') of a JSON text as text (a string unquoted, an object or
    list as JSON text); null when missing or JSON null. -#}
    {{ return(adapter.dispatch('json_field_text', 'support_kpis')(json_expression, path)) }}
{%- endmacro %}


{% macro duckdb__json_field_text(json_expression, path) -%}
{{ json_expression }} ->> '{{ path }}'
{%- endmacro %}


{% macro spark__json_field_text(json_expression, path) -%}
get_json_object({{ json_expression }}, '{{ path }}')
{%- endmacro %}


{% macro json_bigint_list(json_expression, path) %}
{#- The JSON list at `path` of a JSON text as a list of bigints; null when it is not one. -#}
    {{ return(adapter.dispatch('json_bigint_list', 'support_kpis')(json_expression, path)) }}
{%- endmacro %}


{% macro duckdb__json_bigint_list(json_expression, path) -%}
try_cast({{ json_expression }} -> '{{ path }}' as bigint[])
{%- endmacro %}


{% macro spark__json_bigint_list(json_expression, path) -%}
from_json(get_json_object({{ json_expression }}, '{{ path }}'), 'array<bigint>')
{%- endmacro %}


{% macro value_of_max(value_expression, ordering_expression) %}
{#- The value on the row with the greatest ordering (an aggregate): arg_max / max_by. -#}
    {{ return(adapter.dispatch('value_of_max', 'support_kpis')(value_expression, ordering_expression)) }}
{%- endmacro %}


{% macro duckdb__value_of_max(value_expression, ordering_expression) -%}
arg_max({{ value_expression }}, {{ ordering_expression }})
{%- endmacro %}


{% macro spark__value_of_max(value_expression, ordering_expression) -%}
max_by({{ value_expression }}, {{ ordering_expression }})
{%- endmacro %}


{% macro value_of_min(value_expression, ordering_expression) %}
{#- The value on the row with the least ordering (an aggregate): arg_min / min_by. -#}
    {{ return(adapter.dispatch('value_of_min', 'support_kpis')(value_expression, ordering_expression)) }}
{%- endmacro %}


{% macro duckdb__value_of_min(value_expression, ordering_expression) -%}
arg_min({{ value_expression }}, {{ ordering_expression }})
{%- endmacro %}


{% macro spark__value_of_min(value_expression, ordering_expression) -%}
min_by({{ value_expression }}, {{ ordering_expression }})
{%- endmacro %}


{% macro list_map(list_expression, parameter, body) %}
{#- Each element of a list through a lambda (`parameter` names the element in `body`). -#}
    {{ return(adapter.dispatch('list_map', 'support_kpis')(list_expression, parameter, body)) }}
{%- endmacro %}


{% macro duckdb__list_map(list_expression, parameter, body) -%}
list_transform({{ list_expression }}, lambda {{ parameter }}: {{ body }})
{%- endmacro %}


{% macro spark__list_map(list_expression, parameter, body) -%}
transform({{ list_expression }}, {{ parameter }} -> {{ body }})
{%- endmacro %}


{% macro list_where(list_expression, parameter, condition) %}
{#- The elements of a list for which the lambda's condition holds. -#}
    {{ return(adapter.dispatch('list_where', 'support_kpis')(list_expression, parameter, condition)) }}
{%- endmacro %}


{% macro duckdb__list_where(list_expression, parameter, condition) -%}
list_filter({{ list_expression }}, lambda {{ parameter }}: {{ condition }})
{%- endmacro %}


{% macro spark__list_where(list_expression, parameter, condition) -%}
filter({{ list_expression }}, {{ parameter }} -> {{ condition }})
{%- endmacro %}


{% macro list_size(list_expression) %}
{#- The number of elements of a list; null for a null list. -#}
    {{ return(adapter.dispatch('list_size', 'support_kpis')(list_expression)) }}
{%- endmacro %}


{% macro duckdb__list_size(list_expression) -%}
len({{ list_expression }})
{%- endmacro %}


{% macro spark__list_size(list_expression) -%}
size({{ list_expression }})
{%- endmacro %}


{% macro list_join_text(list_expression, separator) %}
{#- A list of texts joined with `separator` (a SQL expression). -#}
    {{ return(adapter.dispatch('list_join_text', 'support_kpis')(list_expression, separator)) }}
{%- endmacro %}


{% macro duckdb__list_join_text(list_expression, separator) -%}
array_to_string({{ list_expression }}, {{ separator }})
{%- endmacro %}


{% macro spark__list_join_text(list_expression, separator) -%}
array_join({{ list_expression }}, {{ separator }})
{%- endmacro %}


{% macro list_of(elements) %}
{#- A list literal of SQL expressions: DuckDB [a, b], Spark array(a, b). -#}
    {{ return(adapter.dispatch('list_of', 'support_kpis')(elements)) }}
{%- endmacro %}


{% macro duckdb__list_of(elements) -%}
[{{ elements | join(', ') }}]
{%- endmacro %}


{% macro spark__list_of(elements) -%}
array({{ elements | join(', ') }})
{%- endmacro %}


{% macro unnest_values(list_expression) %}
{#- In a select list: one row per element of the list (none for an empty or null list). -#}
    {{ return(adapter.dispatch('unnest_values', 'support_kpis')(list_expression)) }}
{%- endmacro %}


{% macro duckdb__unnest_values(list_expression) -%}
unnest({{ list_expression }})
{%- endmacro %}


{% macro spark__unnest_values(list_expression) -%}
explode({{ list_expression }})
{%- endmacro %}


{% macro unnest_structs(structs) %}
{#- In a select list: one row per struct of `structs` (a list of {field: SQL expression}
    dicts, the same fields in each), its fields as columns. -#}
    {{ return(adapter.dispatch('unnest_structs', 'support_kpis')(structs)) }}
{%- endmacro %}


{% macro duckdb__unnest_structs(structs) -%}
unnest([
    {%- for struct in structs %}
            {
                {%- for field, expression in struct.items() %}
                '{{ field }}': {{ expression }}{{ ',' if not loop.last }}
                {%- endfor %}
            }{{ ',' if not loop.last }}
    {%- endfor %}
        ], recursive := true)
{%- endmacro %}


{% macro spark__unnest_structs(structs) -%}
inline(array(
    {%- for struct in structs %}
            named_struct(
                {%- for field, expression in struct.items() %}
                '{{ field }}', {{ expression }}{{ ',' if not loop.last }}
                {%- endfor %}
            ){{ ',' if not loop.last }}
    {%- endfor %}
        ))
{%- endmacro %}


{% macro cross_join_unnest(list_expression, relation_alias, column, position_column=none) %}
{#- In a from clause: each row once per element of its list, as `relation_alias.column`,
    with the element's 1-based position as `relation_alias.position_column` when named
    (bigint, as DuckDB's `with ordinality`). No row for an empty or null list. -#}
    {{ return(adapter.dispatch('cross_join_unnest', 'support_kpis')(list_expression, relation_alias, column, position_column)) }}
{%- endmacro %}


{% macro duckdb__cross_join_unnest(list_expression, relation_alias, column, position_column=none) -%}
cross join unnest({{ list_expression }})
{%- if position_column %} with ordinality{% endif %} as {{ relation_alias }} ({{ column }}
{%- if position_column %}, {{ position_column }}{% endif %})
{%- endmacro %}


{% macro spark__cross_join_unnest(list_expression, relation_alias, column, position_column=none) -%}
{%- if position_column -%}
lateral view inline(transform({{ list_expression }}, (element, position) -> named_struct(
    '{{ column }}', element, '{{ position_column }}', cast(position + 1 as bigint)
))) {{ relation_alias }} as {{ column }}, {{ position_column }}
{%- else -%}
lateral view explode({{ list_expression }}) {{ relation_alias }} as {{ column }}
{%- endif -%}
{%- endmacro %}


{% macro integer_series(start_expression, stop_expression) %}
{#- The list of integers from start to stop, both included (bigint; empty when stop < start). -#}
    {{ return(adapter.dispatch('integer_series', 'support_kpis')(start_expression, stop_expression)) }}
{%- endmacro %}


{% macro duckdb__integer_series(start_expression, stop_expression) -%}
generate_series(
        {{ start_expression }}, {{ stop_expression }}
    )
{%- endmacro %}


{% macro spark__integer_series(start_expression, stop_expression) -%}
{#- Spark's sequence counts down when stop < start: such a range is empty, as DuckDB's. -#}
case when {{ stop_expression }} >= {{ start_expression }} then sequence(
    cast({{ start_expression }} as bigint), cast({{ stop_expression }} as bigint)
) else array() end
{%- endmacro %}


{% macro add_seconds(timestamp_expression, seconds_expression) %}
{#- The timestamp plus a number of seconds. -#}
    {{ return(adapter.dispatch('add_seconds', 'support_kpis')(timestamp_expression, seconds_expression)) }}
{%- endmacro %}


{% macro duckdb__add_seconds(timestamp_expression, seconds_expression) -%}
{{ timestamp_expression }} + to_seconds({{ seconds_expression }})
{%- endmacro %}


{% macro spark__add_seconds(timestamp_expression, seconds_expression) -%}
{{ timestamp_expression }} + make_dt_interval(0, 0, 0, {{ seconds_expression }})
{%- endmacro %}


{% macro spark__enum_key(text_expression) %}
{#- duckdb__enum_key (macros/staging/source_columns.sql): Spark's regexp_replace replaces every
    match without a flag, and its string literals take the regex backslash doubled. -#}
regexp_replace(lower(trim({{ text_expression }})), '[\\s_-]+', '_')
{%- endmacro %}
