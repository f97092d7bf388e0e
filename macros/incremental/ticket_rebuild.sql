{#-
    Incremental ticket models: on a daily run, rebuild only the tickets whose inputs changed.

    How it fits together (docs/decisions/scale_and_incremental.md):
      - base models stamp every row they (re)write with `loaded_at` (load_timestamp());
      - int_ticket_rebuild_set lists the tickets to rebuild: those with a base row loaded
        after the oldest watermark of the ticket models, widened to everything that can
        change with them (same customer, merge chains, orders of the customer);
      - each ticket model is `materialized='incremental', incremental_strategy='rebuild_tickets'`:
        its SQL keeps only the tickets of the rebuild set (ticket_rebuild_filter), and the
        strategy deletes every row of those tickets before inserting the new ones, so a
        ticket that dropped out of a model (now spam, merged, ...) leaves no stale row;
      - after each build the model's watermark (the rebuild set's loaded_through and the
        as-of time) is written to the state table incremental_build_state, inside the
        model's transaction, so a failed model keeps its old watermark and catches up.
    A model without a state row (first incremental run after an upgrade) rebuilds every ticket.
    Seeds and vars are not tracked: after changing them run `dbt build --full-refresh`.
-#}

{% macro rebuild_state_relation() %}
{#- The state table sits beside int_ticket_rebuild_set (which must not ref itself). -#}
    {%- set rebuild_set = this if this.identifier == 'int_ticket_rebuild_set' else ref('int_ticket_rebuild_set') -%}
    {{ return(api.Relation.create(
        database=rebuild_set.database, schema=rebuild_set.schema, identifier='incremental_build_state'
    )) }}
{%- endmacro %}


{% macro create_rebuild_state_table() %}
    create schema if not exists {{ rebuild_state_relation().without_identifier() }};
    create table if not exists {{ rebuild_state_relation() }} (
        model_name varchar primary key,
        loaded_through timestamp,
        as_of_at timestamp,
        built_at timestamp
    )
{%- endmacro %}


{% macro rebuild_state(model_name) %}
{#- The model's state row as a dict (loaded_through, as_of_at), or none. Execution time only. -#}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set state = rebuild_state_relation() -%}
    {%- if adapter.get_relation(state.database, state.schema, state.identifier) is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set rows = run_query(
        "select cast(loaded_through as varchar), cast(as_of_at as varchar) from " ~ state
        ~ " where model_name = '" ~ model_name ~ "'"
    ).rows -%}
    {%- if rows | length == 0 -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return({'loaded_through': rows[0][0], 'as_of_at': rows[0][1]}) }}
{%- endmacro %}


{% macro is_ticket_rebuild() %}
{#- True when this model should rebuild only the rebuild set: an incremental run of a model
    that has a watermark. Otherwise it computes every ticket. -#}
    {{ return(is_incremental() and rebuild_state(this.identifier) is not none) }}
{%- endmacro %}


{% macro ticket_rebuild_filter(ticket_id_column='ticket_id', also_cte=none) %}
{#- `where` clause for a ticket model's import CTE: on a ticket rebuild, only the tickets in
    the rebuild set (plus the ticket_id of CTE `also_cte`, see rebuild_extra_ids); renders
    nothing otherwise. -#}
    {%- if is_ticket_rebuild() %}
    where
        {{ ticket_id_column }} in (select rebuild_set.ticket_id from {{ ref('int_ticket_rebuild_set') }} as rebuild_set)
        {%- if also_cte %}
        or {{ ticket_id_column }} in (select {{ also_cte }}.ticket_id from {{ also_cte }})
        {%- endif %}
    {%- endif %}
{%- endmacro %}


{% macro rebuild_extra_ids(ticket_ids_sql) %}
{#- Body of a model's `also_cte`: on a ticket rebuild, the query for tickets to rebuild besides
    the rebuild set (it may read {{ this }}); otherwise no rows. -#}
    {%- if is_ticket_rebuild() -%}
        {{ ticket_ids_sql }}
    {%- else -%}
        select cast(null as bigint) as ticket_id where false
    {%- endif -%}
{%- endmacro %}


{% macro record_rebuild_watermark(as_of_at_sql='null') %}
{#- post_hook of a ticket model: it has now seen every change up to the rebuild set's
    loaded_through; as_of_at is the as-of time its rows were computed at. -#}
    {{ create_rebuild_state_table() }};
    insert or replace into {{ rebuild_state_relation() }}
    select
        '{{ this.identifier }}',
        rebuild_state.loaded_through,
        ({{ as_of_at_sql }}),
        now()
    from {{ rebuild_state_relation() }} as rebuild_state
    where rebuild_state.model_name = 'int_ticket_rebuild_set'
{%- endmacro %}


{% macro get_incremental_rebuild_tickets_sql(arg_dict) %}
{#- Incremental strategy `rebuild_tickets`: delete every row of the tickets in the rebuild
    set or in the new rows, then insert the new rows. The key is the model's unique_key
    (a ticket id column; several rows per ticket are fine). -#}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set temp = arg_dict['temp_relation'] -%}
    {%- set key = arg_dict['unique_key'] -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ target }}
    where
        {{ key }} in (select rebuild_set.ticket_id from {{ ref('int_ticket_rebuild_set') }} as rebuild_set)
        or {{ key }} in (select new_rows.{{ key }} from {{ temp }} as new_rows);
    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ temp }}
{%- endmacro %}


{% macro ticket_rebuild_models() %}
{#- Names of the models built with incremental_strategy='rebuild_tickets'. -#}
    {%- set names = [] -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and node.config.get('incremental_strategy') == 'rebuild_tickets' -%}
            {%- do names.append(node.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(names | sort) }}
{%- endmacro %}


{% macro ticket_rebuild_watermark() %}
{#- The oldest loaded_through among the ticket models' state rows (text), or none when no
    ticket model has one: then the rebuild set is every ticket. -#}
    {%- if not execute or flags.FULL_REFRESH -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set state = rebuild_state_relation() -%}
    {%- if adapter.get_relation(state.database, state.schema, state.identifier) is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set models = ticket_rebuild_models() -%}
    {%- set oldest = run_query(
        "select cast(min(loaded_through) as varchar) from " ~ state
        ~ " where model_name in ('" ~ models | join("', '") ~ "')"
    ).columns[0].values()[0] -%}
    {{ return(oldest) }}
{%- endmacro %}


{% macro record_rebuild_set_loaded_through() %}
{#- post_hook of int_ticket_rebuild_set: the newest load it has seen, which every ticket
    model built from this rebuild set takes as its watermark. -#}
    insert or replace into {{ rebuild_state_relation() }}
    select
        '{{ this.identifier }}',
        greatest(
            (select max(loaded_at) from {{ ref(helpdesk_model('ticket_loads')) }}),
            (select max(loaded_at) from {{ ref('base_time_tracking__ticket_time_entries') }}),
            (select max(loaded_at) from {{ ref('base_shopify__orders') }})
        ),
        null,
        now()
{%- endmacro %}


{% macro refresh_as_of_at_column(as_of_at_sql=none) %}
{#- post_hook of a ticket model with an `as_of_at` column: rows not rebuilt this run keep
    values that do not depend on the as-of time (the model's `also_cte` rebuilds those
    that do), so only the column itself moves to this run's as-of time (as_of_at_sql,
    default data_as_of_at()). -#}
    {%- set as_of_at_sql = as_of_at_sql or data_as_of_at() -%}
    update {{ this }}
    set as_of_at = ({{ as_of_at_sql }})
    where as_of_at is distinct from ({{ as_of_at_sql }})
{%- endmacro %}
