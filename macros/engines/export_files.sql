{#-
    Reading the export files, per engine. DuckDB reads them with its table functions (glob,
    read_blob, read_csv, read_json: the duckdb__ macros in macros/staging/export_files.sql
    and macros/incremental/export_increments.sql, kept in place so their text stays one);
    Spark lists them with the binaryFile source and reads each CSV file through a temporary
    view of its CSV source, each NDJSON file through one of its text source (a line, parsed
    by from_json). Both spell a file's path the same way (<exports_path>/<source>/<name>,
    as DuckDB's glob() returns it), so source_file agrees row for row between the engines.
    Parquet exports (text columns, as the contract writes them) are read file by file by
    Spark's Parquet source (spark_parquet_file_rows). CSV files in UTF-8 or Latin-1. A record
    the CSV reader cannot split into the header's fields is quarantined as on DuckDB
    (spark_csv_view, spark__export_csv_broken_rows). docs/decisions/spark.md.
-#}

{% macro export_file_paths(glob) %}
{#- The files matching an export glob, sorted, spelled as DuckDB's glob() spells them. -#}
    {{ return(adapter.dispatch('export_file_paths', 'support_kpis')(glob)) }}
{%- endmacro %}


{% macro duckdb__export_file_paths(glob) %}
    {{ return(run_query("select file from glob('" ~ glob ~ "') order by file").columns[0].values() | list) }}
{%- endmacro %}


{% macro spark__export_file_paths(glob) %}
{#- Spark's file sources fail on a glob that matches nothing (an optional export a brand does
    not have): the glob is paired, as a {a,b} alternative, with a file that is always there
    (the project's dbt_project.yml), which is then left out. Only the path column is read:
    binaryFile opens no file for it. -#}
    {%- set folder = glob.split('/')[:-1] | join('/') -%}
    {%- set project_file = spark_project_dir() ~ '/dbt_project.yml' -%}
    {%- set listed = run_query(
        "select distinct regexp_extract(path, '[^/]*$', 0) as name from binaryFile.`"
        ~ spark_path_alternatives([glob, project_file]) ~ "` where path not rlike '/dbt_project[.]yml$' order by name"
    ).columns[0].values() | list -%}
    {%- set paths = [] -%}
    {%- for name in listed -%}
        {%- do paths.append(folder ~ '/' ~ name) -%}
    {%- endfor -%}
    {{ return(paths) }}
{%- endmacro %}


{% macro spark_project_dir() %}
{#- The project folder, absolute: --project-dir when given so, else asked of Spark (the
    folder dbt runs in, as scripts/dbt does). Relative export paths start there. -#}
    {%- if flags.PROJECT_DIR and (flags.PROJECT_DIR | string).startswith('/') -%}
        {{ return((flags.PROJECT_DIR | string).rstrip('/')) }}
    {%- endif -%}
    {{ return(run_query(
        "select regexp_replace(path, '^file:(//)?|/dbt_project[.]yml$', '') from binaryFile.`dbt_project.yml`"
    ).rows[0][0]) }}
{%- endmacro %}


{% macro spark_path_alternatives(paths) %}
{#- One Hadoop glob matching any of `paths` (globs or files): /{a,b,...} with every path made
    absolute. The braces come after the leading slash: a path starting with `{` is taken as
    relative to the working folder, alternatives and all. -#}
    {%- set absolute = [] -%}
    {%- for path in paths -%}
        {%- do absolute.append((path if path.startswith('/') else spark_project_dir() ~ '/' ~ path)[1:]) -%}
    {%- endfor -%}
    {{ return('/{' ~ absolute | join(',') ~ '}') }}
{%- endmacro %}


{% macro export_files_and_load_state(glob, loaded) %}
{#- check_export_headers: [file, is_loaded] for each file matching the glob, sorted; is_loaded
    when the base relation `loaded` (none on a full build) has rows from it. -#}
    {{ return(adapter.dispatch('export_files_and_load_state', 'support_kpis')(glob, loaded)) }}
{%- endmacro %}


{% macro duckdb__export_files_and_load_state(glob, loaded) %}
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
        {{ return(run_query(files_sql).rows) }}
{%- endmacro %}


{% macro spark__export_files_and_load_state(glob, loaded) %}
    {%- set loaded_files = [] -%}
    {%- if loaded is not none -%}
        {%- set loaded_files = run_query("select distinct source_file from " ~ loaded).columns[0].values() | list -%}
    {%- endif -%}
    {%- set rows = [] -%}
    {%- for file in export_file_paths(glob) -%}
        {%- do rows.append([file, file in loaded_files]) -%}
    {%- endfor -%}
    {{ return(rows) }}
{%- endmacro %}


{% macro export_file_facts(source_name, table_name, files, find_broken_rows=false, reuse_checked=false) %}
{#-
    What must be known about export files before reading them, one dict per file (in the
    order of `files`, as export_file_paths lists them): file, file_bytes, is_blank (no data at
    all: 0 bytes or only blank lines, a valid export of zero rows), encoding and columns (the
    header's names, CSV; the objects' top-level keys, NDJSON; the schema, Parquet), read by
    each engine by the same rules (read_export_file_facts), and broken_rows.
    reuse_checked: take the facts this run's start check found (checked_export_facts) for
    the files it opened, instead of reading them again (a full build read every file twice
    before its base model read it).
    find_broken_rows (CSV): also `broken_rows`, the records the CSV reader cannot split into
    the header's fields (export_csv_broken_rows), looked for even in reused facts.
-#}
{%- if files | length == 0 -%}{{ return([]) }}{%- endif -%}
{%- set facts = {} -%}
{%- if reuse_checked -%}
    {%- for fact in checked_export_facts(files) -%}
        {%- do facts.update({fact['file']: fact}) -%}
    {%- endfor -%}
{%- endif -%}
{%- set files_to_read = files | reject('in', facts.keys() | list) | list -%}
{%- for fact in (read_export_file_facts(source_name, table_name, files_to_read) if files_to_read else []) -%}
    {%- do facts.update({fact['file']: fact}) -%}
{%- endfor -%}
{%- if export_file_format(source_name) == 'csv' and find_broken_rows -%}
    {%- for file in files if file in facts and not facts[file]['is_blank'] and facts[file]['columns']
        and export_encoding_problem(facts[file]) is none -%}
        {%- do facts[file].update({'broken_rows': export_csv_broken_rows(facts[file])}) -%}
    {%- endfor -%}
{%- endif -%}
{%- set ordered = [] -%}
{%- for file in files if file in facts -%}
    {%- do ordered.append(facts[file]) -%}
{%- endfor -%}
{{ return(ordered) }}
{%- endmacro %}


{% macro read_export_file_facts(source_name, table_name, files) %}
{#- export_file_facts read from the files themselves, without broken rows: a dict per file
    found, in any order. -#}
    {{ return(adapter.dispatch('read_export_file_facts', 'support_kpis')(source_name, table_name, files)) }}
{%- endmacro %}


{% macro export_csv_broken_rows(fact) %}
{#- The records of one CSV file (a fact with its header) the CSV reader cannot split into the
    header's fields: [record number (header not counted), error, the record's text]. -#}
    {{ return(adapter.dispatch('export_csv_broken_rows', 'support_kpis')(fact)) }}
{%- endmacro %}


{% macro spark__read_export_file_facts(source_name, table_name, files) %}
{#- DuckDB's facts, by the same rules: is_blank, encoding (a BOM, a NUL byte, valid UTF-8,
    bytes 0x80-0x9F for Windows-1252, else Latin-1) and the columns: the CSV header's names
    from the first line; NDJSON, every object's top-level keys, sorted (UTF-8 files with data
    only, as on DuckDB). A 0-byte file has no split: Spark gives no facts of it. -#}
{%- set format = export_file_format(source_name) -%}
{%- if format == 'parquet' -%}
    {{ return(spark_parquet_file_facts(source_name, table_name, files)) }}
{%- endif -%}
{#- The checks below name a file by its base name. export_file_paths lists one folder, so a
    name is one file; a list from elsewhere with a name twice stops here, not in wrong facts. -#}
{%- set by_name = {} -%}
{%- for file in files -%}
    {%- if file.split('/')[-1] in by_name -%}
        {{ exceptions.raise_compiler_error("export files " ~ by_name[file.split('/')[-1]] ~ " and " ~ file
            ~ " share a name: the Spark file checks tell files apart by name (one folder per export)") }}
    {%- endif -%}
    {%- do by_name.update({file.split('/')[-1]: file}) -%}
{%- endfor -%}
{#- Every check reads the files line by line (the text source: a large file is split among
    tasks, and no file is ever one value in memory; the first version read each file's bytes
    whole, which a 1M-ticket messages export, 1 GB, could not fit in a 14 GB heap). A line is
    a run of bytes up to a newline byte, so each check means what it meant on the whole file:
    valid UTF-8, bytes 0x80-0x9F, blank, every object's keys. The head's checks (a BOM, the
    CSV header) read the file's first line; a NUL byte (UTF-16 without a BOM) is looked for in
    the file's first split, where DuckDB looks in its first 64 kB. -#}
{%- set facts_sql -%}
    with

    files as (
        -- path and length only: binaryFile opens no file
        select regexp_extract(path, '[^/]*$', 0) as name, length as file_bytes
        from binaryFile.`{{ spark_path_alternatives(files) }}`
    ),

    lines as (
        select
            -- the text source spells the name as a URI (a space is %20)
            reflect('java.net.URLDecoder', 'decode', replace(_metadata.file_name, '+', '%2B'), 'UTF-8') as name,
            _metadata.file_block_start as split_start,
            value as line,
            cast(value as binary) as line_bytes,
            monotonically_increasing_id() as line_in_task
        from text.`{{ spark_path_alternatives(files) }}`
    ),

    line_checks as (
        select
            name,
            min_by(line_bytes, struct(split_start, line_in_task)) as first_line,
            bool_or(split_start = 0 and instr(decode(line_bytes, 'ISO-8859-1'), chr(0)) > 0) as has_nul_at_start,
            bool_and(is_valid_utf8(line)) as is_valid_utf8,
            bool_or(decode(line_bytes, 'ISO-8859-1') rlike '[\\x{80}-\\x{9F}]') as has_c1_bytes,
            bool_and(trim(regexp_replace(
                decode(line_bytes, 'ISO-8859-1'), '[\\r\\t\\x{0}]|^\\x{EF}\\x{BB}\\x{BF}|^\\x{FF}\\x{FE}', ''
            )) = '') as has_blank_lines_only
            {%- if format == 'ndjson' %},
            array_join(array_sort(array_distinct(flatten(collect_set(case when trim(line) <> '' then coalesce(
                json_object_keys(regexp_replace(line, '^\\x{FEFF}', '')), array()
            ) end)))), chr(10)) as object_keys
            {%- endif %}
        from lines
        group by name
    ),

    classified as (
        select
            files.name,
            files.file_bytes,
            line_checks.first_line,
            {%- if format == 'ndjson' %}
            line_checks.object_keys,
            {%- endif %}
            files.file_bytes <= 65536 and coalesce(line_checks.has_blank_lines_only, true) as is_blank,
            case
                when hex(substring(line_checks.first_line, 1, 2)) = 'FFFE' then 'utf-16'
                when hex(substring(line_checks.first_line, 1, 2)) = 'FEFF' then 'utf-16be'
                when line_checks.has_nul_at_start then 'utf-16 without BOM'
                when coalesce(line_checks.is_valid_utf8, true) then 'utf-8'
                when line_checks.has_c1_bytes then 'windows-1252'
                else 'latin-1'
            end as encoding
        from files
        left join line_checks on files.name = line_checks.name
    )

    select
        name,
        file_bytes,
        is_blank,
        encoding,
        {% if format == 'ndjson' -%}
        case when encoding = 'utf-8' and not is_blank then object_keys end as columns
        {%- else -%}
        array_join(filter(transform(
            split(regexp_replace(
                decode(first_line, case encoding when 'utf-16' then 'UTF-16' when 'utf-8' then 'UTF-8' else 'ISO-8859-1' end),
                '[\\r\\x{0}\\x{FEFF}]', ''
            ), ','),
            header_name -> trim(BOTH '" ' FROM header_name)
        ), header_name -> header_name <> ''), chr(10)) as columns
        {%- endif %}
    from classified
{%- endset -%}
{%- set facts = [] -%}
{%- for row in run_query(facts_sql).rows -%}
    {%- do facts.append({
        'file': by_name[row['name']], 'file_bytes': row['file_bytes'], 'is_blank': row['is_blank'],
        'encoding': row['encoding'], 'columns': row['columns'].split('\n') if row['columns'] else [], 'broken_rows': [],
    }) -%}
{%- endfor -%}
{{ return(facts) }}
{%- endmacro %}


{% macro export_files_to_load(source_name, table_name) %}
{#- The files a base model still has to read: see duckdb__export_files_to_load. -#}
    {{ return(adapter.dispatch('export_files_to_load', 'support_kpis')(source_name, table_name)) }}
{%- endmacro %}


{% macro spark__export_files_to_load(source_name, table_name) %}
{#- As DuckDB's: every file on a full build, the files not loaded yet on an incremental run. -#}
{%- if not execute -%}
    {{ return([]) }}
{%- endif -%}
{%- set files = export_file_paths(export_glob(source_name, table_name)) -%}
{%- if is_incremental() -%}
    {%- set loaded = run_query("select distinct source_file from " ~ this).columns[0].values() | list -%}
    {%- set files = files | reject('in', loaded) | list -%}
{%- endif -%}
{{ return(files) }}
{%- endmacro %}


{% macro export_rows(source_relation, source_name, table_name) %}
{#- What a base model's `source` CTE reads: see duckdb__export_rows. -#}
    {{ return(adapter.dispatch('export_rows', 'support_kpis')(source_relation, source_name, table_name)) }}
{%- endmacro %}


{% macro spark__export_rows(source_relation, source_name, table_name) %}
{#-
    The rows of the files to load, as DuckDB's reader gives them: every declared column as
    text (a column a file lacks is null; undeclared ones are dropped), `filename` spelled as
    DuckDB's glob() does, and `ordinality`, the 1-based record number in its file. Each file
    is its own temporary view of Spark's CSV source (header, RFC 4180 quotes, quoted
    newlines; no comment character, every column a string): one view per file because Spark
    maps a CSV's columns by position from the first file's header, where DuckDB matches them
    by name (union_by_name). multiLine reads each file whole in one task, in order, so
    monotonically_increasing_id() follows the file's record order. NDJSON: spark_ndjson_file_rows.
-#}
{%- if not execute or model.resource_type == 'unit_test' -%}
    {{ return(source_relation | string) }}
{%- endif -%}
{%- set declared = source_columns(source_name, table_name) -%}
{%- set files = export_files_to_load(source_name, table_name) -%}
{%- set format = export_file_format(source_name) -%}
{%- set reads = [] -%}
{%- for fact in export_file_facts(source_name, table_name, files, reuse_checked=true) if not fact['is_blank'] -%}
    {%- set problem = export_encoding_problem(fact) -%}
    {%- if problem -%}
        {{ exceptions.raise_compiler_error(fact['file'] ~ " (" ~ source_name ~ "." ~ table_name ~ "): " ~ problem) }}
    {%- endif -%}
    {%- if format == 'ndjson' -%}
        {%- do reads.append(spark_ndjson_file_rows(source_name, table_name, fact['file'])) -%}
        {%- continue -%}
    {%- endif -%}
    {%- if format == 'parquet' -%}
        {%- do reads.append(spark_parquet_file_rows(source_name, table_name, fact)) -%}
        {%- continue -%}
    {%- endif -%}
    {%- set view = 'export__' ~ source_name ~ '__' ~ table_name ~ '__' ~ loop.index -%}
    {#- CSV: the file's own header as an all-string schema, PERMISSIVE (spark_csv_view), so a
        record the reader cannot split is kept aside in a corrupt-record column instead of
        stopping the run: it is numbered with the others (rows keep their record number in
        the file, as on DuckDB) and left out here; stg_export_files lists it as a broken row. -#}
    {%- do run_query(spark_csv_view(view, fact)) -%}
    {%- set present = fact['columns'] -%}
    {%- set columns = [] -%}
    {%- for column in declared -%}
        {%- do columns.append(adapter.quote(column) if column in present
            else 'cast(null as string) as ' ~ adapter.quote(column)) -%}
    {%- endfor -%}
    {%- do reads.append("select " ~ columns | join(", ") ~ ", '" ~ fact['file'] | replace("'", "\\'")
        ~ "' as filename, ordinality from (select *, cast(row_number() over (order by monotonically_increasing_id()) "
        ~ "as bigint) as ordinality from " ~ view ~ ") as records where "
        ~ spark_corrupt_record_column() ~ " is null") -%}
{%- endfor -%}
{%- if reads | length == 0 -%}
    {%- set columns = [] -%}
    {%- for column in declared -%}
        {%- do columns.append('cast(null as string) as ' ~ adapter.quote(column)) -%}
    {%- endfor -%}
    {{ return("(select " ~ columns | join(", ") ~ ", cast(null as string) as filename, "
        ~ "cast(null as bigint) as " ~ export_row_number_column() ~ " where false)") }}
{%- endif -%}
{{ return("(" ~ reads | join(" union all ") ~ ")") }}
{%- endmacro %}


{% macro spark_ndjson_file_rows(source_name, table_name, file) %}
{#-
    One NDJSON file's rows as DuckDB's read_json (sources YAML external_location) gives them:
      - each line is parsed by from_json with every declared column as a string: a JSON
        string gives its value, anything else its JSON text written compact, in the file's
        key order; a column the object lacks (or null) is null. A column declared 'JSON'
        holding a JSON string keeps its quotes on DuckDB ('"x"'): its type is taken from a
        variant parse of the line;
      - a number with a fraction or an exponent is a double on both engines, written back by
        each engine's rules: Java's (1.0E-5, 1.234567895E8) are not DuckDB's (1e-05,
        123456789.5), so a text column's value is rewritten in DuckDB's (spark_json_double_text).
        Inside a 'JSON' column, such a number stops the run instead: the models read JSON
        members with Spark's functions (get_json_object, from_json), which write Java's form
        again, where DuckDB's `->>` and casts write theirs. A number both write alike (1.5,
        0.0025, 1000.0) passes, as before;
      - blank lines (JSON whitespace only) are not rows, and `ordinality` counts the rows, not the
        lines: DuckDB's `with ordinality` numbers the objects it reads (a blank line in the
        middle of a file does not shift it on either engine);
      - a line that is not a JSON object stops the run, as DuckDB's reader stops (Malformed
        JSON), naming the file and the row; so does a number with an exponent of three digits
        or a run of 300 digits (beyond a double, or subnormal: Java gives Infinity or other
        digits where DuckDB keeps the text), which no helpdesk exports.
    Rows are numbered per split, so a large file is read by many tasks and never gathered
    into one: the text source gives each line to exactly one split (a line crossing a split's
    end belongs to the split it starts in), and reads a split's lines in order, so a row's
    number is the rows of the earlier splits (by _metadata.file_block_start) plus its place in
    its own split (by monotonically_increasing_id(), which rises within a task).
-#}
{%- set declared = source_columns(source_name, table_name) -%}
{%- set json_columns = export_json_columns(source_name, table_name) -%}
{%- set string_schema = [] -%}
{%- for column in declared -%}
    {%- do string_schema.append(adapter.quote(column) ~ ' string') -%}
{%- endfor -%}
{%- set variant_schema = [] -%}
{%- for column in json_columns -%}
    {%- do variant_schema.append(adapter.quote(column) ~ ' variant') -%}
{%- endfor -%}
{%- set where = source_name ~ "." ~ table_name ~ ": " ~ file | replace("'", "\\'") -%}
{%- set columns = [] -%}
{%- for column in declared -%}
    {%- set value = "json_fields." ~ adapter.quote(column) -%}
    {%- if column in json_columns -%}
        {#- JSON text: its doubles must be written alike by Java and DuckDB (see above) -#}
        {%- do columns.append("case when schema_of_variant(json_variants." ~ adapter.quote(column)
            ~ ") = 'STRING' then to_json(json_variants." ~ adapter.quote(column) ~ ") when "
            ~ spark_json_doubles_as_duckdb(value) ~ " <> " ~ value ~ " then raise_error(concat('" ~ where
            ~ ": row ', ordinality, ' holds in " ~ column ~ " a number Java writes otherwise than DuckDB (1.0E-5 for "
            ~ "0.00001): reading it from JSON on Spark is not supported yet; build on DuckDB')) else " ~ value
            ~ " end as " ~ adapter.quote(column)) -%}
    {%- else -%}
        {#- a text like a Java double is a JSON number unless the line holds it as a string -#}
        {%- do columns.append("case when " ~ value ~ " rlike '^-?[0-9]+\\\\.[0-9]+(E-?[0-9]+)?$' and schema_of_variant("
            ~ "from_json(json_line, '" ~ adapter.quote(column) ~ " variant')." ~ adapter.quote(column)
            ~ ") <> 'STRING' then " ~ spark_json_double_text(value, 'text') ~ " else " ~ value ~ " end as "
            ~ adapter.quote(column)) -%}
    {%- endif -%}
{%- endfor -%}
{#- the file's rows, each with its split and its order in its task. The rows are read twice,
    once here and once for the per-split counts (an aggregate, no JSON parsed): numbering them
    by one window over the whole file would gather it into a single task. -#}
{%- set lines -%}
(
    select json_line, split_start, monotonically_increasing_id() as line_in_task
    from {{ spark_ndjson_lines([file]) }}
)
{%- endset -%}
{%- set rows_sql -%}
select
    {{ columns | join(',\n    ') }},
    '{{ file | replace("'", "\\'") }}' as filename,
    ordinality
from (
    select
        from_json(json_line, '{{ string_schema | join(", ") }}') as json_fields,
        {% if variant_schema -%}
        from_json(json_line, '{{ variant_schema | join(", ") }}') as json_variants,
        {% endif -%}
        json_line,
        ordinality
    from (
        select
            lines.json_line,
            splits.rows_before + row_number() over (
                partition by lines.split_start order by lines.line_in_task
            ) as ordinality
        from {{ lines }} as lines
        inner join (
            select
                split_start,
                coalesce(sum(count(*)) over (
                    order by split_start rows between unbounded preceding and 1 preceding
                ), 0) as rows_before
            from {{ lines }}
            group by split_start
        ) as splits on lines.split_start = splits.split_start
    )
)
where
    case
        when json_object_keys(json_line) is null
            then raise_error(concat('{{ where }}: row ', ordinality, ' is not a JSON object (malformed JSON)'))
        -- strings taken out first: only numbers count
        when json_line rlike '[0-9][eE][+-]?[0-9]{3}|[0-9]{300}'
            and regexp_replace(json_line, '"[^"\\\\]*+(?:\\\\.[^"\\\\]*+)*+"', '')
            rlike '[0-9][eE][+-]?[0-9]{3}|[0-9]{300}'
            then raise_error(concat('{{ where }}: row ', ordinality, ' holds a number with an exponent of three digits '
                || 'or 300 digits, which Spark does not read as DuckDB does (not supported on Spark; build on DuckDB)'))
        else true
    end
{%- endset -%}
{{ return(rows_sql) }}
{%- endmacro %}


{% macro spark_ndjson_lines(files) %}
{#- The NDJSON rows of `files`, line by line: json_line (a leading BOM dropped) and
    split_start, the split the text source read it in. A blank line (JSON whitespace only) is
    not a row. The one place that says so: the row count and the rows read it alike. -#}
(
    select json_line, split_start
    from (
        select regexp_replace(value, '^\\x{FEFF}', '') as json_line, _metadata.file_block_start as split_start
        from text.`{{ spark_path_alternatives(files) }}`
    )
    where not json_line rlike '^[ \\t\\r]*$'
)
{%- endmacro %}


{% macro spark_json_doubles_as_duckdb(json_text) %}
{#- JSON text as Spark's from_json writes it (doubles in Java's form, strings escaped as
    DuckDB escapes them), its doubles rewritten as DuckDB's JSON writes them: the text split
    into strings, numbers and the rest, each number with a fraction or exponent rewritten.
    Only text with a digit, a point and a digit is split (a number inside a string is kept).
    spark_ndjson_file_rows compares it with Java's text to find the doubles written otherwise. -#}
case when {{ json_text }} rlike '[0-9]\\.[0-9]' then array_join(transform(
    regexp_extract_all(
        {{ json_text }}, '"[^"\\\\]*+(?:\\\\.[^"\\\\]*+)*+"|-?[0-9]+(?:\\.[0-9]+)?(?:E-?[0-9]+)?|[^"0-9-]++|.', 0
    ),
    json_token -> case
        when json_token rlike '^-?[0-9]+\\.[0-9]+(E-?[0-9]+)?$' then {{ spark_json_double_text('json_token', 'json') }}
        else json_token
    end
), '') else {{ json_text }} end
{%- endmacro %}


{% macro spark_json_double_text(java_text, style) %}
{#- A double written by Java (1.0E-5, 0.001, 1.2345E8) as DuckDB writes it. The digits are
    the shortest that read back as the same double (Schubfach, as DuckDB's writers), taken from
    jackson-core's DoubleToDecimal: Java 17's Double.toString sometimes gives one digit more
    (1e23 as 9.999999999999999E22). The layout, by the decimal exponent e (d.ddd x 10^e):
      - style 'json' (DuckDB's JSON writer, yyjson): plain for -6 <= e <= 20 (0.000001,
        100000000000000000000.0), else 1e21, 1.5e-7;
      - style 'text' (a JSON number read into a VARCHAR column): plain for -4 <= e <= 15
        (0.0001, 1000000000000000.0), else 1e-05, 1.5e+16 (sign and two digits at least).
    A whole number in plain form ends in `.0`, as on DuckDB. -#}
{%- set lowest, highest = (-5, 21) if style == 'json' else (-3, 16) -%}
transform(array(reflect(
    'com.fasterxml.jackson.core.io.schubfach.DoubleToDecimal', 'toString', cast({{ java_text }} as double)
)), shortest -> transform(array(named_struct(
    'negative', shortest like '-%',
    'whole', regexp_extract(shortest, '^-?([0-9]+)', 1),
    'fraction', regexp_extract(shortest, '\\.([0-9]+)', 1),
    'exponent', coalesce(cast(nullif(regexp_extract(shortest, 'E(-?[0-9]+)$', 1), '') as int), 0)
)), parts -> transform(array(named_struct(
    'negative', parts.negative,
    -- significant digits, and how many of them stand before the decimal point
    'digits', regexp_replace(regexp_replace(concat(parts.whole, parts.fraction), '^0+', ''), '0+$', ''),
    'point', length(parts.whole) + parts.exponent - (
        length(concat(parts.whole, parts.fraction))
        - length(regexp_replace(concat(parts.whole, parts.fraction), '^0+', ''))
    )
)), number -> concat(if(number.negative, '-', ''), case
    when number.digits = '' then '0.0'
    when number.point between {{ lowest }} and {{ highest }} then case
        when number.point <= 0 then concat('0.', repeat('0', -number.point), number.digits)
        when number.point >= length(number.digits)
            then concat(number.digits, repeat('0', number.point - length(number.digits)), '.0')
        else concat(substr(number.digits, 1, number.point), '.', substr(number.digits, number.point + 1))
    end
    else concat(
        substr(number.digits, 1, 1),
        if(length(number.digits) > 1, concat('.', substr(number.digits, 2)), ''),
        {%- if style == 'json' %}
        'e', cast(number.point - 1 as string)
        {%- else %}
        'e', if(number.point - 1 < 0, '-', '+'),
        if(abs(number.point - 1) < 10, '0', ''), cast(abs(number.point - 1) as string)
        {%- endif %}
    )
end))[0])[0])[0]
{%- endmacro %}


{% macro export_json_columns(source_name, table_name) %}
{#- The columns a source declares `data_type: json` (sources YAML): their value is JSON text, a
    JSON string in quotes, whatever the export format. NDJSON's reader (external_location)
    must type the same columns 'JSON' in its column struct: checked here, so the two never drift. -#}
{%- set json_columns = [] -%}
{#- graph is empty while dbt parses -#}
{%- if not execute -%}{{ return(json_columns) }}{%- endif -%}
{%- for node in graph.sources.values() if node.source_name == source_name and node.name == table_name -%}
    {%- for column in node.columns.values() if (column.data_type or '') | lower == 'json' -%}
        {%- do json_columns.append(column.name) -%}
    {%- endfor -%}
    {%- set reader = node.meta.get('external_location', '') -%}
    {%- if 'columns = {' in reader -%}
        {%- set typed_json = [] -%}
        {%- for entry in reader.split('columns = {')[1].split('}')[0].split(',') -%}
            {%- set name_and_type = entry.split(':') -%}
            {%- if name_and_type | length == 2 and name_and_type[1].strip() == "'JSON'" -%}
                {%- do typed_json.append(name_and_type[0].strip()) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if typed_json | sort != json_columns | sort -%}
            {{ exceptions.raise_compiler_error("source " ~ source_name ~ "." ~ table_name ~ ": the columns typed 'JSON' in "
                ~ "its reader (" ~ typed_json | sort | join(", ") ~ ") are not those declared data_type: json ("
                ~ json_columns | sort | join(", ") ~ ")") }}
        {%- endif -%}
    {%- endif -%}
{%- endfor -%}
{{ return(json_columns) }}
{%- endmacro %}


{% macro parquet_json_column(column_expression) %}
{#- A 'JSON' column of a Parquet export, which stores it as text: JSON text as it is; any other
    text is the JSON string it was flattened from (an NDJSON "events": "not a list" is written
    `not a list`), so the models see what the NDJSON export gives and quarantine alike. -#}
    {{ return(adapter.dispatch('parquet_json_column', 'support_kpis')(column_expression)) }}
{%- endmacro %}


{% macro duckdb__parquet_json_column(column_expression) %}
case when json_valid({{ column_expression }}) then {{ column_expression }}::json else to_json({{ column_expression }}) end
{%- endmacro %}


{% macro spark__parquet_json_column(column_expression) %}
case
    when {{ column_expression }} is null then null
    when try_parse_json({{ column_expression }}) is not null then {{ column_expression }}
    else regexp_extract(to_json(named_struct('v', {{ column_expression }})), '^[{]"v":(.*)[}]$', 1)
end
{%- endmacro %}


{% macro engine_reads_exports_of(source_name) %}
{#- Whether this engine reads the source's export format yet; the run-start header check
    skips the others (their base models stop with their own message when selected). -#}
    {{ return(adapter.dispatch('engine_reads_exports_of', 'support_kpis')(source_name)) }}
{%- endmacro %}


{% macro default__engine_reads_exports_of(source_name) %}
    {{ return(true) }}
{%- endmacro %}


{% macro spark__engine_reads_exports_of(source_name) %}
    {{ return(export_file_format(source_name) in ['csv', 'ndjson', 'parquet']) }}
{%- endmacro %}


{% macro export_file_row_count(source_name, table_name) %}
{#- Rows in a table's export files, counted without the readers: see duckdb__export_file_row_count. -#}
    {{ return(adapter.dispatch('export_file_row_count', 'support_kpis')(source_name, table_name)) }}
{%- endmacro %}


{% macro spark__export_file_row_count(source_name, table_name) %}
{#- DuckDB's CSV count on the files' bytes (Latin-1 text: one character per byte, so the
    quotes, commas and newlines are found in any ASCII-compatible encoding; NUL bytes of
    UTF-16 dropped first): non-blank lines once quoted fields are removed, minus one header
    line per file. The quoted-field pattern is unrolled ("[^"]*(""[^"]*)*") so Java's regex
    engine does not recurse once per character of a long field. NDJSON: non-blank lines.
    Parquet: the files' row counts, as DuckDB's parquet_file_metadata gives them. -#}
{%- if not execute -%}
    {{ return('0') }}
{%- endif -%}
{%- set format = export_file_format(source_name) -%}
{%- set files = export_file_paths(export_glob(source_name, table_name)) -%}
{%- if files | length == 0 -%}
    0
{%- elif format == 'parquet' -%}
    {#- the row count of each file's footer (a count(*) reads no column) -#}
    (select count(*) from parquet.`{{ spark_path_alternatives(files) }}`)
{%- elif format == 'ndjson' -%}
    {#- line by line (a file is never one value in memory) -#}
    (select count(*) from {{ spark_ndjson_lines(files) }})
{%- else -%}
    (
        select coalesce(sum(greatest(size(filter(
            split(
                regexp_replace(
                    replace(decode(content, 'ISO-8859-1'), chr(0), ''),
                    '(^|,|\\n)"[^"]*(?:""[^"]*)*+("|$)', '$1'
                ),
                '\\n'
            ),
            line -> trim(replace(line, chr(13), '')) <> ''
        )) - 1, 0)), 0)
        from binaryFile.`{{ spark_path_alternatives(files) }}`
    )
{%- endif -%}
{%- endmacro %}


{% macro write_checked_export_facts(facts) %}
{#- The facts (export_file_facts, without broken rows) of the files this run's start check
    opened, replacing the last run's: stg_export_files and export_rows take them
    (checked_export_facts) instead of reading each file again (on a 1M-ticket history the
    check over every file took 255 s on Spark). -#}
    {%- set rows = [] -%}
    {%- for fact in facts -%}
        {%- do rows.append("(" ~ sql_string_literal(fact['file']) ~ ", "
            ~ (fact['file_bytes'] if fact['file_bytes'] is not none else 'null') ~ ", "
            ~ fact['is_blank'] ~ ", " ~ sql_string_literal(fact['encoding']) ~ ", "
            ~ sql_string_literal(fact['columns'] | join('\n')) ~ ")") -%}
    {%- endfor -%}
    {%- do adapter.dispatch('replace_checked_export_facts', 'support_kpis')(checked_export_facts_relation(), rows) -%}
{%- endmacro %}


{% macro spark__replace_checked_export_facts(relation, rows) %}
{#- One statement per call. -#}
    {%- do run_query("create schema if not exists " ~ relation.without_identifier()) -%}
    {%- do run_query("drop table if exists " ~ relation) -%}
    {%- do run_query("create table " ~ relation ~ " (file string, file_bytes bigint, is_blank boolean, "
        ~ "encoding string, columns string) using parquet") -%}
    {%- if rows -%}
        {%- do run_query("insert into " ~ relation ~ " values " ~ rows | join(", ")) -%}
    {%- endif -%}
{%- endmacro %}


{% macro checked_export_facts(files) %}
{#- The facts this run's start check wrote for `files` (those it opened; write_checked_export_facts),
    as export_file_facts gives them; none when the table is missing (a warehouse built before
    it existed). -#}
    {%- set relation = checked_export_facts_relation() -%}
    {%- if files | length == 0 or not bookkeeping_table_exists(relation) -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set file_list = [] -%}
    {%- for file in files -%}
        {%- do file_list.append(sql_string_literal(file)) -%}
    {%- endfor -%}
    {%- set facts = [] -%}
    {%- for row in run_query("select file, file_bytes, is_blank, encoding, columns from " ~ relation
        ~ " where file in (" ~ file_list | join(", ") ~ ")").rows -%}
        {%- do facts.append({
            'file': row[0], 'file_bytes': row[1], 'is_blank': row[2], 'encoding': row[3],
            'columns': row[4].split('\n') if row[4] else [], 'broken_rows': [],
        }) -%}
    {%- endfor -%}
    {{ return(facts) }}
{%- endmacro %}


{#- Broken CSV records on Spark: the file is read with its header as an all-string schema plus
    a corrupt-record column, PERMISSIVE, so a record that does not split into the header's
    fields is kept aside instead of stopping the run (FAILFAST did). -#}

{% macro spark_corrupt_record_column() %}
    {{ return('_export_corrupt_record') }}
{%- endmacro %}


{% macro spark_csv_view(view, fact) %}
{#- A temporary view of one CSV file (a fact of export_file_facts): header skipped, its
    columns (the fact's, in the file's order) all strings, RFC 4180 quotes, quoted newlines,
    no comment character, and the raw text of a record it cannot split in the corrupt-record
    column. multiLine reads the file whole in one task, in order. -#}
    {%- set schema = [] -%}
    {%- for column in fact['columns'] + [spark_corrupt_record_column()] -%}
        {%- do schema.append(adapter.quote(column) ~ ' string') -%}
    {%- endfor -%}
    {{ return("create or replace temporary view " ~ view ~ " (" ~ schema | join(", ") ~ ") using csv options (path '"
        ~ fact['file'] | replace("\\", "\\\\") | replace("'", "\\'") ~ "', header 'true', multiLine 'true', "
        ~ "quote '\"', escape '\"', mode 'PERMISSIVE', columnNameOfCorruptRecord '" ~ spark_corrupt_record_column()
        ~ "', encoding '" ~ spark_charset(fact['encoding']) ~ "')") }}
{%- endmacro %}


{% macro spark_charset(encoding) %}
{#- Java's name for an encoding export_file_facts reads (export_encoding_problem stops the
    others): UTF-16 is little-endian with a BOM, which Java's decoder reads, as DuckDB's. -#}
    {{ return({'latin-1': 'ISO-8859-1', 'utf-16': 'UTF-16'}.get(encoding, 'UTF-8')) }}
{%- endmacro %}


{% macro spark__export_csv_broken_rows(fact) %}
{#- duckdb__export_csv_broken_rows for one CSV file: [record number (header not
    counted), error, the record's text], with DuckDB's error names: an odd number of quotes
    (a quote never closed: the rest of the file, its last line end included as DuckDB keeps
    it) is 'UNQUOTED VALUE'; else more fields than the header (quoted fields removed, then
    commas counted) 'TOO MANY COLUMNS', fewer 'MISSING COLUMNS'. -#}
    {%- if fact['is_blank'] or not fact['columns'] or export_encoding_problem(fact) is not none
        or fact['encoding'] not in ['utf-8', 'latin-1', 'utf-16'] -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set view = 'export_broken_rows_check' -%}
    {%- do run_query(spark_csv_view(view, fact)) -%}
    {%- set corrupt = spark_corrupt_record_column() -%}
    {%- set broken_sql -%}
        select
            record_number,
            case
                when (length(raw_line) - length(replace(raw_line, '"', ''))) % 2 = 1 then 'UNQUOTED VALUE'
                when size(split(regexp_replace(raw_line, '"[^"]*(?:""[^"]*)*+"', ''), ',', -1))
                    > {{ fact['columns'] | length }} then 'TOO MANY COLUMNS'
                else 'MISSING COLUMNS'
            end as error,
            raw_line,
            numbered.first_field
        from (
            -- a read of the corrupt-record column alone is refused: a header column comes along (to the end)
            select
                {{ corrupt }} as raw_line,
                {{ adapter.quote(fact['columns'][0]) }} as first_field,
                row_number() over (order by monotonically_increasing_id()) as record_number
            from {{ view }}
        ) as numbered
        where raw_line is not null
        order by record_number
    {%- endset -%}
    {%- set broken = [] -%}
    {%- for row in run_query(broken_sql).rows -%}
        {%- set raw_line = row[2] -%}
        {%- if row[1] == 'UNQUOTED VALUE' -%}
            {#- the file's last line end, read only then: binaryFile holds the whole file as one value -#}
            {%- set line_end_sql -%}
                select regexp_extract(decode(content, '{{ spark_charset(fact['encoding']) }}'), '(\\r?\\n)?\\z', 0)
                from binaryFile.`{{ spark_path_alternatives([fact['file']]) }}`
            {%- endset -%}
            {%- set raw_line = raw_line ~ run_query(line_end_sql).rows[0][0] -%}
        {%- endif -%}
        {%- do broken.append([row[0], row[1], raw_line]) -%}
    {%- endfor -%}
    {{ return(broken) }}
{%- endmacro %}


{#- Parquet exports (var export_format: parquet) on Spark. DuckDB reads them with read_parquet
    (sources YAML external_location: union_by_name, filename, file_row_number), every column as
    the file stores it; the export contract stores every column as text, and Spark reads such
    a file to the same strings. A column stored otherwise (a number, a timestamp, a nested
    type) stops the run: DuckDB and Spark would type and print it differently. -#}

{% macro spark_parquet_file_facts(source_name, table_name, files) %}
{#- duckdb__read_export_file_facts for Parquet files: file_bytes (the file's size), is_blank (no
    rows), encoding 'binary' and columns (the schema's names, sorted as DuckDB's string_agg
    sorts them). Each file's schema is its own footer's (`describe query` of that file alone);
    a column that is not text stops the run, naming the file, the column and its type. -#}
{#- each file's size and row count, by its place in `files` (two files may share a name) -#}
{%- set per_file = [] -%}
{%- for file in files -%}
    {%- do per_file.append("select " ~ loop.index ~ " as file_index, (select length from binaryFile.`"
        ~ spark_path_alternatives([file]) ~ "`) as file_bytes, (select count(*) from parquet.`"
        ~ spark_path_alternatives([file]) ~ "`) as num_rows") -%}
{%- endfor -%}
{%- set file_bytes, num_rows = {}, {} -%}
{%- for row in run_query(per_file | join(" union all ")).rows -%}
    {%- do file_bytes.update({row[0]: row[1]}) -%}
    {%- do num_rows.update({row[0]: row[2]}) -%}
{%- endfor -%}
{%- set facts = [] -%}
{%- for file in files -%}
    {%- set columns = [] -%}
    {%- set schema_sql = "describe query select * from parquet.`" ~ spark_path_alternatives([file]) ~ "`" -%}
    {%- for column in run_query(schema_sql).rows -%}
        {%- if column[1] != 'string' -%}
            {{ exceptions.raise_compiler_error(file ~ " (" ~ source_name ~ "." ~ table_name ~ "): column '" ~ column[0]
                ~ "' is stored as " ~ column[1] ~ "; Spark reads Parquet exports whose columns are all text, as the "
                ~ "export contract writes them (docs/export_contract.md): write it as text, or build on DuckDB") }}
        {%- endif -%}
        {%- do columns.append(column[0]) -%}
    {%- endfor -%}
    {%- do facts.append({
        'file': file, 'file_bytes': file_bytes[loop.index], 'is_blank': num_rows[loop.index] == 0,
        'encoding': 'binary', 'columns': columns | sort(case_sensitive=true), 'broken_rows': [],
    }) -%}
{%- endfor -%}
{{ return(facts) }}
{%- endmacro %}


{% macro spark_parquet_file_rows(source_name, table_name, fact) %}
{#- One Parquet file's rows as DuckDB's read_parquet gives them to a base model: the declared
    columns (a column the file lacks is null), `filename` spelled as DuckDB's glob() does, and
    `file_row_number`, the row's 0-based position in the file: Spark's _metadata.row_index,
    counted from the file's start whatever row group or split the row is read in. -#}
{#- names match as DuckDB binds them, whatever their case -#}
{%- set present = fact['columns'] | map('lower') | list -%}
{%- set columns = [] -%}
{%- set json_columns = export_json_columns(source_name, table_name) -%}
{%- for column in source_columns(source_name, table_name) -%}
    {%- if column | lower not in present -%}
        {%- do columns.append('cast(null as string) as ' ~ adapter.quote(column)) -%}
    {%- elif column in json_columns -%}
        {%- do columns.append(parquet_json_column(adapter.quote(column)) ~ ' as ' ~ adapter.quote(column)) -%}
    {%- else -%}
        {%- do columns.append(adapter.quote(column)) -%}
    {%- endif -%}
{%- endfor -%}
{{ return("select " ~ columns | join(", ") ~ ", " ~ spark_string_literal(fact['file']) ~ " as filename, "
    ~ "_metadata.row_index as file_row_number from parquet.`" ~ spark_path_alternatives([fact['file']]) ~ "`") }}
{%- endmacro %}
