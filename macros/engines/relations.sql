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
