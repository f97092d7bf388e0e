{#- Engine spellings of the marts (models/marts/**), of macros/reporting/* and of the generic
    tests: DuckDB's text exactly as the models had it (default__), Spark's beside it.
    docs/decisions/spark.md, section spark-marts. -#}

{% macro interval_hours(hours) %}
{#- An interval of `hours` hours to add to a naive UTC timestamp. -#}
    {{ return(adapter.dispatch('interval_hours', 'support_kpis')(hours)) }}
{%- endmacro %}


{% macro default__interval_hours(hours) -%}
to_hours({{ hours }})
{%- endmacro %}


{% macro spark__interval_hours(hours) -%}
make_dt_interval(0, {{ hours }})
{%- endmacro %}


{% macro list_literal(values) %}
{#- A list of SQL literals (strings quoted): DuckDB `['a', 'b']`, Spark `array('a', 'b')`. -#}
    {{ return(adapter.dispatch('list_literal', 'support_kpis')(values)) }}
{%- endmacro %}


{% macro default__list_literal(values) -%}
[{% for value in values %}{{ "'" ~ value ~ "'" if value is string else value }}{{ ', ' if not loop.last }}{% endfor %}]
{%- endmacro %}


{% macro spark__list_literal(values) -%}
array(
    {%- for value in values %}{{ "'" ~ value ~ "'" if value is string else value }}{{ ', ' if not loop.last }}{% endfor -%}
)
{%- endmacro %}


{% macro unnest_list(list_expression) %}
{#- One row per element of a list, in a select list: DuckDB `unnest`, Spark `explode` (both: no
    row for a null or empty list). -#}
    {{ return(adapter.dispatch('unnest_list', 'support_kpis')(list_expression)) }}
{%- endmacro %}


{% macro default__unnest_list(list_expression) -%}
unnest({{ list_expression }})
{%- endmacro %}


{% macro spark__unnest_list(list_expression) -%}
explode({{ list_expression }})
{%- endmacro %}


{% macro list_item(list_expression, position) %}
{#- The element at 1-based `position`: DuckDB `list[1]`, Spark `element_at(list, 1)` ([] is 0-based there). -#}
    {{ return(adapter.dispatch('list_item', 'support_kpis')(list_expression, position)) }}
{%- endmacro %}


{% macro default__list_item(list_expression, position) -%}
{{ list_expression }}[{{ position }}]
{%- endmacro %}


{% macro spark__list_item(list_expression, position) -%}
element_at({{ list_expression }}, {{ position }})
{%- endmacro %}


{% macro quantile_cont_exact(expression, quantiles) %}
{#- DuckDB's quantile_cont (an aggregate): `quantiles` a number (one value) or a list of numbers
    (a list, read with list_item). Linear interpolation between the order statistics at
    floor and ceil of (n - 1) * q, nulls ignored, null on no rows. -#}
    {{ return(adapter.dispatch('quantile_cont_exact', 'support_kpis')(expression, quantiles)) }}
{%- endmacro %}


{% macro default__quantile_cont_exact(expression, quantiles) -%}
quantile_cont({{ expression }}, {{ quantiles }})
{%- endmacro %}


{% macro spark__quantile_cont_exact(expression, quantiles) -%}
{#- Spark's percentile interpolates as (hi - pos) * lo + (pos - lo_index) * hi; DuckDB as
    lo * (1 - d) + hi * d (InterpolateOperator), which its x86_64 build fuses into
    fma(lo, 1 - d, hi * d): the three differ in the last bit of a double, enough to flip a
    median rounded to cents (backlog_days: 128181.00499999999 vs 128181.005). So the sorted
    values are collected and DuckDB's arithmetic written out, (n - 1) * q in doubles and the
    fused multiply-add from Java (Math.fma, exact then rounded once, as the hardware's). -#}
{%- set is_list = quantiles is not string and quantiles is iterable -%}
{%- set qs = quantiles if is_list else [quantiles] -%}
{%- set lo = 'sorted_values[cast(floor(position) as int)]' -%}
{%- set hi = 'sorted_values[cast(ceil(position) as int)]' -%}
{%- set d = '(position - floor(position))' -%}
transform(array(array_sort(collect_list(cast({{ expression }} as double)))), sorted_values -> case
    when size(sorted_values) > 0 then
        transform(array({% for q in qs %}cast({{ q }} as double){{ ', ' if not loop.last }}{% endfor %}), q -> (
            transform(array((size(sorted_values) - 1) * q), position -> (
                case
                    when floor(position) = ceil(position) then {{ lo }}
                    else cast(reflect('java.lang.Math', 'fma', {{ lo }}, 1.0D - {{ d }}, {{ hi }} * {{ d }}) as double)
                end
            ))[0]
        )){{ '' if is_list else '[0]' }}
end)[0]
{%- endmacro %}


{% macro ordered_string_agg(expression, separator, order_by, is_distinct=false) %}
{#- string_agg in a given order: DuckDB `string_agg(x, ',' order by y)`, Spark
    `string_agg(x, ',') within group (order by y)`. -#}
    {{ return(adapter.dispatch('ordered_string_agg', 'support_kpis')(expression, separator, order_by, is_distinct)) }}
{%- endmacro %}


{% macro default__ordered_string_agg(expression, separator, order_by, is_distinct=false) -%}
string_agg({{ 'distinct ' if is_distinct }}{{ expression }}, '{{ separator }}' order by {{ order_by }})
{%- endmacro %}


{% macro spark__ordered_string_agg(expression, separator, order_by, is_distinct=false) -%}
{%- if is_distinct -%}
{#- Spark 4.3's listagg(distinct ...) within group fails beside a count(distinct ...) (a
    ClassCastException in its distinct rewrite): the sorted set of values instead, null when
    there is none (as string_agg over no value). -#}
{%- if order_by != expression -%}
    {{ exceptions.raise_compiler_error("ordered_string_agg: distinct values are ordered by themselves on Spark") }}
{%- endif -%}
case when size(collect_set({{ expression }})) > 0
    then array_join(array_sort(collect_set({{ expression }})), '{{ separator }}')
end
{%- else -%}
string_agg({{ expression }}, '{{ separator }}') within group (order by {{ order_by }})
{%- endif -%}
{%- endmacro %}


{% macro arg_max_at_latest(value, timestamp_expression) %}
{#- The non-null `value` of the row with the latest `timestamp_expression` (null = earliest).
    DuckDB's arg_max skips rows whose value is null; Spark's max_by does not, so the ordering
    is nulled on those rows. -#}
    {{ return(adapter.dispatch('arg_max_at_latest', 'support_kpis')(value, timestamp_expression)) }}
{%- endmacro %}


{% macro default__arg_max_at_latest(value, timestamp_expression) -%}
arg_max({{ value }}, coalesce({{ timestamp_expression }}, '-infinity'::timestamp))
{%- endmacro %}


{% macro spark__arg_max_at_latest(value, timestamp_expression) -%}
max_by({{ value }}, case
    when {{ value }} is not null then coalesce({{ timestamp_expression }}, timestamp'0001-01-01 00:00:00')
end)
{%- endmacro %}


{% macro divide_as_double(numerator, denominator) %}
{#- numerator / denominator as a double when the numerator is a decimal (a money sum, 100.0 * n):
    DuckDB divides decimals as doubles; Spark keeps a decimal rounded to 6 or more places,
    which a cast to double afterwards does not give back. -#}
    {{ return(adapter.dispatch('divide_as_double', 'support_kpis')(numerator, denominator)) }}
{%- endmacro %}


{% macro default__divide_as_double(numerator, denominator) -%}
{{ numerator }} / {{ denominator }}
{%- endmacro %}


{% macro spark__divide_as_double(numerator, denominator) -%}
cast({{ numerator }} as double) / {{ denominator }}
{%- endmacro %}


{% macro date_day_rows(start_date, end_date) %}
{#- `select ... as date_day`: one row per day from start_date to end_date, both included
    ('YYYY-MM-DD' texts). -#}
    {{ return(adapter.dispatch('date_day_rows', 'support_kpis')(start_date, end_date)) }}
{%- endmacro %}


{% macro default__date_day_rows(start_date, end_date) -%}
select cast(range as date) as date_day
    from range(
        date '{{ start_date }}',
        date '{{ end_date }}' + interval 1 day,
        interval 1 day
    )
{%- endmacro %}


{% macro spark__date_day_rows(start_date, end_date) -%}
select explode(sequence(date '{{ start_date }}', date '{{ end_date }}', interval 1 day)) as date_day
{%- endmacro %}


{% macro spark__get_empty_schema_sql(columns) %}
{#- A model contract's YAML types, read by Spark: `varchar` (the marts' YAML, DuckDB's word)
    is Spark's `string` (Spark's varchar needs a length). dbt's own macro does the rest. -#}
    {%- set spark_columns = {} -%}
    {%- for name in columns -%}
        {%- set column = columns[name] -%}
        {%- set spark_column = {} -%}
        {%- do spark_column.update(column) -%}
        {%- if (column.get('data_type') or '') | lower | trim == 'varchar' -%}
            {%- do spark_column.update({'data_type': 'string'}) -%}
        {%- endif -%}
        {%- do spark_columns.update({name: spark_column}) -%}
    {%- endfor -%}
    {{ return(default__get_empty_schema_sql(spark_columns)) }}
{%- endmacro %}


{% macro spark__persist_constraints(relation, model) %}
{#- A model contract's constraints (check, not_null), after the table is built. dbt-spark
    adds them with `alter table ... add constraint` (Delta only: it fails on Parquet, the
    tables here). DuckDB refuses a table that breaks one, so Spark checks them all in one
    query instead, and a table that breaks one is dropped and the run stops, naming them. -#}
    {%- if not config.get('contract').enforced -%}
        {{ return('') }}
    {%- endif -%}
    {%- if config.get('file_format') == 'delta' -%}
        {%- do alter_table_add_constraints(relation, model.constraints) -%}
        {%- do alter_column_set_constraints(relation, model.columns) -%}
        {{ return('') }}
    {%- endif -%}
    {%- set labels = [] -%}
    {%- set conditions = [] -%}
    {%- for constraint in model.constraints if constraint.type == 'check' -%}
        {%- do labels.append('check (' ~ constraint.expression ~ ')') -%}
        {%- do conditions.append(constraint.expression) -%}
    {%- endfor -%}
    {%- for column_name, column in model.columns.items() -%}
        {%- for constraint in column.get('constraints', []) -%}
            {%- if constraint.type == 'not_null' -%}
                {%- do labels.append(column_name ~ ' not null') -%}
                {%- do conditions.append(adapter.quote(column_name) ~ ' is not null') -%}
            {%- elif constraint.type == 'check' -%}
                {%- do labels.append(column_name ~ ': check (' ~ constraint.expression ~ ')') -%}
                {%- do conditions.append(constraint.expression) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- if conditions | length == 0 -%}
        {{ return('') }}
    {%- endif -%}
    {#- a check fails only when false (null passes, as in DuckDB); not_null is never null -#}
    {%- set selects = [] -%}
    {%- for condition in conditions -%}
        {%- do selects.append('count_if(not coalesce((' ~ condition ~ '), true)) as c' ~ loop.index0) -%}
    {%- endfor -%}
    {%- set row = run_query('select ' ~ selects | join(', ') ~ ' from ' ~ relation).rows[0] -%}
    {%- set broken = [] -%}
    {%- for label in labels -%}
        {%- if row[loop.index0] > 0 -%}
            {%- do broken.append(label ~ ': ' ~ row[loop.index0] ~ ' rows') -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if broken | length > 0 -%}
        {%- do adapter.drop_relation(relation.incorporate(type='table')) -%}
        {{ exceptions.raise_compiler_error(
            relation ~ " breaks its contract's constraints (table dropped): " ~ broken | join('; ')) }}
    {%- endif -%}
{%- endmacro %}


{% macro round_double(expression, digits) %}
{#- A double rounded to `digits` decimal places as DuckDB 2.0 rounds it: the double's exact
    binary value, half away from zero (174636.775 is 174636.77499999999..., so .77). Spark's
    round(x, d) rounds the shortest decimal text of x (.78 there). -#}
    {{ return(adapter.dispatch('round_double', 'support_kpis')(expression, digits)) }}
{%- endmacro %}


{% macro default__round_double(expression, digits) -%}
round({{ expression }}, {{ digits }})
{%- endmacro %}


{% macro spark__round_double(expression, digits) -%}
{#- p = |x| * 10^d in doubles; only when p lands exactly on a half does the rounding error of
    that product (Dekker's exact product: x split in two 26-bit halves, 134217729 = 2^27 + 1)
    decide the side. floor(p) is a bigint; n / 10^d is the double nearest the rounded decimal. -#}
{%- set m = (10 ** digits) ~ '.0D' -%}
transform(array(cast({{ expression }} as double)), x -> transform(array(abs(x) * {{ m }}), p -> (
    transform(array(abs(x) * 134217729.0D), c -> (
        case
            when p - floor(p) > 0.5D then floor(p) + 1
            when p - floor(p) < 0.5D then floor(p)
            when ((c - (c - abs(x))) * {{ m }} - p) + (abs(x) - (c - (c - abs(x)))) * {{ m }} < 0 then floor(p)
            else floor(p) + 1
        end / {{ m }} * (case when x < 0 then -1.0D else 1.0D end)
    ))[0]
))[0])[0]
{%- endmacro %}


{% macro any_value_ignore_nulls(expression) %}
{#- Some non-null value of the group (null when all are): DuckDB's any_value skips nulls,
    Spark's any_value(x) does not (any_value(x, true) does). -#}
    {{ return(adapter.dispatch('any_value_ignore_nulls', 'support_kpis')(expression)) }}
{%- endmacro %}


{% macro default__any_value_ignore_nulls(expression) -%}
any_value({{ expression }})
{%- endmacro %}


{% macro spark__any_value_ignore_nulls(expression) -%}
any_value({{ expression }}, true)
{%- endmacro %}
