-- Hand-written baseline: the headline figure of every KPI category, straight from the raw
-- export files, in plain DuckDB SQL (no dbt). Written from docs/kpi_definitions.md and
-- docs/export_contract.md, not from the dbt models, so that the two implementations can
-- check each other: `python -m support_kpis.benchmark` runs both on the same exports and
-- fails on any difference beyond rounding.
--
-- Inputs: one view per export table, export_<source>_<table> (helpdesk tickets, messages,
-- ticket_events, satisfaction_surveys, in Gorgias's column names; shopify orders; nps
-- responses; finance support_costs; returns return_requests), each the raw table as text
-- with its export's column names; the runner (support_kpis/benchmark/baseline.py,
-- reader_views) creates them for native (NDJSON / CSV) or Parquet exports, and presents a
-- Zendesk folder in the same shapes (zendesk_views), so this script is the same program for
-- both helpdesks. DuckDB variables, set before running the script:
--   exports_path        the exports folder (for the record; the views read it)
--   seeds_path          the project's seeds/ folder (business rules are data, not code)
--   export_timezone     zone of naive timestamps in the exports
--   reporting_timezone  zone in which months are cut
--   repeat_window_days  repeat-contact window in days
--   reporting_currency  (optional, default USD) currency the ledger is converted into
-- Output: table headline_figures(metric, key, value).
--   python -m support_kpis.benchmark.baseline --exports data/sample --out /tmp/baseline.duckdb [--format parquet]
--   python -m support_kpis.benchmark.baseline --exports data/sample_zendesk --helpdesk zendesk --out /tmp/zd.duckdb

set timezone = 'UTC';

-- ---------------------------------------------------------------- helpers
-- Text timestamp -> naive UTC timestamp; null when unparseable. Accepted forms (contract):
-- epoch seconds, ISO/Shopify with Z or an offset, naive local time in export_timezone.
create or replace macro utc_ts(s) as (
    case
        when nullif(trim(s), '') is null then null
        when regexp_full_match(trim(s), '[0-9]{9,11}(\.[0-9]+)?')
            then make_timestamp(cast(round(cast(trim(s) as double) * 1000000) as bigint))
        when regexp_matches(trim(s), '([zZ]|[+-][0-9]{2}:?[0-9]{2})$')
            then cast(
                try_cast(regexp_replace(trim(s), ' ?([+-][0-9]{2}):?([0-9]{2})$', '\1:\2') as timestamptz)
                at time zone 'UTC' as timestamp
            )
        else cast(
            timezone(getvariable('export_timezone'), try_cast(trim(s) as timestamp))
            at time zone 'UTC' as timestamp
        )
    end
);

-- Reporting month (YYYY-MM) of a naive UTC timestamp.
create or replace macro report_month(ts) as
    strftime(timezone(getvariable('reporting_timezone'), timezone('UTC', ts)), '%Y-%m');

create or replace macro minutes_between(a, b) as (epoch(b) - epoch(a)) / 60.0;

-- Letters only, so 'E-mail', 'email ', 'Contact Form' and 'contact_form' meet one key.
create or replace macro letters_key(s) as regexp_replace(lower(coalesce(s, '')), '[^a-z]', '', 'g');

-- ---------------------------------------------------------------- seeds (business rules)
create or replace temp table seed_channels as
select distinct letters_key(raw_channel) as channel_key, channel
from read_csv(getvariable('seeds_path') || '/staging/channel_map.csv', all_varchar = true);

create or replace temp table seed_vias as
select lower(via) as via, lower(is_automated) = 'true' as is_automated
from read_csv(getvariable('seeds_path') || '/tickets/helpdesk_vias.csv', all_varchar = true);

-- A "Contact reason" value as a list of path levels (`Shipping > Where is my order?` ->
-- ['shipping', 'where is my order?']): lowercase, each level trimmed, inner spaces collapsed.
create or replace macro reason_levels(s) as
    list_transform(string_split(lower(coalesce(s, '')), '>'), lambda x: regexp_replace(trim(x), '\s+', ' ', 'g'));

create or replace temp table seed_reason_fields as
select distinct array_to_string(reason_levels(field_value), ' > ') as field_value, contact_reason
from read_csv(getvariable('seeds_path') || '/tickets/contact_reason_field_map.csv', all_varchar = true);

create or replace temp table seed_reason_tags as
select lower(trim(tag)) as tag, contact_reason, cast(priority as integer) as priority
from read_csv(getvariable('seeds_path') || '/tickets/contact_reason_tags.csv', all_varchar = true);

