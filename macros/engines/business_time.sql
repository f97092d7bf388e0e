{#- Engine spellings the business-time, SLA and backlog models need: time-zone conversions of
    naive UTC timestamps, date series, list (array) helpers. DuckDB's spelling is the default
    (exactly the SQL DuckDB ran before these macros), Spark's the `spark__` one. Lists are
    DuckDB LISTs and Spark ARRAYs: 1-based in DuckDB's `l[i]`, 0-based in Spark's `a[i]`. -#}

{% macro local_to_utc_timestamp(local_timestamp, timezone_sql) %}
{#- Naive wall-clock time in `timezone_sql` as a naive UTC timestamp. A wall time skipped by a
    daylight-saving change reads with the offset before the change; one repeated reads as
    the first (DuckDB's ICU and Spark's java.time agree on both). -#}
    {{ return(adapter.dispatch('local_to_utc_timestamp', 'support_kpis')(local_timestamp, timezone_sql)) }}
{%- endmacro %}


{% macro default__local_to_utc_timestamp(local_timestamp, timezone_sql) -%}
timezone('UTC', timezone({{ timezone_sql }}, {{ local_timestamp }}))
{%- endmacro %}


{% macro spark__local_to_utc_timestamp(local_timestamp, timezone_sql) -%}
to_utc_timestamp({{ local_timestamp }}, {{ timezone_sql }})
{%- endmacro %}


{% macro iso_weekday(date_expression) %}
{#- ISO day of the week of a date: 1 = Monday ... 7 = Sunday. -#}
    {{ return(adapter.dispatch('iso_weekday', 'support_kpis')(date_expression)) }}
{%- endmacro %}


{% macro default__iso_weekday(date_expression) -%}
isodow({{ date_expression }})
{%- endmacro %}


{% macro spark__iso_weekday(date_expression) -%}
(weekday({{ date_expression }}) + 1)
{%- endmacro %}


{% macro daily_date_series(start_date, end_date, column_name) %}
{#- A select of one row per date from `start_date` to `end_date` (SQL dates, both included),
    in one column `column_name` of type date: a CTE body. -#}
    {{ return(adapter.dispatch('daily_date_series', 'support_kpis')(start_date, end_date, column_name)) }}
{%- endmacro %}


{% macro default__daily_date_series(start_date, end_date, column_name) -%}
select cast(generate_series as date) as {{ column_name }}
    from generate_series(
        {{ start_date }},
        {{ end_date }},
        interval 1 day
    )
{%- endmacro %}


{% macro spark__daily_date_series(start_date, end_date, column_name) -%}
select explode(sequence({{ start_date }}, {{ end_date }}, interval 1 day)) as {{ column_name }}
{%- endmacro %}


{% macro exploded_date_range(start_date, end_date) %}
{#- A select-list generator: one row per date from `start_date` to `end_date` (both included),
    as a date. Alias it; on Spark it must be the only generator of its select. -#}
    {{ return(adapter.dispatch('exploded_date_range', 'support_kpis')(start_date, end_date)) }}
{%- endmacro %}


{% macro default__exploded_date_range(start_date, end_date) -%}
cast(unnest(generate_series(
            {{ start_date }}, {{ end_date }}, interval 1 day
        )) as date)
{%- endmacro %}


{% macro spark__exploded_date_range(start_date, end_date) -%}
explode(sequence(cast({{ start_date }} as date), cast({{ end_date }} as date), interval 1 day))
{%- endmacro %}


{% macro cross_join_daily_timestamps(start_timestamp, end_timestamp, alias, column_name) %}
{#- `cross join` of one row per day (a timestamp, every 24 hours from `start_timestamp` to
    `end_timestamp`, both included) as `<alias>.<column_name>`. -#}
    {{ return(adapter.dispatch('cross_join_daily_timestamps', 'support_kpis')(
        start_timestamp, end_timestamp, alias, column_name)) }}
{%- endmacro %}


{% macro default__cross_join_daily_timestamps(start_timestamp, end_timestamp, alias, column_name) -%}
cross join unnest(generate_series(
        {{ start_timestamp }}, {{ end_timestamp }}, interval 1 day
    )) as {{ alias }} ({{ column_name }})
{%- endmacro %}


{% macro spark__cross_join_daily_timestamps(start_timestamp, end_timestamp, alias, column_name) -%}
cross join lateral explode(sequence(
        {{ start_timestamp }}, {{ end_timestamp }}, interval 1 day
    )) as {{ alias }} ({{ column_name }})
{%- endmacro %}


{% macro exploded_values(values) %}
{#- A select-list generator: one row per SQL expression of the Jinja list `values`. -#}
    {{ return(adapter.dispatch('exploded_values', 'support_kpis')(values)) }}
{%- endmacro %}


{% macro default__exploded_values(values) -%}
unnest([{{ values | join(', ') }}])
{%- endmacro %}


{% macro spark__exploded_values(values) -%}
explode(array({{ values | join(', ') }}))
{%- endmacro %}


{% macro sorted_struct_list_agg(fields) %}
{#- Aggregate: the list of structs {field: column} (`fields`, a Jinja list of column names)
    of the group's rows, sorted by those fields in order. -#}
    {{ return(adapter.dispatch('sorted_struct_list_agg', 'support_kpis')(fields)) }}
{%- endmacro %}


{% macro default__sorted_struct_list_agg(fields) -%}
list({ {%- for field in fields %} '{{ field }}': {{ field }}{{ ',' if not loop.last }}{% endfor %} }
{{- ' ' }}order by {{ fields | join(', ') }})
{%- endmacro %}


{% macro spark__sorted_struct_list_agg(fields) -%}
{#- array_sort orders structs field by field, in declaration order: the same order. -#}
array_sort(collect_list(named_struct(
    {%- for field in fields %}'{{ field }}', {{ field }}{{ ', ' if not loop.last }}{% endfor -%}
)))
{%- endmacro %}


{% macro list_element(list_expression, one_based_index) %}
{#- The element at a 1-based position (SQL expression) of a list: DuckDB `l[i]`, Spark
    `element_at(a, i)` (Spark's `a[i]` is 0-based). -#}
    {{ return(adapter.dispatch('list_element', 'support_kpis')(list_expression, one_based_index)) }}
{%- endmacro %}


{% macro default__list_element(list_expression, one_based_index) -%}
{{ list_expression }}[{{ one_based_index }}]
{%- endmacro %}


{% macro spark__list_element(list_expression, one_based_index) -%}
element_at({{ list_expression }}, {{ one_based_index }})
{%- endmacro %}


{% macro list_sum_of(list_expression, element_name, element_expression, sum_type='bigint') %}
{#- Sum over a list's elements of `element_expression` (SQL using `element_name` for the
    element): DuckDB `list_sum(list_transform(l, lambda e: ...))`. Null for a null list.
    Integers on Spark sum as bigint (`aggregate` from a bigint 0); an element expression that
    is null makes the sum null on Spark where DuckDB skips it: use it on non-null elements.
    `sum_type`: the elements' type on Spark (`aggregate` keeps its start value's type). -#}
    {{ return(adapter.dispatch('list_sum_of', 'support_kpis')(
        list_expression, element_name, element_expression, sum_type)) }}
{%- endmacro %}


{% macro default__list_sum_of(list_expression, element_name, element_expression, sum_type='bigint') -%}
list_sum(list_transform(
            {{ list_expression }},
            lambda {{ element_name }}: {{ element_expression }}
        ))
{%- endmacro %}


{% macro spark__list_sum_of(list_expression, element_name, element_expression, sum_type='bigint') -%}
aggregate(
            transform({{ list_expression }}, {{ element_name }} -> {{ element_expression }}),
            cast(0 as {{ sum_type }}),
            (running_total, element_value) -> running_total + element_value
        )
{%- endmacro %}


{% macro list_all_true(list_expression, element_name, element_expression) %}
{#- True when `element_expression` (SQL using `element_name`) holds for every element; null
    for an empty list on DuckDB, true on Spark: test with `is not false`. -#}
    {{ return(adapter.dispatch('list_all_true', 'support_kpis')(list_expression, element_name, element_expression)) }}
{%- endmacro %}


{% macro default__list_all_true(list_expression, element_name, element_expression) -%}
list_bool_and(list_transform({{ list_expression }}, lambda {{ element_name }}: {{ element_expression }}))
{%- endmacro %}


{% macro spark__list_all_true(list_expression, element_name, element_expression) -%}
forall({{ list_expression }}, {{ element_name }} -> {{ element_expression }})
{%- endmacro %}


{% macro index_range(start_index, stop_index) %}
{#- The list of integers from `start_index` up to `stop_index` excluded (SQL expressions):
    DuckDB `range(a, b)`; empty when stop <= start on both engines. -#}
    {{ return(adapter.dispatch('index_range', 'support_kpis')(start_index, stop_index)) }}
{%- endmacro %}


{% macro default__index_range(start_index, stop_index) -%}
range({{ start_index }}, {{ stop_index }})
{%- endmacro %}


{% macro spark__index_range(start_index, stop_index) -%}
{#- sequence(a, b) counts down when b < a and includes b: filter to the half-open range. -#}
filter(sequence({{ start_index }}, greatest({{ start_index }}, {{ stop_index }})), index -> index < {{ stop_index }})
{%- endmacro %}


{% macro delimited_list_contains(delimited_text, delimiter, value) %}
{#- True when `value` is one of the items of text `delimited_text` split on `delimiter`
    (a literal, not a pattern; no regex character on Spark's side). -#}
    {{ return(adapter.dispatch('delimited_list_contains', 'support_kpis')(delimited_text, delimiter, value)) }}
{%- endmacro %}


{% macro default__delimited_list_contains(delimited_text, delimiter, value) -%}
list_contains(string_split({{ delimited_text }}, {{ delimiter }}), {{ value }})
{%- endmacro %}


{% macro spark__delimited_list_contains(delimited_text, delimiter, value) -%}
array_contains(split({{ delimited_text }}, {{ delimiter }}), {{ value }})
{%- endmacro %}


{% macro union_all_by_name() %}
{#- Set operator between two selects with the same columns. DuckDB matches them by name;
    Spark SQL has no `by name`, so on Spark the two selects MUST list the same columns in the
    same order (the caller's duty; the compare with DuckDB checks it). -#}
    {{ return(adapter.dispatch('union_all_by_name', 'support_kpis')()) }}
{%- endmacro %}


{% macro default__union_all_by_name() -%}
union all by name
{%- endmacro %}


{% macro spark__union_all_by_name() -%}
union all
{%- endmacro %}


{% macro all_columns_replacing(relation_alias, replacements) %}
{#- `<alias>.*` with some columns computed anew: `replacements` is a list of
    [column, SQL expression] pairs. DuckDB `* replace (...)` keeps the column order; Spark
    `* except (...)` puts the new columns last: read the result by name. -#}
    {{ return(adapter.dispatch('all_columns_replacing', 'support_kpis')(relation_alias, replacements)) }}
{%- endmacro %}


{% macro default__all_columns_replacing(relation_alias, replacements) -%}
{{ relation_alias }}.* replace (
        {%- for replacement in replacements %}
            {{ replacement[1] | trim }} as {{ replacement[0] }}{{ ',' if not loop.last }}
        {%- endfor %}
        )
{%- endmacro %}


{% macro spark__all_columns_replacing(relation_alias, replacements) -%}
{{ relation_alias }}.* except ({{ replacements | map(attribute=0) | join(', ') }}),
        {%- for replacement in replacements %}
            {{ replacement[1] | trim }} as {{ replacement[0] }}{{ ',' if not loop.last }}
        {%- endfor %}
{%- endmacro %}


{% macro microseconds_per_minute() %}
{#- The divisor from integer microseconds to minutes, as a double literal on every engine: a
    bigint over Spark's `60000000.0` would be a decimal (DuckDB gives a double). -#}
    {{ return(adapter.dispatch('microseconds_per_minute', 'support_kpis')()) }}
{%- endmacro %}


{% macro default__microseconds_per_minute() -%}
60000000.0
{%- endmacro %}


{% macro spark__microseconds_per_minute() -%}
60000000.0D
{%- endmacro %}


{% macro widen_to_bigint(expression) %}
{#- An integer expression typed bigint as DuckDB types it: Spark's row_number() and count-like
    window functions over int give an int where DuckDB gives a bigint. -#}
    {{ return(adapter.dispatch('widen_to_bigint', 'support_kpis')(expression)) }}
{%- endmacro %}


{% macro default__widen_to_bigint(expression) -%}
{{ expression }}
{%- endmacro %}


{% macro spark__widen_to_bigint(expression) -%}
cast({{ expression }} as bigint)
{%- endmacro %}
