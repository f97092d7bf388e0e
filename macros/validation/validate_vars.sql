{% macro validate_vars() %}
{#-
    Run-start check (dbt_project.yml on-run-start, before check_export_headers): every
    setting a model reads is valid, so a bad one stops the run before any model instead of
    producing a plausible wrong figure (repeat_window_days: -7 made every ticket a non-repeat)
    or a database error deep in a model. All problems are listed at once, each naming the
    var, its value and what is allowed. Only vars are checked here: seeds may not be built
    yet on a fresh warehouse (seed fx_rates is checked by its own data tests, and rows in a
    currency without a rate are quarantined in staging).
-#}
{%- if execute -%}
    {%- set problems = [] -%}

    {#- whole numbers: days, hours, minutes -#}
    {%- set whole_numbers = [
        ('repeat_window_days', 1, 'a whole number of days >= 1 (default 7)'),
        ('nps_recent_ticket_window_days', 1, 'a whole number of days >= 1 (default 30)'),
        ('frt_target_hours', 1, 'a whole number of hours >= 1 (default 24)'),
        ('message_clock_skew_minutes', 0, 'a whole number of minutes >= 0 (default 5)'),
    ] -%}
    {%- for name, minimum, allowed in whole_numbers -%}
        {%- set value = var(name) -%}
        {%- set text = value | string | trim -%}
        {%- if value is boolean or not modules.re.fullmatch('[+-]?[0-9]+', text) or (text | int) < minimum -%}
            {%- do problems.append(name ~ " = " ~ tojson(value) ~ ": must be " ~ allowed) -%}
        {%- endif -%}
    {%- endfor -%}

    {#- every *_timezone var. dbt's sandbox cannot list the vars, so a new one is added here;
        a name not set in the project is skipped (var(name, none)), so the list may name the
        zones other branches add (shipping's delivery-date zone). -#}
    {%- set zone_vars = ['export_timezone', 'reporting_timezone', 'shipping_timezone', 'delivery_timezone'] -%}
    {%- for name in zone_vars -%}
        {%- set value = var(name, none) -%}
        {%- if value is not none -%}
            {%- if not is_known_time_zone(value) -%}
                {%- do problems.append(name ~ " = " ~ tojson(value) ~ ": not a time zone DuckDB knows; use an IANA name "
                    ~ "such as 'UTC', 'America/New_York' or 'Europe/Paris' (list: select name from pg_timezone_names())") -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}

    {#- optional instants -#}
    {%- for name in ['as_of_at', 'latest_plausible_at'] -%}
        {%- set value = var(name, none) -%}
        {%- if value is not none -%}
            {%- set parsed = run_query(
                "select try_cast('" ~ (value | string | replace("'", "''")) ~ "' as timestamp)"
            ).rows[0][0] -%}
            {%- if parsed is none -%}
                {%- do problems.append(name ~ " = " ~ tojson(value) ~ ": not a timestamp; use null or a UTC "
                    ~ "instant such as '2025-03-31 23:59:59'") -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}

    {#- calendar bounds of the business-hours calendar -#}
    {%- set bounds = run_query(
        "select try_cast('" ~ (var('business_calendar_start_date') | string | replace("'", "''")) ~ "' as date), "
        ~ "try_cast('" ~ (var('business_calendar_end_date') | string | replace("'", "''")) ~ "' as date)"
    ).rows[0] -%}
    {%- if bounds[0] is none or bounds[1] is none or bounds[0] > bounds[1] -%}
        {%- do problems.append("business_calendar_start_date = " ~ tojson(var('business_calendar_start_date') | string)
            ~ ", business_calendar_end_date = " ~ tojson(var('business_calendar_end_date') | string)
            ~ ": must be two dates 'YYYY-MM-DD', the start not after the end") -%}
    {%- endif -%}

    {#- choices -#}
    {%- if var('export_format') not in ['native', 'parquet'] -%}
        {%- do problems.append("export_format = " ~ tojson(var('export_format')) ~ ": must be one of native, parquet") -%}
    {%- endif -%}
    {#- Zendesk custom field ids: a field id is a whole number (null = no such field) -#}
    {%- for name in ['zendesk_contact_reason_field_id', 'zendesk_order_number_field_id'] -%}
        {%- set value = var(name, none) -%}
        {%- if value is not none and (value is boolean or not modules.re.fullmatch('[0-9]+', value | string | trim)) -%}
            {%- do problems.append(name ~ " = " ~ tojson(value) ~ ": must be null or the numeric id of a Zendesk "
                ~ "ticket field (custom_fields[].id in the tickets export)") -%}
        {%- endif -%}
    {%- endfor -%}
    {#- (an unsupported helpdesk already stops the parse, in helpdesk_model: same message) -#}
    {%- if var('helpdesk') not in supported_helpdesks() -%}
        {%- do problems.append("helpdesk = " ~ tojson(var('helpdesk')) ~ ": must be one of "
            ~ supported_helpdesks() | join(', ') ~ " (a helpdesk with a models/staging/<helpdesk>/ folder)") -%}
    {%- endif -%}
    {%- if not modules.re.fullmatch('[A-Za-z]{3}', var('reporting_currency') | string | trim) -%}
        {%- do problems.append("reporting_currency = " ~ tojson(var('reporting_currency'))
            ~ ": must be a 3-letter ISO 4217 code such as USD, EUR or JPY (rates to it in seeds/finance/fx_rates.csv)") -%}
    {%- endif -%}

    {%- if problems -%}
        {{ exceptions.raise_compiler_error(
            "Bad settings: the run stopped before any model. Fix these vars (dbt_project.yml `vars:` or --vars):\n  - "
            ~ problems | join("\n  - ")
        ) }}
    {%- endif -%}
{%- endif -%}
select 1
{% endmacro %}
