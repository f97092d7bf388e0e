{#- Business time, in one place. int_business_calendar_days holds, per schedule and local
    date, that day's opening window as UTC instants and the business minutes of all earlier
    days. The business position of a naive UTC timestamp is

        F(ts) = business_minutes_before + clamp(ts - open_at, 0, close_at - open_at)

    read from the calendar row of ts's local date, and the business minutes between a and b
    are F(b) - F(a). Each timestamp costs one equality join (schedule_id, local date), so the
    cost does not grow with the length of the span. Closed days are zero-length windows, never
    nulls; a timestamp whose local date is missing from the calendar gets a null position
    (business_minutes_before is null), never a silently wrong one. -#}

{#- The local calendar date, in a schedule's timezone, of a naive UTC timestamp: the join key
    into int_business_calendar_days. `timezone_column` is a SQL expression. -#}
{% macro business_local_date(utc_timestamp, timezone_column) -%}
    cast(timezone({{ timezone_column }}, timezone('UTC', {{ utc_timestamp }})) as date)
{%- endmacro %}

{#- `left join <calendar_relation> as <day_alias>` on the calendar day of `utc_timestamp`.
    A left join so a ticket whose event has not happened keeps its row; the position is then
    null because business_minutes_before is null. -#}
{% macro business_calendar_join(calendar_relation, day_alias, schedule_id_column, timezone_column, utc_timestamp) -%}
    left join {{ calendar_relation }} as {{ day_alias }}
        on
            {{ schedule_id_column }} = {{ day_alias }}.schedule_id
            and {{ business_local_date(utc_timestamp, timezone_column) }} = {{ day_alias }}.calendar_date
{%- endmacro %}

{#- F(ts): business minutes from the start of the calendar to `utc_timestamp`, using the
    calendar row joined as `day_alias`. Null when that row is missing. -#}
{% macro business_position(utc_timestamp, day_alias) -%}
    (
        {{ day_alias }}.business_minutes_before
        + least(
            greatest(epoch({{ utc_timestamp }}) - epoch({{ day_alias }}.open_at), 0),
            epoch({{ day_alias }}.close_at) - epoch({{ day_alias }}.open_at)
        ) / 60.0
    )
{%- endmacro %}

{#- Business minutes between two naive UTC timestamps whose calendar days are joined as
    `start_day_alias` and `end_day_alias`. Null when either timestamp is null or outside the
    calendar. Negative only if end < start, which the callers' tests forbid. -#}
{% macro business_minutes(start_timestamp, end_timestamp, start_day_alias, end_day_alias) -%}
    (
        {{ business_position(end_timestamp, end_day_alias) }}
        - {{ business_position(start_timestamp, start_day_alias) }}
    )
{%- endmacro %}

{#- Calendar minutes between two naive UTC timestamps: elapsed time, not boundaries crossed. -#}
{% macro calendar_minutes(start_timestamp, end_timestamp) -%}
    ((epoch({{ end_timestamp }}) - epoch({{ start_timestamp }})) / 60.0)
{%- endmacro %}
