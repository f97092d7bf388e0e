{{ config(enabled=target.type != 'duckdb') }}
-- The engines other than DuckDB build int_refund_reason_rule_matches from this file; DuckDB
-- builds it from int_refund_reason_rule_matches.py (dbt_project.yml enables one of the two).
-- The same seed, order and CASE (macros/tickets/reason_rules.sql); the patterns are DuckDB's
-- RE2 syntax, translated for the engine (macros/engines/tickets.sql, java_regex).
with

requests as (
    select * from {{ ref('stg_returns__return_requests') }}
),

final as (
    {{ reason_rule_matches(
        'requests', 'return_id', ['reason_text'], ref('refund_reason_rules'),
        'refund_reason', ['refund_reason_rule_id', 'rule_refund_reason', 'rule_priority'],
    ) }}
)

select * from final
