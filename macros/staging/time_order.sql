{#-
    Events dated before their cause (issue 13: a ticket closed before it was created, a
    refund before its request...). Each case is decided once, in docs/decisions/conventions.md
    ("Events before their cause"): either the row is quarantined (a rejection reason in its
    base model, using the conditions below) or the one timestamp is treated as unknown
    (listed in timestamps_unknown_if_before, nulled by its stg_ model through
    time_or_unknown and counted per column in data_quality_summary).
-#}

{% macro timestamps_unknown_if_before() %}
{#- The timestamps staging nulls when dated before their cause: the row itself stays
    usable. One list for the stg_ models (time_or_unknown) and data_quality_summary. -#}
    {#- Only the chosen helpdesk's models exist (var helpdesk). Zendesk tickets carry no close
        time: it comes from the audits, whose status events before the ticket are rejected. -#}
    {%- set helpdesk_rules = [
        {'source_name': 'gorgias', 'table_name': 'tickets', 'base_model': 'base_gorgias__tickets',
         'column': 'closed_at', 'cause': 'created_at'},
    ] if var('helpdesk') == 'gorgias' else [] -%}
    {{ return(helpdesk_rules + [
        {'source_name': 'returns', 'table_name': 'return_requests', 'base_model': 'base_returns__return_requests',
         'column': 'approved_at', 'cause': 'requested_at'},
        {'source_name': 'returns', 'table_name': 'return_requests', 'base_model': 'base_returns__return_requests',
         'column': 'received_at', 'cause': 'requested_at'},
    ]) }}
{%- endmacro %}


{% macro time_or_unknown(base_model, column) %}
{#- In a stg_ model: the column, or null when timestamps_unknown_if_before lists it for the
    base model and it is dated before its cause. -#}
    {%- set rules = timestamps_unknown_if_before() | selectattr('base_model', 'equalto', base_model)
        | selectattr('column', 'equalto', column) | list -%}
    {#- execute: a disabled helpdesk folder's models are still parsed -#}
    {%- if rules | length != 1 and execute -%}
        {{ exceptions.raise_compiler_error(
            "time_or_unknown: " ~ base_model ~ "." ~ column ~ " is not in timestamps_unknown_if_before()"
        ) }}
    {%- endif -%}
    {%- if rules | length == 1 -%}
    case when {{ column }} < {{ rules[0].cause }} then null else {{ column }} end
    {%- else -%}
    {{ column }}
    {%- endif -%}
{%- endmacro %}


{% macro is_dated_before_ticket(timestamp_column, ticket_created_column='known_tickets.ticket_created_at') %}
    {{ return(adapter.dispatch('is_dated_before_ticket', 'support_kpis')(timestamp_column, ticket_created_column)) }}
{%- endmacro %}


{% macro duckdb__is_dated_before_ticket(timestamp_column, ticket_created_column='known_tickets.ticket_created_at') %}
{#- Rejection condition of a row of a ticket (message, status event) dated before its ticket
    was created by more than var message_clock_skew_minutes (clocks of mail servers and the
    helpdesk differ a little; within the skew the ticket model takes the creation time). -#}
    {{ return(
        timestamp_column ~ " < " ~ ticket_created_column
        ~ " - interval (" ~ var('message_clock_skew_minutes') ~ ") minute"
    ) }}
{%- endmacro %}


{% macro not_before(timestamp_expression, floor_expression) %}
{#- The timestamp, moved up to floor when earlier (null stays null: DuckDB's greatest()
    would skip a null and return the floor). For events within the allowed clock skew
    before their ticket: the ticket model takes them at the creation time, so no duration
    starts negative. -#}
    case when {{ timestamp_expression }} < {{ floor_expression }} then {{ floor_expression }} else {{ timestamp_expression }} end
{%- endmacro %}
