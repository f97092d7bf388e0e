{% macro to_utc_timestamp(text_expression, naive_timezone=none) %}
    {{ return(adapter.dispatch('to_utc_timestamp', 'support_kpis')(text_expression, naive_timezone)) }}
{%- endmacro %}


{% macro duckdb__to_utc_timestamp(text_expression, naive_timezone=none) %}
{#-
    Parses an exported text timestamp into a naive `timestamp` in UTC, or null when the
    text is empty or unparseable (callers reject the row in that case; see
    `is_unparseable_timestamp`). Accepted shapes, per docs/export_contract.md:
      - ISO 8601 with `Z` or an offset: 2024-03-01T10:15:00Z, 2024-03-01T12:15:00+02:00
      - Shopify style, space before a colon-less offset: 2024-03-01 10:15:00 +0100
      - naive (space or `T`): a wall-clock time in var `export_timezone`; DST is resolved
        by ICU (a time in the spring-forward gap or the autumn overlap is read as standard time)
      - Unix epoch seconds (9 to 11 digits, optional fraction), as Delighted exports
-#}
{%- set tz = naive_timezone or var('export_timezone') -%}
(
    case
        when nullif(trim({{ text_expression }}), '') is null then null
        when regexp_full_match(trim({{ text_expression }}), '\d{9,11}(\.\d+)?')
            then timezone('UTC', to_timestamp(try_cast(trim({{ text_expression }}) as double)))
        when regexp_matches(trim({{ text_expression }}), '(Z|z|[+-]\d{2}:?\d{2})$')
            then timezone(
                'UTC',
                try_cast(
                    regexp_replace(trim({{ text_expression }}), '\s*([+-]\d{2}):?(\d{2})$', '\1:\2') as timestamptz
                )
            )
        else timezone('UTC', timezone('{{ tz }}', try_cast(trim({{ text_expression }}) as timestamp)))
    end
)
{%- endmacro %}


{% macro is_unparseable_timestamp(text_expression) %}
{#- True when the text carries a value that to_utc_timestamp cannot read. -#}
(nullif(trim({{ text_expression }}), '') is not null and {{ to_utc_timestamp(text_expression) }} is null)
{%- endmacro %}


{% macro is_in_the_future(timestamp_columns) %}
    {{ return(adapter.dispatch('is_in_the_future', 'support_kpis')(timestamp_columns)) }}
{%- endmacro %}


{% macro duckdb__is_in_the_future(timestamp_columns) %}
{#-
    True when any of the row's parsed timestamps lies after the latest plausible instant:
    var `latest_plausible_at` (UTC) when set, else one day after the build started. An
    export cannot hold events that have not happened; such a row (a typo'd year, an epoch
    in milliseconds) would otherwise push the data's as-of time and every age with it.
    `greatest` skips nulls, which is what we want: only the values that are present count.
-#}
{%- if var('latest_plausible_at', none) is not none -%}
    {%- set latest = "cast('" ~ var('latest_plausible_at') ~ "' as timestamp)" -%}
{%- else -%}
    {%- set latest = "(cast(get_current_timestamp() as timestamp) + interval 1 day)" -%}
{%- endif -%}
coalesce(greatest({{ timestamp_columns | join(', ') }}) > {{ latest }}, false)
{%- endmacro %}
