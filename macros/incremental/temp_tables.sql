{% macro drop_incremental_temp_table(temp_relation) %}
{#- dbt-duckdb does not drop the local temporary table an incremental model builds its new
    rows in: it lives, in memory, until the connection closes. Over a daily run at 10M
    tickets those tables filled the 4 GB limit and later models failed with "Out of Memory
    Error: failed to pin block". Every strategy this project uses ends with this drop. -#}
drop table if exists {{ temp_relation }}
{%- endmacro %}


{% macro get_incremental_delete_insert_sql(arg_dict) %}
{#- dbt's delete+insert (base models, cost allocations), then the temporary table's drop. -#}
    {{ adapter.dispatch('get_incremental_delete_insert_sql', 'dbt')(arg_dict) }};
    {{ drop_incremental_temp_table(arg_dict['temp_relation']) }}
{%- endmacro %}
