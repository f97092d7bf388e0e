-- One row per data-quality check and table: how many rows a check found, so a support lead
-- sees in one place what the build set aside, flagged or could not use. Each check is one
-- union branch below: add a branch (same five columns) for every new kind of problem.
with

rejected_rows as (
    select * from {{ ref('stg_rejected_rows') }}
),

reconciliation as (
    select * from {{ ref('stg_row_reconciliation') }}
),

ticket_threads as (
    select * from {{ ref('int_ticket_threads') }}
),

order_shipping_outcomes as (
    select * from {{ ref('int_order_shipping_outcomes') }}
),

business_durations as (
    select * from {{ ref('int_ticket_business_durations') }}
),

data_as_of as (
    select * from {{ ref('int_data_as_of') }}
),

{% for rule in timestamps_unknown_if_before() | unique(attribute='base_model') %}
    {{ rule.base_model }} as (
        select * from {{ ref(rule.base_model) }}
    ),

{% endfor %}

contact_reasons as (
    select * from {{ ref('int_ticket_contact_reasons') }}
),

helpdesk_tickets as (
    select * from {{ ref(helpdesk_model('tickets')) }}
),

export_files as (
    select * from {{ ref('stg_export_files') }}
),

zendesk_metric_comparison as (
    select * from {{ ref('int_zendesk_metric_comparison') }}
),

{% if var('helpdesk') == 'zendesk' %}
    -- Zendesk comments whose author the users export does not know (a deleted user, or no
    -- users export): stg_zendesk__messages decides their side without a role
    zendesk_unknown_authors as (
        {{ zendesk_unknown_comment_authors() }}
    ),

{% endif %}
-- one row per file and column the contract does not declare / optional column it lacks
unknown_columns as (
    select
        source_name,
        table_name,
        source_file,
        {{ unnest_list('unknown_columns') }} as column_name
    from export_files
),

absent_columns as (
    select
        source_name,
        table_name,
        source_file,
        {{ unnest_list('absent_optional_columns') }} as column_name
    from export_files
),

-- every export table staging reads (macro staging_export_tables)
export_tables as (
    select
        export_table_list.source_name,
        export_table_list.table_name
    from (
        values
        {%- for source_name, table_name, base_model in staging_export_tables() %}
            ('{{ source_name }}', '{{ table_name }}'){{ ',' if not loop.last }}
        {%- endfor %}
    ) as export_table_list (source_name, table_name)
),

