with

base as (

    select * from {{ ref('base_zendesk__groups') }}

),

final as (

    select
        ---------- ids
        cast(group_id as {{ text_type() }}) as group_id,

        ---------- strings
        group_name

    from base
    where rejection_reason is null and not is_superseded

)

select * from final
