/*
    CSAT per reporting period x channel x contact reason (KPI_SPEC item 5). A survey counts
    in the period it was sent, so each row's responses are a subset of its surveys sent and
    the response rate stays a cohort share; see docs/decisions/experience_and_refunds.md.
*/

with

csat_surveys as (

    select
        *,
        -- reporting date once per row, before the fan-out to grains (reporting_time.sql)
        {{ reporting_date('survey_period_at') }} as survey_period_date
    from {{ ref('int_csat_surveys') }}

),

grains as (

    select * from {{ reporting_grains() }}

),

survey_periods as (

    select
        grains.period_grain,
        {{ reporting_period_start_of_date('grains.period_grain', 'csat_surveys.survey_period_date') }} as period_start,
        csat_surveys.channel,
        csat_surveys.contact_reason,
        csat_surveys.survey_exclusion_reason,
        csat_surveys.is_eligible,
        csat_surveys.is_responded,
        csat_surveys.is_ticket_latest_response,
        csat_surveys.score

    from csat_surveys
    cross join grains

),

aggregated as (

    select
        period_grain,
        period_start,
        channel,
        contact_reason,
        count(*) as total_surveys,
        count(*) filter (where survey_exclusion_reason = 'spam_ticket') as excluded_spam_ticket_surveys,
        count(*) filter (where survey_exclusion_reason = 'merged_ticket') as excluded_merged_ticket_surveys,
        count(*) filter (where survey_exclusion_reason = 'outbound_ticket') as excluded_outbound_ticket_surveys,
        count(*) filter (where survey_exclusion_reason = 'other_ticket') as excluded_other_ticket_surveys,
        count(*) filter (where survey_exclusion_reason = 'not_sent') as excluded_not_sent_surveys,
        count(*) filter (
            where survey_exclusion_reason = 'sent_before_first_solve'
        ) as excluded_sent_before_first_solve_surveys,
        count(*) filter (where is_eligible) as surveys_sent,
        count(*) filter (where is_eligible and is_responded) as responded_surveys,
        count(*) filter (where is_ticket_latest_response) as rated_tickets,
        count(*) filter (where is_ticket_latest_response and score = 1) as score_1_tickets,
        count(*) filter (where is_ticket_latest_response and score = 2) as score_2_tickets,
        count(*) filter (where is_ticket_latest_response and score = 3) as score_3_tickets,
        count(*) filter (where is_ticket_latest_response and score = 4) as score_4_tickets,
        count(*) filter (where is_ticket_latest_response and score = 5) as score_5_tickets,
        coalesce(sum(score) filter (where is_ticket_latest_response), 0) as score_sum

    from survey_periods
    group by period_grain, period_start, channel, contact_reason

),

final as (

    select
        period_grain,
        period_start,
        channel,
        contact_reason,
        total_surveys,
        excluded_spam_ticket_surveys,
        excluded_merged_ticket_surveys,
        excluded_outbound_ticket_surveys,
        excluded_other_ticket_surveys,
        excluded_not_sent_surveys,
        excluded_sent_before_first_solve_surveys,
        surveys_sent,
        responded_surveys,
        cast(responded_surveys / nullif(surveys_sent, 0) as double) as response_rate,
        rated_tickets,
        score_1_tickets,
        score_2_tickets,
        score_3_tickets,
        score_4_tickets,
        score_5_tickets,
        score_4_tickets + score_5_tickets as satisfied_tickets,
        cast((score_4_tickets + score_5_tickets) / nullif(rated_tickets, 0) as double) as csat,
        cast(score_sum as bigint) as score_sum,
        cast(score_sum / nullif(rated_tickets, 0) as double) as mean_score

    from aggregated

)

select * from final
