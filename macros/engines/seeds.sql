{% macro spark__create_csv_table(model, agate_table) %}
{#- dbt-spark's seed table (dbt/include/spark/macros/materializations/seed.sql), with the
    seeds' column_types written for DuckDB read on Spark: `varchar` (Spark wants a length,
    or `string`) becomes `string`. Every other type the seeds use (integer, double, boolean,
    date, decimal(p, s)) is the same word in both. -#}
  {%- set column_override = model['config'].get('column_types', {}) -%}
  {%- set quote_seed_column = model['config'].get('quote_columns', None) -%}

  {% set sql %}
    create table {{ this.render() }} (
        {%- for col_name in agate_table.column_names -%}
            {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
            {%- set type = column_override.get(col_name, inferred_type) -%}
            {%- if type | lower | trim == 'varchar' -%}{%- set type = 'string' -%}{%- endif -%}
            {%- set column_name = (col_name | string) -%}
            {{ adapter.quote_seed_column(column_name, quote_seed_column) }} {{ type }} {%- if not loop.last -%}, {%- endif -%}
        {%- endfor -%}
    )
    {{ file_format_clause() }}
    {{ partition_cols(label="partitioned by") }}
    {{ clustered_cols(label="clustered by") }}
    {{ location_clause() }}
    {{ comment_clause() }}
  {% endset %}

  {% call statement('_') -%}
    {{ sql }}
  {%- endcall %}

  {{ return(sql) }}
{% endmacro %}
