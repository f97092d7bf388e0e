{% test non_negative_durations(model, exclude_columns=[]) %}
{#-
    No negative duration reaches a mart (issue 13, "events before their cause"). The
    columns are found when the test runs, from the built relation: every column whose name
    has a duration unit as a word (`_seconds`, `_minutes`, `_hours`, `_days`, with
    `_microseconds`; medians, p90s and means included, e.g. `frt_p90_business_minutes`), so
    a new duration column is covered without anyone listing it. Attached to every mart
    (tests/assert_every_mart_checks_durations.sql fails when one lacks it).
    exclude_columns: a column named like a duration that may be signed, with the reason in
    the YAML next to it. Fails with one row per column holding a negative value.
-#}
{%- set duration_name = '(^|_)(microseconds|seconds|minutes|hours|days)(_|$)' -%}
{%- set columns = [] -%}
{%- if execute -%}
    {%- for column in adapter.get_columns_in_relation(model) -%}
        {%- if modules.re.search(duration_name, column.name | lower) and column.name not in exclude_columns -%}
            {%- do columns.append(column.name) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endif -%}
{%- if columns | length == 0 %}
select
    -- `string`: the text type on DuckDB (an alias of varchar) and Spark alike
    cast(null as string) as column_name,
    cast(null as bigint) as negative_rows,
    cast(null as double) as min_value
where false
{%- else %}
{%- for column in columns %}
select
    '{{ column }}' as column_name,
    count(*) as negative_rows,
    cast(min({{ adapter.quote(column) }}) as double) as min_value
from {{ model }}
where {{ adapter.quote(column) }} < 0
having count(*) > 0
{% if not loop.last %}union all{% endif %}
{%- endfor %}
{%- endif %}
{% endtest %}
