{% macro drop_incremental_temp_table(temp_relation) %}
{#- dbt-duckdb does not drop the local temporary table an incremental model builds its new
    rows in: it lives, in memory, until the connection closes. Every strategy this project
    uses ends with this drop, so the memory is freed right after the merge. (It did not cure
    the 10M daily run's "Out of Memory Error: failed to pin block" at 4 GB: see
    docs/decisions/scale_and_incremental.md.) -#}
drop table if exists {{ temp_relation }}
{%- endmacro %}


{% macro get_incremental_merge_sql(arg_dict) %}
{#- dbt-duckdb's merge (base models: macros/incremental/export_increments.sql), then the
    temporary table's drop. -#}
    {{ adapter.dispatch('get_incremental_merge_sql', 'dbt')(arg_dict) }};
    {{ drop_incremental_temp_table(arg_dict['temp_relation']) }}
{%- endmacro %}


{% macro get_incremental_delete_insert_sql(arg_dict) %}
{#- dbt's delete+insert (cost allocations), then the temporary table's drop. -#}
    {{ adapter.dispatch('get_incremental_delete_insert_sql', 'dbt')(arg_dict) }};
    {{ drop_incremental_temp_table(arg_dict['temp_relation']) }}
{%- endmacro %}