create or replace temp table seed_reason_rules as
select rule_id, pattern, contact_reason, cast(priority as integer) as priority
from read_csv(getvariable('seeds_path') || '/tickets/contact_reason_rules.csv', all_varchar = true);

create or replace temp table seed_refund_rules as
select rule_id, pattern, refund_reason, cast(priority as integer) as priority
from read_csv(getvariable('seeds_path') || '/commerce/refund_reason_rules.csv', all_varchar = true);

-- ---------------------------------------------------------------- helpdesk tickets
create or replace temp table raw_tickets as
select
    *,
    row_number() over () as read_order
from export_helpdesk_tickets;

-- Valid rows only; a re-export of the same id: latest updated wins, then later file, then later line.
create or replace temp table tickets as
select
    cast(id as bigint) as ticket_id,
    coalesce(seed_channels.channel, 'other') as channel,
    lower(trim(status)) in ('closed', 'solved') as is_closed,
    subject,
    coalesce(nullif(trim(customer.id), ''), lower(trim(customer.email))) as customer_key,
    lower(trim(customer.email)) as customer_email,
    list_transform(tags, lambda t: lower(trim(t.name))) as tags,
    list_filter(custom_fields, lambda f: lower(trim(f.name)) = 'contact reason')[1].value as reason_field,
    regexp_extract(list_filter(custom_fields, lambda f: lower(trim(f.name)) = 'order number')[1].value, '[0-9]+') as order_field,
    lower(coalesce(spam, 'false')) = 'true' as is_spam,
    nullif(trim(merged_into_ticket_id), '') is not null as is_merged,
    lower(trim(via)) as via,
    utc_ts(created_datetime) as created_at,
    utc_ts(closed_datetime) as closed_at
from raw_tickets
left join seed_channels on letters_key(raw_tickets.channel) = seed_channels.channel_key
where try_cast(id as bigint) is not null
    and utc_ts(created_datetime) is not null
    and utc_ts(updated_datetime) is not null
qualify row_number() over (
    partition by cast(id as bigint)
    order by utc_ts(updated_datetime) desc, filename desc, read_order desc
) = 1;

-- ---------------------------------------------------------------- messages
create or replace temp table messages as
select
    cast(raw.id as bigint) as message_id,
    cast(raw.ticket_id as bigint) as ticket_id,
    coalesce(lower(raw.from_agent) = 'true', false) as is_from_agent,
    coalesce(lower(raw.public) <> 'false', true) as is_public,
    lower(trim(raw.via)) as via,
    nullif(trim(raw.rule_id), '') as rule_id,
    raw.body_text,
    utc_ts(raw.created_datetime) as created_at
from export_helpdesk_messages as raw
semi join tickets on try_cast(raw.ticket_id as bigint) = tickets.ticket_id
where try_cast(raw.id as bigint) is not null
    and utc_ts(raw.created_datetime) is not null
qualify row_number() over (partition by cast(raw.id as bigint) order by raw.created_datetime) = 1;

-- Per ticket: who wrote first, the customer's first words, the first human reply.
create or replace temp table ticket_messages as
select
    messages.ticket_id,
    arg_min(messages.is_from_agent, (messages.created_at, messages.message_id)) as first_is_from_agent,
    arg_min(messages.body_text, (messages.created_at, messages.message_id))
        filter (where not messages.is_from_agent) as first_customer_text,
    min(messages.created_at) filter (
        where messages.is_from_agent
            and messages.is_public
            and messages.rule_id is null
            and not coalesce(seed_vias.is_automated, false)
    ) as first_human_reply_at
from messages
left join seed_vias on messages.via = seed_vias.via
group by messages.ticket_id;

-- ---------------------------------------------------------------- status events
create or replace temp table ticket_status_events as
select
    cast(object_id as bigint) as ticket_id,
    min(utc_ts(created_datetime)) filter (where lower(trim(type)) = 'ticket-closed') as first_closed_event_at,
    -- A ticket was reopened if a reopen event says so, or if it was closed more than once
    -- (the reopen between two closes can be missing: its event may have been rejected).
    greatest(
        count(*) filter (where lower(trim(type)) = 'ticket-reopened'),
        count(*) filter (where lower(trim(type)) = 'ticket-closed') - 1
    ) as reopen_events
from (
    select distinct on (id) id, object_id, type, created_datetime
    from export_helpdesk_ticket_events
    where utc_ts(created_datetime) is not null and try_cast(object_id as bigint) is not null
)
group by all;