checks as (

    select
        'rows_rejected' as check_name,
        source_name,
        table_name,
        rejection_reason as detail,
        count(*) as row_count
    from rejected_rows
    group by source_name, table_name, rejection_reason

    union all

    select
        'rows_duplicate' as check_name,
        source_name,
        table_name,
        'superseded by a later re-export of the same id' as detail,
        rows_duplicate as row_count
    from reconciliation

    union all

    -- the tie rule picked one of two copies with the same update time and other content
    -- (stg_duplicate_conflicts, counted per table by the reconciliation: read once)
    select
        'duplicate_conflicting' as check_name,
        source_name,
        table_name,
        'same id and update time, different content: the later file (then line) was kept' as detail,
        rows_duplicate_conflicting as row_count
    from reconciliation
    where rows_duplicate_conflicting > 0

    -- events before their cause, the timestamp treated as unknown (macros/staging/time_order.sql)
    {% for rule in timestamps_unknown_if_before() %}
        union all

        select
            'timestamp_unknown' as check_name,
            '{{ rule.source_name }}' as source_name,
            '{{ rule.table_name }}' as table_name,
            '{{ rule.column }} before {{ rule.cause }}: treated as unknown' as detail,
            count(*) as row_count
        from {{ rule.base_model }}
        where rejection_reason is null and not is_superseded and {{ rule.column }} < {{ rule.cause }}
    {% endfor %}

    union all

    select
        'closed_time_unknown' as check_name,
        null as source_name,
        'int_ticket_threads' as table_name,
        'customer ticket closed with no close time (not in the backlog, no resolution time, SLA unknown)' as detail,
        count(*) as row_count
    from ticket_threads
    where is_customer_ticket and is_closed_time_unknown

    union all

    -- the helpdesk put a ticket on a schedule neither the seeds nor the schedules export
    -- define: its business time there is not shown (add the schedule or export it)
    select
        'ticket_schedule_unknown' as check_name,
        '{{ var("helpdesk") }}' as source_name,
        'int_ticket_business_durations' as table_name,
        'ticket on a schedule the business calendar does not define: business time not shown' as detail,
        count(*) filter (where has_unknown_schedule) as row_count
    from business_durations

    union all

    select
        'shipment_before_order' as check_name,
        null as source_name,
        'int_order_shipping_outcomes' as table_name,
        'fulfillment shipped before its order was created: ship time treated as unknown' as detail,
        cast(coalesce(sum(shipments_before_order_count), 0) as bigint) as row_count
    from order_shipping_outcomes

    union all

    select
        'checkpoint_before_order' as check_name,
        null as source_name,
        'int_order_shipping_outcomes' as table_name,
        'tracking checkpoint dated before its order was created: left out of delivery and exception times' as detail,
        cast(coalesce(sum(checkpoints_before_order_count), 0) as bigint) as row_count
    from order_shipping_outcomes

    union all

    -- one row per source domain lagging the freshest by more than var source_staleness_warn_hours
    select
        'source_stale' as check_name,
        source_domain as source_name,
        'int_data_as_of' as table_name,
        'latest event ' || {{ strftime('latest_event_at', '%Y-%m-%d %H:%M:%S') }} || ' UTC, '
        || round(hours_behind_freshest, 1) || ' h behind the freshest source' as detail,
        1 as row_count
    from data_as_of
    where is_stale

    union all

    -- a filled "Contact reason" field the field map does not know (by full path or leaf):
    -- its tickets fell through to tags and rules; add the value to contact_reason_field_map
    select
        'reason_field_unmapped' as check_name,
        '{{ var("helpdesk") }}' as source_name,
        'tickets' as table_name,
        'Contact reason field value not in contact_reason_field_map (full path or leaf)' as detail,
        count(*) filter (where reason_field_match = 'unmapped') as row_count
    from contact_reasons

    union all

    -- kept tickets whose order-number field could not be read with certainty: the field is
    -- ignored (no guessed order), the ticket still counts
    select
        'order_number_field_ignored' as check_name,
        '{{ var("helpdesk") }}' as source_name,
        'tickets' as table_name,
        'Order number field looks like a spreadsheet-mangled order number: ignored' as detail,
        count(*) as row_count
    from helpdesk_tickets
    where has_mangled_order_number_field

    union all

    -- An optional export the brand does not have: its staging models and the marts built
    -- on them are empty (a figure not shown, rather than a zero). row_count: files (0).
    select
        'export_not_provided' as check_name,
        export_tables.source_name,
        export_tables.table_name,
        'no export file: the figures built on this table are empty' as detail,
        0 as row_count
    from export_tables
    where
        not exists (
            select 1
            from export_files
            where
                export_files.source_name = export_tables.source_name
                and export_files.table_name = export_tables.table_name
        )

    union all

    -- A column a vendor added: read and ignored. row_count: files carrying it.
    select
        'unknown_column_ignored' as check_name,
        source_name,
        table_name,
        'column ' || column_name || ' (not in the export contract, ignored) in '
        || {{ ordered_string_agg('source_file', ', ', 'source_file') }} as detail,
        count(*) as row_count
    from unknown_columns
    group by source_name, table_name, column_name

    union all

    -- An optional column a file lacks: read as null. row_count: files lacking it.
    select
        'optional_column_absent' as check_name,
        source_name,
        table_name,
        'column ' || column_name || ' read as null (absent) in '
        || {{ ordered_string_agg('source_file', ', ', 'source_file') }} as detail,
        count(*) as row_count
    from absent_columns
    group by source_name, table_name, column_name

    union all

    -- deleted tickets (Zendesk status deleted): kept in staging, out of every KPI
    -- (int_ticket_threads exclusion_reason 'deleted')
    select
        'deleted_ticket' as check_name,
        '{{ var("helpdesk") }}' as source_name,
        'tickets' as table_name,
        'ticket deleted in the helpdesk: out of every KPI' as detail,
        count(*) as row_count
    from helpdesk_tickets
    where is_deleted

    {% if var('helpdesk') == 'zendesk' %}
        union all

        select
            'message_author_unknown' as check_name,
            'zendesk' as source_name,
            'ticket_comments' as table_name,
            'comment author not in the users export: the requester counts as customer, anyone else as brand side'
                as detail,
            count(*) as row_count
        from zendesk_unknown_authors
    {% endif %}

    union all

    -- A file not in UTF-8, decoded by its own encoding. row_count: files.
    select
        'file_encoding_decoded' as check_name,
        source_name,
        table_name,
        'decoded from ' || encoding || ': ' || {{ ordered_string_agg('source_file', ', ', 'source_file') }} as detail,
        count(*) as row_count
    from export_files
    where encoding not in ('utf-8', 'binary')
    group by source_name, table_name, encoding

    union all

    -- Our figure differs from Zendesk's own and no known reason explains it
    -- (zendesk_metric_comparison; empty unless helpdesk = zendesk). row_count: tickets.
    select
        'zendesk_metric_unexplained' as check_name,
        'zendesk' as source_name,
        'ticket_metrics' as table_name,
        metric || ' (' || time_basis || ' minutes) differs from Zendesk''s without a known reason: '
        || 'see zendesk_metric_comparison' as detail,
        count(*) as row_count
    from zendesk_metric_comparison
    where difference_reason = 'unexplained'
    group by metric, time_basis

),

final as (

    select
        ---------- strings
        check_name,
        source_name,
        table_name,
        detail,

        ---------- numerics
        row_count

    from checks

)

select * from final
