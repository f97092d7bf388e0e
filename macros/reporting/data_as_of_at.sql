{#-
    One-row select with a single column `as_of_at` (naive UTC timestamp): the "now" of one
    source domain's data. Use it as an import CTE and cross join it, so every model that
    ages something agrees on the same instant for the sources it reads:

        as_of as (
            {{ data_as_of_at('helpdesk') }}
        ),

    Each KPI's "now" comes from the sources it reads (a fresh returns export must not age a
    stale helpdesk export's tickets): SLA pending/breached and the backlog read `helpdesk`,
    shipments in transit `shipping`, open refunds `returns` (as_of_domains lists them). The
    domain is required: there is no cross-source "now" to fall back on.

    The var `as_of_at` wins when set (read as UTC) for every domain. Otherwise it is the
    latest event of the domain's staged exports (latest_export_event_at), computed once per
    run by int_data_as_of (one row per domain) and read from there, so re-running on an old
    export reproduces the same numbers instead of drifting with the wall clock.
-#}
{% macro data_as_of_at(domain=none) -%}
    {%- if domain not in as_of_domains() -%}
        {{ exceptions.raise_compiler_error(
            "data_as_of_at: domain " ~ (domain or "(none)") ~ " is not one of "
            ~ (as_of_domains().keys() | list | join(", ")) ~ ": pass the domain whose exports the model ages."
        ) }}
    {%- endif -%}
    {%- if var('as_of_at', none) is not none -%}
    select cast('{{ var("as_of_at") }}' as timestamp) as as_of_at
    {%- else -%}
    select as_of_at from {{ ref('int_data_as_of') }} where source_domain = '{{ domain }}'
    {%- endif -%}
{%- endmacro %}


{#- The source domains with their own "now", each with the staged exports (model, event
    column) whose latest event is that domain's as-of time. The one list: int_data_as_of,
    data_as_of_at and the staleness report all read it. -#}
{% macro as_of_domains() -%}
    {%- set helpdesk = var('helpdesk', 'gorgias') -%}
    {{ return({
        'helpdesk': [
            ('stg_' ~ helpdesk ~ '__tickets', 'updated_at'),
            ('stg_' ~ helpdesk ~ '__messages', 'created_at'),
            ('stg_' ~ helpdesk ~ '__ticket_events', 'occurred_at'),
            ('stg_' ~ helpdesk ~ '__satisfaction_surveys', 'scored_at'),
        ],
        'orders': [
            ('stg_shopify__orders', 'created_at'),
        ],
        'shipping': [
            ('stg_shipping__fulfillments', 'shipped_at'),
            ('stg_shipping__tracking_events', 'occurred_at'),
            ('stg_shipping__notifications', 'sent_at'),
        ],
        'returns': [
            ('stg_returns__return_requests', 'updated_at'),
        ],
        'nps': [
            ('stg_nps__responses', 'responded_at'),
        ],
        'time_tracking': [
            ('stg_time_tracking__ticket_time_entries', 'started_at'),
        ],
    }) }}
{%- endmacro %}


{#- What int_data_as_of computes: one row per source domain with its latest event
    (latest_event_at) and its as-of time (the var as_of_at when set, else latest_event_at). -#}
{% macro latest_export_event_at() -%}
    {%- set domains = as_of_domains() -%}
    select
        source_domain,
        max(latest_at) as latest_event_at,
        {% if var('as_of_at', none) is not none -%}
        cast('{{ var("as_of_at") }}' as timestamp)
        {%- else -%}
        max(latest_at)
        {%- endif %} as as_of_at
    from (
        {%- for domain, event_columns in domains.items() %}
        {%- set domain_loop = loop %}
        {%- for model_name, column_name in event_columns %}
        select '{{ domain }}' as source_domain, max({{ column_name }}) as latest_at from {{ ref(model_name) }}
        {%- if not (domain_loop.last and loop.last) %}
        union all
        {%- endif %}
        {%- endfor %}
        {%- endfor %}
    ) as latest_event_per_table
    group by source_domain
{%- endmacro %}


{#- on-run-end hook: when this run built int_data_as_of, a warning per source domain whose
    latest event lags the freshest domain's by more than var source_staleness_warn_hours
    (the same rows data_quality_summary reports as `source_stale`). Renders no SQL. -#}
{% macro warn_stale_sources(results) -%}
    {%- if execute -%}
        {%- set built = results | selectattr('node.name', 'equalto', 'int_data_as_of')
            | selectattr('status', 'equalto', 'success') | list -%}
        {%- if built | length > 0 -%}
            {%- set relation = built[0].node.relation_name -%}
            {%- set stale = run_query(
                "select source_domain, cast(latest_event_at as " ~ text_type() ~ "), round(hours_behind_freshest, 1) from "
                ~ relation ~ " where is_stale order by source_domain"
            ) -%}
            {%- for row in stale.rows -%}
                {%- do exceptions.warn(
                    "Stale source: the " ~ row[0] ~ " exports end at " ~ row[1] ~ " UTC, " ~ row[2]
                    ~ " hours before the freshest source's latest event (var source_staleness_warn_hours: "
                    ~ var('source_staleness_warn_hours') ~ "). Figures aged by " ~ row[0]
                    ~ "'s own time stop there; deliver a fresh " ~ row[0] ~ " export."
                ) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
