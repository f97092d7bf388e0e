-- Conflicting duplicates: two usable copies of one id that tie on its update time (or, in an
-- export without one, are both just "the same row") but differ in content. The tie rule
-- still keeps one (later file, then later line); this lists every copy it set aside that
-- way, with both files and lines, so the choice is visible and counted
-- (stg_row_reconciliation.rows_duplicate_conflicting, data_quality_summary). A view over
-- the base tables, so it is current after a daily incremental run as after a full build (a
-- table on Spark, rebuilt every run: its SQL is too long for a view in the Hive metastore).
-- Keys per table: macro duplicate_version_keys; content columns: duplicate_content_columns.
-- The base tables are read in the macro (by rowid), not through import CTEs: a CTE read twice is
-- materialised whole, every column of every row (1M tickets: 38 s against 1.5 s).
{{ config(materialized=long_view_materialization(), partition_by=none) }}
{%- set tables = [] -%}
{%- for source_name, table_name, base_model in staging_export_tables() -%}
    {%- if base_model in duplicate_version_keys() -%}
        {%- do tables.append([source_name, table_name, base_model]) -%}
    {%- endif -%}
{%- endfor %}

with

unioned as (

    {% for source_name, table_name, base_model in tables %}
        {{ duplicate_conflict_rows(source_name, table_name, ref(base_model), duplicate_version_keys()[base_model]) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        ---------- strings
        source_name,
        table_name,
        record_id,
        kept_file,
        superseded_file,
        tied_on,

        ---------- numerics
        kept_line,
        superseded_line

    from unioned

)

select * from final
