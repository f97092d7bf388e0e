{% macro normalize_identifier(text_expression) %}
    {{ return(adapter.dispatch('normalize_identifier', 'support_kpis')(text_expression)) }}
{%- endmacro %}


{% macro duckdb__normalize_identifier(text_expression) %}
{#-
    An order number, order id or ticket id as the exporting tool meant it, undoing what
    spreadsheets and people do to a number on its way into a CSV. Null when the text is empty
    or when it looks like a spreadsheet-mangled number whose digits cannot be recovered with
    certainty (see is_mangled_identifier). Accepted spellings (docs/export_contract.md):
      - wrappers: surrounding spaces (also non-breaking), Excel's text marker `'1002`, its
        formula form `="1002"`, Shopify's `#` (`#1002`, `'#1002`);
      - a whole number written as a float: `1002.0`, `1002,00`;
      - thousands separators: `1,002`, `1.002`, `1 002`, optionally with zero decimals
        (`1,002.00`, `1.002,00`). An id is a whole number, so `1.002` can only be 1002;
        but `1,000` / `1.000` read as 1000 or as 1 (a 3-decimal display of 1): not certain;
      - scientific notation `1.001E+03`: the mantissa shows every digit of the number only
        when it has at least as many digits after its separator as the exponent (and any
        beyond are zeros). `1.001E+03` = 1001 exactly; `1.0E+03` (what a 4-digit number
        becomes in a narrow column) or `5.1E+12` (a 13-digit Shopify id) lost digits: not
        certain, whatever the original was.
    Any other numeric-looking text (`1002.5`, `1.0E-3`) is not a whole number: not certain.
    Text with letters or other signs (`SHOP-1001`) is kept as written, trimmed and without `#`.
-#}
{#- list_transform over a one-element list binds the cleaned text once (DuckDB SQL has no
    `let`): the rules below read `id_text` instead of repeating the cleaning in each branch. -#}
list_transform(
    [regexp_extract({{ identifier_text(text_expression) }}, '^(?:="|'')?\s*#?\s*(.*?)\s*"?$', 1)],
    lambda id_text: case
        when id_text = '' then null
        when regexp_full_match(id_text, '\d+') then id_text
        -- a whole number as a float; `1.000` is also a thousands grouping (1000), below
        when regexp_full_match(id_text, '\d+[.,]0+') and not regexp_full_match(id_text, '[1-9]\d{0,2}[.,]000')
            then regexp_extract(id_text, '^\d+')
        when
            regexp_full_match(id_text, '[1-9]\d{0,2}(,\d{3})+(\.0+)?')
            and not regexp_full_match(id_text, '[1-9]\d{0,2},000')
            then replace(regexp_extract(id_text, '^[\d,]+'), ',', '')
        when
            regexp_full_match(id_text, '[1-9]\d{0,2}(\.\d{3})+(,0+)?')
            and not regexp_full_match(id_text, '[1-9]\d{0,2}\.000')
            then replace(regexp_extract(id_text, '^[\d.]+'), '.', '')
        when regexp_full_match(id_text, '[1-9]\d{0,2}( \d{3})+') then replace(id_text, ' ', '')
        -- scientific notation: exact when the mantissa carries every digit (see above)
        when regexp_full_match(id_text, '\d+([.,]\d*)?[eE]\+?\d{1,2}')
            then list_transform(
                [regexp_extract(id_text, '^(\d+)(?:[.,](\d*))?[eE]\+?(\d+)$', ['whole', 'fraction', 'exponent'])],
                lambda parts: case
                    when
                        length(parts['fraction']) >= cast(parts['exponent'] as integer)
                        and regexp_full_match(substr(parts['fraction'], cast(parts['exponent'] as integer) + 1), '0*')
                        then coalesce(nullif(ltrim(
                            parts['whole'] || left(parts['fraction'], cast(parts['exponent'] as integer)), '0'
                        ), ''), '0')
                end
            )[1]
        -- numeric-looking but no certain whole number: a spreadsheet-mangled id
        when regexp_full_match(id_text, '[\d.,\s]*\d([eE][+-]?\d+)?') then null
        else id_text
    end
)[1]
{%- endmacro %}


{% macro is_mangled_identifier(text_expression) %}
{#- True when the text carries a value but normalize_identifier cannot read it with
    certainty: the row is quarantined as "looks like a spreadsheet-mangled order number"
    (or ticket id), never matched to a guessed order. -#}
(nullif({{ identifier_text(text_expression) }}, '') is not null and {{ normalize_identifier(text_expression) }} is null)
{%- endmacro %}


{% macro duckdb__identifier_text(text_expression) %}
{#- The text with surrounding blanks removed, non-breaking spaces included (spreadsheets pad with them). -#}
trim(cast({{ text_expression }} as varchar), ' ' || chr(9) || chr(10) || chr(13) || chr(160))
{%- endmacro %}
