/*
    Per group (team) and reporting period (day, ISO week, month in the reporting timezone):
    the customer tickets solved in the period in that group at their last solve, and their
    first response time, FCR, CSAT and handle time. Solved tickets in no known group are one
    explicit row per period (group_id null, has_group false; every Gorgias ticket, which has no
    teams), so the tickets handled add up to the tickets mart's solved customer tickets.
    docs/decisions/team_performance.md.
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

groups as (

    select * from {{ ref(helpdesk_model('groups')) }}

),

grains as (

    select * from {{ reporting_grains() }}

),

handled_tickets as (

    {{ team_performance_handled_tickets('group_id_at_solve') }}

),

aggregated as (

    select
        grains.period_grain,
        {{ reporting_period_start_of_date('grains.period_grain', 'handled_tickets.solved_date') }} as period_start,
        handled_tickets.team_key as group_id,
        {{ team_performance_aggregates() }}

    from handled_tickets
    cross join grains
    group by all

),

final as (

    select
        aggregated.period_grain,
        aggregated.period_start,
        aggregated.group_id,
        aggregated.group_id is not null as has_group,
        case when aggregated.group_id is null then '(no group)' else groups.group_name end as group_name,
        {{ team_performance_columns() }}

    from aggregated
    left join groups
        on aggregated.group_id = groups.group_id

)

select * from final
