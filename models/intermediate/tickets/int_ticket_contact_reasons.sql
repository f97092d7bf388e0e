{{ config(
    materialized='incremental',
    incremental_strategy=engine_incremental_strategy('rebuild_keys'),
    unique_key='ticket_id',
    rebuild_set='int_ticket_rebuild_set',
    on_schema_change='fail',
    post_hook="{{ record_rebuild_watermark() }}",
) }}
-- One contact reason per ticket, by precedence: the helpdesk's own field (mapped by the
-- contact_reason_field_map seed, on the full path of a nested value first, then on its leaf),
-- then tags (contact_reason_tags, lowest priority wins), then text rules
-- (int_ticket_reason_rule_matches), else `other` with source `none`.

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

-- Seed values normalised like the field; two rows meeting on one key with different
-- reasons fail a test (assert_contact_reason_field_map_keys_are_unambiguous).
field_keys as (
    select distinct
        {{ contact_reason_field_path('field_value') }} as field_key,
        contact_reason
    from field_map
),

ticket_fields as (
    select
        ticket_id,
        {{ contact_reason_field_path('contact_reason_field') }} as field_path,
        {{ contact_reason_field_leaf('contact_reason_field') }} as field_leaf
    from threads
    where contact_reason_field is not null
),

-- The full path is the more specific statement ("product > question"), so it wins over
-- the leaf ("question") when the map lists both.
field_reasons as (
    select
        ticket_fields.ticket_id,
        coalesce(by_path.contact_reason, by_leaf.contact_reason) as contact_reason,
        case
            when by_path.contact_reason is not null then 'path'
            when by_leaf.contact_reason is not null then 'leaf'
            when ticket_fields.field_path is not null then 'unmapped'
        end as reason_field_match
    from ticket_fields
    left join field_keys as by_path
        on ticket_fields.field_path = by_path.field_key
    left join field_keys as by_leaf
        on ticket_fields.field_leaf = by_leaf.field_key
),

ticket_tags as (
    select
        ticket_id,
        {{ array_elements('tags', 'tag') }}
    from threads
    where {{ list_length('tags') }} > 0
),

tag_reasons as (
    select
        ticket_tags.ticket_id,
        {{ arg_min_of(
            'tag_map.contact_reason', ['tag_map.priority', 'tag_map.contact_reason', 'tag_map.tag']
        ) }} as contact_reason
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
        field_reasons.reason_field_match,
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
