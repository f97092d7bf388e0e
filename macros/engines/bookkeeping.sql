{#- The project's own bookkeeping tables (warehouse_build_settings; incremental_build_state
    next): how each engine checks for one and rewrites it. -#}

{% macro bookkeeping_table_exists(relation) %}
    {{ return(adapter.dispatch('bookkeeping_table_exists', 'support_kpis')(relation)) }}
{%- endmacro %}


{% macro duckdb__bookkeeping_table_exists(relation) %}
{#- Asked of the catalog, not adapter.get_relation: for a schema no model uses, that opens a
    transaction the hooks never commit, and the settings written next would be rolled back. -#}
    {%- set exists_sql -%}
        select count(*) from information_schema.tables
        where table_catalog = '{{ relation.database }}' and table_schema = '{{ relation.schema }}'
            and table_name = '{{ relation.identifier }}'
    {%- endset -%}
    {{ return(run_query(exists_sql).rows[0][0] > 0) }}
{%- endmacro %}


{% macro spark__bookkeeping_table_exists(relation) %}
{#- Spark has no transactions, and no information_schema before a schema exists. -#}
    {%- do run_query("create schema if not exists " ~ relation.without_identifier()) -%}
    {{ return(run_query("show tables in " ~ relation.schema ~ " like '" ~ relation.identifier ~ "'").rows | length > 0) }}
{%- endmacro %}


{% macro replace_settings_table(relation, rows) %}
{#- rows: SQL tuples (setting, setting_value, build_status, recorded_at). -#}
    {{ return(adapter.dispatch('replace_settings_table', 'support_kpis')(relation, rows)) }}
{%- endmacro %}


{% macro duckdb__replace_settings_table(relation, rows) %}
    {%- do run_query(
        "create schema if not exists " ~ relation.without_identifier() ~ "; "
        ~ "create or replace table " ~ relation ~ " (setting varchar primary key, setting_value varchar, "
        ~ "build_status varchar not null, recorded_at timestamp not null); "
        ~ "insert into " ~ relation ~ " values " ~ rows | join(", ")
    ) -%}
{%- endmacro %}


{% macro spark__replace_settings_table(relation, rows) %}
{#- One statement per call; no primary key or not null constraints on a Parquet table
    (write_warehouse_settings writes one row per setting, all non-null). -#}
    {%- do run_query("create schema if not exists " ~ relation.without_identifier()) -%}
    {%- do run_query("drop table if exists " ~ relation) -%}
    {%- do run_query(
        "create table " ~ relation ~ " (setting string, setting_value string, build_status string, "
        ~ "recorded_at timestamp) using parquet"
    ) -%}
    {%- do run_query("insert into " ~ relation ~ " values " ~ rows | join(", ")) -%}
{%- endmacro %}


{% macro current_utc_timestamp() %}
{#- This instant as a naive UTC timestamp (both sessions run in UTC: profiles.yml). -#}
    {{ return(adapter.dispatch('current_utc_timestamp', 'support_kpis')()) }}
{%- endmacro %}


{% macro duckdb__current_utc_timestamp() %}
    {{ return('current_timestamp::timestamp') }}
{%- endmacro %}


{% macro spark__current_utc_timestamp() %}
    {{ return('current_timestamp()') }}
{%- endmacro %}


{% macro warehouse_location() %}
{#- Where the warehouse is, for messages: the DuckDB file, or Spark's table folder (the rule
    of profiles.yml's spark target: SUPPORT_KPIS_SPARK_DIR, else beside the DuckDB file). -#}
    {{ return(adapter.dispatch('warehouse_location', 'support_kpis')()) }}
{%- endmacro %}


{% macro duckdb__warehouse_location() %}
    {{ return(target.path if target.path is defined else target.database) }}
{%- endmacro %}


{% macro spark__warehouse_location() %}
    {{ return(env_var('SUPPORT_KPIS_SPARK_DIR', env_var('SUPPORT_KPIS_DB', 'warehouse/support_kpis.duckdb')
        | replace('.duckdb', '') ~ '.spark')) }}
{%- endmacro %}
