{#- Business time, in one place. int_business_calendar_days holds, per schedule and local
    date, that day's opening windows as UTC instants (several on a split-shift day) and the
    business minutes of all earlier days. The business position of a naive UTC timestamp is

        F(ts) = business_minutes_before + sum over the day's windows of clamp(ts - open_at, 0, close_at - open_at)

    read from the calendar row of ts's local date, and the business minutes between a and b
    are F(b) - F(a). Each timestamp costs one equality join (schedule_id, local date), so the
    cost does not grow with the length of the span. Closed days are one zero-length window,
    never an empty list or a null; a timestamp whose local date is missing from the calendar
    gets a null position (business_minutes_before is null), never a silently wrong one.
    Models measuring a ticket's time call ticket_business_time (ticket_business_time.sql),
    which also follows the ticket's schedule changes; the macros below are its parts. -#}

{#- The local calendar date, in a schedule's timezone, of a naive UTC timestamp: the join key
    into int_business_calendar_days. `timezone_column` is a SQL expression. -#}
{% macro business_local_date(utc_timestamp, timezone_column) -%}
    cast({{ utc_to_local_timestamp(utc_timestamp, timezone_column) }} as date)
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

{#- Business microseconds into the day of `utc_timestamp`: the clamp
    min(max(ts - open_at, 0), close_at - open_at) summed over the day's windows, in exact
    integer microseconds. Windows of a day never overlap (tested on the calendar). A day with
    one window (most days: its open_at/close_at are that window) skips the list walk, which
    costs about a fifth of the durations model at 200k tickets. -#}
{% macro business_offset_us(utc_timestamp, day_alias) -%}
    {%- set window_offset_us -%}
least(
                greatest({{ epoch_microseconds(utc_timestamp) }} - {{ epoch_microseconds('day_window.open_at') }}, 0),
                {{ epoch_microseconds('day_window.close_at') }} - {{ epoch_microseconds('day_window.open_at') }}
            )
    {%- endset -%}
    case
        when {{ list_length(day_alias ~ '.windows') }} = 1
            then least(
                greatest({{ epoch_microseconds(utc_timestamp) }} - {{ epoch_microseconds(day_alias ~ '.open_at') }}, 0),
                {{ epoch_microseconds(day_alias ~ '.close_at') }} - {{ epoch_microseconds(day_alias ~ '.open_at') }}
            )
        else cast({{ list_sum_of(day_alias ~ '.windows', 'day_window', window_offset_us) }} as bigint)
    end
{%- endmacro %}

{#- F(ts): business minutes from the start of the calendar to `utc_timestamp`, using the
    calendar row joined as `day_alias`. Null when that row is missing. -#}
{% macro business_position(utc_timestamp, day_alias) -%}
    ({{ day_alias }}.business_minutes_before + {{ business_offset_us(utc_timestamp, day_alias) }} / {{
        microseconds_per_minute() }})
{%- endmacro %}

{#- Business minutes between two naive UTC timestamps whose calendar days are joined as
    `start_day_alias` and `end_day_alias`: F(end) - F(start), with the whole-minute running
    totals and the microsecond offsets subtracted separately so the result is exact (a double
    F of millions of minutes would leave 1e-9 noise). Null when either timestamp is null or
    outside the calendar. Negative only if end < start, which the callers' tests forbid. -#}
{% macro business_minutes(start_timestamp, end_timestamp, start_day_alias, end_day_alias) -%}
    (
        ({{ end_day_alias }}.business_minutes_before - {{ start_day_alias }}.business_minutes_before)
        + (
            {{ business_offset_us(end_timestamp, end_day_alias) }}
            - {{ business_offset_us(start_timestamp, start_day_alias) }}
        ) / {{ microseconds_per_minute() }}
    )
{%- endmacro %}

{#- Calendar minutes between two naive UTC timestamps: elapsed time, not boundaries crossed. -#}
{% macro calendar_minutes(start_timestamp, end_timestamp) -%}
    (({{ epoch_microseconds(end_timestamp) }} - {{ epoch_microseconds(start_timestamp) }}) / {{
        microseconds_per_minute() }})
{%- endmacro %}

{#- F(ts) as an exact integer: business microseconds from the start of the calendar to
    `utc_timestamp` (calendar row joined as `day_alias`). F never decreases, so the business
    time of the overlap of [a, b] and [c, d] is greatest(0, least(F(b), F(d)) - greatest(F(a),
    F(c))): the status periods store F at both ends once, and pauses and clips are subtractions
    of these integers, never new calendar lookups. Null when that row is missing. -#}
{% macro business_position_us(utc_timestamp, day_alias) -%}
    ({{ day_alias }}.business_minutes_before * 60000000 + {{ business_offset_us(utc_timestamp, day_alias) }})
{%- endmacro %}
