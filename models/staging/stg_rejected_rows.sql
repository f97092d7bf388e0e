-- Keep the export list in step with macro staging_export_tables (used by the reconciliation test).
with

base_gorgias__tickets as (

    select * from {{ ref('base_gorgias__tickets') }}

),

base_gorgias__messages as (

    select * from {{ ref('base_gorgias__messages') }}

),

base_gorgias__ticket_events as (

    select * from {{ ref('base_gorgias__ticket_events') }}

),

base_gorgias__satisfaction_surveys as (

    select * from {{ ref('base_gorgias__satisfaction_surveys') }}

),

base_shopify__orders as (

    select * from {{ ref('base_shopify__orders') }}

),

base_shipping__fulfillments as (

    select * from {{ ref('base_shipping__fulfillments') }}

),

base_shipping__tracking_events as (

    select * from {{ ref('base_shipping__tracking_events') }}

),

base_shipping__notifications as (

    select * from {{ ref('base_shipping__notifications') }}

),

base_returns__return_requests as (

    select * from {{ ref('base_returns__return_requests') }}

),

base_nps__responses as (

    select * from {{ ref('base_nps__responses') }}

),

base_time_tracking__ticket_time_entries as (

    select * from {{ ref('base_time_tracking__ticket_time_entries') }}

),

base_finance__support_costs as (

    select * from {{ ref('base_finance__support_costs') }}

),

unioned as (

    select
        'gorgias' as source_name,
        'tickets' as table_name,
        source_file,
        source_line,
        raw_id::varchar as record_id,
        rejection_reason,
        raw_record
    from base_gorgias__tickets
    where rejection_reason is not null

    union all

    select
        'gorgias' as source_name,
        'messages' as table_name,
        source_file,
        source_line,
        raw_id::varchar as record_id,
        rejection_reason,
        raw_record
    from base_gorgias__messages
    where rejection_reason is not null

    union all

    select
        'gorgias' as source_name,
        'ticket_events' as table_name,
        source_file,
        source_line,
        raw_id::varchar as record_id,
        rejection_reason,
        raw_record
    from base_gorgias__ticket_events
    where rejection_reason is not null

    union all

    select
        'gorgias' as source_name,
        'satisfaction_surveys' as table_name,
        source_file,
        source_line,
        raw_id::varchar as record_id,
        rejection_reason,
        raw_record
    from base_gorgias__satisfaction_surveys
    where rejection_reason is not null

    union all

    select
        'shopify' as source_name,
        'orders' as table_name,
        source_file,
        source_line,
        raw_id::varchar as record_id,
        rejection_reason,
        raw_record
    from base_shopify__orders
    where rejection_reason is not null

    union all

    select
        'shipping' as source_name,
        'fulfillments' as table_name,
        source_file,
        source_line,
        raw_id::varchar as record_id,
        rejection_reason,
        raw_record
    from base_shipping__fulfillments
    where rejection_reason is not null

    union all

    select
        'shipping' as source_name,
        'tracking_events' as table_name,
        source_file,
        source_line,
        raw_id::varchar as record_id,
        rejection_reason,
        raw_record
    from base_shipping__tracking_events
    where rejection_reason is not null

    union all

    select
        'shipping' as source_name,
        'notifications' as table_name,
        source_file,
        source_line,
        raw_id::varchar as record_id,
        rejection_reason,
        raw_record
    from base_shipping__notifications
    where rejection_reason is not null

    union all

    select
        'returns' as source_name,
        'return_requests' as table_name,
        source_file,
        source_line,
        raw_id::varchar as record_id,
        rejection_reason,
        raw_record
    from base_returns__return_requests
    where rejection_reason is not null

    union all

    select
        'nps' as source_name,
        'responses' as table_name,
        source_file,
        source_line,
        raw_id::varchar as record_id,
        rejection_reason,
        raw_record
    from base_nps__responses
    where rejection_reason is not null

    union all

    select
        'time_tracking' as source_name,
        'ticket_time_entries' as table_name,
        source_file,
        source_line,
        raw_id::varchar as record_id,
        rejection_reason,
        raw_record
    from base_time_tracking__ticket_time_entries
    where rejection_reason is not null

    union all

    select
        'finance' as source_name,
        'support_costs' as table_name,
        source_file,
        source_line,
        raw_id::varchar as record_id,
        rejection_reason,
        raw_record
    from base_finance__support_costs
    where rejection_reason is not null

),

final as (

    select
        ---------- strings
        source_name,
        table_name,
        source_file,
        record_id,
        rejection_reason,
        raw_record,

        ---------- numerics
        source_line

    from unioned

)

select * from final
