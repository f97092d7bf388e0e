with

source as (

    select * from {{ export_rows(source('shopify', 'orders'), 'shopify', 'orders') }}

),

numbered as (

    select
        source.*,
        source.filename as source_file,
        {{ export_line_number() }} as source_line,
        -- an order's lines are grouped by its number as meant (`#1002` and `1002.0` alike);
        -- a mangled Name keeps its text, so its lines stay together until rejected
        coalesce({{ normalize_identifier('source.name') }}, nullif(trim(source.name), '')) as order_name,
        {{ number_convention([
            'source.subtotal', 'source.shipping', 'source.taxes', 'source.total',
            'source.' ~ adapter.quote('Discount Amount'), 'source.' ~ adapter.quote('Refunded Amount'),
            'source.' ~ adapter.quote('Lineitem price'),
        ], 'source.filename') }} as number_convention

    from source

),

order_rows as (

    -- Shopify fills order-level fields on an order's first row only: every line of the
    -- order takes them from that row of its file. One window is the cheapest plan in
    -- DuckDB: an aggregate per order joined back took ~1.5x the CPU at 1M tickets.
    select
        *,
        {{ row_number_in_framed_window('order_lines', 'source_file, order_name', 'source_line') }} as line_number,
        first_value(nullif(trim(id), '')) over order_lines as raw_order_id,
        first_value(email) over order_lines as raw_email,
        first_value({{ adapter.quote('Financial Status') }}) over order_lines as raw_financial_status,
        first_value({{ adapter.quote('Paid at') }}) over order_lines as raw_paid_at,
        first_value({{ adapter.quote('Fulfillment Status') }}) over order_lines as raw_fulfillment_status,
        first_value({{ adapter.quote('Fulfilled at') }}) over order_lines as raw_fulfilled_at,
        first_value(currency) over order_lines as raw_currency,
        first_value(subtotal) over order_lines as raw_subtotal,
        first_value(shipping) over order_lines as raw_shipping,
        first_value(taxes) over order_lines as raw_taxes,
        first_value(total) over order_lines as raw_total,
        first_value({{ adapter.quote('Discount Amount') }}) over order_lines as raw_discount,
        first_value({{ adapter.quote('Shipping Method') }}) over order_lines as raw_shipping_method,
        first_value({{ adapter.quote('Created at') }}) over order_lines as raw_created_at,
        first_value({{ adapter.quote('Cancelled at') }}) over order_lines as raw_cancelled_at,
        first_value({{ adapter.quote('Refunded Amount') }}) over order_lines as raw_refunded,
        first_value({{ adapter.quote('Shipping Country') }}) over order_lines as raw_shipping_country,
        first_value(source) over order_lines as raw_source

    from numbered
    window order_lines as (
        partition by source_file, order_name
        order by source_line
        rows between unbounded preceding and unbounded following
    )

),

