-- One row per user and role period. Every usable copy of a user (older re-exports too) is a
-- dated observation of its role: a copy whose role differs from the copy before it starts a
-- new period at its updated_at (an end user who became an agent is an agent from that
-- change on, and an end user before it). The first period has no start (since always); the
-- current one no end. Name and email are the latest copy's.
with

base as (

    select * from {{ ref('base_zendesk__users') }}

),

observations as (

    select
        user_id,
        role,
        updated_at,
        lag(role) over (partition by user_id order by updated_at, source_file, source_line) as previous_role,
        row_number() over (partition by user_id order by updated_at, source_file, source_line) as observation_number
    from base
    where rejection_reason is null

),

period_starts as (

    select
        user_id,
        role,
        case when observation_number > 1 then updated_at end as role_valid_from
    from observations
    where previous_role is null or role <> previous_role

),

latest as (

    select
        user_id,
        user_name,
        user_email
    from base
    where rejection_reason is null and not is_superseded

),

final as (

    select
        ---------- ids
        period_starts.user_id,

        ---------- strings
        period_starts.role,
        latest.user_name,
        latest.user_email,

        ---------- timestamps
        period_starts.role_valid_from,
        lead(period_starts.role_valid_from) over (
            partition by period_starts.user_id order by period_starts.role_valid_from nulls first
        ) as role_valid_to

    from period_starts
    inner join latest
        on period_starts.user_id = latest.user_id

)

select * from final
