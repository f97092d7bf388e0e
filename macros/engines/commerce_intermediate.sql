{#- Engine spellings of the commerce intermediate models (orders, refunds, costs, experience,
    reporting) and their macros: DuckDB's text as the models had it, Spark's beside it.
    docs/decisions/spark.md, section spark-int-commerce. -#}

{% macro big_integer_type() %}
{#- An integer type wide enough for cents x milliseconds products: DuckDB `hugeint` (128 bits),
    Spark `decimal(38, 0)` (38 digits; an overflow fails under ANSI mode, never wraps). -#}
    {{ return(adapter.dispatch('big_integer_type', 'support_kpis')()) }}
{%- endmacro %}


{% macro default__big_integer_type() -%}
hugeint
{%- endmacro %}


{% macro spark__big_integer_type() -%}
decimal(38, 0)
{%- endmacro %}


{% macro integer_sign(expression) %}
{#- -1, 0 or 1 as an integer: DuckDB's sign() is one; Spark's is a double, which would turn
    the cents it multiplies into a double. -#}
    {{ return(adapter.dispatch('integer_sign', 'support_kpis')(expression)) }}
{%- endmacro %}


{% macro default__integer_sign(expression) -%}
sign({{ expression }})
{%- endmacro %}


{% macro spark__integer_sign(expression) -%}
cast(sign({{ expression }}) as integer)
{%- endmacro %}


{% macro exact_cents_times_rate(cents_expression, rate_expression) %}
{#- An amount in cents (a decimal with at most 2 places, below 10^17) times a decimal(18, 10)
    rate, exact: DuckDB keeps every decimal place (scale 2 + 10); Spark gives a product wider
    than 38 digits only 6 places, which could round a half cent the wrong way, so the cents
    are narrowed first to decimal(19, 2) (19 + 18 + 1 = 38 digits: exact, scale 12). -#}
    {{ return(adapter.dispatch('exact_cents_times_rate', 'support_kpis')(cents_expression, rate_expression)) }}
{%- endmacro %}


{% macro default__exact_cents_times_rate(cents_expression, rate_expression) -%}
{{ cents_expression }} * {{ rate_expression }}
{%- endmacro %}


{% macro spark__exact_cents_times_rate(cents_expression, rate_expression) -%}
cast({{ cents_expression }} as decimal(19, 2)) * cast({{ rate_expression }} as decimal(18, 10))
{%- endmacro %}


{% macro default__shipping_local_date(utc_timestamp, time_zone) -%}
cast(timezone('{{ time_zone }}', timezone('UTC', {{ utc_timestamp }})) as date)
{%- endmacro %}


{% macro spark__shipping_local_date(utc_timestamp, time_zone) -%}
{#- from_utc_timestamp: the wall-clock time in the zone (Java's zone rules, DST included). -#}
cast(from_utc_timestamp({{ utc_timestamp }}, '{{ time_zone }}') as date)
{%- endmacro %}


{% macro named_window_ordered(window_name, partition_by, order_by) %}
{#- A named window (`window <name> as (partition by ...)`) with an order added, inside over (...):
    DuckDB extends the name; Spark cannot (syntax error), so it repeats the partition. -#}
    {{ return(adapter.dispatch('named_window_ordered', 'support_kpis')(window_name, partition_by, order_by)) }}
{%- endmacro %}


{% macro default__named_window_ordered(window_name, partition_by, order_by) -%}
{{ window_name }} order by {{ order_by }}
{%- endmacro %}


{% macro spark__named_window_ordered(window_name, partition_by, order_by) -%}
partition by {{ partition_by }} order by {{ order_by }}
{%- endmacro %}
