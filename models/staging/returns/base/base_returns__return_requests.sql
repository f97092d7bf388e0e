with

source as (

    select * from {{ export_rows(source('returns', 'return_requests'), 'returns', 'return_requests') }}

),

value_map as (

    select * from {{ ref('staging_value_map') }}

),

orders as (

    select * from {{ ref('base_shopify__orders') }}

),

known_orders as (

    select distinct order_number as known_order_number
    from orders
    where rejection_reason is null

),

parsed as (

    select
        source.filename as source_file,
        {{ export_line_number() }} as source_line,
        {{ raw_record_json('returns', 'return_requests', 'source') }} as raw_record,
        nullif(trim(source.return_id), '') as return_id,
        nullif(trim(source.order_name), '') as raw_order_name,
        {{ normalize_identifier('source.order_name') }} as order_number,
        nullif(lower(trim(source.customer_email)), '') as customer_email,
        source.type as raw_request_type,
        source.status as raw_status,
        nullif(trim(source.reason), '') as reason_text,
        nullif(trim(source.refund_amount), '') as raw_refund_amount,
        -- the file's decimal convention (a window over the file), then the amount read by it
        {{ number_convention(['source.refund_amount']) }} as number_convention,
        {{ parse_number('source.refund_amount', 'number_convention') }} as refund_amount,
        nullif(upper(trim(source.currency)), '') as currency,
        nullif(trim(source.helpdesk_ticket_id), '') as raw_ticket_id,
        {{ text_as_id(normalize_identifier('source.helpdesk_ticket_id')) }} as ticket_id,
        source.approved_at as raw_approved_at,
        source.received_at as raw_received_at,
        source.refunded_at as raw_refunded_at,
        {{ to_utc_timestamp('source.requested_at') }} as requested_at,
        {{ to_utc_timestamp('source.approved_at') }} as approved_at,
        {{ to_utc_timestamp('source.received_at') }} as received_at,
        {{ to_utc_timestamp('source.refunded_at') }} as refunded_at,
        {{ to_utc_timestamp('source.updated_at') }} as updated_at

    from source

),

-- Incremental runs: the new rows plus the loaded rows of the entities they touch, the
-- loaded rows rejected as "unknown order" whose order has arrived since, and the loaded
-- refunds in another currency than the reporting one (seed fx_rates may have changed).
candidates as (

    select * from parsed
    {{ loaded_rows_to_recheck(
        'parsed',
        ['return_id'],
        ['raw_id', 'request_type', 'status', 'rejection_reason', 'is_superseded'],
        "(loaded.rejection_reason like '%unknown order%'"
        ~ " and loaded.order_number in (select known_order_number from known_orders))"
        ~ " or (loaded.refund_amount is not null and loaded.currency is distinct from '"
        ~ reporting_currency() ~ "')"
    ) }}

),

checked as (

    select
        parsed.*,
        parsed.return_id as raw_id,
        type_map.canonical_value as request_type,
        status_map.canonical_value as status,
        {{ rejection_reason([
            ["parsed.return_id is null", "missing return_id"],
            [is_in_the_future(['parsed.requested_at', 'parsed.approved_at', 'parsed.received_at', 'parsed.refunded_at', 'parsed.updated_at']), "timestamp in the future"],
            ["parsed.requested_at is null", "missing or unparseable requested_at"],
            ["parsed.updated_at is null", "missing or unparseable updated_at"],
            [is_unparseable_timestamp('parsed.raw_approved_at'), "unparseable approved_at"],
            [is_unparseable_timestamp('parsed.raw_received_at'), "unparseable received_at"],
            [is_unparseable_timestamp('parsed.raw_refunded_at'), "unparseable refunded_at"],
            ["type_map.canonical_value is null", "unknown type"],
            ["status_map.canonical_value is null", "unknown status"],
            ["parsed.refund_amount < 0", "negative amount"],
            [is_mangled_identifier('parsed.raw_order_name'), "order_name looks like a spreadsheet-mangled order number"],
            ["parsed.order_number is not null and known_orders.known_order_number is null", "unknown order"],
            [is_mangled_identifier('parsed.raw_ticket_id'), "helpdesk_ticket_id looks like a spreadsheet-mangled ticket id"],
            ["parsed.raw_ticket_id is not null and parsed.ticket_id is null and not "
             ~ is_mangled_identifier('parsed.raw_ticket_id'), "non-numeric helpdesk_ticket_id"],
            ["parsed.refunded_at < parsed.requested_at", "refunded before it was requested"],
        ] + number_checks([
            ['parsed.raw_refund_amount', 'parsed.refund_amount', 'refund_amount'],
        ], 'parsed.number_convention') + currency_checks(
            'parsed.refund_amount',
            'parsed.currency',
            refund_fx_month('parsed.refunded_at', 'parsed.requested_at'),
        )) }} as rejection_reason

    from candidates as parsed
    left join known_orders
        on parsed.order_number = known_orders.known_order_number
    left join value_map as type_map
        on
            type_map.domain = 'return_type'
            and {{ enum_key('parsed.raw_request_type') }} = type_map.raw_value
    left join value_map as status_map
        on
            status_map.domain = 'return_status'
            and {{ enum_key('parsed.raw_status') }} = status_map.raw_value
    {{ fx_rate_join('parsed.currency', refund_fx_month('parsed.refunded_at', 'parsed.requested_at')) }}

),

final as (

    select
        *,
        {{ load_timestamp() }} as loaded_at,
        {{ is_superseded(['return_id'], ['updated_at desc', 'source_file desc', 'source_line desc']) }}
            as is_superseded

    from checked

)

-- AM04: on incremental runs `candidates` unions the loaded rows by name (all_columns_except: `* exclude`).
select * from final  -- noqa: AM04
