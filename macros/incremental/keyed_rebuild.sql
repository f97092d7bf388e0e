{#-
    Incremental daily builds past the base models: rebuild only the keys (tickets, orders)
    whose inputs changed. docs/decisions/scale_and_incremental.md tells the whole story.

      - Base models stamp every row they (re)write with `loaded_at` (load_timestamp()).
      - A rebuild set model (int_ticket_rebuild_set, int_order_rebuild_set) lists the keys to
        rebuild: keys with a base row loaded after the oldest watermark of its consumers,
        widened to every key those rows can change (same customer, merge chain, ...).
        Without any watermark (first build, --full-refresh) it lists every key.
      - A consumer is `materialized='incremental', incremental_strategy='rebuild_keys'`,
        `unique_key` = the key column, `rebuild_set` = the rebuild set model's name. On a
        rebuild run its import CTEs keep only the rebuild set's keys (rebuild_filter), and the
        strategy deletes every row of those keys before inserting the new rows, so a key that
        dropped out of a model (a ticket now spam, ...) leaves no stale row. Rows that change
        without a new export row (they move with the as-of time) are added by the model itself
        through an `also_cte` (rebuild_extra_keys).
      - After each build a consumer's post-hook copies the rebuild set's loaded_through (and
        its own as-of time) into the state table incremental_build_state, inside the model's
        transaction: a model that fails keeps its old watermark and catches up next run.
    A consumer without a state row (first incremental run after an upgrade) rebuilds every key.
    Seeds and vars are not tracked here: after changing them run `dbt build --full-refresh`
    (a run whose vars differ from the build's stops and says so: warehouse_settings.sql).
-#}

{% macro rebuild_state_relation() %}
{#- One state table for every rebuild set and consumer, in the intermediate schema. -#}
    {{ return(warehouse_relation(generate_schema_name('intermediate', none), 'incremental_build_state')) }}
{%- endmacro %}


{% macro create_rebuild_state_table() %}
    {{ return(adapter.dispatch('create_rebuild_state_table', 'support_kpis')()) }}
{%- endmacro %}


{% macro default__create_rebuild_state_table() %}
    create schema if not exists {{ rebuild_state_relation().without_identifier() }};
    create table if not exists {{ rebuild_state_relation() }} (
        model_name varchar primary key,
        loaded_through timestamp,
        as_of_at timestamp,
        built_at timestamp
    )
{%- endmacro %}


{% macro spark__create_rebuild_state_table() %}
{#- Spark: no primary key and no `insert or replace`: one partition per model, rewritten by
    a dynamic partition overwrite (the table's partitionOverwriteMode option), so a model's
    write replaces its own row only. dbt-spark runs one statement per call: the schema is
    created here (execution time), the table by the returned statement. -#}
    {%- if execute -%}
        {%- do run_query('create schema if not exists ' ~ rebuild_state_relation().without_identifier()) -%}
    {%- endif %}
    create table if not exists {{ rebuild_state_relation() }} (
        loaded_through timestamp,
        as_of_at timestamp,
        built_at timestamp,
        model_name string
    )
    using parquet
    options (partitionOverwriteMode 'dynamic')
    partitioned by (model_name)
{%- endmacro %}


{% macro rebuild_state_text_type() %}
{#- The type the state's timestamps are read back as text with (rebuild_state, rebuild_watermark). -#}
    {{ return(adapter.dispatch('rebuild_state_text_type', 'support_kpis')()) }}
{%- endmacro %}


{% macro default__rebuild_state_text_type() %}
    {{ return('varchar') }}
{%- endmacro %}


{% macro spark__rebuild_state_text_type() %}
    {{ return('string') }}
{%- endmacro %}


{% macro existing_rebuild_state_relation() %}
{#- The state table, or none before any rebuild set has created it. Execution time only. -#}
    {%- set state = rebuild_state_relation() -%}
    {{ return(adapter.get_relation(state.database, state.schema, state.identifier)) }}
{%- endmacro %}


{% macro rebuild_state(model_name) %}
{#- The model's state row as a dict (loaded_through, as_of_at, built_at), or none. Execution time only. -#}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set state = existing_rebuild_state_relation() -%}
    {%- if state is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set rows = run_query(
        "select cast(loaded_through as " ~ rebuild_state_text_type() ~ "), cast(as_of_at as " ~ rebuild_state_text_type()
        ~ "), cast(built_at as " ~ rebuild_state_text_type() ~ ") from " ~ state
        ~ " where model_name = '" ~ model_name ~ "'"
    ).rows -%}
    {%- if rows | length == 0 -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return({'loaded_through': rows[0][0], 'as_of_at': rows[0][1], 'built_at': rows[0][2]}) }}
{%- endmacro %}


{% macro is_rebuild_run() %}
{#- True when this consumer rebuilds only its rebuild set: an incremental run of a model that
    has a watermark. Otherwise it computes every key. -#}
    {{ return(is_incremental() and rebuild_state(this.identifier) is not none) }}
{%- endmacro %}


{% macro rebuild_filter(key_column=none, also_cte=none, include_rebuild_set=true, or_condition=none) %}
{#- `where` clause for a consumer's import CTE: on a rebuild run, only the keys of its
    rebuild set and/or of CTE `also_cte` (see rebuild_extra_keys), and the rows matching
    `or_condition` (SQL) if given; nothing otherwise. key_column defaults to the model's
    unique_key. include_rebuild_set=false: a model keyed on something else than its
    rebuild set's key (cost months) filters on also_cte alone. -#}
    {%- set key = config.get('unique_key') -%}
    {%- set column = key_column or key -%}
    {%- if is_rebuild_run() -%}
        {%- set conditions = [] -%}
        {%- if include_rebuild_set -%}
            {%- do conditions.append(column ~ ' in (select rebuild_set.' ~ key ~ ' from '
                ~ ref(config.get('rebuild_set')) ~ ' as rebuild_set)') -%}
        {%- endif -%}
        {%- if also_cte -%}
            {%- do conditions.append(column ~ ' in (select ' ~ also_cte ~ '.' ~ key ~ ' from ' ~ also_cte ~ ')') -%}
        {%- endif -%}
        {%- if or_condition -%}
            {%- do conditions.append('(' ~ or_condition ~ ')') -%}
        {%- endif %}
    where
        {{ conditions | join('\n        or ') }}
    {%- endif %}
{%- endmacro %}


{% macro rebuild_extra_keys(keys_sql, key_type='bigint') %}
{#- Body of a consumer's `also_cte`: on a rebuild run, the query for keys to rebuild besides
    the rebuild set (it may read {{ this }}; its one column is named as the unique_key);
    otherwise no rows. -#}
    {%- if is_rebuild_run() -%}
        select * from ({{ keys_sql }}) as extra_keys ({{ config.get('unique_key') }})
    {%- else -%}
        select cast(null as {{ key_type }}) as {{ config.get('unique_key') }} where false
    {%- endif -%}
{%- endmacro %}


{% macro record_rebuild_watermark(as_of_at_sql='null') %}
{#- post_hook of a consumer: it has now seen every change up to its rebuild set's
    loaded_through; as_of_at is the as-of time its rows were computed at. -#}
    {{ return(adapter.dispatch('record_rebuild_watermark', 'support_kpis')(as_of_at_sql)) }}
{%- endmacro %}


{% macro spark__record_rebuild_watermark(as_of_at_sql='null') %}
{#- The model's partition of the state table, rewritten (spark__create_rebuild_state_table);
    none written when the rebuild set has no row, as DuckDB's insert writes none. -#}
    {%- if execute -%}
        {%- do run_query(create_rebuild_state_table()) -%}
    {%- endif %}
    insert overwrite table {{ rebuild_state_relation() }}
    partition (model_name)
    select
        rebuild_state.loaded_through,
        ({{ as_of_at_sql }}),
        current_timestamp(),
        '{{ this.identifier }}'
    from {{ rebuild_state_relation() }} as rebuild_state
    where rebuild_state.model_name = '{{ config.get("rebuild_set") }}'
{%- endmacro %}


{% macro default__record_rebuild_watermark(as_of_at_sql='null') %}
    {{ create_rebuild_state_table() }};
    insert or replace into {{ rebuild_state_relation() }}
    select
        '{{ this.identifier }}',
        rebuild_state.loaded_through,
        ({{ as_of_at_sql }}),
        now()
    from {{ rebuild_state_relation() }} as rebuild_state
    where rebuild_state.model_name = '{{ config.get("rebuild_set") }}'
{%- endmacro %}


{% macro as_of_moved_back(built_as_of_at, run_as_of_at) %}
{#- SQL condition: this run's as-of time (run_as_of_at, SQL: data_as_of_at(domain)) is earlier
    than the one a row was built at (built_as_of_at, SQL; none = never built): an as_of_at var
    set back. Rows that had settled by the later time (a breached SLA, a late order) are then
    rebuilt too. The one definition the as-of-sensitive refreshes share. -#}
    {%- if built_as_of_at is none -%}
        false
    {%- else -%}
        ({{ run_as_of_at }}) < ({{ built_as_of_at }})
    {%- endif -%}
{%- endmacro %}


{% macro as_of_moved_back_since_last_build(domain) %}
{#- as_of_moved_back against the as-of time this model's state row recorded at its last
    build (post_hook record_rebuild_watermark(data_as_of_at(domain))); false before it has one.
    domain: the source domain whose as-of time the model ages by (data_as_of_at). -#}
    {%- set last_as_of_at = (rebuild_state(this.identifier) or {}).get('as_of_at') -%}
    {%- if not last_as_of_at -%}
        {{ return(as_of_moved_back(none, none)) }}
    {%- endif -%}
    {{ return(as_of_moved_back("cast('" ~ last_as_of_at ~ "' as timestamp)", data_as_of_at(domain))) }}
{%- endmacro %}


{% macro delete_all_if_as_of_moved_back(domain) %}
{#- pre_hook of a consumer whose rows built at a later as-of time cannot be patched (backlog
    snapshots: days past the new as-of time, tickets opened after it): on a rebuild run
    whose as-of time moved back, empty the table. The model must then rebuild every key
    (its also_cte adds them on as_of_moved_back_since_last_build(domain)). -#}
    {{ return(adapter.dispatch('delete_all_if_as_of_moved_back', 'support_kpis')(domain)) }}
{%- endmacro %}


{% macro spark__delete_all_if_as_of_moved_back(domain) %}
{#- No delete on Spark: the condition (one value) is asked first, then the table truncated. -#}
    {%- if execute and is_rebuild_run() -%}
        {%- set moved = run_query('select ' ~ as_of_moved_back_since_last_build(domain)).columns[0].values()[0] -%}
        {%- if moved %}
        truncate table {{ this }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}


{% macro default__delete_all_if_as_of_moved_back(domain) %}
    {%- if is_rebuild_run() -%}
        delete from {{ this }} where {{ as_of_moved_back_since_last_build(domain) }}
    {%- endif -%}
{%- endmacro %}


{% macro refresh_as_of_at_column(as_of_at_sql) %}
{#- post_hook of a consumer with an `as_of_at` column: rows not rebuilt this run keep values
    that do not depend on the as-of time (its `also_cte` rebuilds those that do), so only
    the column itself moves to this run's as-of time (as_of_at_sql, e.g. data_as_of_at('helpdesk')). -#}
    {{ return(adapter.dispatch('refresh_as_of_at_column', 'support_kpis')(as_of_at_sql)) }}
{%- endmacro %}


{% macro spark__refresh_as_of_at_column(as_of_at_sql) %}
{#- No update on Spark: when a row's as_of_at differs, the table is written again through a
    staging table with the column set (as spark_rebuild_keys_sql); the returned statement
    refreshes the target's cached metadata. -#}
    {%- if execute -%}
        {%- set stale = run_query('select count(*) from ' ~ this ~ ' where not (as_of_at <=> (' ~ as_of_at_sql ~ '))')
            .columns[0].values()[0] -%}
        {%- if stale > 0 -%}
            {%- set staging = this.incorporate(path={'identifier': this.identifier ~ '__dbt_refresh'}) -%}
            {%- set columns = [] -%}
            {%- for column in adapter.get_columns_in_relation(this) -%}
                {%- do columns.append('(' ~ as_of_at_sql ~ ') as as_of_at' if column.name == 'as_of_at'
                    else column.quoted) -%}
            {%- endfor -%}
            {%- do run_query('drop table if exists ' ~ staging) -%}
            {%- do run_query('create table ' ~ staging ~ ' using parquet as select ' ~ columns | join(', ')
                ~ ' from ' ~ this) -%}
            {%- do run_query('insert overwrite table ' ~ this ~ ' select * from ' ~ staging) -%}
            {%- do run_query('drop table ' ~ staging) -%}
        {%- endif -%}
    {%- endif %}
    refresh table {{ this }}
{%- endmacro %}


{% macro default__refresh_as_of_at_column(as_of_at_sql) %}
    update {{ this }}
    set as_of_at = ({{ as_of_at_sql }})
    where as_of_at is distinct from ({{ as_of_at_sql }})
{%- endmacro %}


{% macro get_incremental_rebuild_keys_sql(arg_dict) %}
{#- Incremental strategy `rebuild_keys`: delete every row whose key (unique_key; several rows
    per key are fine) is in the rebuild set or in the new rows, then insert the new rows.
    Optional config `rebuild_keeps_rows`: a condition on the target's rows, for rows of a key
    outside the rebuild set that stay (e.g. a ticket's backlog snapshots before the first day
    it gets new ones); `{new_rows}` stands for the new rows, `{target}` for the target. -#}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set temp = arg_dict['temp_relation'] -%}
    {%- set key = arg_dict['unique_key'] -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    {%- set keeps = config.get('rebuild_keeps_rows') -%}
    delete from {{ target }}
    where
        {{ key }} in (select rebuild_set.{{ key }} from {{ ref(config.get('rebuild_set')) }} as rebuild_set)
        or (
            {{ key }} in (select new_rows.{{ key }} from {{ temp }} as new_rows)
            {%- if keeps %}
            and not ({{ keeps | replace('{new_rows}', temp | string) | replace('{target}', target.identifier) }})
            {%- endif %}
        );
    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ temp }};
    {{ drop_incremental_temp_table(temp) }}
{%- endmacro %}


{#- ---------------------------------------------------------- rebuild set models -#}

{% macro rebuild_set_consumers() %}
{#- Names of the models whose rebuild_set is this model. -#}
    {%- set names = [] -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and node.config.get('rebuild_set') == this.identifier -%}
            {%- do names.append(node.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(names | sort) }}
{%- endmacro %}


{% macro rebuild_watermark() %}
{#- In a rebuild set model: the oldest loaded_through among its consumers' state rows
    (text), or none when none has one (then the rebuild set is every key). -#}
    {%- if not execute or flags.FULL_REFRESH -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set state = existing_rebuild_state_relation() -%}
    {%- if state is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set oldest = run_query(
        "select cast(min(loaded_through) as " ~ rebuild_state_text_type() ~ ") from " ~ state
        ~ " where model_name in ('" ~ rebuild_set_consumers() | join("', '") ~ "')"
    ).columns[0].values()[0] -%}
    {{ return(oldest) }}
{%- endmacro %}


{% macro loaded_after(watermark) %}
{#- SQL timestamp after which a base row counts as new; without a watermark none does. -#}
    {{ return(adapter.dispatch('loaded_after', 'support_kpis')(watermark)) }}
{%- endmacro %}


{% macro default__loaded_after(watermark) %}
    {{ return("cast('" ~ (watermark or 'infinity') ~ "' as timestamp)") }}
{%- endmacro %}


{% macro spark__loaded_after(watermark) %}
{#- Spark's timestamps have no infinity: the latest one stands for it. -#}
    {{ return("cast('" ~ (watermark or '9999-12-31 23:59:59.999999') ~ "' as timestamp)") }}
{%- endmacro %}


{% macro record_rebuild_set_loaded_through(load_relations) %}
{#- post_hook of a rebuild set model: the newest loaded_at among the relations it reads,
    which its consumers take as their watermark once they are built from it. -#}
    {{ return(adapter.dispatch('record_rebuild_set_loaded_through', 'support_kpis')(load_relations)) }}
{%- endmacro %}


{% macro spark__record_rebuild_set_loaded_through(load_relations) %}
{#- Spark's greatest takes two arguments or more (it skips the null one, as DuckDB's). -#}
    insert overwrite table {{ rebuild_state_relation() }}
    partition (model_name)
    select
        greatest(
        {%- for relation in load_relations %}
            (select max(loaded_at) from {{ relation }}),
        {%- endfor %}
            cast(null as timestamp)
        ),
        cast(null as timestamp),
        current_timestamp(),
        '{{ this.identifier }}'
{%- endmacro %}


{% macro default__record_rebuild_set_loaded_through(load_relations) %}
    insert or replace into {{ rebuild_state_relation() }}
    select
        '{{ this.identifier }}',
        greatest(
        {%- for relation in load_relations %}
            (select max(loaded_at) from {{ relation }}){% if not loop.last %},{% endif %}
        {%- endfor %}
        ),
        null,
        now()
{%- endmacro %}
