{{ config(materialized='incremental', incremental_strategy='append', unique_key=none) }}
-- One row per export file read: its encoding, its header, how its columns compare with the
-- contract and the CSV records the reader cannot split (export_file_facts, the facts the
-- run-start check uses). The base models read files as described here (export_rows).
-- Incremental like the base models: a run describes only the files it has not seen, never
-- reopening old ones.
-- The list of tables is macro staging_export_tables.
with

-- the files not described yet (every file on a full build), as a values list
described as (

    {{ staging_export_files_description() }}

),

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
