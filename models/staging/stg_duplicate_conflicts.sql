-- Conflicting duplicates: two usable copies of one id that tie on its update time (or, in an
-- export without one, are both just "the same row") but differ in content. The tie rule
-- still keeps one (later file, then later line); this lists every copy it set aside that
-- way, with both files and lines, so the choice is visible and counted
-- (stg_row_reconciliation.rows_duplicate_conflicting, data_quality_summary). A view over
-- the base tables, so it is current after a daily incremental run as after a full build.
-- Keys per table: macro duplicate_version_keys; content columns: duplicate_content_columns.
{%- set tables = [] -%}
{%- for source_name, table_name, base_model in staging_export_tables() -%}
    {%- if base_model in duplicate_version_keys() -%}
        {%- do tables.append([source_name, table_name, base_model]) -%}
    {%- endif -%}
{%- endfor %}

with

{% for source_name, table_name, base_model in tables %}
    {{ base_model }} as (

        select * from {{ ref(base_model) }}

    ),

{% endfor %}
unioned as (

    {% for source_name, table_name, base_model in tables %}
        {%- set keys = duplicate_version_keys()[base_model] -%}
        {%- set content = duplicate_content_columns(ref(base_model)) if execute else [] %}
        select
            '{{ source_name }}' as source_name,
            '{{ table_name }}' as table_name,
            kept.raw_id::varchar as record_id,
            kept.source_file as kept_file,
            kept.source_line as kept_line,
            superseded.source_file as superseded_file,
            superseded.source_line as superseded_line,
            '{{ keys.version | join(", ") if keys.version else "no update time: file order" }}' as tied_on
        from {{ base_model }} as superseded
        inner join {{ base_model }} as kept
            on
                {%- for id_column in keys.id %}
                    {% if not loop.first %}and {% endif %}superseded.{{ id_column }} = kept.{{ id_column }}
                {%- endfor %}
                {%- for version_column in keys.version %}
                    and superseded.{{ version_column }} is not distinct from kept.{{ version_column }}
                {%- endfor %}
        where
            superseded.is_superseded
            and kept.rejection_reason is null
            and not kept.is_superseded
            {%- if content %}
                and struct_pack(
                    {%- for column in content %}
                        {{ adapter.quote(column) }} := superseded.{{ adapter.quote(column) }}{{ ',' if not loop.last }}
                    {%- endfor %}
                ) is distinct from struct_pack(
                    {%- for column in content %}
                        {{ adapter.quote(column) }} := kept.{{ adapter.quote(column) }}{{ ',' if not loop.last }}
                    {%- endfor %}
                )
            {%- endif %}
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
