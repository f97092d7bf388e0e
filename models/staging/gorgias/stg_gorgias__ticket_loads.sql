-- Which tickets each helpdesk export row mentions and when this project loaded it: every
-- row of the four ticket-bearing exports, rejected and superseded rows included (a row
-- that is now rejected still changes its ticket). Read by int_ticket_rebuild_set to find
-- the tickets an incremental run must rebuild; a full build never needs it.

with

tickets as (

    select * from {{ ref('base_gorgias__tickets') }}

),

messages as (

    select * from {{ ref('base_gorgias__messages') }}

),

ticket_events as (

    select * from {{ ref('base_gorgias__ticket_events') }}

),

satisfaction_surveys as (

    select * from {{ ref('base_gorgias__satisfaction_surveys') }}

),

final as (

    select
        ticket_id,
        customer_id,
        customer_email,
        loaded_at
    from tickets
    where ticket_id is not null

    union all

    select
        ticket_id,
        null as customer_id,
        null as customer_email,
        loaded_at
    from messages
    where ticket_id is not null

    union all

    select
        ticket_id,
        null as customer_id,
        null as customer_email,
        loaded_at
    from ticket_events
    where ticket_id is not null

    union all

    select
        ticket_id,
        null as customer_id,
        null as customer_email,
        loaded_at
    from satisfaction_surveys
    where ticket_id is not null

)

select * from final
