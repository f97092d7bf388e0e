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
    Set var check_export_headers: false to skip it (e.g. a run that reads no exports).
-#}
{%- if execute and var('check_export_headers', true) -%}
    {%- set problems = [] -%}
    {%- for export in staging_export_tables() -%}
        {%- set source_name, table_name = export[0], export[1] -%}
        {%- set glob = export_glob(source_name, table_name) -%}
        {%- set declared = source_columns(source_name, table_name) -%}
        {%- set files = run_query("select file from glob('" ~ glob ~ "') order by file").columns[0].values() -%}
        {%- if files | length == 0 -%}
            {%- do problems.append(source_name ~ "/" ~ table_name ~ ": no export file matches " ~ glob) -%}
        {%- endif -%}
        {%- for file in files -%}
            {%- if var('export_format') == 'parquet' -%}
                {%- set header_sql = "select column_name from (describe select * from read_parquet('" ~ file ~ "'))" -%}
            {%- elif source_name == 'gorgias' -%}
                {%- set header_sql = "select distinct unnest(json_keys(json)) from read_ndjson_objects('" ~ file ~ "')" -%}
            {%- else -%}
                {#- The first line split on commas, quotes and BOM stripped: read as plain text so a
                    header that disagrees with its data rows still yields a clear message, not a
                    CSV sniffer error. (Header names containing commas are not supported.) -#}
                {%- set header_sql = "select trim(unnest(string_split(trim(split_part(content, chr(10), 1), chr(13) || ' '), ',')), "
                    ~ "'\"' || chr(65279) || ' ') from read_text('" ~ file ~ "')" -%}
            {%- endif -%}
            {%- set actual = run_query(header_sql).columns[0].values() | list -%}
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
            {%- if var('export_format') != 'parquet' and source_name != 'gorgias' -%}
                {#- An odd number of quote characters means a quoted field never closes: the
                    file was cut off mid-row (or carries a stray quote). Said here in plain words,
                    before the CSV reader fails with a sniffer error that does not say why. -#}
                {%- set quotes_sql = "select (length(content) - length(replace(content, '\"', ''))) % 2 = 1, "
                    ~ "len(string_split(rtrim(content, chr(10)), chr(10))) from read_text('" ~ file ~ "')" -%}
                {%- set quotes = run_query(quotes_sql).rows[0] -%}
                {%- if quotes[0] -%}
                    {%- do problems.append(file ~ " (" ~ source_name ~ "." ~ table_name ~ "): a quoted field is never "
                        ~ "closed: the file looks truncated (its last line, line " ~ quotes[1] ~ ", is cut off) "
                        ~ "or holds a stray double quote") -%}
                {%- endif -%}
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
