{#- THE entry point for a ticket's business time: every model that measures business time
    between two instants of a ticket calls this (durations, SLA clocks, status periods).

    `relation`: a CTE or relation with one row per thing to measure, holding the ticket id
    (`ticket_id_column`) and naive UTC timestamp columns. `spans`: a list of
    [start_column, end_column, name]. Returns a select of every column of `relation` plus, per
    span, `<name>_business_minutes` (double) and `<name>_business_microseconds` (bigint,
    exact: sum this one). `schedule_id_at`: a timestamp column; if given, also
    `schedule_id`, the schedule the ticket followed at that instant. `positions`: timestamp
    columns whose position P(ts) is returned as `<column>_business_position_us` (exact
    integer microseconds, continuous across the ticket's schedule changes): models that clip
    or overlap spans (status periods, SLA pauses) subtract positions instead of measuring
    again. Use it as a CTE body:

        measured as (
            {{ ticket_business_time('periods', [['period_start_at', 'period_end_at', 'period']]) }}
        ),

    How: int_ticket_schedule_segments cuts the ticket's time at each schedule change; a
    timestamp's position is F(ts) of its segment's schedule (the daily cumulative calendar,
    business_minutes.sql) plus the segment's position_shift_us, which makes the positions of
    one ticket continuous across changes. So business time between a and b is P(b) - P(a):
    each minute of the span is counted once, under the schedule in force at that minute,
    whatever the span's length. Cost: one join per ticket for a ticket's only segment (most
    tickets), and per distinct timestamp column one calendar lookup plus a probe of the
    changed tickets' segments (a small table).
    Null when a timestamp is null, outside the calendar, or under a schedule the calendar
    does not know (int_ticket_schedule_segments.is_schedule_known). -#}
{% macro ticket_business_time(relation, spans, ticket_id_column='ticket_id', schedule_id_at=none, positions=[]) -%}
    {%- set timestamp_columns = [] -%}
    {%- for span in spans -%}
        {%- for column in span[:2] -%}
            {%- if column not in timestamp_columns -%}{%- do timestamp_columns.append(column) -%}{%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for column in positions -%}
        {%- if column not in timestamp_columns -%}{%- do timestamp_columns.append(column) -%}{%- endif -%}
    {%- endfor -%}
    {%- if schedule_id_at is not none and schedule_id_at not in timestamp_columns -%}
        {%- do timestamp_columns.append(schedule_id_at) -%}
    {%- endif -%}
    select
        {{ relation }}.*,
        {%- if schedule_id_at is not none %}
        coalesce({{ schedule_id_at }}_segment.schedule_id, only_segment.schedule_id) as schedule_id,
        {%- endif %}
        {%- for column in positions %}
        (
            {{ business_position_us(relation ~ '.' ~ column, column ~ '_day') }}
            + coalesce({{ column }}_segment.position_shift_us, only_segment.position_shift_us)
        ) as {{ column }}_business_position_us{{ ',' if spans or not loop.last }}
        {%- endfor %}
        {%- for span in spans %}
        {%- set start_day = span[0] ~ '_day' %}
        {%- set end_day = span[1] ~ '_day' %}
        {%- set start_us -%}
            ({{ business_offset_us(relation ~ '.' ~ span[0], start_day) }}
            + coalesce({{ span[0] }}_segment.position_shift_us, only_segment.position_shift_us))
        {%- endset %}
        {%- set end_us -%}
            ({{ business_offset_us(relation ~ '.' ~ span[1], end_day) }}
            + coalesce({{ span[1] }}_segment.position_shift_us, only_segment.position_shift_us))
        {%- endset %}
        (
            ({{ end_day }}.business_minutes_before - {{ start_day }}.business_minutes_before)
            + ({{ end_us }} - {{ start_us }}) / {{ microseconds_per_minute() }}
        ) as {{ span[2] }}_business_minutes,
        (
            ({{ end_day }}.business_minutes_before - {{ start_day }}.business_minutes_before) * 60000000
            + {{ end_us }} - {{ start_us }}
        ) as {{ span[2] }}_business_microseconds{{ ',' if not loop.last }}
        {%- endfor %}

    from {{ relation }}
    {# Most tickets have one segment: joined once per ticket, on its id alone. #}
    left join {{ ref('int_ticket_schedule_segments') }} as only_segment
        on
            {{ relation }}.{{ ticket_id_column }} = only_segment.ticket_id
            and only_segment.is_only_segment
    {%- for column in timestamp_columns %}
    {# A ticket whose schedule changed: the segment holding this instant. #}
    left join {{ ref('int_ticket_schedule_segments') }} as {{ column }}_segment
        on
            {{ relation }}.{{ ticket_id_column }} = {{ column }}_segment.ticket_id
            and not {{ column }}_segment.is_only_segment
            and ({{ column }}_segment.segment_start_at is null or {{ relation }}.{{ column }} >= {{ column }}_segment.segment_start_at)
            and ({{ column }}_segment.segment_end_at is null or {{ relation }}.{{ column }} < {{ column }}_segment.segment_end_at)
    {{ business_calendar_join(
        ref('int_business_calendar_days'), column ~ '_day',
        'coalesce(' ~ column ~ '_segment.schedule_id, only_segment.schedule_id)',
        'coalesce(' ~ column ~ '_segment.timezone, only_segment.timezone)', relation ~ '.' ~ column
    ) }}
    {%- endfor %}
{%- endmacro %}
