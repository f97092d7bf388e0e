{% macro duckdb__export_files_to_load(source_name, table_name) %}
{#-
    The export files of a table that the base model still has to read, as a sorted list
    of paths exactly as DuckDB's `filename` column spells them:
      - a full build (first run, --full-refresh): every file matching the table's glob;
      - an incremental run: only the files whose name is not yet in the base table's
        source_file column. A file already loaded is never reopened, so an edited or
        replaced old file needs --full-refresh (README, "Daily incremental builds").
    At parse time (no database) it returns an empty list.
-#}
{%- if not execute -%}
    {{ return([]) }}
{%- endif -%}
{%- set glob = export_glob(source_name, table_name) -%}
{%- set files_sql -%}
    select file from glob('{{ glob }}')
    {%- if is_incremental() %}
    where file not in (select distinct loaded.source_file from {{ this }} as loaded)
    {%- endif %}
    order by file
{%- endset -%}
{{ return(run_query(files_sql).columns[0].values() | list) }}
{% endmacro %}


{% macro duckdb__export_rows(source_relation, source_name, table_name) %}
{#-
    What a base model's `source` CTE reads, with the row-number column export_line_number
    needs (export_row_number_column): the source's own reader (sources YAML
    external_location) with its file glob swapped for the list of files to read
    (export_files_to_load: every file on a full build; on incremental runs only the files
    not loaded yet, so the files loaded before are never opened). Around that reader:
      - no file to read (an optional export the brand does not have, or nothing new since
        the last run): an empty relation with the declared columns, all text, so the model
        still builds (empty) and runs its rechecks; DuckDB's readers fail on a glob that
        matches nothing;
      - CSV, read as stg_export_files describes each file (export_file_facts when it has not
        described it: a run that did not select it): blank files (0 bytes) hold no rows and
        are not read; files are read in one reader call per encoding (read_csv decodes
        'utf-16' and 'latin-1' with its `encoding` option); a declared column no file of the
        call has is read as null; columns the contract does not declare are dropped (the
        run-start check listed them). A file with broken records (stg_export_files.broken_rows,
        quarantined by stg_rejected_rows) is read skipping them (ignore_errors), its rows
        numbered as in the file;
      - CSV and NDJSON: one reader call per file, `union all by name`, so `ordinality` is the
        record number in its file (export_line_number). One call for several files numbers
        them in one sequence, and restarting it per file took a window that carried every
        column of the scan through a sort by file (1M tickets: most of a base model's time).
-#}
{%- set described_relation = ref('stg_export_files') -%}
{%- set reader = source_relation | string -%}
{%- set row_number_column = export_row_number_column() -%}
{%- set numbering = ' with ordinality' if row_number_column == 'ordinality' else '' -%}
{#- A unit test's fixture stands in for the files: it is read as given. -#}
{%- if not execute or model.resource_type == 'unit_test' -%}
    {{ return(reader ~ numbering) }}
{%- endif -%}
{%- set glob_literal = "'" ~ export_glob(source_name, table_name) ~ "'" -%}
{%- if glob_literal not in reader -%}
    {{ exceptions.raise_compiler_error(
        "export_rows: the reader of source " ~ source_name ~ "." ~ table_name ~ " does not contain "
        ~ glob_literal ~ "; keep its external_location glob in step with export_glob()."
    ) }}
{%- endif -%}
{%- set declared = source_columns(source_name, table_name) -%}
{%- set files = export_files_to_load(source_name, table_name) -%}
{%- set reads = [] -%}
{%- set format = export_file_format(source_name) -%}
{%- if format == 'csv' and files | length > 0 -%}
    {%- set facts = [] -%}
    {%- set described_files = [] -%}
    {%- if load_relation(described_relation) is not none -%}
        {%- set file_list = "['" ~ files | map('replace', "'", "''") | join("', '") ~ "']" -%}
        {%- set described_sql -%}
            select
                source_file,
                encoding,
                is_blank,
                array_to_string(header_columns, chr(10)) as columns,
                array_to_string(list_transform(broken_rows, lambda broken: broken.source_line::varchar), ',')
                    as broken_lines
            from {{ described_relation }}
            where list_contains({{ file_list }}, source_file)
        {%- endset -%}
        {%- for row in run_query(described_sql).rows -%}
            {%- do described_files.append(row[0]) -%}
            {%- do facts.append({
                'file': row[0], 'encoding': row[1], 'is_blank': row[2],
                'columns': row[3].split('\n') if row[3] else [],
                'broken_lines': row[4].split(',') | map('int') | list if row[4] else [],
            }) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- do facts.extend(export_file_facts(source_name, table_name, files | reject('in', described_files) | list,
        reuse_checked=true)) -%}
    {%- for fact in facts | sort(attribute='file') if not fact['is_blank'] -%}
        {%- set problem = export_encoding_problem(fact) -%}
        {%- if problem -%}
            {{ exceptions.raise_compiler_error(fact['file'] ~ " (" ~ source_name ~ "." ~ table_name ~ "): " ~ problem) }}
        {%- endif -%}
        {%- set columns = [] -%}
        {%- for column in declared -%}
            {%- do columns.append('"' ~ column ~ '"' if column in fact['columns']
                else 'cast(null as varchar) as "' ~ column ~ '"') -%}
        {%- endfor -%}
        {%- if fact.get('broken_lines') -%}
            {#- Good row k of the file is record k + (broken records before it): the i-th
                broken record r_i has r_i - i good rows before it. -#}
            {%- set good_before = [] -%}
            {%- for line in fact['broken_lines'] | sort -%}
                {%- do good_before.append(line - loop.index) -%}
            {%- endfor -%}
            {%- do reads.append("select " ~ columns | join(", ") ~ ", filename, ordinality + len(list_filter(["
                ~ good_before | join(", ") ~ "], lambda before: before < ordinality)) as ordinality from "
                ~ export_csv_reader([fact['file']], fact['columns'], fact['encoding'], 'ignore_errors = true')
                ~ numbering) -%}
        {%- else -%}
            {%- set call = reader | replace(glob_literal, "['" ~ fact['file'] | replace("'", "''") ~ "']") -%}
            {%- if fact['encoding'] != 'utf-8' -%}
                {%- set call = call[:-1] ~ ", encoding = '" ~ fact['encoding'] ~ "')" -%}
            {%- endif -%}
            {%- do reads.append("select " ~ columns | join(", ") ~ ", filename, " ~ row_number_column
                ~ " from " ~ call ~ numbering) -%}
        {%- endif -%}
    {%- endfor -%}
{%- elif files | length > 0 and row_number_column == 'ordinality' -%}
    {%- for file in files -%}
        {%- do reads.append("select * from " ~ reader | replace(glob_literal, "['" ~ file | replace("'", "''") ~ "']")
            ~ numbering) -%}
    {%- endfor -%}
{%- elif files | length > 0 -%}
    {#- Parquet: one reader call (file_row_number restarts in each file). The declared columns
        the files have (names bound as DuckDB binds them, whatever their case), null for one no
        file has (an optional column), 'JSON' ones as JSON (parquet_json_column). -#}
    {%- set call = reader | replace(glob_literal, "['" ~ files | map('replace', "'", "''") | join("', '") ~ "']") -%}
    {%- set present = run_query("describe select * from " ~ call).columns[0].values() | map('lower') | list -%}
    {%- set json_columns = export_json_columns(source_name, table_name) -%}
    {%- set columns = [] -%}
    {%- for column in declared -%}
        {%- if column | lower not in present -%}
            {%- do columns.append('cast(null as varchar) as "' ~ column ~ '"') -%}
        {%- elif column in json_columns -%}
            {%- do columns.append(parquet_json_column('"' ~ column ~ '"') ~ ' as "' ~ column ~ '"') -%}
        {%- else -%}
            {%- do columns.append('"' ~ column ~ '"') -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return("(select " ~ columns | join(", ") ~ ", filename, " ~ row_number_column ~ " from " ~ call ~ ")") }}
{%- endif -%}
{%- if reads | length == 0 -%}
    {#- Nothing to read: no file is opened at all (a loaded file is never reread, even to bind
        its columns: one edited since would fail here), just the reader's columns, all text. -#}
    {%- set columns = [] -%}
    {%- for column in declared -%}
        {%- do columns.append('cast(null as varchar) as "' ~ column ~ '"') -%}
    {%- endfor -%}
    {{ return("(select " ~ columns | join(", ") ~ ", cast(null as varchar) as filename, "
        ~ "cast(null as bigint) as " ~ row_number_column ~ " where false)") }}
{%- endif -%}
{{ return("(" ~ reads | join(" union all by name ") ~ ")") }}
{% endmacro %}


{% macro duckdb__loaded_rows_to_recheck(new_rows, id_columns, exclude_columns=[], recheck_condition=none, payload_columns=[]) %}
{#-
    Incremental runs only (renders nothing otherwise): `union all by name` of the rows an
    earlier run loaded that must be computed again together with the new file's rows,
    because a new row can change their flags:
      - rows of an entity the new rows touch (same id_columns): is_superseded ranks an
        entity's copies across all files;
      - rows matching recheck_condition (e.g. rows rejected as "unknown ticket" whose
        ticket has arrived since).
    They keep their source_file and source_line, and the base models' merge (dbt_project.yml)
    updates only their flags (rejection_reason, is_superseded, loaded_at) in place.
    exclude_columns: the columns the model computes after the CTE named by new_rows (at
    least rejection_reason and is_superseded; loaded_at is always excluded: a rechecked row
    counts as loaded again by this run). payload_columns: wide columns no check reads
    (raw_record, message bodies), left null in the rechecked rows: the merge never writes
    them back, and reading them for rows spread over the whole table read all of it
    (122k messages rechecked on one 10M-ticket day: 10.2 s, against 4.5 s without).
-#}
{%- if is_incremental() %}
    {%- set touched_by_new_rows -%}
        exists (
            select 1
            from {{ new_rows }} as new_rows
            where
            {%- for id_column in id_columns %}
                {% if not loop.first %}and {% endif %}new_rows.{{ id_column }} = loaded.{{ id_column }}
            {%- endfor %}
        )
    {%- endset %}
    {#- The rows to recheck are found on narrow columns (ids, rejection_reason), then fetched
        by rowid: filtering the whole rows read every column of every row group they lie in
        (63M tracking events at 10M tickets: 7.5 s, against 2.3 s; 32M messages: 11.5 s,
        against 1.7 s). The recheck condition is a second rowid set, not an `or` (with `or`
        DuckDB read every column of every loaded row: 13 s, against 2 s); `union` drops the
        rows both find. #}
    union all by name
    select * exclude ({{ (exclude_columns + payload_columns + ['loaded_at']) | join(', ') }})
    from {{ this }}
    where rowid in (
        select loaded.rowid from {{ this }} as loaded where {{ touched_by_new_rows }}
        {%- if recheck_condition %}
        union
        select loaded.rowid from {{ this }} as loaded where {{ recheck_condition }}
        {%- endif %}
    )
{%- endif %}
{%- endmacro %}


{% macro unknown_ticket_recheck(tickets_cte='tickets') %}
{#- recheck_condition of the base models whose rows need a known ticket: loaded rows
    rejected as "unknown ticket" whose ticket has arrived since (a valid row of the base
    tickets CTE `tickets_cte`). -#}
    {{ return(
        "loaded.rejection_reason like '%unknown ticket%' and loaded.ticket_id in (select known.ticket_id from "
        ~ tickets_cte ~ " as known where known.rejection_reason is null)"
    ) }}
{%- endmacro %}


{% macro known_tickets(tickets_cte='tickets', rows_cte='candidates') %}
{#- Body of the known_tickets CTE of the base models whose rows need a ticket (messages,
    events, surveys, time entries): each valid ticket (a row of the base tickets CTE
    `tickets_cte` without rejection_reason) with its creation time. Incremental runs take
    only the tickets the run's rows (`rows_cte`) name, not every ticket (a 10M-row group by
    per model and day); a full build needs them all. With unknown_ticket_recheck, the one
    definition of an "unknown ticket". -#}
    select
        ticket_id,
        min(created_at) as ticket_created_at
    from {{ tickets_cte }}
    where
        rejection_reason is null
        {%- if is_incremental() %}
        and ticket_id in (select run_rows.ticket_id from {{ rows_cte }} as run_rows)
        {%- endif %}
    group by ticket_id
{%- endmacro %}


{% macro load_timestamp() %}
{#-
    When this run (re)wrote a base row: dbt's run start in UTC, one value per invocation.
    Base models stamp it as `loaded_at` on new and rechecked rows; the ticket rebuild set
    (int_ticket_rebuild_set) reads it to find what changed since the last build.
    int_ticket_cost_allocations stamps it as `allocated_at` on the months it re-splits.
-#}
cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
{%- endmacro %}
