-- Two contact_reason_field_map rows that normalise to the same key (case, padding, spacing
-- around `>`) must name the same reason: otherwise the field's reason would depend on the
-- row order. Returns the ambiguous keys.
with

field_map as (
    select * from {{ ref('contact_reason_field_map') }}
),

final as (
    select
        {{ contact_reason_field_path('field_value') }} as field_key,
        count(distinct contact_reason) as reason_count
    from field_map
    group by 1
    having count(distinct contact_reason) > 1
)

select * from final
