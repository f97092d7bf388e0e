{% macro export_glob(source_name, table_name) %}
{#- Where a table's export files are: <exports_path>/<source>/<table>*.<ext>, the extension
    following var export_format (parquet, else the vendor's: ndjson for gorgias, csv). -#}
{%- if var('export_format') == 'parquet' -%}
    {%- set ext = 'parquet' -%}
{%- elif source_name == 'gorgias' -%}
    {%- set ext = 'ndjson' -%}
{%- else -%}
    {%- set ext = 'csv' -%}
{%- endif -%}
{{ return(var('exports_path') ~ '/' ~ source_name ~ '/' ~ table_name ~ '*.' ~ ext) }}
{% endmacro %}


{% macro export_file_row_count(source_name, table_name) %}
{#-
    Rows in a table's export files, counted WITHOUT the CSV/JSON readers staging uses, so
    stg_row_reconciliation can be checked against the files themselves:
      - NDJSON: non-blank lines;
      - CSV: non-blank lines once quoted fields (which may hold newlines) are removed,
        minus one header line per file;
      - Parquet: row counts from the files' footers.
-#}
{%- set glob = export_glob(source_name, table_name) -%}
{%- if var('export_format') == 'parquet' -%}
    (select coalesce(sum(num_rows), 0) from parquet_file_metadata('{{ glob }}'))
{%- elif source_name == 'gorgias' -%}
    (
        select coalesce(sum(len(list_filter(string_split(content, chr(10)), lambda line: trim(line) <> ''))), 0)
        from read_text('{{ glob }}')
    )
{%- else -%}
    (
        select coalesce(sum(len(list_filter(
            string_split(regexp_replace(content, '"([^"]|"")*"', '', 'g'), chr(10)),
            lambda line: trim(line) <> ''
        )) - 1), 0)
        from read_text('{{ glob }}')
    )
{%- endif -%}
{% endmacro %}


{% macro check_export_headers() %}
{#-
    Run-start check (dbt_project.yml on-run-start): every export table has at least one
    file, and every file's header (CSV/Parquet columns, NDJSON object keys) matches the
    columns declared in models/staging/<source>/_<source>__sources.yml. Stops the run
    with a message naming the file and the missing, unexpected or renamed columns.
    Only files not loaded yet are opened: once a table's base model exists (and the run is
    not --full-refresh), a file whose path is in its source_file column was checked by the
    run that loaded it, and incremental runs never read it again (export_files_to_load).
    A CSV file is read once for both its header and the truncation check.
    Set var check_export_headers: false to skip it (e.g. a run that reads no exports).
-#}
{%- if execute and var('check_export_headers', true) -%}
    {%- set problems = [] -%}
    {%- for export in staging_export_tables() -%}
        {%- set source_name, table_name, base_model = export[0], export[1], export[2] -%}
        {%- set glob = export_glob(source_name, table_name) -%}
        {%- set declared = source_columns(source_name, table_name) -%}
        {%- set loaded = none -%}
        {%- if not flags.FULL_REFRESH -%}
            {%- set nodes = graph.nodes.values() | selectattr('resource_type', 'equalto', 'model')
                | selectattr('name', 'equalto', base_model) | list -%}
            {%- if nodes -%}
                {%- set loaded = adapter.get_relation(
                    database=nodes[0].database, schema=nodes[0].schema, identifier=nodes[0].alias) -%}
            {%- endif -%}
        {%- endif -%}
        {%- set files_sql -%}
            select
                files.file,
                {% if loaded is not none -%}
                loaded_files.source_file is not null
                {%- else -%}
                false
                {%- endif %} as is_loaded
            from glob('{{ glob }}') as files
            {%- if loaded is not none %}
            left join (select distinct source_file from {{ loaded }}) as loaded_files
                on files.file = loaded_files.source_file
            {%- endif %}
            order by files.file
        {%- endset -%}
        {%- set files = run_query(files_sql).rows -%}
        {%- if files | length == 0 -%}
            {%- do problems.append(source_name ~ "/" ~ table_name ~ ": no export file matches " ~ glob) -%}
        {%- endif -%}
        {%- for file_row in files if not file_row[1] -%}
            {%- set file = file_row[0] -%}
            {%- set file_literal = "'" ~ file | replace("'", "''") ~ "'" -%}
            {%- set is_csv = var('export_format') != 'parquet' and source_name != 'gorgias' -%}
            {%- if var('export_format') == 'parquet' -%}
                {%- set header_sql = "select column_name from (describe select * from read_parquet(" ~ file_literal ~ "))" -%}
            {%- elif source_name == 'gorgias' -%}
                {%- set header_sql = "select distinct unnest(json_keys(json)) from read_ndjson_objects(" ~ file_literal ~ ")" -%}
            {%- else -%}
                {#- One read of the file as plain text for both checks:
                    - header: the first line split on commas, quotes and BOM stripped (as plain
                      text, so a header that disagrees with its data rows still yields a clear
                      message, not a CSV sniffer error; header names containing commas are not
                      supported), returned newline-separated (a header line holds no newline);
                    - an odd number of quote characters means a quoted field never closes: the
                      file was cut off mid-row (or carries a stray quote). Said here in plain
                      words, before the CSV reader fails with a sniffer error that does not say
                      why. Quotes are counted in bytes (strlen): '"' is one byte in UTF-8, and
                      the lines are only counted (for the message) when a file is broken. -#}
                {%- set header_sql -%}
                    select
                        array_to_string(list_transform(
                            string_split(trim(split_part(content, chr(10), 1), chr(13) || ' '), ','),
                            lambda name: trim(name, '"' || chr(65279) || ' ')
                        ), chr(10)) as header,
                        quote_count % 2 = 1 as has_open_quote,
                        case
                            when quote_count % 2 = 1 then len(string_split(rtrim(content, chr(10)), chr(10)))
                        end as line_count
                    from (
                        select
                            content,
                            strlen(content) - strlen(replace(content, '"', '')) as quote_count
                        from read_text({{ file_literal }})
                    )
                {%- endset -%}
            {%- endif -%}
            {%- set result = run_query(header_sql) -%}
            {%- if is_csv -%}
                {%- set actual = result.rows[0][0].split('\n') -%}
            {%- else -%}
                {%- set actual = result.columns[0].values() | list -%}
            {%- endif -%}
            {%- set missing = declared | reject('in', actual) | list -%}
            {%- set unexpected = actual | reject('in', declared) | list -%}
            {%- if missing or unexpected -%}
                {%- set message = file ~ " (" ~ source_name ~ "." ~ table_name ~ "):" -%}
                {%- if missing | length == 1 and unexpected | length == 1 -%}
                    {%- set message = message ~ " column '" ~ missing[0] ~ "' appears renamed to '"
                        ~ unexpected[0] ~ "'" -%}
                {%- else -%}
                    {%- if missing -%}{%- set message = message ~ " missing column(s) " ~ missing | join(', ') ~ ";" -%}{%- endif -%}
                    {%- if unexpected -%}{%- set message = message ~ " unexpected column(s) " ~ unexpected | join(', ') ~ ";" -%}{%- endif -%}
                {%- endif -%}
                {%- do problems.append(message) -%}
            {%- endif -%}
            {%- if is_csv and result.rows[0][1] -%}
                {%- do problems.append(file ~ " (" ~ source_name ~ "." ~ table_name ~ "): a quoted field is never "
                    ~ "closed: the file looks truncated (its last line, line " ~ result.rows[0][2] ~ ", is cut off) "
                    ~ "or holds a stray double quote") -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error(
            "Export files do not match the export contract (docs/export_contract.md, sources YAML):\n  - "
            ~ problems | join("\n  - ")
        ) }}
    {%- endif -%}
{%- endif -%}
select 1
{% endmacro %}
