{#- Name of a helpdesk staging model for the configured helpdesk (dbt var `helpdesk`), so a
    zendesk staging folder with the same outputs can replace gorgias without touching the
    intermediate layer: ref(helpdesk_model('tickets')) -> ref('stg_gorgias__tickets').
    Entities (docs/export_contract.md, "Staging outputs"): 'tickets', 'messages',
    'ticket_events', 'satisfaction_surveys', 'ticket_loads', 'users', 'groups'. -#}
{% macro helpdesk_model(entity) -%}
    {#- Checked here, at parse time: a ref to a missing folder's model fails the parse before
        the run-start check (validate_vars) could name the var. -#}
    {%- if var('helpdesk') not in supported_helpdesks() -%}
        {{ exceptions.raise_compiler_error(
            "Bad settings: helpdesk = " ~ tojson(var('helpdesk')) ~ ": must be one of "
            ~ supported_helpdesks() | join(', ') ~ " (a helpdesk with a models/staging/<helpdesk>/ folder)"
        ) }}
    {%- endif -%}
    {{- return('stg_' ~ var('helpdesk') ~ '__' ~ entity) -}}
{%- endmacro %}


{#- The helpdesks with a staging folder (models/staging/<helpdesk>/) whose outputs the
    intermediate layer reads; a new folder adds its name here. -#}
{% macro supported_helpdesks() -%}
    {{- return(['gorgias']) -}}
{%- endmacro %}
