-- cost_per_resolution computes FCR from the intermediate models (so it need not wait for
-- the tickets mart); this keeps the two definitions from drifting apart. Returns one row
-- per cost month, channel and reason where the FCR counts differ.

with

allocations as (

    select * from {{ ref('int_ticket_cost_allocations') }}

),

tickets as (

    select * from {{ ref('tickets') }}

),

contact_reasons as (

    select * from {{ ref('int_ticket_contact_reasons') }}

),

cost_per_resolution as (

    select * from {{ ref('cost_per_resolution') }}

),

handled as (

    select distinct
        cost_month_start,
        currency,
        ticket_id,
        channel
    from allocations
    where not is_unallocated

),

expected as (

    select
        handled.cost_month_start,
        handled.channel,
        coalesce(contact_reasons.contact_reason, 'other') as contact_reason,
        handled.currency,
        count(*) filter (where tickets.is_fcr) as fcr_tickets
    from handled
    inner join tickets
        on handled.ticket_id = tickets.ticket_id
    left join contact_reasons
        on handled.ticket_id = contact_reasons.ticket_id
    group by all

),

final as (

    select
        expected.*,
        cost_per_resolution.fcr_tickets as reported_fcr_tickets
    from expected
    left join cost_per_resolution
        on
            expected.cost_month_start = cost_per_resolution.cost_month_start
            and expected.channel = cost_per_resolution.channel
            and expected.contact_reason = cost_per_resolution.contact_reason
            and expected.currency = cost_per_resolution.currency
    where expected.fcr_tickets is distinct from cost_per_resolution.fcr_tickets

)

select * from final
