with

source as (

    select * from {{ export_rows(source('shopify', 'orders'), 'shopify', 'orders') }}

),

numbered as (

    select
        source.*,
        source.filename as source_file,
        {{ export_line_number() }} as source_line,
        nullif(trim(source.name), '') as order_name

    from source

),

order_rows as (

    -- Shopify fills order-level fields on an order's first row only: every line of the
    -- order takes them from that row of its file. One window is the cheapest plan in
    -- DuckDB: an aggregate per order joined back took ~1.5x the CPU at 1M tickets.
    select
        *,
        row_number() over order_lines as line_number,
        first_value(nullif(trim(id), '')) over order_lines as raw_order_id,
        first_value(email) over order_lines as raw_email,
        first_value("Financial Status") over order_lines as raw_financial_status,
        first_value("Paid at") over order_lines as raw_paid_at,
        first_value("Fulfillment Status") over order_lines as raw_fulfillment_status,
        first_value("Fulfilled at") over order_lines as raw_fulfilled_at,
        first_value(currency) over order_lines as raw_currency,
        first_value(subtotal) over order_lines as raw_subtotal,
        first_value(shipping) over order_lines as raw_shipping,
        first_value(taxes) over order_lines as raw_taxes,
        first_value(total) over order_lines as raw_total,
        first_value("Discount Amount") over order_lines as raw_discount,
        first_value("Shipping Method") over order_lines as raw_shipping_method,
        first_value("Created at") over order_lines as raw_created_at,
        first_value("Cancelled at") over order_lines as raw_cancelled_at,
        first_value("Refunded Amount") over order_lines as raw_refunded,
        first_value("Shipping Country") over order_lines as raw_shipping_country,
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
        order_rows as raw_row,  -- the row as read (a struct): raw_record_if_rejected's input
        -- the Id column identifies the row in the export (Name is the customer-facing number)
        coalesce(raw_order_id, order_name) as raw_id,
        line_number,
        try_cast(raw_order_id as bigint) as order_id,
        ltrim(order_name, '#') as order_number,
        lower(trim(raw_email)) as customer_email,
        nullif(lower(trim(raw_financial_status)), '') as financial_status,
        nullif(lower(trim(raw_fulfillment_status)), '') as fulfillment_status,
        upper(trim(raw_currency)) as currency,
        try_cast(raw_subtotal as decimal(18, 2)) as subtotal_amount,
        try_cast(raw_shipping as decimal(18, 2)) as shipping_amount,
        try_cast(raw_taxes as decimal(18, 2)) as tax_amount,
        try_cast(raw_total as decimal(18, 2)) as total_amount,
        try_cast(raw_discount as decimal(18, 2)) as discount_amount,
        try_cast(raw_refunded as decimal(18, 2)) as refunded_amount,
        nullif(trim(raw_shipping_method), '') as shipping_method,
        nullif(upper(trim(raw_shipping_country)), '') as shipping_country,
        nullif(lower(trim(raw_source)), '') as sales_channel,
        "Lineitem name" as product_name,
        nullif(trim("Lineitem sku"), '') as sku,
        try_cast("Lineitem quantity" as integer) as quantity,
        try_cast("Lineitem price" as decimal(18, 2)) as unit_price,
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
        "Lineitem quantity" as raw_quantity,
        "Lineitem price" as raw_unit_price,
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
            ["order_number is null", "missing Name"],
            [is_in_the_future(['created_at', 'paid_at', 'fulfilled_at', 'cancelled_at']), "timestamp in the future"],
            ["order_id is null", "missing or non-numeric Id"],
            ["created_at is null", "missing or unparseable Created at"],
            [is_unparseable_timestamp('raw_paid_at'), "unparseable Paid at"],
            [is_unparseable_timestamp('raw_fulfilled_at'), "unparseable Fulfilled at"],
            [is_unparseable_timestamp('raw_cancelled_at'), "unparseable Cancelled at"],
            ["nullif(trim(raw_subtotal), '') is not null and subtotal_amount is null", "non-numeric Subtotal"],
            ["nullif(trim(raw_shipping), '') is not null and shipping_amount is null", "non-numeric Shipping"],
            ["nullif(trim(raw_taxes), '') is not null and tax_amount is null", "non-numeric Taxes"],
            ["nullif(trim(raw_total), '') is not null and total_amount is null", "non-numeric Total"],
            ["nullif(trim(raw_discount), '') is not null and discount_amount is null", "non-numeric Discount Amount"],
            ["nullif(trim(raw_refunded), '') is not null and refunded_amount is null", "non-numeric Refunded Amount"],
            ["total_amount < 0 or refunded_amount < 0", "negative amount"],
            ["nullif(trim(raw_quantity), '') is not null and quantity is null", "non-integer Lineitem quantity"],
            ["quantity < 0", "negative Lineitem quantity"],
            ["nullif(trim(raw_unit_price), '') is not null and unit_price is null", "non-numeric Lineitem price"],
        ]) }} as rejection_reason

    from parsed

),

-- Incremental runs: the new rows plus the loaded rows of the entities they touch.
candidates as (

    select
        -- exclude () takes bare column names
        checked.* exclude (raw_row),  -- noqa: RF03
        {{ raw_record_if_rejected('shopify', 'orders', 'checked') }} as raw_record
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

-- AM04: on incremental runs `candidates` unions the loaded rows by name (select * exclude).
select * from final  -- noqa: AM04
