{% macro loaded_rows_to_recheck(new_rows, id_columns, exclude_columns=[], recheck_condition=none, payload_columns=[]) %}
{#- The loaded rows an incremental run computes again: see duckdb__loaded_rows_to_recheck. -#}
    {{ return(adapter.dispatch('loaded_rows_to_recheck', 'support_kpis')(
        new_rows, id_columns, exclude_columns, recheck_condition, payload_columns)) }}
{%- endmacro %}


{% macro spark__loaded_rows_to_recheck(new_rows, id_columns, exclude_columns=[], recheck_condition=none, payload_columns=[]) %}
{#- Not yet on Spark: its base models append (no merge without Delta/Iceberg), so an
    incremental run would add the rechecked rows a second time. Stopped, never half done. -#}
{%- if is_incremental() -%}
    {{ exceptions.raise_compiler_error(
        "Incremental runs are not implemented on Spark yet: rebuild with --full-refresh "
        ~ "(docs/decisions/spark.md, 'Incremental on Spark')") }}
{%- endif -%}
{%- endmacro %}


{% macro engine_incremental_strategy(strategy) %}
{#- The strategy a model asks for (`rebuild_keys`, `delete+insert`), as this engine runs it.
    Spark without Delta/Iceberg has neither: it builds these models whole (append into a new
    table), and its incremental runs stop at loaded_rows_to_recheck until the Spark strategy
    lands (docs/decisions/spark.md, 'Incremental on Spark'). -#}
    {{ return(adapter.dispatch('engine_incremental_strategy', 'support_kpis')(strategy)) }}
{%- endmacro %}


{% macro default__engine_incremental_strategy(strategy) %}
    {{ return(strategy) }}
{%- endmacro %}


{% macro spark__engine_incremental_strategy(strategy) %}
    {{ return('append') }}
{%- endmacro %}
