{% macro staging_export_tables() %}
{#- Every export table staging reads: [source_name, table_name, base model]. One list for
    stg_rejected_rows, stg_row_reconciliation and the run-start header check. The helpdesk's
    tables are those of the chosen helpdesk only (var helpdesk): the other folder is disabled. -#}
{{ return(helpdesk_export_tables() + [
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


{% macro helpdesk_export_tables() %}
{#- The export tables of the chosen helpdesk (var helpdesk), as staging_export_tables lists them. -#}
{%- set tables = {
    'gorgias': ['tickets', 'messages', 'ticket_events', 'satisfaction_surveys'],
    'zendesk': ['tickets', 'ticket_comments', 'ticket_audits', 'users', 'groups', 'organizations',
        'satisfaction_ratings', 'schedules', 'sla_policies', 'ticket_metrics'],
} -%}
{%- set helpdesk = var('helpdesk') -%}
{%- set listed = [] -%}
{%- for table_name in tables.get(helpdesk, []) -%}
    {%- do listed.append([helpdesk, table_name, 'base_' ~ helpdesk ~ '__' ~ table_name]) -%}
{%- endfor -%}
{{ return(listed) }}
{% endmacro %}


{% macro required_export_tables() %}
{#- The export tables a brand must provide: the helpdesk's tickets and messages. Every other
    table is optional: without its files the base model reads nothing (export_rows), the
    marts built on it are empty and data_quality_summary says "export not provided". -#}
{%- set required = {
    'gorgias': ['gorgias.tickets', 'gorgias.messages'],
    'zendesk': ['zendesk.tickets', 'zendesk.ticket_comments'],
} -%}
{{ return(required.get(var('helpdesk'), [])) }}
{% endmacro %}


{% macro required_export_columns(source_name, table_name) %}
{#- The columns an export file must carry (docs/export_contract.md): ids, the timestamps a row
    is rejected without, and the measures a KPI counts (a score, an amount, a duration), so a
    file without one stops the run instead of rejecting every row or showing an empty figure.
    Every other declared column is optional: a file without it is read with the column null. -#}
{%- set required = {
    'gorgias.tickets': ['id', 'status', 'created_datetime', 'updated_datetime'],
    'gorgias.messages': ['id', 'ticket_id', 'created_datetime'],
    'gorgias.ticket_events': ['id', 'object_id', 'type', 'created_datetime'],
    'gorgias.satisfaction_surveys': ['id', 'ticket_id', 'score', 'created_datetime'],
    'zendesk.tickets': ['id', 'status', 'created_at', 'updated_at'],
    'zendesk.ticket_comments': ['id', 'ticket_id', 'created_at'],
    'zendesk.ticket_audits': ['id', 'ticket_id', 'created_at', 'events'],
    'zendesk.users': ['id', 'role', 'updated_at'],
    'zendesk.groups': ['id', 'name'],
    'zendesk.organizations': ['id'],
    'zendesk.satisfaction_ratings': ['id', 'ticket_id', 'score', 'created_at'],
    'zendesk.schedules': ['id'],
    'zendesk.sla_policies': ['id'],
    'zendesk.ticket_metrics': ['id', 'ticket_id', 'updated_at'],
    'shopify.orders': ['Name', 'Id', 'Created at', 'Total', 'Currency'],
    'shipping.fulfillments': ['fulfillment_id', 'order_id', 'updated_at'],
    'shipping.tracking_events': ['event_id', 'tracking_number', 'status', 'checkpoint_at'],
    'shipping.notifications': ['notification_id', 'notification_type', 'channel', 'sent_at'],
    'returns.return_requests': ['return_id', 'order_name', 'type', 'status', 'requested_at', 'refund_amount',
        'currency', 'updated_at'],
    'nps.responses': ['response_id', 'score', 'created_at'],
    'time_tracking.ticket_time_entries': ['entry_id', 'ticket_id', 'started_at', 'duration_seconds'],
    'finance.support_costs': ['month', 'team', 'cost_category', 'amount', 'currency'],
} -%}
{{ return(required.get(source_name ~ '.' ~ table_name, [])) }}
{% endmacro %}


{% macro staging_export_files_description() %}
{#- Body of stg_export_files' `described` CTE: DuckDB's values list (export_files_description),
    or Spark's union of typed selects (spark__staging_export_files_description). -#}
    {{ return(adapter.dispatch('staging_export_files_description', 'support_kpis')()) }}
{%- endmacro %}


{% macro duckdb__staging_export_files_description() %}
{{ export_files_description() }}
{%- endmacro %}


{% macro broken_export_rows(export_files) %}
{#- stg_rejected_rows' rows for the CSV records the reader could not split, from
    stg_export_files' broken_rows lists (the relation or CTE `export_files`). -#}
    {{ return(adapter.dispatch('broken_export_rows', 'support_kpis')(export_files)) }}
{%- endmacro %}


{% macro duckdb__broken_export_rows(export_files) %}
    select
        unnested.source_name,
        unnested.table_name,
        unnested.source_file,
        unnested.source_line,
        cast(null as varchar) as record_id,
        'broken CSV row (' || lower(unnested.error) || '): its fields do not match the header' as rejection_reason,
        cast(to_json(unnested.raw_line) as varchar) as raw_record
    from (
        select
            source_name,
            table_name,
            source_file,
            -- expands to the struct's fields: source_line, error, raw_line
            unnest(broken_rows, recursive := true)  -- noqa: AL03
        from {{ export_files }}
    ) as unnested
{%- endmacro %}


