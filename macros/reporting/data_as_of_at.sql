{#-
    One-row select with a single column `as_of_at` (naive UTC timestamp): the
    "now" of the data. Use it as an import CTE and cross join it, so every
    model that ages something (SLA pending/breached, shipments in transit,
    open refunds, backlog) agrees on the same instant:

        as_of as (
            {{ data_as_of_at() }}
        ),

    The var `as_of_at` wins when set (read as UTC). Otherwise it is the latest
    event timestamp across the staged exports (latest_export_event_at), computed
    once per run by the one-row model int_data_as_of and read from there, so
    re-running on an old export reproduces the same numbers instead of drifting
    with the wall clock.
-#}
{% macro data_as_of_at() -%}
    {%- if var('as_of_at', none) is not none -%}
    select cast('{{ var("as_of_at") }}' as timestamp) as as_of_at
    {%- else -%}
    select as_of_at from {{ ref('int_data_as_of') }}
    {%- endif -%}
{%- endmacro %}


{#- What int_data_as_of computes: the var as_of_at when set, else the latest event time in any staged export. -#}
{% macro latest_export_event_at() -%}
    {%- if var('as_of_at', none) is not none -%}
    select cast('{{ var("as_of_at") }}' as timestamp) as as_of_at
    {%- else -%}
    {%- set helpdesk = var('helpdesk', 'gorgias') -%}
    {%- set event_columns = [
        ('stg_' ~ helpdesk ~ '__tickets', 'updated_at'),
        ('stg_' ~ helpdesk ~ '__messages', 'created_at'),
        ('stg_' ~ helpdesk ~ '__ticket_events', 'occurred_at'),
        ('stg_' ~ helpdesk ~ '__satisfaction_surveys', 'scored_at'),
        ('stg_shopify__orders', 'created_at'),
        ('stg_shipping__fulfillments', 'shipped_at'),
        ('stg_shipping__tracking_events', 'occurred_at'),
        ('stg_shipping__notifications', 'sent_at'),
        ('stg_returns__return_requests', 'updated_at'),
        ('stg_nps__responses', 'responded_at'),
        ('stg_time_tracking__ticket_time_entries', 'started_at'),
    ] -%}
    select max(latest_at) as as_of_at
    from (
        {%- for model_name, column_name in event_columns %}
        select max({{ column_name }}) as latest_at from {{ ref(model_name) }}
        {%- if not loop.last %}
        union all
        {%- endif %}
        {%- endfor %}
    ) as latest_event_per_table
    {%- endif -%}
{%- endmacro %}
