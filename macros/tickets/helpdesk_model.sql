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
    {#- dbt renders dbt_project.yml's folder switch (`+enabled` of models/staging/<helpdesk>/)
        before the project's own vars exist, so it sees a helpdesk given on the command line
        only (and gorgias otherwise): a helpdesk other than gorgias set in dbt_project.yml
        alone would leave its folder disabled. -#}
    {%- set cli_vars = invocation_args_dict.get('vars') or {} -%}
    {%- if cli_vars is string -%}{%- set cli_vars = fromyaml(cli_vars) or {} -%}{%- endif -%}
    {%- if var('helpdesk') != cli_vars.get('helpdesk', 'gorgias') -%}
        {{ exceptions.raise_compiler_error(
            "Bad settings: helpdesk = " ~ tojson(var('helpdesk')) ~ " must be given on the command line, "
            ~ "e.g. --vars '{helpdesk: " ~ var('helpdesk') ~ "}' (dbt_project.yml's vars are read too late "
            ~ "to switch the staging folders)"
        ) }}
    {%- endif -%}
    {{- return('stg_' ~ var('helpdesk') ~ '__' ~ entity) -}}
{%- endmacro %}


{#- The helpdesks with a staging folder (models/staging/<helpdesk>/) whose outputs the
    intermediate layer reads; a new folder adds its name here. -#}
{% macro supported_helpdesks() -%}
    {{- return(['gorgias', 'zendesk']) -}}
{%- endmacro %}
