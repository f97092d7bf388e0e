-- The team-lead marts never drop a ticket: per grain and period, the tickets handled summed
-- over agents, and over groups, equal the tickets mart's solved customer tickets whose last
-- solve falls in the period (no-agent and no-group rows included). Returns one row per
-- grain and period that is off.

with

tickets as (

    select * from {{ ref('tickets') }}

),

agent_performance as (

    select * from {{ ref('agent_performance') }}

),

group_performance as (

    select * from {{ ref('group_performance') }}

),

grains as (

    select * from {{ reporting_grains() }}

),

solved as (

    select
        grains.period_grain,
        {{ reporting_period_start_of_date('grains.period_grain', reporting_date('tickets.last_solved_at')) }}
            as period_start,
        count(*) as solved_tickets
    from tickets
    cross join grains
    where tickets.is_customer_ticket and tickets.is_solved
    group by all

),

by_agent as (

    select
        period_grain,
        period_start,
        sum(tickets_handled) as agent_tickets_handled
    from agent_performance
    group by all

),

by_group as (

    select
        period_grain,
        period_start,
        sum(tickets_handled) as group_tickets_handled
    from group_performance
    group by all

),

compared as (

    select
        coalesce(solved.period_grain, by_agent.period_grain, by_group.period_grain) as period_grain,
        coalesce(solved.period_start, by_agent.period_start, by_group.period_start) as period_start,
        coalesce(solved.solved_tickets, 0) as solved_tickets,
        coalesce(by_agent.agent_tickets_handled, 0) as agent_tickets_handled,
        coalesce(by_group.group_tickets_handled, 0) as group_tickets_handled
    from solved
    full outer join by_agent
        on
            solved.period_grain = by_agent.period_grain
            and solved.period_start = by_agent.period_start
    full outer join by_group
        on
            coalesce(solved.period_grain, by_agent.period_grain) = by_group.period_grain
            and coalesce(solved.period_start, by_agent.period_start) = by_group.period_start

),

final as (

    select * from compared
    where
        agent_tickets_handled != solved_tickets
        or group_tickets_handled != solved_tickets

)

select * from final
