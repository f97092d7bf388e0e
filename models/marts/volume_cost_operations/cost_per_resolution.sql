{#- Finance's table (KPI_SPEC item 9): allocated support cost per cost month, channel and
    contact reason, with the handled tickets and FCR tickets it buys. Unallocated cost is
    kept on its own rows, so the table sums to the ledger per month to the cent. One row per
    ledger currency: `allocated_cost` is in `currency` and ties to finance's export; the
    `*_reporting` columns are the same money in var reporting_currency, the only ones to add
    up across currencies (a ticket carrying cost in two currencies is counted on both rows:
    a cross-currency cost per contact divides by distinct tickets, as the tickets mart does). -#}

with

allocations as (

    select * from {{ ref('int_ticket_cost_allocations') }}

),

tickets as (

    select * from {{ ref('tickets') }}

),

-- A ticket can carry cost from several pools of one month (its team's and the shared `all`
-- team's): one row per ticket and month from here on. Channel and handle time are the
-- ticket's own, so they are grouped on rather than picked with any_value (a disagreement
-- would show as a duplicate ticket, not as a value that changes between runs).
ticket_costs as (

    select
        cost_month_start,
        currency,
        reporting_currency,
        fx_rate_to_reporting,
        ticket_id,
        channel,
        handle_seconds,
        handle_time_source,
        sum(allocated_amount) as allocated_cost,
        sum(allocated_amount_reporting) as allocated_cost_reporting
    from allocations
    where not is_unallocated
    group by
        cost_month_start, currency, reporting_currency, fx_rate_to_reporting,
        ticket_id, channel, handle_seconds, handle_time_source

),

-- FCR as in KPI_SPEC item 3, the tickets mart's is_fcr (solved, never reopened, no repeat
-- contact within the window; every handled ticket is a customer ticket).
ticket_details as (

    select
        ticket_costs.*,
        coalesce(tickets.contact_reason, 'other') as contact_reason,
        coalesce(tickets.is_fcr, false) as is_fcr
    from ticket_costs
    inner join tickets
        on ticket_costs.ticket_id = tickets.ticket_id

),

allocated as (

    select
        cost_month_start,
        channel,
        contact_reason,
        currency,
        reporting_currency,
        fx_rate_to_reporting,
        false as is_unallocated,
        sum(allocated_cost) as allocated_cost,
        sum(allocated_cost_reporting) as allocated_cost_reporting,
        count(*) as handled_customer_tickets,
        count(*) filter (where is_fcr) as fcr_tickets,
        -- exact decimal seconds, divided into minutes once in final (double sums vary by run)
        sum(handle_seconds) as handle_seconds,
        coalesce(sum(handle_seconds) filter (where handle_time_source = 'tracked'), 0) as tracked_handle_seconds,
        coalesce(sum(handle_seconds) filter (where handle_time_source = 'default'), 0) as default_handle_seconds,
        count(*) filter (where handle_time_source = 'tracked') as tracked_handle_tickets,
        count(*) filter (where handle_time_source = 'default') as default_handle_tickets
    from ticket_details
    group by cost_month_start, channel, contact_reason, currency, reporting_currency, fx_rate_to_reporting

),

unallocated as (

    select
        cost_month_start,
        'unallocated' as channel,
        'unallocated' as contact_reason,
        currency,
        reporting_currency,
        fx_rate_to_reporting,
        true as is_unallocated,
        sum(allocated_amount) as allocated_cost,
        sum(allocated_amount_reporting) as allocated_cost_reporting,
        0 as handled_customer_tickets,
        0 as fcr_tickets,
        0 as handle_seconds,
        0 as tracked_handle_seconds,
        0 as default_handle_seconds,
        0 as tracked_handle_tickets,
        0 as default_handle_tickets
    from allocations
    where is_unallocated
    group by cost_month_start, currency, reporting_currency, fx_rate_to_reporting

),

unioned as (

    select * from allocated
    union all
    select * from unallocated

),

final as (

    select
        cost_month_start,
        cast(channel as {{ text_type() }}) as channel,
        cast(contact_reason as {{ text_type() }}) as contact_reason,
        cast(currency as {{ text_type() }}) as currency,
        cast(reporting_currency as {{ text_type() }}) as reporting_currency,
        is_unallocated,
        cast(allocated_cost as decimal(18, 2)) as allocated_cost,
        cast(fx_rate_to_reporting as decimal(18, 10)) as fx_rate_to_reporting,
        cast(allocated_cost_reporting as decimal(18, 2)) as allocated_cost_reporting,
        cast(handled_customer_tickets as bigint) as handled_customer_tickets,
        cast(fcr_tickets as bigint) as fcr_tickets,
        cast(handle_seconds as double) / 60 as handle_minutes,
        cast(tracked_handle_seconds as double) / 60 as tracked_handle_minutes,
        cast(default_handle_seconds as double) / 60 as default_handle_minutes,
        cast(tracked_handle_tickets as bigint) as tracked_handle_tickets,
        cast(default_handle_tickets as bigint) as default_handle_tickets,
        cast(tracked_handle_seconds as double) / nullif(handle_seconds, 0) as tracked_handle_minutes_share,
        cast({{ divide_as_double('allocated_cost', 'nullif(handled_customer_tickets, 0)') }} as decimal(18, 4))
            as cost_per_contact,
        cast({{ divide_as_double('allocated_cost', 'nullif(fcr_tickets, 0)') }} as decimal(18, 4))
            as cost_per_successful_resolution,
        cast(
            {{ divide_as_double('allocated_cost_reporting', 'nullif(handled_customer_tickets, 0)') }} as decimal(18, 4)
        ) as cost_per_contact_reporting,
        cast({{ divide_as_double('allocated_cost_reporting', 'nullif(fcr_tickets, 0)') }} as decimal(18, 4))
            as cost_per_successful_resolution_reporting
    from unioned

)

select * from final
