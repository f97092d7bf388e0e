{% macro zendesk_audit_field_map() %}
{#- The Zendesk audit fields (Create/Change events' field_name) that make the ticket's
    history, and the interface's changed_field for each (stg_zendesk__ticket_events).
    Zendesk documents no audit field for the ticket's schedule; a Change with field_name
    `schedule_id` (or `schedule`), as business-rule integrations write it, is read as one. -#}
{{ return({
    'status': 'status',
    'assignee_id': 'assignee',
    'group_id': 'group',
    'priority': 'priority',
    'schedule_id': 'schedule',
    'schedule': 'schedule',
}) }}
{% endmacro %}


{% macro zendesk_tracked_audit_fields() %}
{#- zendesk_audit_field_map's field names as a SQL list literal: ('status', ...). -#}
{{ return("('" ~ zendesk_audit_field_map().keys() | list | join("', '") ~ "')") }}
{% endmacro %}


{% macro zendesk_unknown_comment_authors() %}
{#- The usable Zendesk comments whose author (other than Zendesk itself, -1) the users export
    does not know: stg_zendesk__messages decides their side without a role. -#}
    select
        comments.comment_id,
        comments.author_id
    from {{ ref('base_zendesk__ticket_comments') }} as comments
    where
        comments.rejection_reason is null
        and not comments.is_superseded
        and comments.author_id is distinct from '-1'
        and not exists (
            select 1 from {{ ref('stg_zendesk__users') }} as users
            where users.user_id = comments.author_id
        )
{%- endmacro %}


{% macro zendesk_custom_field(custom_fields, field_id_var) %}
{#- The trimmed value (text) of the ticket custom field whose id is the var `field_id_var`
    (custom_fields: a struct(id varchar, value varchar)[] column); null when the var is null,
    the ticket lacks the field or its value is empty. -#}
{%- if var(field_id_var, none) is none -%}
    cast(null as varchar)
{%- else -%}
    nullif(trim({{ list_first(list_where(
        custom_fields, 'field', "trim(field.id) = '" ~ (var(field_id_var) | string | trim) ~ "'"
    )) }}.value), '')
{%- endif -%}
{%- endmacro %}
