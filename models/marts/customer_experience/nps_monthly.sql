/*
    NPS per reporting month x recent-support segment x that ticket's CSAT band (KPI_SPEC
    item 6). Counts are additive: the month's overall NPS is
    100 * (sum(promoters) - sum(detractors)) / sum(responses) over the month's rows.
*/

with

nps_responses as (

    select * from {{ ref('int_nps_responses_segmented') }}

),

aggregated as (

    select
        {{ reporting_period_start("'month'", 'responded_at') }} as month_start,
        recent_support_segment,
        recent_ticket_csat_band,
        count(*) as responses,
        count(*) filter (where nps_category = 'promoter') as promoters,
        count(*) filter (where nps_category = 'passive') as passives,
        count(*) filter (where nps_category = 'detractor') as detractors

    from nps_responses
    group by month_start, recent_support_segment, recent_ticket_csat_band

),

final as (

    select
        month_start,
        recent_support_segment,
        recent_ticket_csat_band,
        responses,
        promoters,
        passives,
        detractors,
        cast(promoters / nullif(responses, 0) as double) as promoter_share,
        cast(detractors / nullif(responses, 0) as double) as detractor_share,
        cast({{ divide_as_double('100.0 * (promoters - detractors)', 'nullif(responses, 0)') }} as double) as nps

    from aggregated

)

select * from final
