-- One row per Zendesk ticket comment in the helpdesk interface's message columns
-- (docs/decisions/zendesk.md, "Who wrote a comment"):
--   - a trigger or automation comment (via.source.rel trigger/automation), a business-rule or
--     Zendesk-system comment (via.channel rule/system, author -1) is brand-side and
--     automated: rule_id is the trigger/automation id (null for the system);
--   - the ticket's first comment is the requester's opening message, even when an agent
--     typed it for them (a call or a forwarded mail), unless an agent opened the ticket in
--     the agent interface (via `helpdesk`: outbound);
--   - otherwise the author's role when the comment was written (stg_zendesk__users role
--     periods): an end user who later became an agent wrote as a customer before the change;
--   - an author the users export does not know (deleted, or users not exported) is the
--     customer when it is the requester, else brand-side; counted in data_quality_summary.
with

base as (

    select * from {{ ref('base_zendesk__ticket_comments') }}

),

tickets as (

    select * from {{ ref('stg_zendesk__tickets') }}

),

users as (

    select * from {{ ref('stg_zendesk__users') }}

),

comments as (

    select
        base.*,
        tickets.customer_id as requester_id,
        tickets.via as ticket_via,
        row_number() over (
            partition by base.ticket_id order by base.created_at, base.comment_id
        ) = 1 as is_first_comment
    from base
    inner join tickets
        on base.ticket_id = tickets.ticket_id
    where base.rejection_reason is null and not base.is_superseded

),

authored as (

    select
        comments.*,
        authors.role as author_role,
        authors.user_email as author_email,
        comments.via_rel in ('trigger', 'automation')
        or comments.via_channel in ('rule', 'system')
        or comments.author_id = '-1' as is_automated
    from comments
    left join users as authors
        on
            comments.author_id = authors.user_id
            and comments.created_at >= coalesce(authors.role_valid_from, {{ timestamp_before_all() }})
            and comments.created_at < coalesce(authors.role_valid_to, {{ timestamp_after_all() }})

),

final as (

    select
        ---------- ids
        comment_id as message_id,
        ticket_id,
        author_id as sender_id,
        rule_id,

        ---------- strings
        author_email as sender_email,
        -- automated comments keep a via the helpdesk_vias seed marks automated
        case when is_automated and via_channel not in ('rule', 'system', 'api') then 'rule' else via_channel end
            as via,
        body_text,

        ---------- booleans
        case
            when is_automated then true
            when is_first_comment and ticket_via <> 'helpdesk' then false
            else coalesce(author_role in ('agent', 'admin'), author_id is distinct from requester_id)
        end as is_from_agent,
        is_public,

        ---------- timestamps
        created_at,
        -- a public comment is sent when it is written; an internal note is never sent
        case when is_public then created_at end as sent_at

    from authored

)

select * from final
