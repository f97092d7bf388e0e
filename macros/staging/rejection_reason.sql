{% macro rejection_reason(checks) %}
{#-
    checks: list of [sql_condition, reason_text]. Returns every failed reason joined with
    '; ' (so a row shows all its problems at once), or null when the row is usable.
    concat_ws skips the nulls of the checks that pass. An optional third element is a SQL
    text expression used instead of reason_text, for reasons that name the row's values.
-#}
nullif(
    concat_ws(
        '; '
        {%- for check in checks %},
        case when {{ check[0] }} then {{ check[2] if check | length > 2 else "'" ~ check[1] ~ "'" }} end
        {%- endfor %}
    ),
    ''
)
{%- endmacro %}


{% macro is_superseded(id_columns, order_columns) %}
{#-
    True for an older re-export of the same entity among usable rows: within the id, the
    row ranked first by order_columns (e.g. updated desc, then later file, then later line)
    wins. Rejected rows are never "superseded" (they are counted as rejected instead), so
    a bad newer copy does not hide the older good one. Needs a `rejection_reason` column.
-#}
(
    rejection_reason is null
    and row_number() over (
        partition by {{ id_columns | join(', ') }}, rejection_reason is null
        order by {{ order_columns | join(', ') }}
    ) > 1
)
{%- endmacro %}


{% macro export_line_number(file_column='filename') %}
{#-
    1-based record number inside its file.
      - Parquet: the reader's own file_row_number (0-based), no window needed.
      - CSV/NDJSON: the `ordinality` export_rows numbers per file (for CSV the data row, the
        header not counted; for NDJSON the line). Its window carries every column of the
        scan through a sort by file: at 10M tickets it cost more than the rest of the model,
        hence Parquet's own number. file_column: kept for callers; export_rows partitions
        by `filename`.
-#}
{%- if export_row_number_column() == 'file_row_number' -%}
(file_row_number + 1)
{%- else -%}
ordinality
{%- endif -%}
{%- endmacro %}


{% macro export_row_number_column() %}
{#- The column export_rows adds to number each file's rows: Parquet's reader has one of its
    own (sources' `file_row_number = true`); the CSV/NDJSON readers get `with ordinality`. -#}
{{ return('file_row_number' if var('export_format') == 'parquet' else 'ordinality') }}
{%- endmacro %}
