-- The "now" of the data, one row per source domain (helpdesk, orders, shipping, returns,
-- nps, time_tracking): the var as_of_at when set, else the latest event time in that
-- domain's staged exports. Computed once per run; every model that ages something reads its
-- domain's row through data_as_of_at(domain), so a fresh export of one system never ages
-- another system's records, and the exports are scanned once.

with

latest_events as (

    {{ latest_export_event_at() }}

),

freshest as (

    select max(latest_event_at) as freshest_event_at
    from latest_events

),

final as (

    select
        ---------- strings
        latest_events.source_domain,

        ---------- numerics
        -- how far the domain's latest event lags the freshest domain's: a stale export
        (
            {{ epoch_seconds('freshest.freshest_event_at') }}
            - {{ epoch_seconds('latest_events.latest_event_at') }}) / 3600.0
            as hours_behind_freshest,

        ---------- booleans
        latest_events.latest_event_at is not null
        and (
            {{ epoch_seconds('freshest.freshest_event_at') }}
            - {{ epoch_seconds('latest_events.latest_event_at') }}
        ) / 3600.0
        > {{ var('source_staleness_warn_hours') }} as is_stale,

        ---------- timestamps
        latest_events.latest_event_at,
        -- A domain without any event (an optional export not delivered) has nothing of its
        -- own to age; the freshest domain's time stands in so no clock is left undefined.
        coalesce(latest_events.as_of_at, freshest.freshest_event_at) as as_of_at

    from latest_events
    cross join freshest

)

select * from final