-- ---------------------------------------------------------------- orders (Shopify, one row per line item)
create or replace temp table orders as
select
    cast(max(nullif("Id", '')) as bigint) as order_id,
    replace(trim("Name"), '#', '') as order_number,
    lower(trim(max(nullif("Email", '')))) as customer_email,
    utc_ts(max(nullif("Created at", ''))) as created_at,
    max(nullif(trim("Cancelled at"), '')) is not null as is_cancelled,
    coalesce(max(try_cast(nullif("Refunded Amount", '') as decimal(18, 2))), 0) as refunded_amount
from export_shopify_orders
where nullif(trim("Name"), '') is not null
group by replace(trim("Name"), '#', '');

-- ---------------------------------------------------------------- per-ticket facts
create or replace temp table ticket_facts as
select
    tickets.*,
    ticket_messages.first_human_reply_at,
    ticket_messages.first_customer_text,
    -- Opened by the customer: the first message is the customer's (no message: not agent-created).
    coalesce(not ticket_messages.first_is_from_agent, tickets.via is distinct from 'helpdesk') as is_inbound,
    coalesce(ticket_status_events.reopen_events, 0) as reopen_count,
    case when tickets.is_closed then tickets.closed_at end as last_solved_at,
    coalesce(
        ticket_status_events.first_closed_event_at, case when tickets.is_closed then tickets.closed_at end
    ) as first_solved_at
from tickets
left join ticket_messages on tickets.ticket_id = ticket_messages.ticket_id
left join ticket_status_events on tickets.ticket_id = ticket_status_events.ticket_id;

create or replace temp table customer_tickets as
select *
from ticket_facts
where is_inbound and not is_spam and not is_merged;

-- Contact reason: helpdesk field, else tags (lowest priority), else text rules, else other.
create or replace temp table tag_reasons as
select ticket_id, arg_min(seed_reason_tags.contact_reason, seed_reason_tags.priority) as contact_reason
from (select ticket_id, unnest(tags) as tag from customer_tickets) as ticket_tags
inner join seed_reason_tags on ticket_tags.tag = seed_reason_tags.tag
group by ticket_id;

create or replace temp table rule_reasons as
select
    customer_tickets.ticket_id,
    arg_min(seed_reason_rules.contact_reason, (seed_reason_rules.priority, seed_reason_rules.rule_id)) as contact_reason
from customer_tickets
inner join seed_reason_rules
    on regexp_matches(
        lower(coalesce(customer_tickets.subject, '') || chr(10) || coalesce(customer_tickets.first_customer_text, '')),
        seed_reason_rules.pattern
    )
group by customer_tickets.ticket_id;

-- Order: the field, else the first order number in the subject, else in the first customer
-- message (each only when Shopify knows it), else the customer's latest earlier order.
create or replace temp table ticket_orders as
with stated as (
    select
        customer_tickets.ticket_id,
        customer_tickets.customer_email,
        customer_tickets.created_at,
        coalesce(by_field.order_id, by_subject.order_id, by_message.order_id) as stated_order_id
    from customer_tickets
    left join orders as by_field on customer_tickets.order_field = by_field.order_number
    left join orders as by_subject
        on regexp_extract(
            customer_tickets.subject, '(?i)(?:#|\border\s*(?:no\.?|nr\.?|num\.?|number)?\s*:?\s*#?\s*)([0-9]{3,})\b', 1
        ) = by_subject.order_number
    left join orders as by_message
        on regexp_extract(
            customer_tickets.first_customer_text,
            '(?i)(?:#|\border\s*(?:no\.?|nr\.?|num\.?|number)?\s*:?\s*#?\s*)([0-9]{3,})\b',
            1
        ) = by_message.order_number
)
select
    stated.ticket_id,
    stated.stated_order_id,
    coalesce(stated.stated_order_id, inferred.order_id) as order_id
from stated
asof left join orders as inferred
    on stated.customer_email = inferred.customer_email
    and stated.created_at >= inferred.created_at;

create or replace temp table ticket_kpis as
select
    customer_tickets.*,
    coalesce(
        by_path.contact_reason, by_leaf.contact_reason, tag_reasons.contact_reason, rule_reasons.contact_reason, 'other'
    ) as contact_reason,
    ticket_orders.order_id,
    -- only an order the customer quoted keys an issue; the inferred one is a guess
    ticket_orders.stated_order_id
from customer_tickets
-- the whole path first, then its last level
left join seed_reason_fields as by_path
    on nullif(trim(customer_tickets.reason_field), '') is not null
    and array_to_string(reason_levels(customer_tickets.reason_field), ' > ') = by_path.field_value
