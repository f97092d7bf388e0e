-- The helpdesk interface's users (one row per user and role period). Gorgias exports no
-- users table and no role history: agents are the people seen acting for the brand (senders
-- of agent messages, users on ticket events, ticket assignees), customers are end users.
-- No role periods (role_valid_from/to null: the role holds for all time).
with

messages as (

    select * from {{ ref('base_gorgias__messages') }}
    where rejection_reason is null and not is_superseded

),

events as (

    select * from {{ ref('base_gorgias__ticket_events') }}
    where rejection_reason is null and not is_superseded

),

tickets as (

    select * from {{ ref('base_gorgias__tickets') }}
    where rejection_reason is null and not is_superseded

),

-- every sighting of a user id, with the role it shows and what it says of the person
sightings as (

    select
        sender_id as user_id,
        case when is_from_agent then 'agent' else 'end_user' end as seen_role,
        {{ json_text_at('raw_record', ['sender', 'name'], 'cast') }} as user_name,
        sender_email as user_email,
        created_at as seen_at
    from messages
    where sender_id is not null

    union all

    -- who acted on a ticket event is a Gorgias user (an agent); customers do not appear here
    select
        user_id,
        'agent' as seen_role,
        null as user_name,
        null as user_email,
        occurred_at as seen_at
    from events
    where user_id is not null

    union all

    select
        assignee_agent_id as user_id,
        'agent' as seen_role,
        null as user_name,
        null as user_email,
        updated_at as seen_at
    from tickets
    where assignee_agent_id is not null

    union all

    select
        customer_id as user_id,
        'end_user' as seen_role,
        null as user_name,
        customer_email as user_email,
        updated_at as seen_at
    from tickets
    where customer_id is not null

),

final as (

    select
        ---------- ids
        user_id,

        ---------- strings
        -- an id seen acting for the brand is an agent (Gorgias has no role changes to date)
        case when bool_or(seen_role = 'agent') then 'agent' else 'end_user' end as role,  -- noqa: RF04
        {{ arg_max_ordered('user_name', ['seen_at', 'user_name']) }}
        filter (where user_name is not null) as user_name,
        {{ arg_max_ordered('user_email', ['seen_at', 'user_email']) }}
        filter (where user_email is not null) as user_email,

        ---------- timestamps
        cast(null as timestamp) as role_valid_from,
        cast(null as timestamp) as role_valid_to

    from sightings
    group by user_id

)

select * from final
