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
        source_file,
        source_line,
        raw_id::varchar as record_id,
        rejection_reason,
        raw_record
    from {{ export[2] }}
    where rejection_reason is not null
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        ---------- strings
        source_name,
        table_name,
        source_file,
        record_id,
        rejection_reason,
        raw_record,

        ---------- numerics
        source_line

    from unioned

)

select * from final
