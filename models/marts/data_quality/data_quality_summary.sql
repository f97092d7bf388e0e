-- One row per data-quality check and table: how many rows a check found, so a support lead
-- sees in one place what the build set aside, flagged or could not use. Each check is one
-- union branch below: add a branch (same five columns) for every new kind of problem.
with

rejected_rows as (
    select * from {{ ref('stg_rejected_rows') }}
),

reconciliation as (
    select * from {{ ref('stg_row_reconciliation') }}
),

export_files as (
    select * from {{ ref('stg_export_files') }}
),

-- one row per file and column the contract does not declare / optional column it lacks
unknown_columns as (
    select
        source_name,
        table_name,
        source_file,
        unnest(unknown_columns) as column_name
    from export_files
),

absent_columns as (
    select
        source_name,
        table_name,
        source_file,
        unnest(absent_optional_columns) as column_name
    from export_files
),

-- every export table staging reads (macro staging_export_tables)
export_tables as (
    select
        export_table_list.source_name,
        export_table_list.table_name
    from (
        values
        {%- for source_name, table_name, base_model in staging_export_tables() %}
            ('{{ source_name }}', '{{ table_name }}'){{ ',' if not loop.last }}
        {%- endfor %}
    ) as export_table_list (source_name, table_name)
),

checks as (

    select
        'rows_rejected' as check_name,
        source_name,
        table_name,
        rejection_reason as detail,
        count(*) as row_count
    from rejected_rows
    group by source_name, table_name, rejection_reason

    union all

    select
        'rows_duplicate' as check_name,
        source_name,
        table_name,
        'superseded by a later re-export of the same id' as detail,
        rows_duplicate as row_count
    from reconciliation

    union all

    -- An optional export the brand does not have: its staging models and the marts built
    -- on them are empty (a figure not shown, rather than a zero). row_count: files (0).
    select
        'export_not_provided' as check_name,
        export_tables.source_name,
        export_tables.table_name,
        'no export file: the figures built on this table are empty' as detail,
        0 as row_count
    from export_tables
    where
        not exists (
            select 1
            from export_files
            where
                export_files.source_name = export_tables.source_name
                and export_files.table_name = export_tables.table_name
        )

    union all

    -- A column a vendor added: read and ignored. row_count: files carrying it.
    select
        'unknown_column_ignored' as check_name,
        source_name,
        table_name,
        'column ' || column_name || ' (not in the export contract, ignored) in '
        || string_agg(source_file, ', ' order by source_file) as detail,
        count(*) as row_count
    from unknown_columns
    group by source_name, table_name, column_name

    union all

    -- An optional column a file lacks: read as null. row_count: files lacking it.
    select
        'optional_column_absent' as check_name,
        source_name,
        table_name,
        'column ' || column_name || ' read as null (absent) in '
        || string_agg(source_file, ', ' order by source_file) as detail,
        count(*) as row_count
    from absent_columns
    group by source_name, table_name, column_name

    union all

    -- A file not in UTF-8, decoded by its own encoding. row_count: files.
    select
        'file_encoding_decoded' as check_name,
        source_name,
        table_name,
        'decoded from ' || encoding || ': ' || string_agg(source_file, ', ' order by source_file) as detail,
        count(*) as row_count
    from export_files
    where encoding not in ('utf-8', 'binary')
    group by source_name, table_name, encoding

),

final as (

    select
        ---------- strings
        check_name,
        source_name,
        table_name,
        detail,

        ---------- numerics
        row_count

    from checks

)

select * from final
