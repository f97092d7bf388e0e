-- Which tickets each Zendesk export row mentions and when this project loaded it: every
-- row of the four ticket-bearing exports (tickets, comments, audits, ratings), rejected and
-- superseded rows included. Read by int_ticket_rebuild_set (the helpdesk contract:
-- the same columns as stg_gorgias__ticket_loads).

with

tickets as (

    select * from {{ ref('base_zendesk__tickets') }}

),

ticket_comments as (

    select * from {{ ref('base_zendesk__ticket_comments') }}

),

ticket_audits as (

    select * from {{ ref('base_zendesk__ticket_audits') }}

),

satisfaction_ratings as (

    select * from {{ ref('base_zendesk__satisfaction_ratings') }}

),

final as (

    select
        ticket_id,
        customer_id,
        cast(null as {{ text_type() }}) as customer_email,
        loaded_at
    from tickets
    where ticket_id is not null

    union all

    select
        ticket_id,
        null as customer_id,
        null as customer_email,
        loaded_at
    from ticket_comments
    where ticket_id is not null

    union all

    select
        ticket_id,
        null as customer_id,
        null as customer_email,
        loaded_at
    from ticket_audits
    where ticket_id is not null

    union all

    select
        ticket_id,
        null as customer_id,
        null as customer_email,
        loaded_at
    from satisfaction_ratings
    where ticket_id is not null

)

select * from final
