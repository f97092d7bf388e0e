{{ config(
    materialized='incremental',
    incremental_strategy='rebuild_keys',
    unique_key='ticket_id',
    rebuild_set='int_ticket_rebuild_set',
    on_schema_change='fail',
    post_hook="{{ record_rebuild_watermark() }}",
) }}
-- One contact reason per ticket, by precedence: the helpdesk's own field (mapped by the
-- contact_reason_field_map seed), then tags (contact_reason_tags, lowest priority wins),
-- then text rules (int_ticket_reason_rule_matches), else `other` with source `none`.

-- depends_on: {{ ref('int_ticket_rebuild_set') }}
with

threads as (
    select * from {{ ref('int_ticket_threads') }}
    {{ rebuild_filter() }}
),

rule_matches as (
    select * from {{ ref('int_ticket_reason_rule_matches') }}
    {{ rebuild_filter() }}
),

field_map as (
    select * from {{ ref('contact_reason_field_map') }}
),

tag_map as (
    select * from {{ ref('contact_reason_tags') }}
),

field_reasons as (
    select
        threads.ticket_id,
        field_map.contact_reason
    from threads
    inner join field_map
        on lower(trim(threads.contact_reason_field)) = field_map.field_value
),

ticket_tags as (
    select
        ticket_id,
        unnest(tags) as tag
    from threads
    where len(tags) > 0
),

tag_reasons as (
    select
        ticket_tags.ticket_id,
        arg_min(
            tag_map.contact_reason,
            (tag_map.priority, tag_map.contact_reason, tag_map.tag)
        ) as contact_reason
    from ticket_tags
    inner join tag_map
        on ticket_tags.tag = tag_map.tag
    group by ticket_tags.ticket_id
),

final as (
    select
        threads.ticket_id,
        coalesce(
            field_reasons.contact_reason,
            tag_reasons.contact_reason,
            rule_matches.rule_contact_reason,
            'other'
        ) as contact_reason,
        case
            when field_reasons.contact_reason is not null then 'field'
            when tag_reasons.contact_reason is not null then 'tag'
            when rule_matches.rule_contact_reason is not null then 'rule'
            else 'none'
        end as reason_source,
        case
            when field_reasons.contact_reason is null and tag_reasons.contact_reason is null
                then rule_matches.reason_rule_id
        end as reason_rule_id,
        threads.contact_reason_field as raw_contact_reason_field
    from threads
    left join field_reasons
        on threads.ticket_id = field_reasons.ticket_id
    left join tag_reasons
        on threads.ticket_id = tag_reasons.ticket_id
    left join rule_matches
        on threads.ticket_id = rule_matches.ticket_id
)

select * from final
