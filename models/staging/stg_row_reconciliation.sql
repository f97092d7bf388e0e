-- One row per export table; the list of tables is macro staging_export_tables.
with

{% for source_name, table_name, base_model in staging_export_tables() %}
    {{ base_model }} as (

        select * from {{ ref(base_model) }}

    ),

{% endfor %}
duplicate_conflicts as (

    select * from {{ ref('stg_duplicate_conflicts') }}

),

export_files as (

    select * from {{ ref('stg_export_files') }}

),

-- CSV records the reader could not split into fields (stg_rejected_rows): read and rejected.
broken_rows as (

    select
        source_name,
        table_name,
        sum({{ list_length('broken_rows') }}) as rows_broken
    from export_files
    group by source_name, table_name

),

conflict_counts as (

    select
        source_name,
        table_name,
        count(*) as rows_duplicate_conflicting
    from duplicate_conflicts
    group by source_name, table_name

),

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
        unioned.source_name,
        unioned.table_name,

        ---------- numerics
        unioned.rows_read + coalesce(broken_rows.rows_broken, 0) as rows_read,
        unioned.rows_kept,
        unioned.rows_duplicate,
        -- of rows_duplicate: set aside by the tie rule from a copy with other content
        coalesce(conflict_counts.rows_duplicate_conflicting, 0) as rows_duplicate_conflicting,
        unioned.rows_rejected + coalesce(broken_rows.rows_broken, 0) as rows_rejected

    from unioned
    left join conflict_counts
        on
            unioned.source_name = conflict_counts.source_name
            and unioned.table_name = conflict_counts.table_name
    left join broken_rows
        on
            unioned.source_name = broken_rows.source_name
            and unioned.table_name = broken_rows.table_name

)

select * from final
