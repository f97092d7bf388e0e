{{ config(
    enabled=target.type != 'duckdb',
    materialized='incremental',
    incremental_strategy=engine_incremental_strategy('rebuild_keys'),
    unique_key='ticket_id',
    rebuild_set='int_ticket_rebuild_set',
    on_schema_change='fail',
    post_hook="{{ record_rebuild_watermark() }}",
) }}
-- The engines other than DuckDB build int_ticket_reason_rule_matches from this file; DuckDB
-- builds it from int_ticket_reason_rule_matches.py (dbt_project.yml enables one of the two).
-- The same seed, order and CASE (macros/tickets/reason_rules.sql); the patterns are DuckDB's
-- RE2 syntax, translated for the engine (macros/engines/tickets.sql, java_regex).

-- depends_on: {{ ref('int_ticket_rebuild_set') }}
with

threads as (
    select * from {{ ref('int_ticket_threads') }}
    {{ rebuild_filter() }}
),

final as (
    {{ reason_rule_matches(
        'threads', 'ticket_id', ['subject', 'first_customer_message_text'], ref('contact_reason_rules'),
        'contact_reason', ['reason_rule_id', 'rule_contact_reason', 'rule_priority'],
    ) }}
)

select * from final
