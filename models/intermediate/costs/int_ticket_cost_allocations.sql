{{ config(
    materialized='incremental',
    incremental_strategy=engine_incremental_strategy('delete+insert'),
    unique_key='cost_month_start',
    rebuild_set='int_ticket_rebuild_set',
    on_schema_change='fail',
    post_hook="{{ record_rebuild_watermark() }}",
) }}
{#- Incremental by month (macros/incremental/keyed_rebuild.sql): a rebuild run re-splits
    only the months whose pools can have changed: the months the changed tickets were
    handled in before and after this run, and the months of finance rows loaded since.
    Tickets the rebuild set only widens to (same customer, order links) keep their channel,
    handle time and first reply, so their months are left alone (at 10M tickets the widened
    set touched every month: the daily run re-split the whole year). -#}
{%- set state = rebuild_state(this.identifier) or {} %}
{%- set changed_tickets -%}
    select rebuild_set.ticket_id from {{ ref('int_ticket_rebuild_set') }} as rebuild_set where rebuild_set.is_changed
{%- endset %}
{%- set months_touched -%}
    select previous.cost_month_start
    from {{ this }} as previous
    where previous.ticket_id in ({{ changed_tickets }})
    union
    select {{ reporting_period_start("'month'", 'rebuilt.first_human_reply_at') }}
    from {{ ref('int_ticket_threads') }} as rebuilt
    where
        rebuilt.ticket_id in ({{ changed_tickets }})
        and rebuilt.first_human_reply_at is not null
    union
    select loaded.month_start
    from {{ ref('base_finance__support_costs') }} as loaded
    where loaded.loaded_at > {{ loaded_after(state.get('loaded_through')) }}
    union
    -- a month whose FX rate (seed fx_rates) or reporting currency changed since its split
    select previous.cost_month_start
    from {{ this }} as previous
    inner join {{ ref('stg_finance__support_costs') }} as ledger
        on
            previous.cost_month_start = ledger.month_start
            and previous.currency = ledger.currency
    where
        previous.fx_rate_to_reporting is distinct from ledger.fx_rate_to_reporting
        or previous.reporting_currency is distinct from '{{ reporting_currency() }}'
{%- endset %}
{#- Finance's monthly cost per team, allocated to the cents over that month's handled
    customer tickets of the team's channels, in proportion to exact handle time (integer
    milliseconds of handle_seconds, never minutes rounded first).
    Largest-remainder rounding in exact integer arithmetic (cents x weight), so each
    pool's cents sum back to the ledger exactly; a pool with no handled tickets keeps
    its cost on one unallocated row. Pools stay in the ledger's currency (finance ties per
    currency); the pool converted to var reporting_currency (seed fx_rates, to the cent) is
    split the same way on the same weights, so the reporting-currency cents tie too. -#}

-- depends_on: {{ ref('int_ticket_rebuild_set') }}
with

-- months re-split this run (none on a full build; read by rebuild_filter)
refresh_months {{ cte_as_materialized() }} (  -- noqa: ST03

    {{ rebuild_extra_keys(months_touched, key_type='date') }}

),

support_costs as (

    select * from {{ ref('stg_finance__support_costs') }}
    {{ rebuild_filter(key_column='month_start', also_cte='refresh_months', include_rebuild_set=false) }}

),

team_channels as (

    select * from {{ ref('cost_team_channels') }}

),

threads as (

    select * from {{ ref('int_ticket_threads') }}
    -- a rebuild run reads only the tickets handled in the months it re-splits
    {{ rebuild_filter(
        key_column=reporting_period_start("'month'", 'first_human_reply_at'),
        also_cte='refresh_months',
        include_rebuild_set=false,
    ) }}

),

handle_times as (

    select * from {{ ref('int_ticket_handle_times') }}

),

