{#-
    One warehouse file holds the rows of one exports folder read with one set of settings.
    Incremental runs add what they find to what is there, so a run with another exports_path
    (or format, helpdesk, time zone...) would mix two brands' rows into one set of figures
    and report success. These hooks stop that (dbt_project.yml on-run-start / on-run-end):
      - check_warehouse_settings (run start, before any export file is read): compares the
        settings below with those the warehouse was built with (the table
        warehouse_build_settings) and stops with a message naming each one that differs and
        the fix (another warehouse file, or --full-refresh). A --full-refresh run is let
        through and records its settings at once, marked `full_refresh_pending`, so a
        full refresh that fails half-way is not taken for a finished one: the next run without
        --full-refresh stops too. A warehouse without the table (a fresh file) records the
        settings of its first run.
      - record_warehouse_settings (run end): marks a pending full refresh `built` once every
        model of the project was rebuilt successfully by the run (seeds are the repository's
        files and depend on no setting).
    scripts/dbt gives every exports folder its own warehouse file by default
    (warehouse/<folder>.duckdb), so a newcomer meets this check only when pointing
    SUPPORT_KPIS_DB at a file built from something else.
-#}

{% macro warehouse_setting_names() %}
{#- The vars that change which rows are loaded or what a built row holds. as_of_at and
    latest_plausible_at move from run to run by design (the incremental models follow them);
    check_export_headers only switches a check. Add a var here when it changes built rows. -#}
    {{ return([
        'exports_path', 'export_format', 'helpdesk', 'export_timezone', 'reporting_timezone',
        'shipping_timezone', 'reporting_currency',
        'message_clock_skew_minutes', 'repeat_window_days', 'frt_target_hours',
        'nps_recent_ticket_window_days', 'business_calendar_start_date', 'business_calendar_end_date',
    ]) }}
{%- endmacro %}


{% macro warehouse_settings_relation() %}
{#- In the target's own schema (`main`), beside no model: it describes the whole warehouse,
    and tools comparing two builds' staging/intermediate/marts tables never see it. -#}
    {{ return(warehouse_relation(target.schema, 'warehouse_build_settings')) }}
{%- endmacro %}


{% macro current_warehouse_settings() %}
{#- name -> the var's value as JSON text (so 7 and "7" differ, and null is "null"). -#}
    {%- set settings = {} -%}
    {%- for name in warehouse_setting_names() -%}
        {%- do settings.update({name: tojson(var(name, none))}) -%}
    {%- endfor -%}
    {{ return(settings) }}
{%- endmacro %}


{% macro write_warehouse_settings(settings, build_status) %}
    {%- set relation = warehouse_settings_relation() -%}
    {%- set rows = [] -%}
    {%- for name, value in settings.items() -%}
        {%- do rows.append("('" ~ name ~ "', '" ~ value | replace("'", "''") ~ "', '" ~ build_status
            ~ "', " ~ current_utc_timestamp() ~ ")") -%}
    {%- endfor -%}
    {%- do replace_settings_table(relation, rows) -%}
{%- endmacro %}


{% macro recorded_warehouse_settings() %}
{#- {'settings': name -> value, 'build_status': ...} as recorded, or none (fresh warehouse). -#}
    {%- set relation = warehouse_settings_relation() -%}
    {%- if not bookkeeping_table_exists(relation) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set rows = run_query("select setting, setting_value, build_status from " ~ relation ~ " order by setting").rows -%}
    {%- if rows | length == 0 -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set settings = {} -%}
    {%- for row in rows -%}
        {%- do settings.update({row[0]: row[1]}) -%}
    {%- endfor -%}
    {{ return({'settings': settings, 'build_status': rows[0][2]}) }}
{%- endmacro %}


{% macro check_warehouse_settings() %}
{%- if execute and flags.WHICH in ('build', 'run', 'seed', 'snapshot', 'test') -%}
    {%- set current = current_warehouse_settings() -%}
    {%- set recorded = recorded_warehouse_settings() -%}
    {%- set writes = flags.WHICH != 'test' -%}
    {%- set database_file = warehouse_location() -%}
    {%- if recorded is none -%}
        {%- if writes -%}
            {%- do write_warehouse_settings(current, 'built') -%}
        {%- endif -%}
    {%- else -%}
        {%- set differences = [] -%}
        {%- for name, value in current.items() if recorded.settings.get(name) != value -%}
            {%- do differences.append(name ~ ": built with " ~ recorded.settings.get(name, '(not recorded)')
                ~ ", this run " ~ value) -%}
        {%- endfor -%}
        {%- if differences and not flags.FULL_REFRESH -%}
            {{ exceptions.raise_compiler_error(
                "The warehouse " ~ database_file ~ " was built from other exports or settings:\n  - "
                ~ differences | join("\n  - ")
                ~ "\nAn incremental run adds rows to what the warehouse holds, so this run would mix "
                ~ "both into one set of figures. Either give these exports a warehouse of their own "
                ~ "(scripts/build.sh and scripts/dbt use warehouse/<exports folder>.duckdb for each "
                ~ "exports_path, unless SUPPORT_KPIS_DB names a file), or rebuild this one from scratch "
                ~ "with these settings: add --full-refresh (its rows from the old settings are dropped)."
            ) }}
        {%- elif recorded.build_status == 'full_refresh_pending' and not flags.FULL_REFRESH -%}
            {{ exceptions.raise_compiler_error(
                "The warehouse " ~ database_file ~ " is half rebuilt: a --full-refresh run with new "
                ~ "settings did not rebuild every model, so some tables still hold rows of the "
                ~ "old settings. Run the whole build again with --full-refresh."
            ) }}
        {%- elif differences and writes -%}
            {%- do write_warehouse_settings(current, 'full_refresh_pending') -%}
        {%- endif -%}
    {%- endif -%}
{%- endif -%}
select 1
{%- endmacro %}


{% macro record_warehouse_settings(results) %}
{%- if execute and flags.WHICH in ('build', 'run', 'seed', 'snapshot') and flags.FULL_REFRESH -%}
    {%- set recorded = recorded_warehouse_settings() -%}
    {%- if recorded is not none and recorded.build_status == 'full_refresh_pending' -%}
        {%- set rebuilt = [] -%}
        {%- for result in results if result.status == 'success' -%}
            {%- do rebuilt.append(result.node.unique_id) -%}
        {%- endfor -%}
        {%- set missing = [] -%}
        {%- for node in graph.nodes.values()
            if node.resource_type == 'model' and node.config.materialized != 'ephemeral'
            and node.unique_id not in rebuilt -%}
            {%- do missing.append(node.unique_id) -%}
        {%- endfor -%}
        {%- if missing | length == 0 -%}
            {%- do write_warehouse_settings(recorded.settings, 'built') -%}
        {%- endif -%}
    {%- endif -%}
{%- endif -%}
select 1
{%- endmacro %}
