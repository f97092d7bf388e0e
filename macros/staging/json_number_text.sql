{% macro json_member_text(json_expression, member) %}
    {{ return(adapter.dispatch('json_member_text', 'support_kpis')(json_expression, member)) }}
{%- endmacro %}


{% macro duckdb__json_member_text(json_expression, member) %}
{#- The text of one member of a JSON object held as JSON (NDJSON) or JSON text (Parquet):
    `{"calendar": 12}` -> '12'; null when the member is missing, empty or JSON null, or the
    value is not valid JSON (the model rejects such a row with its own check). -#}
case
    when json_valid(cast({{ json_expression }} as varchar))
        then nullif(trim(json_extract_string(cast({{ json_expression }} as varchar), '$.{{ member }}')), '')
end
{%- endmacro %}


{% macro is_not_json_object(json_expression) %}
    {{ return(adapter.dispatch('is_not_json_object', 'support_kpis')(json_expression)) }}
{%- endmacro %}


{% macro duckdb__is_not_json_object(json_expression) %}
{#- True when a value is present but is not a JSON object (a bare number, an array, broken JSON). -#}
(
    {{ json_expression }} is not null
    and coalesce(json_type(try_cast(cast({{ json_expression }} as varchar) as json)), 'INVALID') not in ('OBJECT', 'NULL')
)
{%- endmacro %}
