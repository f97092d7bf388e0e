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


{% macro spark__json_member_text(json_expression, member) %}
{#- duckdb__json_member_text (macros/staging/json_number_text.sql): get_json_object is null
    for text that is not valid JSON, or not an object with the member. -#}
nullif(trim(get_json_object(cast({{ json_expression }} as string), '$.{{ member }}')), '')
{%- endmacro %}


{% macro spark__is_not_json_object(json_expression) %}
{#- duckdb__is_not_json_object: json_object_keys is null for anything but a JSON object. -#}
(
    {{ json_expression }} is not null
    and not coalesce(
        trim(cast({{ json_expression }} as string)) = 'null'
        or json_object_keys(cast({{ json_expression }} as string)) is not null,
        false
    )
)
{%- endmacro %}


{% macro as_json(text_expression) %}
{#- JSON text as the engine's JSON value: DuckDB's JSON type; Spark keeps the text. -#}
    {{ return(adapter.dispatch('as_json', 'support_kpis')(text_expression)) }}
{%- endmacro %}


{% macro duckdb__as_json(text_expression) -%}
{{ text_expression }}::json
{%- endmacro %}


{% macro spark__as_json(text_expression) -%}
{{ text_expression }}
{%- endmacro %}


{% macro json_field(json_expression, path) %}
{#- The member at `path` of a JSON value as JSON (DuckDB `->`; Spark: its JSON text, the
    members read here being objects or lists). -#}
    {{ return(adapter.dispatch('json_field', 'support_kpis')(json_expression, path)) }}
{%- endmacro %}


{% macro duckdb__json_field(json_expression, path) -%}
{{ json_expression }} -> '{{ path }}'
{%- endmacro %}


{% macro spark__json_field(json_expression, path) -%}
get_json_object({{ json_expression }}, '{{ path }}')
{%- endmacro %}


{% macro json_typed_list(text_expression, element_type) %}
{#- A JSON array (text) as a list of `element_type` (varchar, bigint or json); null when the
    text is not a JSON array. -#}
    {{ return(adapter.dispatch('json_typed_list', 'support_kpis')(text_expression, element_type)) }}
{%- endmacro %}


{% macro duckdb__json_typed_list(text_expression, element_type) -%}
try_cast({{ text_expression }}::json as {{ element_type }}[])
{%- endmacro %}


{% macro spark__json_typed_list(text_expression, element_type) -%}
{#- from_json reads a lone object as a list of one: only an array is read. A json element
    is its JSON text. -#}
case when left(ltrim({{ text_expression }}), 1) = '[' then from_json(
    {{ text_expression }}, 'array<{{ {"varchar": "string", "json": "string"}.get(element_type, element_type) }}>'
) end
{%- endmacro %}


{% macro list_first(list_expression) %}
{#- The first element of a list; null when it is empty. -#}
    {{ return(adapter.dispatch('list_first', 'support_kpis')(list_expression)) }}
{%- endmacro %}


{% macro duckdb__list_first(list_expression) -%}
{{ list_expression }}[1]
{%- endmacro %}


{% macro spark__list_first(list_expression) -%}
try_element_at({{ list_expression }}, 1)
{%- endmacro %}


{% macro json_kind(text_expression) %}
{#- The kind of a JSON text: 'ARRAY', 'OBJECT', 'NULL' or another (DuckDB's json_type). -#}
    {{ return(adapter.dispatch('json_kind', 'support_kpis')(text_expression)) }}
{%- endmacro %}


{% macro duckdb__json_kind(text_expression) -%}
json_type({{ text_expression }})
{%- endmacro %}


{% macro spark__json_kind(text_expression) -%}
{#- The text is valid JSON (a column read as JSON): its first character tells its kind. -#}
case
    when trim({{ text_expression }}) = 'null' then 'NULL'
    when left(ltrim({{ text_expression }}), 1) = '[' then 'ARRAY'
    when left(ltrim({{ text_expression }}), 1) = '{' then 'OBJECT'
    when {{ text_expression }} is not null then 'SCALAR'
end
{%- endmacro %}


{% macro json_struct_list_of(text_expression, fields) %}
{#- A JSON array of objects (text) as a list of structs, `fields` a list of [name, type]
    pairs (DuckDB types: DOUBLE, VARCHAR); null when the text is not an array. A DOUBLE field
    is a JSON number, or a JSON string holding one in decimal notation (`"1980"`, as an export
    tool that quotes numbers writes it: the same minute count); anything else is null on both
    engines (DuckDB's own cast read `true` as 1 and `"1_000"` as 1000, Spark's from_json gave
    null for any string): json_number_or_decimal_text. -#}
    {{ return(adapter.dispatch('json_struct_list_of', 'support_kpis')(text_expression, fields)) }}
{%- endmacro %}


{% macro duckdb__json_struct_list_of(text_expression, fields) -%}
{%- set doubles = fields | selectattr(1, 'equalto', 'DOUBLE') | list -%}
{%- if doubles -%}
list_transform(json_transform(
            {{ text_expression }}, '[{
            {%- for field in fields -%}"{{ field[0] }}": "VARCHAR"{{ ', ' if not loop.last }}{%- endfor -%}
            }]'
        ), lambda json_element: case when json_element is not null then struct_pack(
            {%- for field in fields %}
            {{ field[0] }} := {{ json_number_or_decimal_text('json_element.' ~ field[0]) if field[1] == 'DOUBLE'
                else 'json_element.' ~ field[0] }}{{ ',' if not loop.last }}
            {%- endfor %}
        ) end)
{%- else -%}
json_transform(
            {{ text_expression }}, '[{
            {%- for field in fields -%}"{{ field[0] }}": "{{ field[1] }}"{{ ', ' if not loop.last }}{%- endfor -%}
            }]'
        )
{%- endif -%}
{%- endmacro %}


{% macro spark__json_struct_list_of(text_expression, fields) -%}
{#- Every field read as text (a JSON number's text, a string's value), DOUBLE ones then cast. -#}
{%- set doubles = fields | selectattr(1, 'equalto', 'DOUBLE') | list -%}
case when left(ltrim({{ text_expression }}), 1) = '[' then {% if doubles %}transform({% endif -%}
    from_json({{ text_expression }}, 'array<struct<
    {%- for field in fields -%}
        {{ field[0] }}:{{ 'string' if field[1] in ['VARCHAR', 'DOUBLE'] else field[1] | lower }}
        {{- ',' if not loop.last }}
    {%- endfor -%}
>>')
    {%- if doubles %}, json_element -> if(json_element is null, null, named_struct(
        {%- for field in fields %}
        '{{ field[0] }}', {{ json_number_or_decimal_text('json_element.' ~ field[0]) if field[1] == 'DOUBLE'
            else 'json_element.' ~ field[0] }}{{ ',' if not loop.last }}
        {%- endfor %}
    ))){%- endif %} end
{%- endmacro %}


{% macro json_number_or_decimal_text(text_expression) %}
{#- A JSON value read as text (a number's text on both engines: 1980, 1980.5, 1e-05 or
    1.0E-5; a string's value) as a double when it is decimal notation
    (decimal_notation_pattern), else null: `true`, `"1_000"`, `"0x7BC"`, `"inf"` are no
    minute count. -#}
    {{ return(adapter.dispatch('json_number_or_decimal_text', 'support_kpis')(text_expression)) }}
{%- endmacro %}


{% macro duckdb__json_number_or_decimal_text(text_expression) -%}
try_cast(case when regexp_full_match({{ text_expression }}, '{{ decimal_notation_pattern() }}')
                then {{ text_expression }} end as double)
{%- endmacro %}


{% macro spark__json_number_or_decimal_text(text_expression) -%}
try_cast(case when {{ text_expression }} rlike '^{{ decimal_notation_pattern() | replace("\\", "\\\\") }}$'
            then {{ text_expression }} end as double)
{%- endmacro %}


{% macro list_all(list_expression) %}
{#- True when every non-null boolean of the list is true; null for an empty list (bool_and). -#}
    {{ return(adapter.dispatch('list_all', 'support_kpis')(list_expression)) }}
{%- endmacro %}


{% macro duckdb__list_all(list_expression) -%}
list_bool_and({{ list_expression }})
{%- endmacro %}


{% macro spark__list_all(list_expression) -%}
aggregate(
    filter({{ list_expression }}, list_value -> list_value is not null),
    cast(null as boolean),
    (all_true, list_value) -> coalesce(all_true, true) and list_value
)
{%- endmacro %}


{% macro list_sorted(list_expression) %}
{#- The list sorted ascending (lists of numbers compare element by element). -#}
    {{ return(adapter.dispatch('list_sorted', 'support_kpis')(list_expression)) }}
{%- endmacro %}


{% macro duckdb__list_sorted(list_expression) -%}
list_sort({{ list_expression }})
{%- endmacro %}


{% macro spark__list_sorted(list_expression) -%}
array_sort({{ list_expression }})
{%- endmacro %}


{% macro zendesk_are_intervals_disjoint(sorted_intervals) %}
{#- base_zendesk__schedules: each [start, end] of a sorted list ends before the next starts
    (true for fewer than two). -#}
    {{ return(adapter.dispatch('zendesk_are_intervals_disjoint', 'support_kpis')(sorted_intervals)) }}
{%- endmacro %}


{% macro duckdb__zendesk_are_intervals_disjoint(sorted_intervals) -%}
coalesce(list_bool_and(list_transform(
            range(1, len({{ sorted_intervals }})),
            lambda position: {{ sorted_intervals }}[position][2] <= {{ sorted_intervals }}[position + 1][1]
        )), true)
{%- endmacro %}


{% macro spark__zendesk_are_intervals_disjoint(sorted_intervals) -%}
coalesce(case when size({{ sorted_intervals }}) > 1 then {{ list_all(
    "transform(sequence(1, size(" ~ sorted_intervals ~ ") - 1), position -> element_at(element_at("
    ~ sorted_intervals ~ ", position), 2) <= element_at(element_at(" ~ sorted_intervals ~ ", position + 1), 1))"
) }} end, true)
{%- endmacro %}


