{#- The targets the KPIs are judged against, in one table for BI tools and the dashboard's
    target lines: the FRT target (var frt_target_hours) and every SLA policy (seed
    sla_policies). Read from where the build took them, so a chart's line is the target the
    marts' rates were computed with. -#}

with

sla_policies as (

    select * from {{ ref('sla_policies') }}

),

frt_target as (

    select
        'frt_within_target' as kpi,
        cast(null as {{ text_type() }}) as channel,
        cast(null as {{ text_type() }}) as priority,
        cast({{ var('frt_target_hours') }} as double) * 60 as target_minutes,
        'calendar' as time_basis,
        'var frt_target_hours: first human reply within this many calendar hours' as target_note,
        cast(null as {{ text_type() }}) as pauses_in

),

sla_targets as (

    select
        'sla_' || sla_metric as kpi,
        channel,
        priority,
        cast(target_minutes as double) as target_minutes,
        time_basis,
        'seed sla_policies: ' || policy_note as target_note,
        pauses_in
    from sla_policies

),

unioned as (

    select * from frt_target
    union all
    select * from sla_targets

),

final as (

    select
        cast(kpi as {{ text_type() }}) as kpi,
        cast(channel as {{ text_type() }}) as channel,
        cast(priority as {{ text_type() }}) as priority,
        target_minutes,
        cast(time_basis as {{ text_type() }}) as time_basis,
        cast(target_note as {{ text_type() }}) as target_note,
        cast(pauses_in as {{ text_type() }}) as pauses_in
    from unioned

)

select * from final
