{{ config(
    pre_hook="{{ create_rebuild_state_table() }}",
    post_hook="{{ record_rebuild_set_loaded_through([
        ref(helpdesk_model('ticket_loads')),
        ref('base_time_tracking__ticket_time_entries'),
        ref('base_shopify__orders'),
    ]) }}",
) }}
-- The tickets an incremental run rebuilds (macros/incremental/keyed_rebuild.sql): every
-- ticket with an export row loaded since the oldest watermark of the ticket models, then
-- widened to what those rows can change elsewhere:
--   - tickets of a customer, or naming an order number, whose Shopify orders were loaded
--     (the ticket's order link can move to the new order);
--   - every ticket of the same customer as any of the above (issues and repeat contacts
--     group a customer's tickets, and a ticket that now quotes an order can split or join
--     its customer's issues);
--   - tickets merged, directly or along a chain, into any of the above (their survivor);
--   - the source ticket of a changed follow-up and the follow-ups of a changed ticket (they
--     share an issue whoever wrote them).
-- is_changed: the ticket had a row loaded, or is merged along a chain into one that had:
-- false for tickets only widened by customer or order. Models that read nothing across
-- tickets (cost allocation months) can ignore the widened ones.
-- With no watermark yet (first build, or models built before this existed) it lists every ticket.

{%- set watermark = rebuild_watermark() %}
{#- Without a watermark nothing counts as newly loaded and `final` takes every ticket. -#}
{%- set new_since = loaded_after(watermark) %}
{#- Merge chains longer than this are treated as cycles, as in int_ticket_threads. -#}
{%- set max_merge_depth = 50 %}

with recursive

current_tickets as (

    select * from {{ ref(helpdesk_model('tickets')) }}

),

ticket_loads as (

    select * from {{ ref(helpdesk_model('ticket_loads')) }}

),

time_entries as (

    select * from {{ ref('base_time_tracking__ticket_time_entries') }}

),

orders as (

    select * from {{ ref('base_shopify__orders') }}

),

changed_tickets as (

    select ticket_id from ticket_loads
    where loaded_at > {{ new_since }}

    union

    select ticket_id from time_entries
    where loaded_at > {{ new_since }} and ticket_id is not null

),

loaded_orders as (

    select
        order_number,
        lower(customer_email) as customer_email
    from orders
    where loaded_at > {{ new_since }}

),

-- a follow-up and its source ticket share an issue (int_ticket_issues), even when another
-- customer wrote the follow-up: a change to either rebuilds both
followup_links as (

    select
        ticket_id,
        followup_source_ticket_id
    from current_tickets
    where followup_source_ticket_id is not null

),

-- tickets whose own rows, or whose order link, can change
seed_tickets as (

    select ticket_id from changed_tickets

    union

    select followup_links.followup_source_ticket_id
    from followup_links
    where followup_links.ticket_id in (select changed_tickets.ticket_id from changed_tickets)

    union

    select followup_links.ticket_id
    from followup_links
    where followup_links.followup_source_ticket_id in (select changed_tickets.ticket_id from changed_tickets)

    union

    select current_tickets.ticket_id
    from current_tickets
    where
        lower(current_tickets.customer_email) in (select loaded_orders.customer_email from loaded_orders)
        or current_tickets.order_number_field in (select loaded_orders.order_number from loaded_orders)

),

-- every customer identity any copy of a seed ticket carries, old copies included
seed_customers as (

    select
        ticket_loads.customer_id,
        ticket_loads.customer_email
    from ticket_loads
    inner join seed_tickets
        on ticket_loads.ticket_id = seed_tickets.ticket_id
    where ticket_loads.customer_id is not null or ticket_loads.customer_email is not null

),

widened as (

    select ticket_id from seed_tickets

    union

    select current_tickets.ticket_id
    from current_tickets
    where
        current_tickets.customer_id in (select seed_customers.customer_id from seed_customers)
        or current_tickets.customer_email in (select seed_customers.customer_email from seed_customers)

),

merged_into_widened as (

    select
        widened.ticket_id,
        0 as merge_depth,
        widened.ticket_id in (select changed_tickets.ticket_id from changed_tickets) as is_changed
    from widened

    -- distinct on DuckDB; Spark's recursion takes union all only, which gives the same rows
    -- here: a ticket merges into one other, so one path of each length leads to it
    {{ recursive_union() }}

    select
        current_tickets.ticket_id,
        merged_into_widened.merge_depth + 1 as merge_depth,
        merged_into_widened.is_changed
    from merged_into_widened
    inner join current_tickets
        on merged_into_widened.ticket_id = current_tickets.merged_into_ticket_id
    where merged_into_widened.merge_depth < {{ max_merge_depth }}

),

final as (

    select
        ticket_id,
        true as is_changed
    from current_tickets
    where {{ watermark is none }}

    union all

    select
        ticket_id,
        bool_or(is_changed) as is_changed
    from merged_into_widened
    where {{ watermark is not none }}
    group by ticket_id

)

select * from final
