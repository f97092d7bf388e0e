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

    {{ broken_export_rows('export_files') }}

),

unioned as (

    {% for source_name, table_name, base_model in staging_export_tables() %}
        select
            '{{ source_name }}' as source_name,
            '{{ table_name }}' as table_name,
            source_file,
            source_line,
            cast(raw_id as {{ text_type() }}) as record_id,
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
