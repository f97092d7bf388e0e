{% macro is_known_time_zone(name) %}
{#- True when the engine knows the IANA time zone `name` (validate_vars). -#}
    {{ return(adapter.dispatch('is_known_time_zone', 'support_kpis')(name)) }}
{%- endmacro %}


{% macro duckdb__is_known_time_zone(name) %}
    {{ return(run_query(
        "select count(*) from pg_timezone_names() where name = '" ~ (name | string | replace("'", "''")) ~ "'"
    ).rows[0][0] > 0) }}
{%- endmacro %}


{% macro spark__is_known_time_zone(name) %}
{#- Spark SQL cannot list its zones (Java's ZoneId set); pytz carries the same IANA database. -#}
    {{ return((name | string) in modules.pytz.all_timezones_set) }}
{%- endmacro %}


{% macro time_zone_is_known_sql(column) %}
{#- SQL: true when the engine knows the IANA time zone in `column` (seed tests). Spark: Java's
    zone database, the one from_utc_timestamp converts with. -#}
    {{ return(adapter.dispatch('time_zone_is_known_sql', 'support_kpis')(column)) }}
{%- endmacro %}


{% macro duckdb__time_zone_is_known_sql(column) %}
{{ column }} in (select pg_timezone_names.name from pg_timezone_names())
{%- endmacro %}


{% macro spark__time_zone_is_known_sql(column) %}
try_reflect('java.time.ZoneId', 'of', {{ column }}) is not null
{%- endmacro %}
