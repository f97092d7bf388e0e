{% macro staging_export_tables() %}
{#- Every export table staging reads: [source_name, table_name, base model]. One list for
    stg_rejected_rows, stg_row_reconciliation and the run-start header check. -#}
{{ return([
    ['gorgias', 'tickets', 'base_gorgias__tickets'],
    ['gorgias', 'messages', 'base_gorgias__messages'],
    ['gorgias', 'ticket_events', 'base_gorgias__ticket_events'],
    ['gorgias', 'satisfaction_surveys', 'base_gorgias__satisfaction_surveys'],
    ['shopify', 'orders', 'base_shopify__orders'],
    ['shipping', 'fulfillments', 'base_shipping__fulfillments'],
    ['shipping', 'tracking_events', 'base_shipping__tracking_events'],
    ['shipping', 'notifications', 'base_shipping__notifications'],
    ['returns', 'return_requests', 'base_returns__return_requests'],
    ['nps', 'responses', 'base_nps__responses'],
    ['time_tracking', 'ticket_time_entries', 'base_time_tracking__ticket_time_entries'],
    ['finance', 'support_costs', 'base_finance__support_costs'],
]) }}
{% endmacro %}
