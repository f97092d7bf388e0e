{% macro rejection_reason(checks) %}
{#-
    checks: list of [sql_condition, reason_text]. Returns every failed reason joined with
    '; ' (so a row shows all its problems at once), or null when the row is usable.
    concat_ws skips the nulls of the checks that pass.
-#}
nullif(
    concat_ws(
        '; '
        {%- for check in checks %},
        case when {{ check[0] }} then '{{ check[1] }}' end
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


{% macro export_line_number(ordinality_column='ordinality', file_column='filename') %}
{#-
    1-based record number inside its file. DuckDB's `with ordinality` numbers the rows of
    a scan in file order and each file's rows are contiguous, so subtracting the file's
    first number restarts the count per file. For CSV this is the data row (the header is
    not counted); for NDJSON it is the line.
-#}
({{ ordinality_column }} - min({{ ordinality_column }}) over (partition by {{ file_column }}) + 1)
{%- endmacro %}
