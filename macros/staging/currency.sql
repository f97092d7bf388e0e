{#- Money in several currencies (docs/export_contract.md, "Currencies"): an amount is never
    added to one in another currency. Staging quarantines a money row whose currency has no
    rate to var reporting_currency for its month (seed fx_rates); the staging models expose
    the rate beside the amount, and marts carry the original amount and currency beside the
    reporting-currency one. These macros are the one place the seed is read. -#}

{% macro reporting_currency() -%}
    {{ return(var('reporting_currency') | string | trim | upper) }}
{%- endmacro %}


{% macro fx_rate_join(currency, month_start, fx_alias='fx') -%}
{#- A left join of the seed rows converting into the reporting currency, on the row's
    currency and rate month (a date, first of month). Read the rate with fx_rate_to_reporting. -#}
left join (
    select
        upper(trim(fx_rates.currency)) as fx_currency,
        cast(fx_rates.month_start as date) as fx_month_start,
        cast(fx_rates.rate_to_reporting as decimal(18, 10)) as rate_to_reporting
    from {{ ref('fx_rates') }} as fx_rates
    where upper(trim(fx_rates.reporting_currency)) = '{{ reporting_currency() }}'
) as {{ fx_alias }}
    on
        {{ currency }} = {{ fx_alias }}.fx_currency
        and {{ month_start }} = {{ fx_alias }}.fx_month_start
{%- endmacro %}


{% macro fx_rate_to_reporting(currency, fx_alias='fx') -%}
{#- Units of the reporting currency per unit of `currency`: 1 for the reporting currency
    itself (no seed row needed), else the seed's rate; null when the month has no rate. -#}
case
    when {{ currency }} = '{{ reporting_currency() }}' then cast(1 as decimal(18, 10))
    else {{ fx_alias }}.rate_to_reporting
end
{%- endmacro %}


{% macro currency_checks(amount, currency, month_start, fx_alias='fx') -%}
{#- rejection_reason checks for a money row: an amount needs a currency, and a currency
    other than the reporting one needs a rate for its month. The reason names the currency,
    the month and the seed, so the fix is one seed row. -#}
{{ return([
    [amount ~ " is not null and " ~ currency ~ " is null", "missing currency"],
    [
        amount ~ " is not null and " ~ currency ~ " is not null and " ~ month_start ~ " is not null and ("
        ~ fx_rate_to_reporting(currency, fx_alias) ~ ") is null",
        "no FX rate",
        "'no FX rate for ' || " ~ currency ~ " || ' in ' || " ~ strftime(month_start, '%Y-%m')
        ~ " || ' to " ~ reporting_currency() ~ " (seed fx_rates)'",
    ],
]) }}
{%- endmacro %}


{% macro refund_fx_month(refunded_at, requested_at) -%}
    {{ return(adapter.dispatch('refund_fx_month', 'support_kpis')(refunded_at, requested_at)) }}
{%- endmacro %}


{% macro duckdb__refund_fx_month(refunded_at, requested_at) -%}
{#- The month whose rate converts a refund: the reporting-timezone month the money moved
    (refunded_at), else the month of the request for a refund not paid yet. -#}
{{ reporting_period_start("'month'", 'coalesce(' ~ refunded_at ~ ', ' ~ requested_at ~ ')') }}
{%- endmacro %}
