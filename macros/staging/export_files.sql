{% macro export_glob(source_name, table_name) %}
{#- Where a table's export files are: <exports_path>/<source>/<table>*.<ext>, the extension
    following var export_format (parquet, else the vendor's: ndjson for the helpdesks, csv). -#}
{%- if var('export_format') == 'parquet' -%}
    {%- set ext = 'parquet' -%}
{%- elif source_name in ndjson_sources() -%}
    {%- set ext = 'ndjson' -%}
{%- else -%}
    {%- set ext = 'csv' -%}
{%- endif -%}
{{ return(var('exports_path') ~ '/' ~ source_name ~ '/' ~ table_name ~ '*.' ~ ext) }}
{% endmacro %}


{% macro ndjson_sources() %}
{#- The sources exported as NDJSON (the helpdesks' APIs); the others are CSV. -#}
{{ return(['gorgias', 'zendesk']) }}
{% endmacro %}


{% macro duckdb__export_file_row_count(source_name, table_name) %}
{#-
    Rows in a table's export files, counted WITHOUT the CSV/JSON readers staging uses, so
    stg_row_reconciliation can be checked against the files themselves:
      - NDJSON: non-blank lines;
      - CSV: non-blank lines once quoted fields (which may hold newlines) are removed,
        minus one header line per file (a 0-byte file has none). A quote opens a quoted field
        only at a field's start (elsewhere the reader keeps it as text), and one never closed
        runs to the end of the file (the reader's broken record). Counted on the file's bytes
        as blob text (a byte outside printable ASCII reads as \xNN: a quote is \x22, a
        newline \x0A), so the count is the same in any encoding (UTF-16's NUL bytes are
        dropped first);
      - Parquet: row counts from the files' footers.
    A table without files has 0 rows (the readers fail on a glob that matches nothing).
-#}
{%- set glob = export_glob(source_name, table_name) -%}
{%- if execute and run_query("select count(*) from glob('" ~ glob ~ "')").columns[0].values()[0] == 0 -%}
    0
{%- elif var('export_format') == 'parquet' -%}
    (select coalesce(sum(num_rows), 0) from parquet_file_metadata('{{ glob }}'))
{%- elif source_name in ndjson_sources() -%}
    (
        select coalesce(sum(len(list_filter(string_split(content, chr(10)), lambda line: trim(line) <> ''))), 0)
        from read_text('{{ glob }}')
    )
{%- else -%}
    (
        select coalesce(sum(greatest(len(list_filter(
            string_split(
                regexp_replace(
                    replace(replace(content::varchar, '\x00', ''), '\x22', '"'),
                    '(^|,|\\x0A)"([^"]|"")*("|$)', '\1', 'g'
                ),
                '\x0A'
            ),
            lambda line: trim(replace(line, '\x0D', '')) <> ''
        )) - 1, 0)), 0)
        from read_blob('{{ glob }}')
    )
{%- endif -%}
{% endmacro %}


{% macro export_file_format(source_name) %}
{#- csv, ndjson or parquet: how a source's export files are written (var export_format). -#}
{%- if var('export_format') == 'parquet' -%}
    {{ return('parquet') }}
{%- elif source_name in ndjson_sources() -%}
    {{ return('ndjson') }}
{%- else -%}
    {{ return('csv') }}
{%- endif -%}
{% endmacro %}


{% macro duckdb__read_export_file_facts(source_name, table_name, files) %}
{#-
    export_file_facts read by DuckDB (`files`: paths from glob()). encoding (text formats):
    'utf-8' (with or without BOM), 'utf-16' (little-endian with a BOM: DuckDB's read_csv
    decodes it), 'latin-1' (not valid UTF-8, no byte 0x80-0x9F: read_csv decodes it), or one
    the readers cannot decode, for which the run-start check stops with the conversion to do:
    'utf-16be', 'utf-16 without BOM', 'windows-1252'. The CSV header is taken from the raw
    bytes (blob text, where a byte outside printable ASCII reads as \xNN), so it is found
    whatever the encoding and even when the rows below it would stop the CSV sniffer; header
    names holding commas are not supported. One read of each file (its bytes) for all of it;
    NDJSON keys need a second, JSON read.
-#}
{%- set format = export_file_format(source_name) -%}
{%- set facts = {} -%}
{%- set file_list = "['" ~ files | map('replace', "'", "''") | join("', '") ~ "']" -%}
{%- if format == 'parquet' -%}
    {%- set facts_sql -%}
        select
            schema.file_name as file,
            any_value(metadata.file_size_bytes) as file_bytes,
            any_value(metadata.num_rows) = 0 as is_blank,
            'binary' as encoding,
            string_agg(schema.name, chr(10) order by schema.name) filter (where coalesce(schema.num_children, 0) = 0)
                as columns
        from parquet_schema({{ file_list }}) as schema
        inner join parquet_file_metadata({{ file_list }}) as metadata
            on schema.file_name = metadata.file_name
        group by schema.file_name
    {%- endset -%}
{%- else -%}
    {%- set facts_sql -%}
        with

        files as (
            select
                filename as file,
                size as file_bytes,
                content,
                content[1:65536]::varchar as head_text
            from read_blob({{ file_list }})
        ),

        classified as (
            select
                file,
                file_bytes,
                file_bytes <= 65536
                and trim(regexp_replace(head_text, '\\x(0A|0D|00|09|EF\\xBB\\xBF|FF\\xFE)', '', 'g')) = ''
                    as is_blank,
                case
                    when content[1:2] = '\xFF\xFE'::blob then 'utf-16'
                    when content[1:2] = '\xFE\xFF'::blob then 'utf-16be'
                    when contains(head_text, '\x00') then 'utf-16 without BOM'
                    when try(decode(content)) is not null then 'utf-8'
                    when regexp_matches(content::varchar, '\\x[89][0-9A-F]') then 'windows-1252'
                    else 'latin-1'
                end as encoding,
                list_filter(list_transform(
                    string_split(
                        regexp_replace(
                            split_part(head_text, '\x0A', 1),
                            '\\x(00|0D|EF\\xBB\\xBF|FF\\xFE)', '', 'g'
                        ),
                        ','
                    ),
                    lambda name: trim(replace(name, '\x22', '"'), '" ')
                ), lambda name: name <> '') as header
            from files
        )

        -- newline-separated: a header name holds no newline
        select file, file_bytes, is_blank, encoding, array_to_string(header, chr(10)) as columns
        from classified
    {%- endset -%}
{%- endif -%}
{%- for row in run_query(facts_sql).rows -%}
    {%- do facts.update({row['file']: {
        'file': row['file'], 'file_bytes': row['file_bytes'], 'is_blank': row['is_blank'], 'encoding': row['encoding'],
        'columns': row['columns'].split('\n') if row['columns'] else [], 'broken_rows': [],
    }}) -%}
{%- endfor -%}
{%- if format == 'ndjson' -%}
    {#- NDJSON keys: every object's, per file (a key may be on some objects only). Only
        UTF-8 files with data: the JSON reader cannot decode the others. -#}
    {%- set json_files = [] -%}
    {%- for file in facts if facts[file]['encoding'] == 'utf-8' and not facts[file]['is_blank'] -%}
        {%- do json_files.append(file) -%}
    {%- endfor -%}
    {%- for file in json_files -%}
        {#- sorted: the keys of many objects have no one order, and the fact must not change between builds -#}
        {%- set keys_sql = "select distinct unnest(json_keys(json)) as json_key from read_ndjson_objects('"
            ~ file | replace("'", "''") ~ "') order by json_key" -%}
        {%- do facts[file].update({'columns': run_query(keys_sql).columns[0].values() | list}) -%}
    {%- endfor -%}
{%- endif -%}
{{ return(facts.values() | list) }}
{% endmacro %}


{% macro duckdb__export_csv_broken_rows(fact) %}
{#- Found by a read that stores its rejects instead of failing (store_rejects) and that takes
    the columns from the header found by read_export_file_facts (auto_detect off: the sniffer
    fails on such a file): too few fields, too many, a quote never closed (a file cut off
    mid-row). A quote never closed makes the rest of the file one broken record, as the
    reader sees it and as export_file_row_count counts it. -#}
    {%- do run_query("drop table if exists export_csv_rejects") -%}
    {%- do run_query("drop table if exists export_csv_reject_scans") -%}
    {%- do run_query("select count(*) from " ~ export_csv_reader(
        [fact['file']], fact['columns'], fact['encoding'],
        "store_rejects = true, rejects_table = 'export_csv_rejects', rejects_scan = 'export_csv_reject_scans'")) -%}
    {%- set broken_sql -%}
        select line - 1 as record_number, string_agg(distinct error_type, ', ' order by error_type) as error, min(csv_line) as raw_line
        from export_csv_rejects
        group by line
        order by line
    {%- endset -%}
    {%- set broken_rows = [] -%}
    {%- for row in run_query(broken_sql).rows -%}
        {%- do broken_rows.append([row[0], row[1], row[2]]) -%}
    {%- endfor -%}
    {{ return(broken_rows) }}
{%- endmacro %}


{% macro export_csv_reader(files, columns, encoding, options) %}
{#- A read_csv call on files that all carry the header `columns`, every column as text,
    without the sniffer (it fails on a file with a broken row): the options of the sources'
    CSV readers (sources YAML external_location) plus `options`. No comment character: a
    line starting with `#` (an order number `#1002`) is data. -#}
{%- set file_list = "['" ~ files | map('replace', "'", "''") | join("', '") ~ "']" -%}
{%- set column_types = [] -%}
{%- for column in columns -%}
    {%- do column_types.append("'" ~ column | replace("'", "''") ~ "': 'VARCHAR'") -%}
{%- endfor -%}
read_csv({{ file_list }}, header = true, auto_detect = false, columns = { {{- column_types | join(', ') -}} },
    delim = ',', quote = '"', escape = '"', comment = '', filename = true
    {%- if encoding not in ['utf-8', 'binary'] %}, encoding = '{{ encoding }}'{% endif %}, {{ options }})
{%- endmacro %}


{% macro export_encoding_problem(fact) %}
{#- For a file whose encoding the readers cannot decode: what was found and the command that
    converts it to UTF-8; none when the file can be read. -#}
{%- set fixes = {
    'utf-16be': 'UTF-16 big-endian; convert it: iconv -f UTF-16BE -t UTF-8',
    'utf-16 without BOM': 'UTF-16 without a byte-order mark; convert it: iconv -f UTF-16LE -t UTF-8',
    'windows-1252': 'Windows-1252 (bytes 0x80-0x9F, e.g. curly quotes or the euro sign); convert it: '
        ~ 'iconv -f WINDOWS-1252 -t UTF-8',
} -%}
{%- if fact['encoding'] in fixes -%}
    {{ return('encoded as ' ~ fixes[fact['encoding']] ~ ' "' ~ fact['file'] ~ '" > fixed && mv fixed "'
        ~ fact['file'] ~ '"') }}
{%- endif -%}
{%- if fact['encoding'] not in ['utf-8', 'binary'] and export_file_format_from_path(fact['file']) == 'ndjson' -%}
    {{ return('encoded as ' ~ fact['encoding'] ~ ' (NDJSON must be UTF-8); convert it: iconv -f '
        ~ fact['encoding'] | upper ~ ' -t UTF-8 "' ~ fact['file'] ~ '" > fixed && mv fixed "' ~ fact['file'] ~ '"') }}
{%- endif -%}
{{ return(none) }}
{% endmacro %}


{% macro export_file_format_from_path(path) %}
{{ return('ndjson' if path.endswith('.ndjson') else ('parquet' if path.endswith('.parquet') else 'csv')) }}
{% endmacro %}


{% macro export_column_findings(source_name, table_name, fact) %}
{#- A file's columns against the contract: {'missing_required', 'missing_optional', 'unknown'}
    (lists). A blank file has no columns and misses none: it is a valid export of zero rows. -#}
{%- set declared = source_columns(source_name, table_name) -%}
{%- set required = required_export_columns(source_name, table_name) -%}
{%- if fact['is_blank'] -%}
    {{ return({'missing_required': [], 'missing_optional': [], 'unknown': []}) }}
{%- endif -%}
{%- set actual = fact['columns'] -%}
{%- set missing = declared | reject('in', actual) | list -%}
{{ return({
    'missing_required': missing | select('in', required) | list,
    'missing_optional': missing | reject('in', required) | list,
    'unknown': actual | reject('in', declared) | list,
}) }}
{% endmacro %}


{% macro check_export_headers() %}
{#-
    Run-start check (dbt_project.yml on-run-start), on the export files not loaded yet:
      - a required table (required_export_tables: the helpdesk's tickets and messages) has at
        least one file; an optional table without files is logged ("not provided") and its
        base model reads nothing;
      - every file carries its table's required columns (required_export_columns); a missing
        one stops the run, naming the file and the column (or the unknown column it looks
        renamed to);
      - every file is in an encoding the readers decode (export_file_facts), else the run
        stops saying which encoding was found and the iconv command that converts it.
    Columns the contract does not declare, and optional columns a file lacks, do not stop the
    run: they are listed once here, as plain log lines (exceptions.warn would be an error
    under --warn-error, and an unknown column is a vendor's addition, not a fault), and per
    file and column in stg_export_files and data_quality_summary.
    Only files not loaded yet are opened: once a table's base model exists (and the run is
    not --full-refresh), a file whose path is in its source_file column was checked by the
    run that loaded it, and incremental runs never read it again (export_files_to_load).
    Set var check_export_headers: false to skip it (e.g. a run that reads no exports).
-#}
{%- if execute and var('check_export_headers', true) -%}
    {%- set problems = [] -%}
    {%- set notes = [] -%}
    {%- set checked = [] -%}
    {%- for export in staging_export_tables() if engine_reads_exports_of(export[0]) -%}
        {%- set source_name, table_name, base_model = export[0], export[1], export[2] -%}
        {%- set glob = export_glob(source_name, table_name) -%}
        {%- set loaded = none -%}
        {%- if not flags.FULL_REFRESH -%}
            {%- set nodes = graph.nodes.values() | selectattr('resource_type', 'equalto', 'model')
                | selectattr('name', 'equalto', base_model) | list -%}
            {%- if nodes -%}
                {%- set loaded = adapter.get_relation(
                    database=nodes[0].database, schema=nodes[0].schema, identifier=nodes[0].alias) -%}
            {%- endif -%}
        {%- endif -%}
        {%- set files = export_files_and_load_state(glob, loaded) -%}
        {%- if files | length == 0 -%}
            {%- if (source_name ~ '.' ~ table_name) in required_export_tables() -%}
                {%- do problems.append(source_name ~ "/" ~ table_name ~ ": no export file matches " ~ glob
                    ~ " (the helpdesk's tickets and messages are required)") -%}
            {%- else -%}
                {%- do notes.append(source_name ~ "/" ~ table_name ~ ": export not provided (no file matches "
                    ~ glob ~ "); its marts are empty") -%}
            {%- endif -%}
        {%- endif -%}
        {%- set new_files = [] -%}
        {%- for file_row in files if not file_row[1] -%}
            {%- do new_files.append(file_row[0]) -%}
        {%- endfor -%}
        {%- for fact in export_file_facts(source_name, table_name, new_files) -%}
            {%- do checked.append(fact) -%}
            {%- set where = fact['file'] ~ " (" ~ source_name ~ "." ~ table_name ~ "):" -%}
            {%- set encoding_problem = export_encoding_problem(fact) -%}
            {%- if encoding_problem -%}
                {%- do problems.append(where ~ " " ~ encoding_problem) -%}
            {%- else -%}
                {%- set findings = export_column_findings(source_name, table_name, fact) -%}
                {%- set missing, unknown = findings['missing_required'], findings['unknown'] -%}
                {%- if missing | length == 1 and unknown | length == 1 -%}
                    {%- do problems.append(where ~ " column '" ~ missing[0] ~ "' appears renamed to '"
                        ~ unknown[0] ~ "'") -%}
                {%- elif missing -%}
                    {%- do problems.append(where ~ " missing required column(s) " ~ missing | join(', ')
                        ~ (("; unexpected column(s) " ~ unknown | join(', ')) if unknown else "")) -%}
                {%- else -%}
                    {%- if unknown -%}
                        {%- do notes.append(where ~ " unknown column(s) " ~ unknown | join(', ')
                            ~ " (not in the contract: read and ignored)") -%}
                    {%- endif -%}
                    {%- if findings['missing_optional'] -%}
                        {%- do notes.append(where ~ " optional column(s) " ~ findings['missing_optional'] | join(', ')
                            ~ " absent (read as null)") -%}
                    {%- endif -%}
                {%- endif -%}
                {%- if fact['encoding'] not in ['utf-8', 'binary'] -%}
                    {%- do notes.append(where ~ " encoded as " ~ fact['encoding'] ~ ": decoded") -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- do write_checked_export_facts(checked) -%}
    {%- if notes -%}
        {{ log("Export files: notes (see data_quality_summary):\n  - " ~ notes | join("\n  - "), info=True) }}
    {%- endif -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error(
            "Export files do not match the export contract (docs/export_contract.md, sources YAML):\n  - "
            ~ problems | join("\n  - ")
        ) }}
    {%- endif -%}
{%- elif execute -%}
    {#- no check this run: no facts of an earlier run's check may be taken for this one's -#}
    {%- do write_checked_export_facts([]) -%}
{%- endif -%}
select 1
{% endmacro %}


{% macro checked_export_facts_relation() %}
{#- In the target's own schema (`main`), beside no model, like warehouse_build_settings. -#}
    {{ return(warehouse_relation(target.schema, 'checked_export_facts')) }}
{%- endmacro %}


{% macro duckdb__replace_checked_export_facts(relation, rows) %}
    {%- do run_query(
        "create schema if not exists " ~ relation.without_identifier() ~ "; "
        ~ "create or replace table " ~ relation ~ " (file varchar, file_bytes bigint, is_blank boolean, "
        ~ "encoding varchar, columns varchar); "
        ~ ("insert into " ~ relation ~ " values " ~ rows | join(", ") if rows else "select 1")
    ) -%}
{%- endmacro %}


{% macro export_files_description() %}
{#- Body of stg_export_files' `described` CTE: the files of every export table not described
    yet (all of them on a full build), with their export_file_facts (broken CSV records
    included) and export_column_findings, as a values list; an empty typed relation when
    there is none. -#}
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
        {%- for fact in export_file_facts(source_name, table_name, files, find_broken_rows=true, reuse_checked=true) -%}
            {%- set findings = export_column_findings(source_name, table_name, fact) -%}
            {%- do rows.append([
                source_name, table_name, fact['file'], fact['encoding'], fact['is_blank'],
                findings['unknown'], findings['missing_optional'], fact['columns'], fact['broken_rows'],
            ]) -%}
        {%- endfor -%}
    {%- endfor -%}
{%- endif -%}
{%- if rows %}
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
                {{ sql_text_list(row[5]) }},
                {{ sql_text_list(row[6]) }},
                {{ sql_text_list(row[7]) }},
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
{%- else %}
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
{%- endif %}
{%- endmacro %}


{% macro sql_text_list(values) %}
{#- A list of texts as a DuckDB varchar[] literal. -#}
[{% for value in values %}'{{ value | replace("'", "''") }}'{{ ', ' if not loop.last }}{% endfor %}]::varchar []
{%- endmacro %}
