-- Every row staging could not use, with why, where it came from and the row as exported.
-- The list of tables is macro staging_export_tables.
with

{% for source_name, table_name, base_model in staging_export_tables() %}
    {{ base_model }} as (

        select * from {{ ref(base_model) }}

    ),

{% endfor %}
export_files as (

    select * from {{ ref('stg_export_files') }}

),

-- CSV records the reader could not split into fields: never reach a base model.
broken_rows as (

    select
        export_files.source_name,
        export_files.table_name,
        export_files.source_file,
        broken.source_line,
        cast(null as varchar) as record_id,
        'broken CSV row (' || lower(broken.error) || '): its fields do not match the header' as rejection_reason,
        to_json(broken.raw_line)::varchar as raw_record
    from export_files
    cross join unnest(export_files.broken_rows) as broken_list (broken)

),

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
        union all
    {% endfor %}
    select * from broken_rows

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
