-- Zendesk's own per-ticket figures for the models that compare them with ours: the staged
-- export when var helpdesk = zendesk, else an empty relation with the same columns and types
-- (the Zendesk staging folder is built only for a Zendesk brand, so no other model refers to
-- it directly: int_zendesk_metric_comparison reads this one under every helpdesk).
with

ticket_metrics as (

    {% if var('helpdesk') == 'zendesk' -%}
        select * from {{ ref('stg_zendesk__ticket_metrics') }}
    {%- else -%}
        select
            cast(null as bigint) as ticket_metric_id,
            cast(null as bigint) as ticket_id,
            cast(null as bigint) as reply_time_calendar_minutes,
            cast(null as bigint) as reply_time_business_minutes,
            cast(null as bigint) as first_resolution_time_calendar_minutes,
            cast(null as bigint) as first_resolution_time_business_minutes,
            cast(null as bigint) as full_resolution_time_calendar_minutes,
            cast(null as bigint) as full_resolution_time_business_minutes,
            cast(null as bigint) as agent_wait_time_calendar_minutes,
            cast(null as bigint) as agent_wait_time_business_minutes,
            cast(null as bigint) as requester_wait_time_calendar_minutes,
            cast(null as bigint) as requester_wait_time_business_minutes,
            cast(null as bigint) as on_hold_time_calendar_minutes,
            cast(null as bigint) as on_hold_time_business_minutes,
            cast(null as integer) as reopens,
            cast(null as integer) as replies,
            cast(null as integer) as assignee_stations,
            cast(null as integer) as group_stations,
            cast(null as timestamp) as created_at,
            cast(null as timestamp) as solved_at,
            cast(null as timestamp) as initially_assigned_at,
            cast(null as timestamp) as assigned_at,
            cast(null as timestamp) as updated_at
        where false
    {%- endif %}

),

final as (

    select * from ticket_metrics

)

-- the staged model's columns, which the empty branch repeats
select * from final  -- noqa: AM04