left join seed_reason_fields as by_leaf
    on nullif(trim(customer_tickets.reason_field), '') is not null
    and reason_levels(customer_tickets.reason_field)[-1] = by_leaf.field_value
left join tag_reasons on customer_tickets.ticket_id = tag_reasons.ticket_id
left join rule_reasons on customer_tickets.ticket_id = rule_reasons.ticket_id
left join ticket_orders on customer_tickets.ticket_id = ticket_orders.ticket_id;

-- Issues: same customer and reason, and same order when the customer quoted one. In creation
-- order a ticket joins when created while an earlier one of its issue is open, or within the
-- window after the issue's latest solve so far. A ticket quoting no order goes with the order
-- quoted last before it among the customer's tickets of that reason chained by the window
-- (its episode), else the first one quoted after it.
create or replace temp table episode_steps as
select
    *,
    max(coalesce(last_solved_at, 'infinity'::timestamp)) over (
        partition by customer_key, contact_reason order by created_at, ticket_id
        rows between unbounded preceding and 1 preceding
    ) as episode_open_until
from ticket_kpis;

create or replace temp table episode_tickets as
select
    *,
    sum(
        case
            when episode_open_until is not null
                and created_at <= episode_open_until + to_days(cast(getvariable('repeat_window_days') as integer))
                then 0
            else 1
        end
    ) over (partition by customer_key, contact_reason order by created_at, ticket_id) as episode
from episode_steps;

create or replace temp table issue_keyed as
select
    *,
    coalesce(
        stated_order_id,
        last_value(stated_order_id ignore nulls) over (
            partition by customer_key, contact_reason, episode order by created_at, ticket_id
            rows between unbounded preceding and 1 preceding
        ),
        first_value(stated_order_id ignore nulls) over (
            partition by customer_key, contact_reason, episode order by created_at, ticket_id
            rows between 1 following and unbounded following
        )
    ) as issue_order_id
from episode_tickets;

create or replace temp table issue_steps as
select
    *,
    max(coalesce(last_solved_at, 'infinity'::timestamp)) over issue_order_before as issue_open_until
from issue_keyed
window issue_order_before as (
    partition by customer_key, contact_reason, episode, issue_order_id
    order by created_at, ticket_id
    rows between unbounded preceding and 1 preceding
);

create or replace temp table issues as
select
    *,
    customer_key is not null
    and issue_open_until is not null
    and created_at <= issue_open_until + to_days(cast(getvariable('repeat_window_days') as integer))
        as is_repeat_contact
from issue_steps;

create or replace temp table issue_tickets as
select
    *,
    sum(case when is_repeat_contact then 0 else 1 end) over (
        partition by customer_key, contact_reason, episode, issue_order_id order by created_at, ticket_id
    ) as issue_number
from issues;

create or replace temp table ticket_outcomes as
select
    *,
    -- The next ticket of the same issue came while this one was open or within the window after its solve.
    customer_key is not null and coalesce(
        lead(created_at) over (
            partition by customer_key, contact_reason, episode, issue_order_id, issue_number
            order by created_at, ticket_id
        ) <= last_solved_at + to_days(cast(getvariable('repeat_window_days') as integer)),
        false
    ) as has_repeat_within_window
from issue_tickets;

-- ---------------------------------------------------------------- CSAT surveys
create or replace temp table csat as
select
    report_month(surveys.sent_at) as month,
    surveys.score
from (
    select
        cast(id as bigint) as survey_id,
        cast(ticket_id as bigint) as ticket_id,
        try_cast(score as integer) as score,
        utc_ts(sent_datetime) as sent_at,
        utc_ts(scored_datetime) as scored_at
    from export_helpdesk_satisfaction_surveys
    where utc_ts(created_datetime) is not null
        and (nullif(trim(score), '') is null or try_cast(score as integer) between 1 and 5)
    qualify row_number() over (partition by cast(id as bigint) order by scored_datetime desc nulls last) = 1
) as surveys
inner join customer_tickets on surveys.ticket_id = customer_tickets.ticket_id
where surveys.score is not null
    and surveys.sent_at is not null
    and customer_tickets.first_solved_at is not null
    and surveys.sent_at >= customer_tickets.first_solved_at
qualify row_number() over (partition by surveys.ticket_id order by surveys.scored_at desc, surveys.survey_id desc) = 1;

