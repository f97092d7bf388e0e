{#- Reason text rules (seeds contact_reason_rules, refund_reason_rules) in SQL: the engines
    without the Python models' DuckDB relation code (support_kpis/reasons.py) build
    int_ticket_reason_rule_matches and int_refund_reason_rule_matches from these macros. The
    same seed rows, the same order (priority, then rule_id), the same CASE: the first matching
    pattern, case-insensitively, wins. tests/python/test_spark_reason_rules.py checks that
    both give the same assignments. docs/decisions/spark.md, "spark-int-tickets". -#}

{% macro reason_rules(rules_relation, reason_column) %}
{#- The seed's rules, strongest first: dicts with rule_id, pattern, reason, priority. Execution
    time only. An incomplete row stops the build, as support_kpis.reasons.load_rules does. -#}
    {%- set rows = run_query(
        "select rule_id, pattern, " ~ reason_column ~ ", priority from " ~ rules_relation
    ).rows -%}
    {%- set rules = [] -%}
    {%- for row in rows -%}
        {%- if row[0] is none or row[1] is none or row[2] is none or row[3] is none -%}
            {{ exceptions.raise_compiler_error(
                rules_relation.identifier ~ ": incomplete rule row " ~ tojson([row[0], row[1], row[2], row[3]])) }}
        {%- endif -%}
        {%- do rules.append({
            'rule_id': row[0] | string, 'pattern': row[1] | string, 'reason': row[2] | string,
            'priority': row[3] | int,
        }) -%}
    {%- endfor -%}
    {{ return(rules | sort(attribute='priority,rule_id', case_sensitive=true)) }}
{%- endmacro %}


{% macro reason_rule_matches(
    texts, id_column, text_columns, rules_relation, reason_column, match_columns, rules=none
) %}
{#- Query over relation or CTE `texts`: id_column and match_columns (rule id, reason, priority
    of the strongest rule whose pattern matches the text columns joined by newlines, nulls
    skipped; all null when none matches). `rules` (dicts as reason_rules returns) replaces the
    seed's (tests/python/test_spark_reason_rules.py). -#}
    {%- set rule_id_output, reason_output, priority_output = match_columns -%}
    {%- if rules is not none -%}
        {%- set rules = rules | sort(attribute='priority,rule_id', case_sensitive=true) -%}
    {%- else -%}
        {%- set rules = reason_rules(rules_relation, reason_column) if execute else [] -%}
    {%- endif -%}
    {%- if text_columns | length == 1 -%}
        {%- set text = text_columns[0] -%}
    {%- else -%}
        {%- set text = 'concat_ws(chr(10), ' ~ text_columns | join(', ') ~ ')' -%}
    {%- endif %}
    {%- if rules | length == 0 %}
    {#- No rule: nothing matches (a CASE needs one branch). #}
    select
        {{ id_column }},
        cast(null as {{ dbt.type_string() }}) as {{ rule_id_output }},
        cast(null as {{ dbt.type_string() }}) as {{ reason_output }},
        cast(null as integer) as {{ priority_output }}
    from {{ texts }}
    {%- else %}
    select
        {{ id_column }},
        {{ rule_id_output }},
        case {{ rule_id_output }}
            {%- for rule in rules %}
            when {{ sql_string_literal(rule.rule_id) }} then {{ sql_string_literal(rule.reason) }}
            {%- endfor %}
        end as {{ reason_output }},
        cast(case {{ rule_id_output }}
            {%- for rule in rules %}
            when {{ sql_string_literal(rule.rule_id) }} then {{ rule.priority }}
            {%- endfor %}
        end as integer) as {{ priority_output }}
    from (
        select
            {{ id_column }},
            cast(case
                {%- for rule in rules %}
                when {{ regexp_matches_ignoring_case(text, rule.pattern) }} then {{ sql_string_literal(rule.rule_id) }}
                {%- endfor %}
            end as {{ dbt.type_string() }}) as {{ rule_id_output }}
        from {{ texts }}
    ) as matched
    {%- endif %}
{%- endmacro %}
