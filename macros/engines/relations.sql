{#- Engine differences live in macros/engines/, one file per concern: each macro dispatches
    (adapter.dispatch(name, 'support_kpis')) to its duckdb__ and spark__ implementations,
    side by side, so models and the other macros stay one text for both engines
    (docs/decisions/spark.md). -#}

{% macro warehouse_relation(schema, identifier) %}
{#- A relation the project creates itself (bookkeeping tables), in `schema`. -#}
    {{ return(adapter.dispatch('warehouse_relation', 'support_kpis')(schema, identifier)) }}
{%- endmacro %}


{% macro duckdb__warehouse_relation(schema, identifier) %}
    {{ return(api.Relation.create(database=target.database, schema=schema, identifier=identifier)) }}
{%- endmacro %}


{% macro spark__warehouse_relation(schema, identifier) %}
{#- Spark has no database above the schema: a relation with database= fails (even at parse). -#}
    {{ return(api.Relation.create(schema=schema, identifier=identifier)) }}
{%- endmacro %}


{% macro long_view_materialization() %}
{#- A view whose SQL is long (stg_duplicate_conflicts: ~47,000 characters on Spark for a Zendesk
    brand) is a table on Spark: the Hive metastore on Derby (the local default catalog) keeps a
    view's text in a LONG VARCHAR of at most 32,700 characters, and the build stops there. A
    table is rebuilt on every run, as current as the view after a daily run. -#}
    {{ return(adapter.dispatch('long_view_materialization', 'support_kpis')()) }}
{%- endmacro %}


{% macro default__long_view_materialization() %}
    {{ return('view') }}
{%- endmacro %}


{% macro spark__long_view_materialization() %}
    {{ return('table') }}
{%- endmacro %}
