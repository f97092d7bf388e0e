-- One row per export table; the list of tables is macro staging_export_tables.
with

{% for source_name, table_name, base_model in staging_export_tables() %}
    {{ base_model }} as (

        select * from {{ ref(base_model) }}

    ),

{% endfor %}
unioned as (

    {% for source_name, table_name, base_model in staging_export_tables() %}
        select
            '{{ source_name }}' as source_name,
            '{{ table_name }}' as table_name,
            count(*) as rows_read,
            count(*) filter (where rejection_reason is null and not is_superseded) as rows_kept,
            count(*) filter (where is_superseded) as rows_duplicate,
            count(*) filter (where rejection_reason is not null) as rows_rejected
        from {{ base_model }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        ---------- strings
        source_name,
        table_name,

        ---------- numerics
        rows_read,
        rows_kept,
        rows_duplicate,
        rows_rejected

    from unioned

)

select * from final
