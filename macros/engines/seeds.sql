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


{% macro spark__load_csv_rows(model, agate_table) %}
{#- dbt-spark's seed insert, with each value written as a SQL literal instead of bound: its
    session cursor pastes bound values into the SQL unescaped (a quote in a seed value broke
    the statement) and passes numbers as floats (a decimal rate would lose digits). Spark
    string literals escape with a backslash. -#}
  {%- set column_override = model['config'].get('column_types', {}) -%}
  {%- set types = [] -%}
  {%- for col_name in agate_table.column_names -%}
      {%- set type = column_override.get(col_name, adapter.convert_type(agate_table, loop.index0)) -%}
      {%- do types.append('string' if type | lower | trim == 'varchar' else type) -%}
  {%- endfor -%}
  {%- set statements = [] -%}
  {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
      {%- set values = [] -%}
      {%- for row in chunk -%}
          {%- set literals = [] -%}
          {%- for value in row -%}
              {%- if value is none -%}
                  {%- set literal = 'null' -%}
              {%- elif value is sameas true or value is sameas false -%}
                  {%- set literal = value | string | lower -%}
              {%- elif value is number -%}
                  {%- set literal = "'" ~ value ~ "'" -%}
              {%- else -%}
                  {%- set literal = "'" ~ (value | string | replace("\\", "\\\\") | replace("'", "\\'")) ~ "'" -%}
              {%- endif -%}
              {%- do literals.append('cast(' ~ literal ~ ' as ' ~ types[loop.index0] ~ ')') -%}
          {%- endfor -%}
          {%- do values.append('(' ~ literals | join(', ') ~ ')') -%}
      {%- endfor -%}
      {%- set sql = 'insert into ' ~ this.render() ~ ' values ' ~ values | join(', ') -%}
      {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
      {%- if statements | length == 0 -%}{%- do statements.append(sql) -%}{%- endif -%}
  {%- endfor -%}
  {{ return(statements[0] if statements else '') }}
{% endmacro %}
