/*
    Per agent and reporting period (day, ISO week, month in the reporting timezone): the
    customer tickets solved in the period with that agent at their last solve, and their first
    response time, FCR, CSAT and handle time. Solved tickets no agent can be named for are one
    explicit row per period (agent_id null, has_agent false), so the tickets handled add up to
    the tickets mart's solved customer tickets. docs/decisions/team_performance.md.
*/

with

tickets as (

    select * from {{ ref('tickets') }}

),

handle_times as (

    select * from {{ ref('int_ticket_handle_times') }}

),

csat_surveys as (

    select * from {{ ref('int_csat_surveys') }}

),

users as (

    select * from {{ ref(helpdesk_model('users')) }}

),

grains as (

    select * from {{ reporting_grains() }}

),

-- one row per agent: name and email as of their latest role period
agents as (

    select
        user_id as agent_id,
        {{ arg_max_at_latest('user_name', 'role_valid_from') }} as agent_name,
        {{ arg_max_at_latest('user_email', 'role_valid_from') }} as agent_email
    from users
    group by user_id

),

handled_tickets as (

    {{ team_performance_handled_tickets('agent_id_at_solve') }}

),

aggregated as (

    select
        grains.period_grain,
        {{ reporting_period_start_of_date('grains.period_grain', 'handled_tickets.solved_date') }} as period_start,
        handled_tickets.team_key as agent_id,
        {{ team_performance_aggregates() }}

    from handled_tickets
    cross join grains
    group by all

),

final as (

    select
        aggregated.period_grain,
        aggregated.period_start,
        aggregated.agent_id,
        aggregated.agent_id is not null as has_agent,
        case when aggregated.agent_id is null then '(no agent)' else agents.agent_name end as agent_name,
        agents.agent_email,
        {{ team_performance_columns() }}

    from aggregated
    left join agents
        on aggregated.agent_id = agents.agent_id

)

select * from final
