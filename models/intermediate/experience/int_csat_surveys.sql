{{ config(
    materialized='incremental',
    incremental_strategy=engine_incremental_strategy('rebuild_keys'),
    unique_key='ticket_id',
    rebuild_set='int_ticket_rebuild_set',
    on_schema_change='fail',
    post_hook="{{ record_rebuild_watermark() }}",
) }}
-- depends_on: {{ ref('int_ticket_rebuild_set') }}
with

surveys as (

    select * from {{ ref(helpdesk_model("satisfaction_surveys")) }}
    {{ rebuild_filter() }}

),

threads as (

    select * from {{ ref('int_ticket_threads') }}
    {{ rebuild_filter() }}

),

contact_reasons as (

    select * from {{ ref('int_ticket_contact_reasons') }}
    {{ rebuild_filter() }}

),

-- What a survey needs of its ticket, from the intermediate layer (never from the marts).
tickets as (

    select
        threads.ticket_id,
        threads.channel,
        threads.customer_email,
        threads.is_customer_ticket,
        threads.exclusion_reason,
        threads.first_solved_at,
        contact_reasons.contact_reason
    from threads
    left join contact_reasons
        on threads.ticket_id = contact_reasons.ticket_id

),

classified as (

    -- Inner join: staging tests that every survey's ticket exists (relationships test),
    -- and this model's grain test would catch a lost survey.
    select
        -- ids
        surveys.survey_id,
        surveys.ticket_id,

        -- strings
        tickets.channel,
        tickets.contact_reason,
        tickets.customer_email,
        -- First matching reason wins, so the exclusion counts never overlap: a survey on a
        -- spam ticket is `spam_ticket` even if it was also sent early.
        case
            when not tickets.is_customer_ticket
                then coalesce(tickets.exclusion_reason, 'other') || '_ticket'
            when surveys.sent_at is null then 'not_sent'
            when tickets.first_solved_at is null or surveys.sent_at < tickets.first_solved_at
                then 'sent_before_first_solve'
        end as survey_exclusion_reason,

        -- numerics
        surveys.score,

        -- booleans
        surveys.score is not null as is_responded,

        -- timestamps
        surveys.created_at,
        surveys.sent_at,
        surveys.scored_at,
        tickets.first_solved_at as ticket_first_solved_at,
        -- The period anchor: the send, or the creation for a survey never sent.
        coalesce(surveys.sent_at, surveys.created_at) as survey_period_at

    from surveys
    inner join tickets
        on surveys.ticket_id = tickets.ticket_id

),

ranked as (

    select
        *,
        survey_exclusion_reason is null as is_eligible,
        -- "The latest score per ticket counts": among the ticket's eligible answered
        -- surveys, the one scored last (ties: the higher survey id, i.e. the newer survey).
        survey_exclusion_reason is null
        and is_responded
        and row_number() over (
            partition by ticket_id, (survey_exclusion_reason is null and is_responded)
            order by scored_at desc nulls last, survey_id desc
        ) = 1 as is_ticket_latest_response

    from classified

),

final as (

    select
        survey_id,
        ticket_id,
        channel,
        contact_reason,
        customer_email,
        survey_exclusion_reason,
        score,
        is_responded,
        is_eligible,
        is_ticket_latest_response,
        created_at,
        sent_at,
        scored_at,
        ticket_first_solved_at,
        survey_period_at

    from ranked

)

select * from final
