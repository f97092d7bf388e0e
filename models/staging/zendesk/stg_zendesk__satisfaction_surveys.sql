-- One row per Zendesk satisfaction rating in the interface's survey columns: good -> 5,
-- bad -> 1 (a number on the newer scale as given); `offered` is a survey sent and not
-- answered, `unoffered` one never sent (no sent time): neither is a response.
with

base as (

    select * from {{ ref('base_zendesk__satisfaction_ratings') }}

),

final as (

    select
        ---------- ids
        rating_id as survey_id,
        ticket_id,
        customer_id,

        ---------- strings
        comment,

        ---------- numerics
        score,

        ---------- timestamps
        created_at,
        case when is_offered then created_at end as sent_at,
        case when score is not null then coalesce(updated_at, created_at) end as scored_at

    from base
    where rejection_reason is null and not is_superseded

)

select * from final
