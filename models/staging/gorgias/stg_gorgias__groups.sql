-- The helpdesk interface's groups (teams). The Gorgias export has no teams: the model is
-- typed and empty, so group_id is null on every ticket and the group marts show one
-- explicit "no group" row per period.
with

final as (

    select
        ---------- ids
        cast(null as {{ text_type() }}) as group_id,

        ---------- strings
        cast(null as {{ text_type() }}) as group_name

    where false

)

select * from final
