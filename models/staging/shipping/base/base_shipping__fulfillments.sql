{%- set promised_date_parsed = try_strptime('trim(source.promised_delivery_date)', '%Y-%m-%d') | trim %}
with

source as (

    select * from {{ export_rows(source('shipping', 'fulfillments'), 'shipping', 'fulfillments') }}

),

parsed as (

    select
        source.filename as source_file,
        {{ export_line_number() }} as source_line,
        {{ row_struct('source') }} as raw_row,  -- the row as read (a struct): raw_record_if_rejected's input
        nullif(trim(source.fulfillment_id), '') as fulfillment_id,
        nullif(trim(source.order_id), '') as raw_order_id,
        {{ text_as_id(normalize_identifier('source.order_id')) }} as order_id,
        nullif(trim(source.order_name), '') as raw_order_name,
        {{ normalize_identifier('source.order_name') }} as order_number,
        nullif(lower(trim(source.carrier)), '') as carrier,
        nullif(trim(source.tracking_number), '') as tracking_number,
        nullif(lower(trim(source.service_level)), '') as service_level,
        source.shipped_at as raw_shipped_at,
        nullif(trim(source.promised_delivery_date), '') as raw_promised_delivery_date,
        try_cast({{ promised_date_parsed }} as date) as promised_delivery_date,
        {{ to_utc_timestamp('source.shipped_at') }} as shipped_at,
        {{ to_utc_timestamp('source.updated_at') }} as updated_at

    from source

),

checked as (

    select
        *,
        fulfillment_id as raw_id,
        {{ rejection_reason([
            ["fulfillment_id is null", "missing fulfillment_id"],
            [is_in_the_future(['shipped_at', 'updated_at']), "timestamp in the future"],
            [is_mangled_identifier('raw_order_id'), "order_id looks like a spreadsheet-mangled order number"],
            [is_mangled_identifier('raw_order_name'), "order_name looks like a spreadsheet-mangled order number"],
            ["raw_order_id is not null and order_id is null and not " ~ is_mangled_identifier('raw_order_id'),
             "non-numeric order_id"],
            ["updated_at is null", "missing or unparseable updated_at"],
            [is_unparseable_timestamp('raw_shipped_at'), "unparseable shipped_at"],
            ["raw_promised_delivery_date is not null and promised_delivery_date is null",
             "unparseable promised_delivery_date"],
        ]) }} as rejection_reason

    from parsed

),

-- Incremental runs: the new rows plus the loaded rows of the entities they touch.
candidates as (

    select
        -- exclude () takes bare column names
        {{ recheck_columns_except('checked', ['raw_row']) }},  -- noqa: RF03
        {{ recheck_raw_record(raw_record_if_rejected('shipping', 'fulfillments', 'checked')) }} as raw_record
    from checked
    {{ loaded_rows_to_recheck('checked', ['fulfillment_id'], ['is_superseded']) }}

),

final as (

    select
        *,
        {{ load_timestamp() }} as loaded_at,
        {{ is_superseded(['fulfillment_id'], ['updated_at desc', 'source_file desc', 'source_line desc']) }}
            as is_superseded

    from candidates

)

-- AM04: on incremental runs `candidates` unions the loaded rows by name (all_columns_except: `* exclude`).
select * from final  -- noqa: AM04
