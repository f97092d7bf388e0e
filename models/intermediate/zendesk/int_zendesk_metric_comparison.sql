-- Zendesk's figures beside ours, one row per ticket, metric (first_reply, first_resolution,
-- full_resolution) and time basis (calendar, business), with the difference and, when they
-- differ, the first reason of seed zendesk_metric_difference_reasons (in rule_order, for that
-- metric) whose condition holds for the ticket; `unexplained` when none does. The conditions
-- are facts about the ticket computed here; which reason applies to which metric, and in
-- what order, is the seed's. Empty unless var helpdesk = zendesk (int_zendesk_ticket_metrics).
with

zendesk_metrics as (

    select * from {{ ref('int_zendesk_ticket_metrics') }}

),

threads as (

    select * from {{ ref('int_ticket_threads') }}

),

durations as (

    select * from {{ ref('int_ticket_business_durations') }}

),

messages as (

    select * from {{ ref('int_ticket_messages') }}

),

difference_reasons as (

    select * from {{ ref('zendesk_metric_difference_reasons') }}

),

as_of as (

    {{ data_as_of_at('helpdesk') }}

),

-- the first public bot, trigger or API message: Zendesk may count it as an agent's reply
first_bot_messages as (

    select
        ticket_id,
        min(created_at) as first_public_bot_message_at
    from messages
    where author_type = 'bot' and is_public
    group by ticket_id

),

-- tickets another ticket was merged into (the survivors)
merge_survivors as (

    select distinct merged_into_ticket_id as ticket_id
    from threads
    where merged_into_ticket_id is not null

),

-- one row per ticket and metric, both bases side by side
ticket_metrics as (

    select
        zendesk_metrics.ticket_id,
        zendesk_metrics.reopens as zendesk_reopens,
        zendesk_metrics.updated_at as zendesk_updated_at,
        threads.created_at,
        threads.exclusion_reason,
        threads.is_merged or merge_survivors.ticket_id is not null as is_merge_involved,
        threads.direction = 'outbound' as is_agent_created,
        threads.reopen_count > 0 or zendesk_metrics.reopens > 0 as is_reopened,
        first_bot_messages.first_public_bot_message_at
        < coalesce(threads.first_human_reply_at, {{ timestamp_after_all() }}) as has_bot_message_before_reply,
        as_of.as_of_at,
        -- expands to the struct's fields: metric, zendesk_/our_ calendar_/business_minutes
        {{ unnest_structs([
            {
                'metric': "'first_reply'",
                'zendesk_calendar_minutes': 'zendesk_metrics.reply_time_calendar_minutes',
                'zendesk_business_minutes': 'zendesk_metrics.reply_time_business_minutes',
                'our_calendar_minutes': 'durations.first_response_calendar_minutes',
                'our_business_minutes': 'durations.first_response_business_minutes',
            },
            {
                'metric': "'first_resolution'",
                'zendesk_calendar_minutes': 'zendesk_metrics.first_resolution_time_calendar_minutes',
                'zendesk_business_minutes': 'zendesk_metrics.first_resolution_time_business_minutes',
                'our_calendar_minutes': 'durations.first_resolution_calendar_minutes',
                'our_business_minutes': 'durations.first_resolution_business_minutes',
            },
            {
                'metric': "'full_resolution'",
                'zendesk_calendar_minutes': 'zendesk_metrics.full_resolution_time_calendar_minutes',
                'zendesk_business_minutes': 'zendesk_metrics.full_resolution_time_business_minutes',
                'our_calendar_minutes': 'durations.full_resolution_calendar_minutes',
                'our_business_minutes': 'durations.full_resolution_business_minutes',
            },
        ]) }}

    from zendesk_metrics
    inner join threads
        on zendesk_metrics.ticket_id = threads.ticket_id
    left join durations
        on zendesk_metrics.ticket_id = durations.ticket_id
    left join first_bot_messages
        on zendesk_metrics.ticket_id = first_bot_messages.ticket_id
    left join merge_survivors
        on zendesk_metrics.ticket_id = merge_survivors.ticket_id
    cross join as_of

),

