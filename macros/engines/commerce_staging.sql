{#- Spark's spelling of the generic staging macros (their dispatchers and DuckDB text are in
    macros/staging/: to_utc_timestamp.sql, time_order.sql, normalize_identifier.sql,
    source_columns.sql, currency.sql, number_convention.sql, duplicate_conflicts.sql). Spark
    SQL string literals take backslash escapes, so a regex's `\d` is written `\\d`, and
    rlike finds a match anywhere, hence the ^...$ anchors where DuckDB says regexp_full_match. -#}

{% macro spark__to_utc_timestamp(text_expression, naive_timezone=none) %}
{#- DuckDB's rules (duckdb__to_utc_timestamp). The session runs in UTC, so a text with an
    offset cast to timestamp is its UTC time. A naive local time: to_utc_timestamp reads a time
    in the autumn overlap as daylight time, where DuckDB (ICU) reads it as standard time, the
    later instant; the same wall time three hours on is past the overlap, and taken back three
    hours it is that later instant when it reads back as the same wall time. In the spring
    gap both engines move the time forward by the gap. -#}
{%- set tz = naive_timezone or var('export_timezone') -%}
(
    case
        when nullif(trim({{ text_expression }}), '') is null then null
        when trim({{ text_expression }}) rlike '^\\d{9,11}(\\.\\d+)?$'
            then timestamp_micros(cast(rint(try_cast(trim({{ text_expression }}) as double) * 1000000) as bigint))
        when trim({{ text_expression }}) rlike '(Z|z|[+-]\\d{2}:?\\d{2})$'
            then try_cast(
                regexp_replace(trim({{ text_expression }}), '\\s*([+-]\\d{2}):?(\\d{2})$', '$1:$2') as timestamp
            )
        else transform(array(try_cast(trim({{ text_expression }}) as timestamp)), local_time -> case
            when
                to_utc_timestamp(local_time + interval 3 hours, '{{ tz }}') - interval 3 hours
                > to_utc_timestamp(local_time, '{{ tz }}')
                and from_utc_timestamp(
                    to_utc_timestamp(local_time + interval 3 hours, '{{ tz }}') - interval 3 hours, '{{ tz }}'
                ) = local_time
                then to_utc_timestamp(local_time + interval 3 hours, '{{ tz }}') - interval 3 hours
            else to_utc_timestamp(local_time, '{{ tz }}')
        end)[0]
    end
)
{%- endmacro %}


{% macro spark__is_in_the_future(timestamp_columns) %}
{#- Spark's greatest() takes two arguments or more, and its clock is current_timestamp(). -#}
{%- if var('latest_plausible_at', none) is not none -%}
    {%- set latest = "cast('" ~ var('latest_plausible_at') ~ "' as timestamp)" -%}
{%- else -%}
    {%- set latest = "(current_timestamp() + interval 1 day)" -%}
{%- endif -%}
{%- if timestamp_columns | length == 1 -%}
coalesce({{ timestamp_columns[0] }} > {{ latest }}, false)
{%- else -%}
coalesce(greatest({{ timestamp_columns | join(', ') }}) > {{ latest }}, false)
{%- endif -%}
{%- endmacro %}


{% macro spark__is_dated_before_ticket(timestamp_column, ticket_created_column='known_tickets.ticket_created_at') %}
{#- Spark's interval literal takes a number, not a parenthesised expression. -#}
    {{ return(
        timestamp_column ~ " < " ~ ticket_created_column
        ~ " - interval " ~ (var('message_clock_skew_minutes') | int) ~ " minute"
    ) }}
{%- endmacro %}


{% macro spark__normalize_identifier(text_expression) %}
{#- duckdb__normalize_identifier's rules, with transform() over a one-element array binding
    the cleaned text once. -#}
transform(
    array(regexp_extract({{ identifier_text(text_expression) }}, '^(?:="|\')?\\s*#?\\s*(.*?)\\s*"?$', 1)),
    id_text -> case
        when id_text = '' then null
        when id_text rlike '^\\d+$' then id_text
        -- a whole number as a float; `1.000` is also a thousands grouping (1000), below
        when id_text rlike '^\\d+[.,]0+$' and not id_text rlike '^[1-9]\\d{0,2}[.,]000$'
            then regexp_extract(id_text, '^\\d+', 0)
        when
            id_text rlike '^[1-9]\\d{0,2}(,\\d{3})+(\\.0+)?$'
            and not id_text rlike '^[1-9]\\d{0,2},000$'
            then replace(regexp_extract(id_text, '^[\\d,]+', 0), ',', '')
        when
            id_text rlike '^[1-9]\\d{0,2}(\\.\\d{3})+(,0+)?$'
            and not id_text rlike '^[1-9]\\d{0,2}\\.000$'
            then replace(regexp_extract(id_text, '^[\\d.]+', 0), '.', '')
        when id_text rlike '^[1-9]\\d{0,2}( \\d{3})+$' then replace(id_text, ' ', '')
        -- scientific notation: exact when the mantissa carries every digit
        when id_text rlike '^\\d+([.,]\\d*)?[eE]\\+?\\d{1,2}$'
            then transform(
                array(named_struct(
                    'whole', regexp_extract(id_text, '^(\\d+)(?:[.,](\\d*))?[eE]\\+?(\\d+)$', 1),
                    'fraction', regexp_extract(id_text, '^(\\d+)(?:[.,](\\d*))?[eE]\\+?(\\d+)$', 2),
                    'exponent', cast(regexp_extract(id_text, '^(\\d+)(?:[.,](\\d*))?[eE]\\+?(\\d+)$', 3) as integer)
                )),
                parts -> case
                    when
                        length(parts.fraction) >= parts.exponent
                        and substr(parts.fraction, parts.exponent + 1) rlike '^0*$'
                        then coalesce(nullif(
                            trim(LEADING '0' FROM concat(parts.whole, left(parts.fraction, parts.exponent))), ''
                        ), '0')
                end
            )[0]
        -- numeric-looking but no certain whole number: a spreadsheet-mangled id
        when id_text rlike '^[\\d.,\\s]*\\d([eE][+-]?\\d+)?$' then null
        else id_text
    end
)[0]
{%- endmacro %}


{% macro spark__enum_key(text_expression) %}
{#- Spark's regexp_replace replaces every match; its 4th argument is a position, not flags. -#}
regexp_replace(lower(trim({{ text_expression }})), '[\\s_-]+', '_')
{%- endmacro %}


{% macro spark__row_struct(relation_alias) -%}
struct({{ relation_alias }}.*)
{%- endmacro %}


{% macro spark__refund_fx_month(refunded_at, requested_at) -%}
{#- duckdb__refund_fx_month: the reporting-timezone month (first day) of the refund, else of the request. -#}
trunc(cast(from_utc_timestamp(coalesce({{ refunded_at }}, {{ requested_at }}), '{{ var("reporting_timezone") }}') as date), 'MM')
{%- endmacro %}


{% macro spark__text_as_integer(text_expression, data_type='integer') -%}
{#- DuckDB's cast: a whole-number text as is, a decimal or exponent text rounded half away
    from zero (Spark's round on a decimal); decimal notation only (decimal_notation_pattern,
    backslashes doubled for Spark's literal). -#}
case when {{ text_expression }} rlike '^{{ decimal_notation_pattern() | replace("\\", "\\\\") }}$' then coalesce(
    try_cast({{ text_expression }} as {{ data_type }}),
    try_cast(round(try_cast({{ text_expression }} as decimal(38, 9))) as {{ data_type }})
) end
{%- endmacro %}


{% macro row_number_in_framed_window(window_name, partition_by, order_by) %}
{#- row_number() over a named window that has a whole-partition frame (`rows between unbounded
    preceding and unbounded following`, for first_value): DuckDB ignores the frame for
    row_number, Spark refuses it, so Spark gets the window without the frame. -#}
    {{ return(adapter.dispatch('row_number_in_framed_window', 'support_kpis')(window_name, partition_by, order_by)) }}
{%- endmacro %}


{% macro default__row_number_in_framed_window(window_name, partition_by, order_by) -%}
row_number() over {{ window_name }}
{%- endmacro %}


{% macro spark__row_number_in_framed_window(window_name, partition_by, order_by) -%}
cast(row_number() over (partition by {{ partition_by }} order by {{ order_by }}) as bigint)
{%- endmacro %}


{% macro spark__broken_export_rows(export_files) %}
{#- DuckDB's to_json of a text is the JSON string; Spark's to_json takes structs and arrays
    only, so the text goes in a one-element array whose brackets are then cut off. -#}
    select
        export_files.source_name,
        export_files.table_name,
        export_files.source_file,
        broken.source_line,
        cast(null as string) as record_id,
        concat('broken CSV row (', lower(broken.error), '): its fields do not match the header') as rejection_reason,
        regexp_extract(to_json(array(broken.raw_line)), '^\\[(.*)\\]$', 1) as raw_record
    from {{ export_files }} as export_files
    lateral view explode(export_files.broken_rows) as broken
{%- endmacro %}


{% macro spark_text_array(values) -%}
cast(array(
    {%- for value in values %}{{ spark_string_literal(value) }}{{ ', ' if not loop.last }}{% endfor -%}
) as array<string>)
{%- endmacro %}


{% macro spark__staging_export_files_description() %}
{#- export_files_description's rows (the files of every export table not described yet, with
    their export_file_facts, broken CSV records included, and export_column_findings) as a
    union of typed selects: Spark's VALUES does not type empty arrays. Files are listed with
    export_file_paths (Spark has no glob()). -#}
{%- set broken_type = 'array<struct<source_line:bigint,error:string,raw_line:string>>' -%}
{%- set rows = [] -%}
{%- if execute -%}
    {%- set seen = run_query('select distinct source_file from ' ~ this).columns[0].values() | list
        if is_incremental() else [] -%}
    {%- for source_name, table_name, base_model in staging_export_tables() -%}
        {%- set files = export_file_paths(export_glob(source_name, table_name)) | reject('in', seen) | list -%}
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
    {%- for row in rows %}
    select
        '{{ row[0] }}' as source_name,
        '{{ row[1] }}' as table_name,
        {{ spark_string_literal(row[2]) }} as source_file,
        '{{ row[3] }}' as encoding,
        {{ row[4] }} as is_blank,
        {{ spark_text_array(row[5]) }} as unknown_columns,
        {{ spark_text_array(row[6]) }} as absent_optional_columns,
        {{ spark_text_array(row[7]) }} as header_columns,
        cast(array(
            {%- for broken in row[8] -%}
                named_struct(
                    'source_line', cast({{ broken[0] }} as bigint), 'error', {{ spark_string_literal(broken[1]) }},
                    'raw_line', {{ spark_string_literal(broken[2]) }}){{ ', ' if not loop.last }}
            {%- endfor -%}
        ) as {{ broken_type }}) as broken_rows
    {{ 'union all' if not loop.last }}
    {%- endfor %}
{%- else %}
    select
        cast(null as string) as source_name,
        cast(null as string) as table_name,
        cast(null as string) as source_file,
        cast(null as string) as encoding,
        cast(null as boolean) as is_blank,
        cast(null as array<string>) as unknown_columns,
        cast(null as array<string>) as absent_optional_columns,
        cast(null as array<string>) as header_columns,
        cast(null as {{ broken_type }}) as broken_rows
    where false
{%- endif %}
{%- endmacro %}
