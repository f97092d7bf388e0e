{#- Text helpers whose SQL differs by engine (DuckDB's text: macros/staging/normalize_identifier.sql,
    macros/staging/source_columns.sql). -#}

{% macro identifier_text(text_expression) %}
    {{ return(adapter.dispatch('identifier_text', 'support_kpis')(text_expression)) }}
{%- endmacro %}


{% macro spark__identifier_text(text_expression) %}
trim(BOTH concat(' ', chr(9), chr(10), chr(13), chr(160)) FROM cast({{ text_expression }} as string))
{%- endmacro %}


{% macro raw_record_json(source_name, table_name, relation_alias) %}
    {{ return(adapter.dispatch('raw_record_json', 'support_kpis')(source_name, table_name, relation_alias)) }}
{%- endmacro %}


{% macro spark__raw_record_json(source_name, table_name, relation_alias) %}
{#- Spark's to_json leaves null fields out unless told; DuckDB's json_object writes them.
    Columns declared 'JSON' (NDJSON exports) are embedded as JSON: macros/engines/helpdesk_staging.sql. -#}
{%- set json_columns = export_json_columns(source_name, table_name) -%}
{%- if json_columns -%}
    {{ return(spark_raw_record_json_with_json_columns(source_name, table_name, relation_alias, json_columns)) }}
{%- endif -%}
to_json(named_struct(
    {%- for column in source_columns(source_name, table_name) %}
    '{{ column }}', {{ relation_alias }}.{{ adapter.quote(column) }}{{ ',' if not loop.last }}
    {%- endfor %}
), map('ignoreNullFields', 'false'))
{%- endmacro %}


{% macro regexp_full_match(text_expression, pattern) %}
{#- True when the whole text matches `pattern` (RE2 syntax in DuckDB; the patterns used are
    plain enough to mean the same in Java's). For SQL written in YAML (data tests). -#}
    {{ return(adapter.dispatch('regexp_full_match', 'support_kpis')(text_expression, pattern)) }}
{%- endmacro %}


{% macro duckdb__regexp_full_match(text_expression, pattern) %}
regexp_full_match({{ text_expression }}, '{{ pattern }}')
{%- endmacro %}


{% macro spark__regexp_full_match(text_expression, pattern) %}
({{ text_expression }} rlike '^(?:{{ pattern }})$')
{%- endmacro %}
