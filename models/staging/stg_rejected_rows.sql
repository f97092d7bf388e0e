-- Every row staging could not use, with why, where it came from and the row as exported.
-- The list of tables is macro staging_export_tables.
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
            source_file,
            source_line,
            raw_id::varchar as record_id,
            rejection_reason,
            raw_record
        from {{ base_model }}
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
