{#- Spark's spelling of what the helpdesk staging models (models/staging/gorgias/) need beyond
    the generic staging macros: JSON values read from the NDJSON exports (kept as JSON text by
    spark_ndjson_file_rows, as DuckDB keeps them as JSON). -#}

{% macro spark_raw_record_json_with_json_columns(source_name, table_name, relation_alias, json_columns) %}
{#- raw_record of a source with columns declared 'JSON' (the helpdesks' NDJSON): DuckDB's
    json_object embeds such a value as JSON (an object, not a string holding one), so the
    record is written key by key: a JSON column's text as it is, any other value as a JSON
    string (to_json of a one-element array, brackets taken off), null as null; keys in the
    declared order, compact, as DuckDB writes them. -#}
concat('{', concat_ws(','
    {%- for column in source_columns(source_name, table_name) %},
    concat('"{{ column }}":', coalesce(
        {%- if column in json_columns %}
        {{ relation_alias }}.{{ adapter.quote(column) }},
        {%- else %}
        substring(to_json(array({{ relation_alias }}.{{ adapter.quote(column) }})), 2,
            length(to_json(array({{ relation_alias }}.{{ adapter.quote(column) }}))) - 2),
        {%- endif %}
        'null'
    ))
    {%- endfor %}
), '}')
{%- endmacro %}



{% macro json_struct_list(text_expression, fields) %}
{#- A JSON array of objects as a list of structs of text fields (`fields`: names), null when
    the JSON is not an array: DuckDB's try_cast to struct(...)[], Spark's from_json. A field
    an object lacks is null; a non-object element is a struct of nulls (DuckDB's cast). -#}
    {{ return(adapter.dispatch('json_struct_list', 'support_kpis')(text_expression, fields)) }}
{%- endmacro %}


{% macro duckdb__json_struct_list(text_expression, fields) -%}
try_cast({{ text_expression }}::json as struct(
    {%- for field in fields -%}{{ field }} varchar{{ ', ' if not loop.last }}{%- endfor -%}
)[])
{%- endmacro %}


{% macro spark__json_struct_list(text_expression, fields) -%}
{#- from_json reads a lone object as an array of one: only an array is read. Each element is
    parsed on its own (a non-object element gives a struct of nulls, as DuckDB's cast does,
    where from_json would null the whole array). -#}
case when left(ltrim({{ text_expression }}), 1) = '[' then transform(
    from_json({{ text_expression }}, 'array<string>'),
    json_element -> coalesce(
        case when left(ltrim(json_element), 1) = '{' then from_json(json_element, '
            {%- for field in fields -%}{{ field }} string{{ ', ' if not loop.last }}{%- endfor -%}
        ') end,
        named_struct(
            {%- for field in fields -%}'{{ field }}', cast(null as string){{ ', ' if not loop.last }}{%- endfor -%}
        )
    )
) end
{%- endmacro %}


{% macro list_first_where(list_expression, variable, condition) %}
{#- The first element of a list meeting a condition on `variable`, null when none (or when the
    list is null): DuckDB's list_filter(...)[1], Spark's try_element_at(filter(...), 1) (an
    index past the end is an error under ANSI mode, hence try_). -#}
    {{ return(adapter.dispatch('list_first_where', 'support_kpis')(list_expression, variable, condition)) }}
{%- endmacro %}


{% macro duckdb__list_first_where(list_expression, variable, condition) -%}
list_filter(
    {{ list_expression }},
    lambda {{ variable }}: {{ condition }}
)[1]
{%- endmacro %}


{% macro spark__list_first_where(list_expression, variable, condition) -%}
try_element_at(filter({{ list_expression }}, {{ variable }} -> {{ condition }}), 1)
{%- endmacro %}


{% macro text_as_boolean(text_expression) %}
{#- An exported flag as a boolean, null when not one: DuckDB's try_cast (true/t/1/y/yes and
    false/f/0/n/no, any case, no surrounding blanks). Spark's cast trims blanks first: it
    spells DuckDB's list. -#}
    {{ return(adapter.dispatch('text_as_boolean', 'support_kpis')(text_expression)) }}
{%- endmacro %}


{% macro duckdb__text_as_boolean(text_expression) -%}
try_cast({{ text_expression }} as boolean)
{%- endmacro %}


{% macro spark__text_as_boolean(text_expression) -%}
case
    when lower({{ text_expression }}) in ('true', 't', '1', 'y', 'yes') then true
    when lower({{ text_expression }}) in ('false', 'f', '0', 'n', 'no') then false
end
{%- endmacro %}


{% macro arg_max_ordered(value_expression, order_expressions) %}
{#- The value of the row ranked last by the order expressions (compared in turn): DuckDB's
    arg_max over a row value, Spark's max_by over a struct. -#}
    {{ return(adapter.dispatch('arg_max_ordered', 'support_kpis')(value_expression, order_expressions)) }}
{%- endmacro %}


{% macro duckdb__arg_max_ordered(value_expression, order_expressions) -%}
arg_max({{ value_expression }}, ({{ order_expressions | join(', ') }}))
{%- endmacro %}


{% macro spark__arg_max_ordered(value_expression, order_expressions) -%}
max_by({{ value_expression }}, struct({{ order_expressions | join(', ') }}))
{%- endmacro %}


