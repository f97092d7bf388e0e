{{ config(
    materialized='incremental',
    incremental_strategy=engine_incremental_strategy('rebuild_keys'),
    unique_key='ticket_id',
    rebuild_set='int_ticket_rebuild_set',
    on_schema_change='fail',
    post_hook="{{ record_rebuild_watermark() }}",
) }}
-- One row per helpdesk message, numbered within its ticket and classified by author.
-- A bot is brand-side and automated (an automated via from the helpdesk_vias seed, or sent
-- by a rule); internal notes are brand-side and not public. Only public human-agent
-- messages are replies (KPI spec: auto-responders and automatic macros never count).
-- The author side is the helpdesk's own flag, except for a user whose role changed (several
-- role periods in the users model): then the role at the message time decides, so an end
-- user promoted to agent writes customer messages before the change and agent ones after.

-- depends_on: {{ ref('int_ticket_rebuild_set') }}
with

messages as (
    select * from {{ ref(helpdesk_model('messages')) }}
    {{ rebuild_filter() }}
),

vias as (
    select * from {{ ref('helpdesk_vias') }}
),

-- Only users with a role history: a single period changes nothing, which keeps a helpdesk
-- whose users are derived from the messages' own flag (Gorgias) exactly as flagged.
role_periods as (
    select
        user_id,
        role,
        role_valid_from,
        role_valid_to
    from {{ ref(helpdesk_model('users')) }}
    qualify count(*) over (partition by user_id) > 1
),

flagged as (
    select
        messages.message_id,
        messages.ticket_id,
        messages.sender_id,
        messages.sender_email,
        messages.via,
        messages.rule_id,
        messages.body_text,
        messages.created_at,
        messages.sent_at,
        -- the role at the message time where the role changed; else the helpdesk's flag, and
        -- an unknown author side is the customer's: agents' tools always set it
        coalesce(role_periods.role in ('agent', 'admin'), messages.is_from_agent, false) as is_from_agent,
        -- a missing visibility flag is public, as in the helpdesk UI
        coalesce(messages.is_public, true) as is_public,
        coalesce(vias.is_automated, false) or messages.rule_id is not null as is_automated
    from messages
    left join vias
        on lower(messages.via) = vias.via
    -- periods do not overlap (the users model's grain), so a message matches at most one
    left join role_periods
        on
            messages.sender_id = role_periods.user_id
            and messages.created_at >= coalesce(role_periods.role_valid_from, {{ timestamp_infinity('-') }})
            and messages.created_at < coalesce(role_periods.role_valid_to, {{ timestamp_infinity() }})
),

classified as (
    select
        *,
        case
            when not is_from_agent then 'customer'
            when not is_public then 'internal_note'
            when is_automated then 'bot'
            else 'human_agent'
        end as author_type,
        row_number() over (
            partition by ticket_id
            order by created_at, message_id
        ) as message_sequence
    from flagged
),

final as (
    select
        message_id,
        ticket_id,
        message_sequence,
        author_type,
        author_type = 'human_agent' as is_human_reply,
        is_from_agent,
        is_public,
        is_automated,
        via,
        rule_id,
        sender_id,
        sender_email,
        body_text,
        created_at,
        sent_at
    from classified
)

select * from final
