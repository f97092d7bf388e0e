{% macro duckdb__number_shape(text_expression) %}
{#-
    What one amount's text says about the file's decimal mark, on its own:
      - 'plain': digits only (`2697`, `-10`): the same number in every convention;
      - 'ambiguous': one separator followed by exactly three digits (`2.697`, `1,234`): a
        decimal mark (2.697) or a thousands separator (2697); only the file can tell;
      - 'point': readable only with `.` as the decimal mark (`2697.89`, `1,234.56`, `0.500`,
        `1,234,567`);
      - 'comma': readable only with `,` as the decimal mark (`2697,89`, `2.697,89`, `1.234.567`);
      - 'invalid': neither (`12.5.0`, `1.5E+03`: scientific notation may have lost digits,
        `$12`, `12 EUR`); null when the text is empty.
    A leading sign is allowed (the models reject negative amounts with their own reason).
-#}
list_transform([{{ identifier_text(text_expression) }}], lambda amount_text: case
    when amount_text = '' then null
    when regexp_full_match(amount_text, '[+-]?\d+') then 'plain'
    when regexp_full_match(amount_text, '[+-]?[1-9]\d{0,2}[.,]\d{3}') then 'ambiguous'
    when regexp_full_match(amount_text, '[+-]?(\d+|[1-9]\d{0,2}(,\d{3})+)(\.\d+)?') then 'point'
    when regexp_full_match(amount_text, '[+-]?(\d+|[1-9]\d{0,2}(\.\d{3})+)(,\d+)?') then 'comma'
    else 'invalid'
end)[1]
{%- endmacro %}


{% macro duckdb__number_convention(text_expressions, file_column='filename') %}
{#-
    The decimal convention of each export file, from all its amount values (every column in
    text_expressions, every row of the file): a window over the file, so no file is read twice.
      - 'decimal_point': some value reads only with `.` as the decimal mark, none only with `,`;
      - 'decimal_comma': the reverse;
      - 'mixed': both kinds occur (numbers pasted from two locales);
      - 'undecided': no value settles it (only whole numbers and 'ambiguous' ones).
    Only 'ambiguous' values depend on it (parse_number): they are read by a decided file's
    convention and quarantined in a mixed or undecided file, never guessed. A file is always
    read whole by one run (export_files_to_load), so the window sees all of it.
-#}
{%- set shapes = [] -%}
{%- for text_expression in text_expressions -%}
    {%- do shapes.append(number_shape(text_expression)) -%}
{%- endfor -%}
{#- per row a bit set (1: a value reads only with a decimal point, 2: only with a decimal comma),
    or-ed over the file: one window aggregate, each value's shape computed once -#}
['undecided', 'decimal_point', 'decimal_comma', 'mixed'][1 + bit_or(
    list_transform([[{{ shapes | join(', ') }}]], lambda shapes: (
        cast(list_contains(shapes, 'point') as integer) + 2 * cast(list_contains(shapes, 'comma') as integer)
    ))[1]
) over (partition by {{ file_column }})]
{%- endmacro %}


{% macro duckdb__parse_number(text_expression, convention, data_type='decimal(18, 2)') %}
{#- The amount as data_type, read by its own shape, or by the file's convention (a column
    computed by number_convention) when its shape is 'ambiguous'. Null when the text is empty,
    invalid, ambiguous in a mixed or undecided file, or out of data_type's range. -#}
{#- text and convention bound once, as one list (a lambda may not read a column of the
    same select list, such as the convention's window). -#}
list_transform([[{{ identifier_text(text_expression) }}, {{ convention }}]], lambda number: (
    case {{ number_shape('number[1]') }}
        when 'plain' then try_cast(number[1] as {{ data_type }})
        when 'point' then try_cast(replace(number[1], ',', '') as {{ data_type }})
        when 'comma' then try_cast(replace(replace(number[1], '.', ''), ',', '.') as {{ data_type }})
        when 'ambiguous' then
            case number[2]
                when 'decimal_point' then try_cast(replace(number[1], ',', '') as {{ data_type }})
                when 'decimal_comma' then try_cast(replace(replace(number[1], '.', ''), ',', '.') as {{ data_type }})
            end
    end
))[1]
{%- endmacro %}


{% macro duckdb__parse_whole_number(text_expression, convention, data_type='integer') %}
{#- parse_number for a count (duration_seconds): null unless the value is a whole number
    (`429`, `429.0`); `1,234` in an undecided file stays ambiguous, never read as 1234. -#}
list_transform([{{ parse_number(text_expression, convention, 'decimal(38, 9)') }}], lambda whole: (
    try_cast(case when whole = trunc(whole) then whole end as {{ data_type }})
))[1]
{%- endmacro %}


{% macro is_ambiguous_number(text_expression, convention) %}
{#- True when the value reads two ways (`2.697`) and its file does not settle which. -#}
coalesce({{ number_shape(text_expression) }} = 'ambiguous' and {{ convention }} not in ('decimal_point', 'decimal_comma'), false)
{%- endmacro %}


{% macro number_checks(columns, convention='number_convention') %}
{#-
    rejection_reason checks for amount columns: columns is a list of
    [raw text expression, parsed column, label]. A value that reads two ways in a file that
    does not settle which is "ambiguous", anything else unreadable is "non-numeric" (for
    whole-number columns the parse is null on a fraction too: label them accordingly).
-#}
{%- set checks = [] -%}
{%- for column in columns -%}
    {%- set is_ambiguous = is_ambiguous_number(column[0], convention) -%}
    {%- do checks.append([
        is_ambiguous,
        "ambiguous decimal separator in " ~ column[2] ~ " (the file mixes decimal conventions or does not show one)",
    ]) -%}
    {%- do checks.append([
        "nullif(" ~ identifier_text(column[0]) ~ ", '') is not null and " ~ column[1] ~ " is null and not " ~ is_ambiguous,
        column[3] if column | length > 3 else "non-numeric " ~ column[2],
    ]) -%}
{%- endfor -%}
{{ return(checks) }}
{%- endmacro %}


{% macro text_as_integer(text_expression, data_type='integer') %}
{#- An exported count or score as data_type, null when it is not a number written in
    decimal (an id goes through text_as_id, which never rounds). DuckDB's cast reads a decimal text too, rounded half away from zero (`5.0` is 5,
    `5.5` is 6, `1e2` is 100); Spark's cast to an integer type returns null for those, hence
    its own spelling. DuckDB's cast also reads `0x1F` (31), `0b101` (5) and `1_000` (1000):
    no shop writes a count or a score so, so only decimal notation is read, on both engines
    (decimal_notation_pattern): the row is rejected as a non-numeric value instead. -#}
    {{ return(adapter.dispatch('text_as_integer', 'support_kpis')(text_expression, data_type)) }}
{%- endmacro %}


{% macro duckdb__text_as_integer(text_expression, data_type='integer') -%}
try_cast(case when regexp_full_match({{ text_expression }}, '{{ decimal_notation_pattern() }}')
    then {{ text_expression }} end as {{ data_type }})
{%- endmacro %}


{% macro text_as_id(text_expression) -%}
{#- An exported id as bigint: a whole number written in digits (surrounding spaces, and a
    `.0` a float print adds, allowed), else null and the row rejected by the model's id check.
    Never a cast's reading: DuckDB's reads `0x1F` as 31, `1_000` as 1000 and rounds `5.5` to 6,
    each an id of another ticket or order; Spark's reads none of them. regexp_extract and
    try_cast give the same on both engines (no match: '' and then null). -#}
try_cast(regexp_extract(trim({{ text_expression }}), '^([0-9]+)([.]0+)?$', 1) as bigint)
{%- endmacro %}


{% macro decimal_notation_pattern() %}
{#- Decimal notation, as both engines' casts read it (blanks around, a sign, a fraction, an
    exponent); RE2 and Java read the same: ASCII digits, the blanks spelled out (no `\s`, which
    is not the same class in both). Written for a SQL literal on DuckDB (no escapes there). -#}
    {{ return('[ \\t\\n\\f\\r]*[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?[ \\t\\n\\f\\r]*') }}
{%- endmacro %}
