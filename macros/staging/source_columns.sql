{% macro source_columns(source_name, table_name) %}
{#- The columns declared for a source table in its _<source>__sources.yml, in order. -#}
{%- set columns = [] -%}
{#- graph is empty while dbt parses; a placeholder keeps the SQL well-formed then. -#}
{%- if not execute -%}{{ return(['_parse_placeholder']) }}{%- endif -%}
{%- for node in graph.sources.values() -%}
    {%- if node.source_name == source_name and node.name == table_name -%}
        {%- for column in node.columns.values() -%}
            {%- do columns.append(column.name) -%}
        {%- endfor -%}
    {%- endif -%}
{%- endfor -%}
{%- if columns | length == 0 and execute -%}
    {{ exceptions.raise_compiler_error("source " ~ source_name ~ "." ~ table_name ~ " declares no columns") }}
{%- endif -%}
{{ return(columns) }}
{% endmacro %}


{% macro duckdb__raw_record_json(source_name, table_name, relation_alias) %}
{#- The row exactly as exported (declared columns only), as JSON text, for stg_rejected_rows. -#}
to_json(json_object(
    {%- for column in source_columns(source_name, table_name) %}
    '{{ column }}', {{ relation_alias }}."{{ column }}"{{ ',' if not loop.last }}
    {%- endfor %}
))::varchar
{%- endmacro %}


{% macro raw_record_if_rejected(source_name, table_name, relation_alias) %}
{#-
    raw_record on rejected rows only (null on accepted rows): stg_rejected_rows is what shows
    it, an accepted row's fields are all in its typed columns, and file + line still point to
    it. The model carries the row as read, a struct named raw_row (`source as raw_row`), to
    the CTE that knows the rejection reason, and builds the JSON text there, for rejected rows
    only; the supersession window after it then sorts no raw text. At 10M tickets this took
    base_gorgias__tickets from 105 s (JSON on every row, through the window) to 62 s.
    Only for base models whose rejection is decided once, when the row is first loaded:
    models that recheck loaded rows' rejection (messages, events, surveys, time entries,
    returns) keep raw_record on every row, so a row rejected later still has its text.
-#}
case
    when {{ relation_alias }}.rejection_reason is not null
        then {{ raw_record_json(source_name, table_name, relation_alias ~ '.raw_row') }}
end
{%- endmacro %}


{% macro enum_key(text_expression) %}
    {{ return(adapter.dispatch('enum_key', 'support_kpis')(text_expression)) }}
{%- endmacro %}


{% macro duckdb__enum_key(text_expression) %}
{#- The lookup key for seeds channel_map / staging_value_map: lowercase, trimmed, and every run of
    spaces, hyphens and underscores folded to one underscore, so `E-mail`, `Contact Form` and
    `facebook-messenger` find `e_mail`, `contact_form` and `facebook_messenger` without a seed row
    per spelling. Seed keys are written in this form (a seed test holds them to it). -#}
regexp_replace(lower(trim({{ text_expression }})), '[\s_-]+', '_', 'g')
{%- endmacro %}


{% macro row_struct(relation_alias) %}
{#- The whole row of a relation as one struct value (`source as raw_row`: raw_record_if_rejected's
    input): DuckDB takes the alias itself as the row, Spark spells it struct(alias.*). -#}
    {{ return(adapter.dispatch('row_struct', 'support_kpis')(relation_alias)) }}
{%- endmacro %}


{% macro duckdb__row_struct(relation_alias) -%}
{{ relation_alias }}
{%- endmacro %}
