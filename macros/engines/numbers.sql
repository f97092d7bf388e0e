{#- Amounts exported as text, read by their file's decimal convention (the rules and their
    DuckDB text: macros/staging/number_convention.sql). Spark has the same higher-order
    functions under other names (transform for list_transform, 0-based [] and element_at),
    and rlike finds a match anywhere, hence the ^...$ anchors. -#}

{% macro number_shape(text_expression) %}
    {{ return(adapter.dispatch('number_shape', 'support_kpis')(text_expression)) }}
{%- endmacro %}


{% macro spark__number_shape(text_expression) %}
transform(array({{ identifier_text(text_expression) }}), amount_text -> case
    when amount_text = '' then null
    when amount_text rlike '^[+-]?\\d+$' then 'plain'
    when amount_text rlike '^[+-]?[1-9]\\d{0,2}[.,]\\d{3}$' then 'ambiguous'
    when amount_text rlike '^[+-]?(\\d+|[1-9]\\d{0,2}(,\\d{3})+)(\\.\\d+)?$' then 'point'
    when amount_text rlike '^[+-]?(\\d+|[1-9]\\d{0,2}(\\.\\d{3})+)(,\\d+)?$' then 'comma'
    else 'invalid'
end)[0]
{%- endmacro %}


{% macro number_convention(text_expressions, file_column='filename') %}
    {{ return(adapter.dispatch('number_convention', 'support_kpis')(text_expressions, file_column)) }}
{%- endmacro %}


{% macro spark__number_convention(text_expressions, file_column='filename') %}
{#- array_contains is null (not false) on an array holding a null: coalesced, as DuckDB's
    list_contains answers. -#}
{%- set shapes = [] -%}
{%- for text_expression in text_expressions -%}
    {%- do shapes.append(number_shape(text_expression)) -%}
{%- endfor -%}
element_at(array('undecided', 'decimal_point', 'decimal_comma', 'mixed'), 1 + bit_or(
    transform(array(array({{ shapes | join(', ') }})), shapes -> (
        cast(coalesce(array_contains(shapes, 'point'), false) as integer)
        + 2 * cast(coalesce(array_contains(shapes, 'comma'), false) as integer)
    ))[0]
) over (partition by {{ file_column }}))
{%- endmacro %}


{% macro parse_number(text_expression, convention, data_type='decimal(18, 2)') %}
    {{ return(adapter.dispatch('parse_number', 'support_kpis')(text_expression, convention, data_type)) }}
{%- endmacro %}


{% macro spark__parse_number(text_expression, convention, data_type='decimal(18, 2)') %}
transform(array(named_struct('amount', {{ identifier_text(text_expression) }}, 'convention', {{ convention }})), number -> (
    case {{ number_shape('number.amount') }}
        when 'plain' then try_cast(number.amount as {{ data_type }})
        when 'point' then try_cast(replace(number.amount, ',', '') as {{ data_type }})
        when 'comma' then try_cast(replace(replace(number.amount, '.', ''), ',', '.') as {{ data_type }})
        when 'ambiguous' then
            case number.convention
                when 'decimal_point' then try_cast(replace(number.amount, ',', '') as {{ data_type }})
                when 'decimal_comma' then try_cast(replace(replace(number.amount, '.', ''), ',', '.') as {{ data_type }})
            end
    end
))[0]
{%- endmacro %}


{% macro parse_whole_number(text_expression, convention, data_type='integer') %}
    {{ return(adapter.dispatch('parse_whole_number', 'support_kpis')(text_expression, convention, data_type)) }}
{%- endmacro %}


{% macro spark__parse_whole_number(text_expression, convention, data_type='integer') %}
transform(array({{ parse_number(text_expression, convention, 'decimal(38, 9)') }}), whole -> (
    try_cast(case when whole = floor(whole) then whole end as {{ data_type }})
))[0]
{%- endmacro %}