-- one row per ticket, metric and basis
by_basis as (

    select
        *,
        -- expands to the struct's fields: time_basis, zendesk_minutes, our_minutes
        {{ unnest_structs([
            {
                'time_basis': "'calendar'",
                'zendesk_minutes': 'zendesk_calendar_minutes',
                'our_minutes': 'our_calendar_minutes',
            },
            {
                'time_basis': "'business'",
                'zendesk_minutes': 'zendesk_business_minutes',
                'our_minutes': 'our_business_minutes',
            },
        ]) }}

    from ticket_metrics

),

compared as (

    select
        *,
        our_minutes - zendesk_minutes as difference_minutes,
        -- the same figure: both equal, or neither has happened
        coalesce(our_minutes = zendesk_minutes, our_minutes is null and zendesk_minutes is null) as is_match,
        -- the facts each reason stands for (seed zendesk_metric_difference_reasons)
        abs(our_minutes - zendesk_minutes) < 1 as is_rounding,
        -- Zendesk's event (on the calendar clock) is later than the data we have
        coalesce({{ add_seconds('created_at', 'zendesk_calendar_minutes * 60') }} > as_of_at, false)
            as is_after_our_as_of,
        -- the calendar figures agree (to the minute) but this business one does not
        time_basis = 'business'
        and coalesce(
            abs(our_calendar_minutes - zendesk_calendar_minutes) < 1
            or (our_calendar_minutes is null and zendesk_calendar_minutes is null),
            false
        ) as is_schedule_only

    from by_basis

),

-- every reason whose condition holds, for the rows that differ
candidate_reasons as (

    select
        compared.ticket_id,
        compared.metric,
        compared.time_basis,
        {{ unnest_values(list_of([
            "case when compared.is_rounding then 'rounding' end",
            "case when compared.is_after_our_as_of then 'our_as_of_cut' end",
            "case when compared.is_merge_involved then 'merged_ticket' end",
            "case when compared.is_agent_created then 'agent_created_ticket' end",
            "case when compared.has_bot_message_before_reply then 'bot_or_trigger_first_reply' end",
            "case when compared.is_reopened then 'reopened_ticket' end",
            "case when compared.is_schedule_only then 'schedule_differs' end",
        ])) }} as difference_reason
    from compared
    where not compared.is_match

),

first_reasons as (

    select
        candidate_reasons.ticket_id,
        candidate_reasons.metric,
        candidate_reasons.time_basis,
        {{ value_of_min('difference_reasons.difference_reason', 'difference_reasons.rule_order') }} as difference_reason
    from candidate_reasons
    inner join difference_reasons
        on
            candidate_reasons.difference_reason = difference_reasons.difference_reason
            and (difference_reasons.metric is null or candidate_reasons.metric = difference_reasons.metric)
    group by candidate_reasons.ticket_id, candidate_reasons.metric, candidate_reasons.time_basis

),

final as (

    select
        ---------- ids
        compared.ticket_id,

        ---------- strings
        compared.metric,
        compared.time_basis,
        case
            when not compared.is_match then coalesce(first_reasons.difference_reason, 'unexplained')
        end as difference_reason,
        compared.exclusion_reason,

        ---------- numerics
        compared.zendesk_minutes,
        compared.our_minutes,
        -- ours minus Zendesk's; null when either has not happened
        compared.difference_minutes,
        compared.zendesk_reopens,

        ---------- booleans
        compared.is_match,

        ---------- timestamps
        compared.created_at,
        compared.zendesk_updated_at,
        compared.as_of_at

    from compared
    left join first_reasons
        on
            compared.ticket_id = first_reasons.ticket_id
            and compared.metric = first_reasons.metric
            and compared.time_basis = first_reasons.time_basis

)

select * from final
