{{ config(materialized='incremental', incremental_strategy='append', unique_key=none) }}
-- One row per export file read: its encoding, its header, how its columns compare with the
-- contract and the CSV records the reader cannot split (export_file_facts, the facts the
-- run-start check uses). The base models read files as described here (export_rows).
-- Incremental like the base models: a run describes only the files it has not seen, never
-- reopening old ones.
-- The list of tables is macro staging_export_tables.
{%- set rows = [] -%}
{%- if execute -%}
    {%- for source_name, table_name, base_model in staging_export_tables() -%}
        {%- set files_sql -%}
            select file from glob('{{ export_glob(source_name, table_name) }}')
            {%- if is_incremental() %}
            where file not in (select seen.source_file from {{ this }} as seen)
            {%- endif %}
            order by file
        {%- endset -%}
        {%- set files = run_query(files_sql).columns[0].values() | list -%}
        {%- for fact in export_file_facts(source_name, table_name, files, find_broken_rows=true) -%}
            {%- set findings = export_column_findings(source_name, table_name, fact) -%}
            {%- do rows.append([
                source_name, table_name, fact['file'], fact['encoding'], fact['is_blank'],
                findings['unknown'], findings['missing_optional'], fact['columns'], fact['broken_rows'],
            ]) -%}
        {%- endfor -%}
    {%- endfor -%}
{%- endif %}

with

{% if rows -%}
described as (

    select *
    from (
        values
        {%- for row in rows %}
            (
                '{{ row[0] }}',
                '{{ row[1] }}',
                '{{ row[2] | replace("'", "''") }}',
                '{{ row[3] }}',
                {{ row[4] }},
                [{% for name in row[5] %}'{{ name | replace("'", "''") }}'{{ ', ' if not loop.last }}{% endfor %}]::varchar [],
                [{% for name in row[6] %}'{{ name | replace("'", "''") }}'{{ ', ' if not loop.last }}{% endfor %}]::varchar [],
                [{% for name in row[7] %}'{{ name | replace("'", "''") }}'{{ ', ' if not loop.last }}{% endfor %}]::varchar [],
                [
                    {%- for broken in row[8] -%}
                        {'source_line': {{ broken[0] }}, 'error': '{{ broken[1] | replace("'", "''") }}',
                        'raw_line': '{{ broken[2] | replace("'", "''") }}'}{{ ', ' if not loop.last }}
                    {%- endfor -%}
                ]::struct(source_line bigint, error varchar, raw_line varchar) []
            ){{ ',' if not loop.last }}
        {%- endfor %}
    ) as described_files (
        source_name, table_name, source_file, encoding, is_blank, unknown_columns, absent_optional_columns,
        header_columns, broken_rows
    )

),
{%- else -%}
described as (

    select
        cast(null as varchar) as source_name,
        cast(null as varchar) as table_name,
        cast(null as varchar) as source_file,
        cast(null as varchar) as encoding,
        cast(null as boolean) as is_blank,
        cast(null as varchar []) as unknown_columns,
        cast(null as varchar []) as absent_optional_columns,
        cast(null as varchar []) as header_columns,
        cast(null as struct(source_line bigint, error varchar, raw_line varchar) []) as broken_rows
    where false

),
{%- endif %}

final as (

    select
        ---------- strings
        source_name,
        table_name,
        source_file,
        encoding,

        ---------- lists
        header_columns,
        unknown_columns,
        absent_optional_columns,
        broken_rows,

        ---------- booleans
        is_blank,

        ---------- timestamps
        {{ load_timestamp() }} as loaded_at

    from described

)

select * from final