parsed as (

    select
        source_file,
        source_line,
        {{ row_struct('order_rows') }} as raw_row,  -- the row as read (a struct): raw_record_if_rejected's input
        -- the Id column identifies the row in the export (Name is the customer-facing number)
        coalesce(raw_order_id, order_name) as raw_id,
        line_number,
        {{ text_as_id(normalize_identifier('raw_order_id')) }} as order_id,
        {{ normalize_identifier('order_name') }} as order_number,
        order_name as raw_order_name,
        number_convention,
        lower(trim(raw_email)) as customer_email,
        nullif(lower(trim(raw_financial_status)), '') as financial_status,
        nullif(lower(trim(raw_fulfillment_status)), '') as fulfillment_status,
        upper(trim(raw_currency)) as currency,
        {{ parse_number('raw_subtotal', 'number_convention') }} as subtotal_amount,
        {{ parse_number('raw_shipping', 'number_convention') }} as shipping_amount,
        {{ parse_number('raw_taxes', 'number_convention') }} as tax_amount,
        {{ parse_number('raw_total', 'number_convention') }} as total_amount,
        {{ parse_number('raw_discount', 'number_convention') }} as discount_amount,
        {{ parse_number('raw_refunded', 'number_convention') }} as refunded_amount,
        nullif(trim(raw_shipping_method), '') as shipping_method,
        nullif(upper(trim(raw_shipping_country)), '') as shipping_country,
        nullif(lower(trim(raw_source)), '') as sales_channel,
        {{ adapter.quote('Lineitem name') }} as product_name,
        nullif(trim({{ adapter.quote('Lineitem sku') }}), '') as sku,
        {{ text_as_integer(adapter.quote('Lineitem quantity')) }} as quantity,
        {{ parse_number(adapter.quote('Lineitem price'), 'number_convention') }} as unit_price,
        raw_order_id,
        raw_subtotal,
        raw_shipping,
        raw_taxes,
        raw_total,
        raw_discount,
        raw_refunded,
        raw_paid_at,
        raw_fulfilled_at,
        raw_cancelled_at,
        {{ adapter.quote('Lineitem quantity') }} as raw_quantity,
        {{ adapter.quote('Lineitem price') }} as raw_unit_price,
        {{ to_utc_timestamp('raw_created_at') }} as created_at,
        {{ to_utc_timestamp('raw_paid_at') }} as paid_at,
        {{ to_utc_timestamp('raw_fulfilled_at') }} as fulfilled_at,
        {{ to_utc_timestamp('raw_cancelled_at') }} as cancelled_at

    from order_rows

),

checked as (

    select
        *,
        {{ rejection_reason([
            ["raw_order_name is null", "missing Name"],
            [is_mangled_identifier('raw_order_name'), "Name looks like a spreadsheet-mangled order number"],
            [is_in_the_future(['created_at', 'paid_at', 'fulfilled_at', 'cancelled_at']), "timestamp in the future"],
            [is_mangled_identifier('raw_order_id'), "Id looks like a spreadsheet-mangled order number"],
            ["order_id is null and not " ~ is_mangled_identifier('raw_order_id'), "missing or non-numeric Id"],
            ["created_at is null", "missing or unparseable Created at"],
            [is_unparseable_timestamp('raw_paid_at'), "unparseable Paid at"],
            [is_unparseable_timestamp('raw_fulfilled_at'), "unparseable Fulfilled at"],
            [is_unparseable_timestamp('raw_cancelled_at'), "unparseable Cancelled at"],
            ["total_amount < 0 or refunded_amount < 0", "negative amount"],
            ["nullif(trim(raw_quantity), '') is not null and quantity is null", "non-integer Lineitem quantity"],
            ["quantity < 0", "negative Lineitem quantity"],
        ] + number_checks([
            ['raw_subtotal', 'subtotal_amount', 'Subtotal'],
            ['raw_shipping', 'shipping_amount', 'Shipping'],
            ['raw_taxes', 'tax_amount', 'Taxes'],
            ['raw_total', 'total_amount', 'Total'],
            ['raw_discount', 'discount_amount', 'Discount Amount'],
            ['raw_refunded', 'refunded_amount', 'Refunded Amount'],
            ['raw_unit_price', 'unit_price', 'Lineitem price'],
        ])) }} as rejection_reason

    from parsed

),

-- Incremental runs: the new rows plus the loaded rows of the entities they touch.
candidates as (

    select
        -- exclude () takes bare column names
        {{ recheck_columns_except('checked', ['raw_row']) }},  -- noqa: RF03
        {{ recheck_raw_record(raw_record_if_rejected('shopify', 'orders', 'checked')) }} as raw_record
    from checked
    {{ loaded_rows_to_recheck('checked', ['order_id'], ['is_superseded']) }}

),

final as (

    select
        *,
        {{ load_timestamp() }} as loaded_at,
        -- Shopify has no update time: an order re-exported in a later file replaces all
        -- its lines from earlier files (file names sort by export date).
        (
            rejection_reason is null
            and source_file < max(source_file) filter (where rejection_reason is null) over (partition by order_id)
        ) as is_superseded

    from candidates

)

-- AM04: on incremental runs `candidates` unions the loaded rows by name (all_columns_except: `* exclude`).
select * from final  -- noqa: AM04
