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

