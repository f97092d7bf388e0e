{#-
    Incremental runs per engine (docs/decisions/spark.md, 'Incremental on Spark').

    DuckDB merges: a daily run inserts the new files' rows and updates the flags of the
    loaded rows they touch in place (duckdb__loaded_rows_to_recheck, dbt_project.yml).
    Spark without Delta/Iceberg has no merge, update or delete: its base models are
    partitioned by source_file and written with `insert_overwrite` (dynamic partition
    overwrite): a daily run rewrites, whole, the partitions of the new files and of the
    loaded files holding a row to recheck, and leaves every other file's partition as it is.
    Delta or Iceberg (Databricks, a lakehouse cluster): `file_format: delta`, the same merge
    as DuckDB (dbt_project.yml shows the config).
-#}

{% macro loaded_rows_to_recheck(new_rows, id_columns, exclude_columns=[], recheck_condition=none, payload_columns=[]) %}
{#- The loaded rows an incremental run computes again: see duckdb__loaded_rows_to_recheck. -#}
    {{ return(adapter.dispatch('loaded_rows_to_recheck', 'support_kpis')(
        new_rows, id_columns, exclude_columns, recheck_condition, payload_columns)) }}
{%- endmacro %}


{% macro spark__loaded_rows_to_recheck(new_rows, id_columns, exclude_columns=[], recheck_condition=none, payload_columns=[]) %}
{#-
    Incremental runs only (renders nothing otherwise). A partition (export file) is rewritten
    whole, so the loaded rows computed again are:
      - every row of a loaded file that holds a row to recheck (a row of an entity the new
        rows touch, or one matching recheck_condition; as on DuckDB), its flags recomputed;
      - every loaded row of an entity such a row belongs to, from any file: is_superseded
        ranks an entity's copies across all files, so each recomputed row needs all of them.
        These context rows may cover only part of their file: the write keeps the files
        the run computed whole (overwrite_complete_partitions) and leaves the others as they
        are (their flags cannot have changed: none of their rows is to recheck).
    Ids match null-safely (<=>), as the window's `partition by` groups nulls: a few more rows
    rechecked than DuckDB's `=`, never fewer. payload_columns are read too: the partition is
    rewritten with them.
    Spark has no `union all by name` and a partitioned table lists its partition column last,
    so the loaded rows are added by a natural full outer join on every column: no loaded row
    equals a new one (their source_file differs), so each row comes through once, and the
    output keeps the new rows' column order with each column taken from the side that has it.
-#}
{%- if is_incremental() %}
    {%- set skipped = exclude_columns + ['loaded_at'] -%}
    {%- set columns = [] -%}
    {%- for column in adapter.get_columns_in_relation(this) if column.name not in skipped -%}
        {%- do columns.append(column.name) -%}
    {%- endfor -%}
    {%- set files_to_recheck -%}
        select loaded.source_file
        from {{ this }} as loaded
        where
            exists (
                select 1
                from {{ new_rows }} as new_rows
                where
                {%- for id_column in id_columns %}
                    {% if not loop.first %}and {% endif %}new_rows.{{ id_column }} <=> loaded.{{ id_column }}
                {%- endfor %}
            )
            {%- if recheck_condition %}
            or ({{ recheck_condition }})
            {%- endif %}
    {%- endset %}
    natural full outer join (
        select {{ columns | join(', ') }}
        from {{ this }} as loaded_row
        where
            loaded_row.source_file in ({{ files_to_recheck }})
            or exists (
                select 1
                from {{ this }} as same_entity
                where
                    same_entity.source_file in ({{ files_to_recheck }})
                {%- for id_column in id_columns %}
                    and same_entity.{{ id_column }} <=> loaded_row.{{ id_column }}
                {%- endfor %}
            )
    ) as loaded_rows
{%- endif %}
{%- endmacro %}


{% macro recheck_columns_except(relation_alias, columns) %}
{#- The columns of a base model's `candidates` CTE that selects `<alias>.*` (less `columns`)
    and builds raw_record there (recheck_raw_record), before loaded_rows_to_recheck(alias):
    all_columns_except(alias, columns). Spark's loaded rows come through a natural full outer
    join, where `<alias>.*` is the new rows' side only (null for every loaded row): an
    incremental run takes the joined columns (`*`) instead, less raw_record, which
    recheck_raw_record gives. The two are used together. -#}
    {{ return(adapter.dispatch('recheck_columns_except', 'support_kpis')(relation_alias, columns)) }}
{%- endmacro %}


{% macro default__recheck_columns_except(relation_alias, columns) -%}
{{ all_columns_except(relation_alias, columns) }}
{%- endmacro %}


{% macro spark__recheck_columns_except(relation_alias, columns) -%}
{%- if is_incremental() -%}
{{ all_columns_except(none, columns + ['raw_record']) }}
{%- else -%}
{{ all_columns_except(relation_alias, columns) }}
{%- endif -%}
{%- endmacro %}


{% macro recheck_raw_record(raw_record_sql) %}
{#- raw_record beside recheck_columns_except: raw_record_sql (raw_record_if_rejected) for the
    new rows; on a Spark incremental run a loaded row keeps the raw_record it was loaded with
    (raw_record_sql reads the new rows' side, null for it). -#}
    {{ return(adapter.dispatch('recheck_raw_record', 'support_kpis')(raw_record_sql)) }}
{%- endmacro %}


{% macro default__recheck_raw_record(raw_record_sql) -%}
{{ raw_record_sql }}
{%- endmacro %}


{% macro spark__recheck_raw_record(raw_record_sql) -%}
{%- if is_incremental() -%}
coalesce({{ raw_record_sql }}, loaded_rows.raw_record)
{%- else -%}
{{ raw_record_sql }}
{%- endif -%}
{%- endmacro %}


{% macro engine_incremental_strategy(strategy) %}
{#- The strategy a model asks for (`rebuild_keys`, `delete+insert`), as this engine runs it:
    the same name on both; on Spark they are carried out by spark_incremental_sql below. -#}
    {{ return(adapter.dispatch('engine_incremental_strategy', 'support_kpis')(strategy)) }}
{%- endmacro %}


{% macro default__engine_incremental_strategy(strategy) %}
    {{ return(strategy) }}
{%- endmacro %}


{#- ------------------------------------------------------------ dbt-spark's strategies -#}

{% macro dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format) %}
{#- dbt-spark's check of the strategy (overridden: the root project's macro wins), plus the
    project's own `rebuild_keys` and `delete+insert` (spark_incremental_sql). -#}
    {%- if raw_strategy in ['rebuild_keys', 'delete+insert'] -%}
        {{ return(raw_strategy) }}
    {%- endif -%}
    {{ return(dbt.dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format)) }}
{%- endmacro %}


{% macro dbt_spark_get_incremental_sql(strategy, source, target, existing, unique_key, incremental_predicates) %}
{#- dbt-spark's SQL of an incremental run (overridden), with the project's strategies:
    spark_incremental_sql; dbt-spark's own otherwise. -#}
    {%- set own = spark_incremental_sql(strategy, source, target, existing, unique_key) -%}
    {%- if own is not none -%}
        {{ return(own) }}
    {%- endif -%}
    {{ return(dbt.dbt_spark_get_incremental_sql(strategy, source, target, existing, unique_key, incremental_predicates)) }}
{%- endmacro %}


{% macro spark_incremental_sql(strategy, source, target, existing, unique_key) %}
{#- The project's incremental writes on Spark, or none for dbt-spark's own:
      - insert_overwrite with config overwrite_complete_partitions (the base models): only
        the partitions the run computed whole are written (spark__loaded_rows_to_recheck);
      - rebuild_keys, delete+insert (intermediate): the table is written again through a
        staging table (spark_rebuild_keys_sql). -#}
    {%- if strategy == 'insert_overwrite' and config.get('overwrite_complete_partitions') -%}
        {{ return(overwrite_complete_partitions_sql(source, target)) }}
    {%- elif strategy in ['rebuild_keys', 'delete+insert'] -%}
        {{ return(spark_rebuild_keys_sql(strategy, source, target, unique_key)) }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}


{% macro spark_rebuild_keys_sql(strategy, source, target, unique_key) %}
{#- `rebuild_keys` and `delete+insert` without a row-level delete: the rows DuckDB's
    strategy keeps (get_incremental_rebuild_keys_sql: not of a key of the rebuild set or of
    the new rows, unless rebuild_keeps_rows; delete+insert: not of a key of the new rows)
    plus the new rows go to a staging table, which then overwrites the target (Spark
    cannot overwrite an unpartitioned table from a query reading it). A row whose condition
    is null (a null key) is kept, as DuckDB's delete keeps it. The whole table is written
    on each run: correct, not cheap (docs/decisions/spark.md). Runs its statements here
    (dbt-spark runs one statement per call); the returned `main` statement refreshes the
    target's cached metadata. -#}
    {%- if unique_key is none or unique_key is not string -%}
        {{ exceptions.raise_compiler_error(
            this.identifier ~ ": incremental strategy " ~ strategy ~ " on Spark needs one unique_key column") }}
    {%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(target) | map(attribute='quoted') | join(', ') -%}
    {%- set staging = target.incorporate(path={'identifier': target.identifier ~ '__dbt_rebuild'}) -%}
    {%- set new_rows = spark_new_rows_table(source, target) -%}
    {%- set replaced_keys -%}
        {{ unique_key }} in (select new_rows.{{ unique_key }} from {{ new_rows }} as new_rows)
        {%- if strategy == 'rebuild_keys' and config.get('rebuild_keeps_rows') %}
        and not ({{ config.get('rebuild_keeps_rows') | replace('{new_rows}', new_rows | string)
            | replace('{target}', target.identifier) }})
        {%- endif %}
        {%- if strategy == 'rebuild_keys' %}
        or {{ unique_key }} in (
            select rebuild_set.{{ unique_key }} from {{ ref(config.get('rebuild_set')) }} as rebuild_set
        )
        {%- endif %}
    {%- endset -%}
    {%- do run_query('drop table if exists ' ~ staging) -%}
    {%- do run_query(
        'create table ' ~ staging ~ ' using parquet as\nselect ' ~ columns ~ '\nfrom ' ~ target ~ ' as '
        ~ target.identifier ~ '\nwhere not coalesce(' ~ replaced_keys ~ ', false)\nunion all\nselect ' ~ columns
        ~ '\nfrom ' ~ new_rows
    ) -%}
    {%- do run_query('insert overwrite table ' ~ target ~ ' select ' ~ columns ~ ' from ' ~ staging) -%}
    {%- do run_query('drop table ' ~ staging) -%}
    {%- do run_query('drop table ' ~ new_rows) -%}
    {{ return('refresh table ' ~ target) }}
{%- endmacro %}


{% macro overwrite_complete_partitions_sql(source, target) %}
{#- Dynamic partition overwrite (the materialization sets partitionOverwriteMode DYNAMIC) of
    the partitions `source` holds whole: a partition the target does not have yet (a new
    file), or one with as many rows in `source` as in the target (`source` reads the
    target's rows of a partition without repeating any). A partition `source` holds only
    some rows of is not written, so none of its rows is lost. Runs its statement here (over
    spark_new_rows_table); the returned one refreshes the target's cached metadata. -#}
    {%- set partition_by = config.get('partition_by') -%}
    {%- set partition_columns = [partition_by] if partition_by is string else partition_by -%}
    {%- if not partition_columns -%}
        {{ exceptions.raise_compiler_error(
            this.identifier ~ ": overwrite_complete_partitions needs a partition_by config") }}
    {%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(target) | map(attribute='quoted') | join(', ') -%}
    {%- set keys = partition_columns | join(', ') -%}
    {%- set new_rows = spark_new_rows_table(source, target) -%}
    {%- set overwrite_sql -%}
    insert overwrite table {{ target }}
    partition ({{ keys }})
    select {{ columns }}
    from {{ new_rows }} as run_rows
    where ({{ keys }}) in (
        select {{ keys }}
        from (
            select {{ keys }}, count(*) as row_count
            from {{ new_rows }}
            group by {{ keys }}
        ) as written
        left join (
            select {{ keys }}, count(*) as row_count
            from {{ target }}
            group by {{ keys }}
        ) as loaded
            using ({{ keys }})
        where loaded.row_count is null or loaded.row_count = written.row_count
    )
    {%- endset -%}
    {%- do run_query(overwrite_sql) -%}
    {%- do run_query('drop table ' ~ new_rows) -%}
    {{ return('refresh table ' ~ target) }}
{%- endmacro %}


{% macro spark_new_rows_table(source, target) %}
{#- The run's rows (`source`: dbt-spark's __dbt_tmp, a temporary view of the model's query)
    written once to a Parquet table, which the statements above read more than once: a view
    is planned and computed again at each read (on the tiny fixture's daily run, reading
    int_ticket_sla_outcomes' view twice took 53 s of the model's 56). The caller drops it. -#}
    {%- set new_rows = target.incorporate(path={'identifier': target.identifier ~ '__dbt_new'}) -%}
    {%- do run_query('drop table if exists ' ~ new_rows) -%}
    {%- do run_query('create table ' ~ new_rows ~ ' using parquet as select * from ' ~ source) -%}
    {{ return(new_rows) }}
{%- endmacro %}