-- One cost pool per finance month, team and currency (categories are summed: finance
-- reconciles the team's total, and allocation weights do not depend on the category).
cost_pools as (

    select
        month_start as cost_month_start,
        team,
        currency,
        fx_rate_to_reporting,  -- one rate per currency and month
        sum(amount) as ledger_amount,
        cast(round(sum(amount) * 100) as {{ big_integer_type() }}) as ledger_cents,
        cast(
            round({{ exact_cents_times_rate('sum(amount) * 100', 'fx_rate_to_reporting') }}) as {{ big_integer_type() }}
        ) as ledger_reporting_cents
    from support_costs
    group by month_start, team, currency, fx_rate_to_reporting

),

-- "Handled in month" = a customer ticket with at least one human reply, in the reporting
-- month of its first human reply. Bot-only and unanswered tickets consumed no agent time.
handled_tickets as (

    select
        threads.ticket_id,
        threads.channel,
        {{ reporting_period_start("'month'", 'threads.first_human_reply_at') }} as handled_month_start,
        handle_times.handle_minutes,
        handle_times.handle_seconds,
        coalesce(handle_times.handle_time_source, 'missing') as handle_time_source,
        -- Integer weight in milliseconds: exact for every handle_seconds value (decimal(18,3)),
        -- so a 100-second ticket weighs exactly half a 200-second one (KPI_SPEC item 9: exact
        -- to the second; the old hundredths-of-a-minute weight moved single tickets by cents).
        coalesce(cast(handle_times.handle_seconds * 1000 as {{ big_integer_type() }}), 0) as weight_milliseconds
    from threads
    left join handle_times
        on threads.ticket_id = handle_times.ticket_id
    where
        threads.is_customer_ticket
        and threads.first_human_reply_at is not null

),

mapped_teams as (

    select distinct team from team_channels

),

ticket_channels as (

    select distinct channel from handled_tickets

),

-- Each team's channels, with `all` spelled out as every channel a handled ticket has, so
-- tickets join their pools on equalities (with `or channel = 'all'` the join paired every
-- ticket of the month with every team, then filtered).
team_ticket_channels as (

    select
        team,
        channel
    from team_channels
    where channel != 'all'

    union

    select
        team_channels.team,
        ticket_channels.channel
    from team_channels
    cross join ticket_channels
    where team_channels.channel = 'all'

),

-- distinct: a ticket matches a pool once even if the seed lists its channel twice.
pool_tickets as (

    select distinct
        cost_pools.cost_month_start,
        cost_pools.team,
        cost_pools.currency,
        handled_tickets.ticket_id,
        handled_tickets.channel,
        handled_tickets.handle_minutes,
        handled_tickets.handle_seconds,
        handled_tickets.handle_time_source,
        handled_tickets.weight_milliseconds
    from cost_pools
    inner join team_ticket_channels
        on cost_pools.team = team_ticket_channels.team
    inner join handled_tickets
        on
            cost_pools.cost_month_start = handled_tickets.handled_month_start
            and team_ticket_channels.channel is not distinct from handled_tickets.channel

),

pool_weights as (

    select
        *,
        sum(weight_milliseconds) over pool_window as pool_weight,
        count(*) over pool_window as pool_ticket_count
    from pool_tickets
    window pool_window as (partition by cost_month_start, team, currency)

),

-- A pool whose tickets all have zero minutes is split equally rather than not at all.
effective_weights as (

    select
        pool_weights.*,
        cost_pools.ledger_amount,
        cost_pools.fx_rate_to_reporting,
        {{ integer_sign('cost_pools.ledger_cents') }} as ledger_sign,
        abs(cost_pools.ledger_cents) as ledger_abs_cents,
        abs(cost_pools.ledger_reporting_cents) as ledger_abs_reporting_cents,
        case when pool_weights.pool_weight > 0 then pool_weights.weight_milliseconds else 1 end as share_numerator,
        case
            when pool_weights.pool_weight > 0 then pool_weights.pool_weight
            else pool_weights.pool_ticket_count
        end as share_denominator
    from pool_weights
    inner join cost_pools
        on
            pool_weights.cost_month_start = cost_pools.cost_month_start
            and pool_weights.team = cost_pools.team
            and pool_weights.currency = cost_pools.currency

),

floored as (

    select
        *,
        {{ integer_divide('(ledger_abs_cents * share_numerator)', 'share_denominator') }} as floor_cents,
        (ledger_abs_cents * share_numerator) % share_denominator as remainder_units,
        {{ integer_divide(
            '(ledger_abs_reporting_cents * share_numerator)', 'share_denominator'
        ) }} as floor_reporting_cents,
        (ledger_abs_reporting_cents * share_numerator) % share_denominator as remainder_reporting_units
    from effective_weights

),

-- Largest remainder: the cents lost to flooring (fewer than the pool's ticket count) go
-- one each to the largest remainders; ties go to the lowest ticket_id, so reruns agree.
ranked as (

    select
        *,
        ledger_abs_cents - sum(floor_cents) over pool_window as leftover_cents,
        row_number() over ({{ named_window_ordered(
            'pool_window', 'cost_month_start, team, currency', 'remainder_units desc, ticket_id asc'
        ) }}) as remainder_rank,
        ledger_abs_reporting_cents - sum(floor_reporting_cents) over pool_window as leftover_reporting_cents,
        row_number() over (
            {{ named_window_ordered(
                'pool_window', 'cost_month_start, team, currency', 'remainder_reporting_units desc, ticket_id asc'
            ) }}
        ) as reporting_remainder_rank
    from floored
    window pool_window as (partition by cost_month_start, team, currency)

),

allocated as (

    select
        cost_month_start,
        team,
        currency,
        ticket_id,
        channel,
        false as is_unallocated,
        cast(null as {{ text_type() }}) as unallocated_reason,
        handle_minutes,
        handle_seconds,
        handle_time_source,
        cast(share_numerator as double) / share_denominator as allocation_share,
        ledger_amount,
        fx_rate_to_reporting,
        ledger_sign * (floor_cents + case when remainder_rank <= leftover_cents then 1 else 0 end) as allocated_cents,
        ledger_sign * (
            floor_reporting_cents + case when reporting_remainder_rank <= leftover_reporting_cents then 1 else 0 end
        ) as allocated_reporting_cents
    from ranked

),

pools_with_tickets as (

    select distinct
        cost_month_start,
        team,
        currency
    from pool_tickets

),

unallocated as (

    select
        cost_pools.cost_month_start,
        cost_pools.team,
        cost_pools.currency,
        cast(null as bigint) as ticket_id,
        cast(null as {{ text_type() }}) as channel,
        true as is_unallocated,
        case
            when mapped_teams.team is null then 'unmapped_team'
            else 'no_handled_tickets'
        end as unallocated_reason,
        cast(null as double) as handle_minutes,
        cast(null as decimal(18, 3)) as handle_seconds,
        cast(null as {{ text_type() }}) as handle_time_source,
        cast(1 as double) as allocation_share,
        cost_pools.ledger_amount,
        cost_pools.fx_rate_to_reporting,
        cost_pools.ledger_cents as allocated_cents,
        cost_pools.ledger_reporting_cents as allocated_reporting_cents
    from cost_pools
    left join mapped_teams
        on cost_pools.team = mapped_teams.team
    left join pools_with_tickets
        on
            cost_pools.cost_month_start = pools_with_tickets.cost_month_start
            and cost_pools.team = pools_with_tickets.team
            and cost_pools.currency = pools_with_tickets.currency
    where pools_with_tickets.team is null

),

unioned as (

    select * from allocated
    union all
    select * from unallocated

),

final as (

    select
        cost_month_start,
        team,
        currency,
        ticket_id,
        channel,
        is_unallocated,
        unallocated_reason,
        cast(handle_minutes as double) as handle_minutes,
        cast(handle_seconds as decimal(18, 3)) as handle_seconds,
        handle_time_source,
        allocation_share,
        cast(ledger_amount as decimal(18, 2)) as ledger_amount,
        -- cents -> currency units by decimal multiplication (decimal division would go to double)
        cast(cast(allocated_cents as decimal(38, 0)) * 0.01 as decimal(18, 2)) as allocated_amount,
        '{{ reporting_currency() }}' as reporting_currency,
        cast(fx_rate_to_reporting as decimal(18, 10)) as fx_rate_to_reporting,
        cast(cast(allocated_reporting_cents as decimal(38, 0)) * 0.01 as decimal(18, 2)) as allocated_amount_reporting,
        {{ load_timestamp() }} as allocated_at
    from unioned

)

select * from final
