{%- set export_tables = staging_export_tables() -%}

with

{% for export in export_tables %}
{{ export[2] }} as (

    select * from {{ ref(export[2]) }}

),

{% endfor -%}

unioned as (

    {% for export in export_tables %}
    select
        '{{ export[0] }}' as source_name,
        '{{ export[1] }}' as table_name,
        count(*) as rows_read,
        count(*) filter (where rejection_reason is null and not is_superseded) as rows_kept,
        count(*) filter (where is_superseded) as rows_duplicate,
        count(*) filter (where rejection_reason is not null) as rows_rejected
    from {{ export[2] }}
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
