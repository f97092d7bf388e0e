-- Every business-hours schedule the calendar knows, and where its definition comes from:
-- the seeds (business_schedules, business_hours, holidays) or, when var helpdesk is zendesk,
-- the helpdesk's schedules export. A schedule in both (same id) is taken from the export as a
-- whole (timezone, hours and holidays): the helpdesk applied the exported definition to the
-- tickets, and mixing the two would describe a schedule nobody configured.
with

seed_schedules as (

    select * from {{ ref('business_schedules') }}

),

{% if var('helpdesk') == 'zendesk' %}
exported_schedules as (

    select * from {{ ref('stg_zendesk__schedules') }}

),
{% endif %}

unioned as (

    {% if var('helpdesk') == 'zendesk' %}
    select
        schedule_id,
        timezone,
        'helpdesk_export' as schedule_source
    from exported_schedules

    union all
    {% endif %}

    select
        seed_schedules.schedule_id,
        seed_schedules.timezone,
        'seed' as schedule_source
    from seed_schedules
    {% if var('helpdesk') == 'zendesk' %}
    where seed_schedules.schedule_id not in (select exported_schedules.schedule_id from exported_schedules)
    {% endif %}

),

final as (

    select
        schedule_id,
        timezone,
        schedule_source

    from unioned

)

select * from final
