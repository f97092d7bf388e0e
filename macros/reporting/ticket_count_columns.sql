{#- The volume columns every ticket-period mart starts with: all tickets, customer tickets
    (the KPI denominators) and each excluded kind in its own column, so nothing disappears
    and total = customer + excluded on every row. Expects `is_customer_ticket` and
    `exclusion_reason` (tickets mart) in scope; ends with a trailing comma. -#}
{% macro ticket_count_columns() -%}
    count(*) as total_tickets,
    count(*) filter (where is_customer_ticket) as customer_tickets,
    {%- for reason in ['spam', 'merged', 'outbound', 'other'] %}
    count(*) filter (where exclusion_reason = '{{ reason }}') as excluded_{{ reason }}_tickets,
    {%- endfor %}
{%- endmacro %}
