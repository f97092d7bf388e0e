with

source as (

    select * from {{ export_rows(source('finance', 'support_costs'), 'finance', 'support_costs') }}

),

parsed as (

    select
        source.filename as source_file,
        {{ export_line_number() }} as source_line,
        -- on every row: a loaded row is rechecked when a rate arrives (candidates)
        {{ raw_record_json('finance', 'support_costs', 'source') }} as raw_record,
        concat_ws('|', source.month, source.team, source.cost_category) as raw_id,
        try_cast({{ try_strptime('trim(source.month)', '%Y-%m') }} as date) as month_start,
        nullif(lower(trim(source.team)), '') as team,
        nullif(lower(trim(source.cost_category)), '') as cost_category,
        -- the amount as exported (number_checks reads it), the file's decimal convention (a
        -- window over the file), then the amount read by it
        source.amount as raw_amount,
        {{ number_convention(['source.amount']) }} as number_convention,
        {{ parse_number('source.amount', 'number_convention') }} as amount,
        nullif(upper(trim(source.currency)), '') as currency

    from source

),

-- Incremental runs: the new rows plus the loaded rows of the entities they touch, and the
-- loaded rows in another currency than the reporting one (a few per month): a rate added to
-- or removed from seed fx_rates decides again whether they are usable.
candidates as (

    select * from parsed
    {{ loaded_rows_to_recheck(
        'parsed',
        ['month_start', 'team', 'cost_category', 'currency'],
        ['rejection_reason', 'is_superseded'],
        "loaded.currency is distinct from '" ~ reporting_currency() ~ "'",
    ) }}

),

checked as (

    select
        candidates.*,
        {{ rejection_reason([
            ["candidates.month_start is null", "missing or unparseable month"],
            ["candidates.team is null", "missing team"],
            ["candidates.cost_category is null", "missing cost_category"],
            ["nullif(trim(candidates.raw_amount), '') is null", "missing or non-numeric amount"],
            ["candidates.amount < 0", "negative amount"],
        ] + number_checks(
            [['candidates.raw_amount', 'candidates.amount', 'amount', 'missing or non-numeric amount']],
            'candidates.number_convention',
        ) + currency_checks(
            'candidates.amount', 'candidates.currency', 'candidates.month_start',
        )) }} as rejection_reason

    from candidates
    {{ fx_rate_join('candidates.currency', 'candidates.month_start') }}

),

final as (

    select
        *,
        {{ load_timestamp() }} as loaded_at,
        -- Finance restates a month by re-exporting it: the later file (then line) wins. A line
        -- in another currency is another line (a team can be paid in two currencies).
        {{ is_superseded(
            ['month_start', 'team', 'cost_category', 'currency'], ['source_file desc', 'source_line desc'],
        ) }} as is_superseded

    from checked

)

-- AM04: on incremental runs `candidates` unions the loaded rows by name (all_columns_except: `* exclude`).
select * from final  -- noqa: AM04