-- ---------------------------------------------------------------- NPS
create or replace temp table nps as
select report_month(utc_ts(created_at)) as month, cast(score as integer) as score
from export_nps_responses
where try_cast(score as integer) between 0 and 10 and utc_ts(created_at) is not null
qualify row_number() over (partition by response_id order by created_at desc) = 1;

-- ---------------------------------------------------------------- finance ledger
-- Amounts in another currency are converted with the seed fx_rates; a line without a rate
-- for its month is left out (the project quarantines it): never added as if it were the
-- same money.
create or replace temp table fx_rates as
select upper(trim(currency)) as currency, strftime(cast(month_start as date), '%Y-%m') as month,
    cast(rate_to_reporting as decimal(18, 10)) as rate
from read_csv(getvariable('seeds_path') || '/finance/fx_rates.csv', all_varchar = true, header = true,
    columns = {'currency': 'varchar', 'reporting_currency': 'varchar', 'month_start': 'varchar',
        'rate_to_reporting': 'varchar'})
where upper(trim(reporting_currency)) = coalesce(getvariable('reporting_currency'), 'USD');

create or replace temp table ledger as
select costs.month, sum(
    cast(costs.amount as decimal(18, 2))
    * case when upper(trim(costs.currency)) = coalesce(getvariable('reporting_currency'), 'USD') then 1
        else fx_rates.rate end
) as amount
from export_finance_support_costs as costs
left join fx_rates on upper(trim(costs.currency)) = fx_rates.currency and costs.month = fx_rates.month
where upper(trim(costs.currency)) = coalesce(getvariable('reporting_currency'), 'USD') or fx_rates.rate is not null
group by costs.month;

-- ---------------------------------------------------------------- returns
create or replace temp table return_requests as
select
    coalesce(
        (
            select arg_min(seed_refund_rules.refund_reason, seed_refund_rules.priority)
            from seed_refund_rules
            where regexp_matches(lower(coalesce(raw.reason, '')), seed_refund_rules.pattern)
        ),
        'other'
    ) as refund_reason,
    (epoch(utc_ts(raw.refunded_at)) - epoch(utc_ts(raw.requested_at))) / 3600.0 as resolution_hours
from (
    select *, row_number() over () as read_order
    from export_returns_return_requests
) as raw
where utc_ts(raw.requested_at) is not null
    and coalesce(try_cast(nullif(raw.refund_amount, '') as decimal(18, 2)), 0) >= 0
qualify row_number() over (
    partition by raw.return_id order by utc_ts(raw.updated_at) desc nulls last, raw.filename desc, raw.read_order desc
) = 1;

-- ---------------------------------------------------------------- headline figures
create or replace table headline_figures as
select 'customer_tickets' as metric, report_month(created_at) || '|' || channel as key, count(*)::double as value
from ticket_outcomes group by all
union all
select
    'frt_median_calendar_minutes',
    report_month(created_at) || '|' || channel,
    median(minutes_between(created_at, first_human_reply_at))
from ticket_outcomes group by all
union all
select
    'fcr_rate',
    report_month(created_at),
    -- a ticket closed at an unknown time (no close time in the export or its events) is not
    -- solved for FCR (docs/decisions/conventions.md, tickets closed without a close time)
    count(*) filter (where last_solved_at is not null and reopen_count = 0 and not has_repeat_within_window)
    / nullif(count(*) filter (where last_solved_at is not null), 0)
from ticket_outcomes group by all
union all
select 'repeat_contact_rate', report_month(created_at), avg(is_repeat_contact::integer)
from ticket_outcomes group by all
union all
select 'csat_share', month, avg((score >= 4)::integer) from csat group by all
union all
select 'nps', month, 100.0 * (count(*) filter (where score >= 9) - count(*) filter (where score <= 6)) / count(*)
from nps group by all
union all
select 'wismo_rate', report_month(created_at), avg((contact_reason = 'wismo')::integer)
from ticket_outcomes group by all
union all
select 'cost_per_contact', ledger.month, ledger.amount / nullif(handled.tickets, 0)
from ledger
left join (
    select report_month(first_human_reply_at) as month, count(*) as tickets
    from ticket_outcomes where first_human_reply_at is not null group by all
) as handled on ledger.month = handled.month
union all
select 'backlog_at_as_of', channel, count(*) filter (where not is_closed)
from ticket_outcomes group by all
union all
select 'refund_rate', report_month(created_at), avg((refunded_amount > 0)::integer)
from orders where not is_cancelled group by all
union all
select 'refund_resolution_median_hours', refund_reason, median(resolution_hours)
from return_requests where resolution_hours is not null group by all;
