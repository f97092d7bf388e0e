with

responses as (

    select * from {{ ref('stg_nps__responses') }}

),

tickets as (

    select * from {{ ref('int_ticket_threads') }}

),

csat_surveys as (

    select * from {{ ref('int_csat_surveys') }}

),

ticket_latest_csat as (

    select
        ticket_id,
        score as latest_csat_score

    from csat_surveys
    where is_ticket_latest_response

),

-- The customer's most recent customer ticket created in the window before the answer
-- (ties: the higher ticket id). Matched by email: the NPS tool knows no helpdesk ids.
recent_ticket as (

    select
        responses.response_id,
        tickets.ticket_id,
        tickets.created_at

    from responses
    inner join tickets
        on
            responses.customer_email = tickets.customer_email
            and tickets.is_customer_ticket
            and responses.responded_at > tickets.created_at
            and responses.responded_at - {{ interval_days(var('nps_recent_ticket_window_days')) }}
            <= tickets.created_at
    qualify row_number() over (
        partition by responses.response_id
        order by tickets.created_at desc, tickets.ticket_id desc
    ) = 1

),

final as (

    select
        -- ids
        responses.response_id,
        recent_ticket.ticket_id as recent_ticket_id,

        -- strings
        responses.customer_email,
        case
            when responses.score >= 9 then 'promoter'
            when responses.score >= 7 then 'passive'
            else 'detractor'
        end as nps_category,
        case
            when recent_ticket.ticket_id is null then 'no_recent_ticket'
            else 'recent_ticket'
        end as recent_support_segment,
        case
            when recent_ticket.ticket_id is null then 'not_applicable'
            when ticket_latest_csat.latest_csat_score >= 4 then 'satisfied'
            when ticket_latest_csat.latest_csat_score >= 1 then 'unsatisfied'
            else 'no_csat'
        end as recent_ticket_csat_band,

        -- numerics
        responses.score,
        ticket_latest_csat.latest_csat_score as recent_ticket_csat_score,

        -- timestamps
        responses.responded_at,
        recent_ticket.created_at as recent_ticket_created_at

    from responses
    left join recent_ticket
        on responses.response_id = recent_ticket.response_id
    left join ticket_latest_csat
        on recent_ticket.ticket_id = ticket_latest_csat.ticket_id

)

select * from final
