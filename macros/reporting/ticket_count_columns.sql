{#- The volume columns every ticket-period mart starts with: all tickets, customer tickets
    (the KPI denominators) and each excluded kind in its own column, so nothing disappears
    and total = customer + excluded on every row (a ticket deleted in the helpdesk is in none
    of them). Expects `is_customer_ticket` and `exclusion_reason` (tickets mart) in scope;
    ends with a trailing comma. -#}
{% macro ticket_count_columns() -%}
    -- a ticket deleted in the helpdesk (Zendesk) no longer exists: in no volume column
    -- (counted in data_quality_summary, `deleted_ticket`)
    count(*) filter (where exclusion_reason is distinct from 'deleted') as total_tickets,
    count(*) filter (where is_customer_ticket) as customer_tickets,
    {%- for reason in ['spam', 'merged', 'outbound', 'other'] %}
    count(*) filter (where exclusion_reason = '{{ reason }}') as excluded_{{ reason }}_tickets,
    {%- endfor %}
{%- endmacro %}
