with

source as (

    select * from {{ export_rows(source('finance', 'support_costs'), 'finance', 'support_costs') }}

),

parsed as (

    select
        source.filename as source_file,
        {{ export_line_number() }} as source_line,
        source as raw_row,  -- the row as read (a struct): raw_record_if_rejected's input
        concat_ws('|', source.month, source.team, source.cost_category) as raw_id,
        try_cast(try_strptime(trim(source.month), '%Y-%m') as date) as month_start,
        nullif(lower(trim(source.team)), '') as team,
        nullif(lower(trim(source.cost_category)), '') as cost_category,
        -- the file's decimal convention (a window over the file), then the amount read by it
        {{ number_convention(['source.amount']) }} as number_convention,
        {{ parse_number('source.amount', 'number_convention') }} as amount,
        nullif(upper(trim(source.currency)), '') as currency

    from source

),

checked as (

    select
        *,
        {{ rejection_reason([
            ["month_start is null", "missing or unparseable month"],
            ["team is null", "missing team"],
            ["cost_category is null", "missing cost_category"],
            ["nullif(trim(raw_row.amount), '') is null", "missing or non-numeric amount"],
            ["amount < 0", "negative amount"],
        ] + number_checks([
            ['raw_row.amount', 'amount', 'amount', 'missing or non-numeric amount'],
        ])) }} as rejection_reason

    from parsed

),

-- Incremental runs: the new rows plus the loaded rows of the entities they touch.
candidates as (

    select
        -- exclude () takes bare column names
        checked.* exclude (raw_row),  -- noqa: RF03
        {{ raw_record_if_rejected('finance', 'support_costs', 'checked') }} as raw_record
    from checked
    {{ loaded_rows_to_recheck('checked', ['month_start', 'team', 'cost_category'], ['is_superseded']) }}

),

final as (

    select
        *,
        {{ load_timestamp() }} as loaded_at,
        -- Finance restates a month by re-exporting it: the later file (then line) wins.
        {{ is_superseded(['month_start', 'team', 'cost_category'], ['source_file desc', 'source_line desc']) }}
            as is_superseded

    from candidates

)

-- AM04: on incremental runs `candidates` unions the loaded rows by name (select * exclude).
select * from final  -- noqa: AM04
