{#- Generic engine spellings several layers use (one definition each; dispatched). -#}


{% macro list_length(list_expression) %}
{#- The number of elements of a list; null for a null list (DuckDB's len; Spark's size, which
    gives null, not -1, under Spark 4's default ANSI mode). -#}
    {{ return(adapter.dispatch('list_length', 'support_kpis')(list_expression)) }}
{%- endmacro %}


{% macro default__list_length(list_expression) -%}
len({{ list_expression }})
{%- endmacro %}


{% macro spark__list_length(list_expression) -%}
size({{ list_expression }})
{%- endmacro %}


{% macro list_map(list_expression, variable, expression) %}
{#- Each element of a list through an expression of `variable` (a lambda's parameter); null
    for a null list: DuckDB's list_transform, Spark's transform. -#}
    {{ return(adapter.dispatch('list_map', 'support_kpis')(list_expression, variable, expression)) }}
{%- endmacro %}


{% macro default__list_map(list_expression, variable, expression) -%}
list_transform({{ list_expression }}, lambda {{ variable }}: {{ expression }})
{%- endmacro %}


{% macro spark__list_map(list_expression, variable, expression) -%}
transform({{ list_expression }}, {{ variable }} -> {{ expression }})
{%- endmacro %}


{% macro json_text_at(json_expression, keys, cast_spelling=none) %}
{#- The text at a path of object keys (`keys`, a list of names) in a JSON value: a string's
    value unquoted, an object's or array's JSON text; null when absent, JSON null, or when a
    value on the path is not an object. `cast_spelling` '::' or 'cast' when the expression is
    text to read as JSON (DuckDB casts it), none when it is JSON already. -#}
    {{ return(adapter.dispatch('json_text_at', 'support_kpis')(json_expression, keys, cast_spelling)) }}
{%- endmacro %}


{% macro default__json_text_at(json_expression, keys, cast_spelling=none) -%}
{#- Two spellings of one meaning (`-> 'a' ->> 'b'` and `->> '$.a.b'`): each the SQL its callers
    had before two helpers were folded into this one, so DuckDB's compiled SQL did not change. -#}
{%- if cast_spelling is none -%}
    {%- for key in keys if not key.replace('_', '').isalnum() -%}
        {{ exceptions.raise_compiler_error("json_text_at: key " ~ tojson(key) ~ " is not a plain name") }}
    {%- endfor -%}
{{ json_expression }} ->> '$.{{ keys | join('.') }}'
{%- else -%}
{{ json_expression ~ '::json' if cast_spelling == '::' else 'cast(' ~ json_expression ~ ' as json)' }}
{%- for key in keys %} {{ '->>' if loop.last else '->' }} '{{ key }}'{% endfor %}
{%- endif -%}
{%- endmacro %}


{% macro spark__json_text_at(json_expression, keys, cast_spelling=none) -%}
get_json_object({{ json_expression }}, '$
{%- for key in keys -%}
    {{ '.' ~ key if key.replace('_', '').isalnum() else "['" ~ key ~ "']" }}
{%- endfor -%}
')
{%- endmacro %}


{% macro regexp_replace_all(text_expression, pattern, replacement) %}
{#- Every match of `pattern` (RE2 syntax) in the text replaced by `replacement` (plain text):
    DuckDB's 'g' flag; Spark replaces every match, with the pattern in Java's dialect
    (regexp_literal). -#}
    {{ return(adapter.dispatch('regexp_replace_all', 'support_kpis')(text_expression, pattern, replacement)) }}
{%- endmacro %}


{% macro default__regexp_replace_all(text_expression, pattern, replacement) -%}
regexp_replace({{ text_expression }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}


{% macro spark__regexp_replace_all(text_expression, pattern, replacement) -%}
{#- Java reads `$` and `\` in a replacement as group references and escapes. -#}
{%- if '$' in replacement or '\\' in replacement -%}
    {{ exceptions.raise_compiler_error(
        "regexp_replace_all: replacement " ~ tojson(replacement) ~ " must be plain text") }}
{%- endif -%}
regexp_replace({{ text_expression }}, {{ regexp_literal(pattern) }}, {{ spark_string_literal(replacement) }})
{%- endmacro %}


{% macro integer_divide(dividend, divisor) %}
{#- Integer division (rounds toward zero for non-negative operands, the only use): `//` vs `div`. -#}
    {{ return(adapter.dispatch('integer_divide', 'support_kpis')(dividend, divisor)) }}
{%- endmacro %}


{% macro default__integer_divide(dividend, divisor) -%}
{{ dividend }} // {{ divisor }}
{%- endmacro %}


{% macro spark__integer_divide(dividend, divisor) -%}
{{ dividend }} div {{ divisor }}
{%- endmacro %}


{% macro text_type() %}
{#- The type name of text for casts (`cast(null as ...)`): Spark's `varchar` needs a length. -#}
    {{ return(adapter.dispatch('text_type', 'support_kpis')()) }}
{%- endmacro %}


{% macro default__text_type() -%}
varchar
{%- endmacro %}


{% macro spark__text_type() -%}
string
{%- endmacro %}


{% macro spark_string_literal(text) -%}
'{{ text | string | replace("\\", "\\\\") | replace("'", "\\'") }}'
{%- endmacro %}


{% macro cte_as_materialized() %}
{#- `<name> as materialized (`: DuckDB computes the CTE once (a rebuild run's key list, read
    by several import CTEs); Spark has no such hint (it reuses an exchange on its own). -#}
    {{ return(adapter.dispatch('cte_as_materialized', 'support_kpis')()) }}
{%- endmacro %}


{% macro default__cte_as_materialized() -%}
as materialized
{%- endmacro %}


{% macro spark__cte_as_materialized() -%}
as
{%- endmacro %}


{% macro interval_days(days) %}
{#- An interval of `days` days to add to or subtract from a naive UTC timestamp. -#}
    {{ return(adapter.dispatch('interval_days', 'support_kpis')(days)) }}
{%- endmacro %}


{% macro default__interval_days(days) -%}
to_days({{ days }})
{%- endmacro %}


{% macro spark__interval_days(days) -%}
make_dt_interval({{ days }})
{%- endmacro %}


{% macro utc_to_local_timestamp(utc_timestamp, timezone_sql) %}
{#- A naive UTC timestamp as naive wall-clock time in `timezone_sql` (a SQL expression). -#}
    {{ return(adapter.dispatch('utc_to_local_timestamp', 'support_kpis')(utc_timestamp, timezone_sql)) }}
{%- endmacro %}


{% macro default__utc_to_local_timestamp(utc_timestamp, timezone_sql) -%}
timezone({{ timezone_sql }}, timezone('UTC', {{ utc_timestamp }}))
{%- endmacro %}


{% macro spark__utc_to_local_timestamp(utc_timestamp, timezone_sql) -%}
from_utc_timestamp({{ utc_timestamp }}, {{ timezone_sql }})
{%- endmacro %}


{% macro duckdb__integer_divide(dividend, divisor) -%}
{{ dividend }} // {{ divisor }}
{%- endmacro %}


{% macro as_text(expression) %}
{#- A value as text: DuckDB's `::varchar`, Spark's cast to string. -#}
    {{ return(adapter.dispatch('as_text', 'support_kpis')(expression)) }}
{%- endmacro %}


{% macro default__as_text(expression) -%}
{{ expression }}::varchar
{%- endmacro %}


{% macro spark__as_text(expression) -%}
cast({{ expression }} as string)
{%- endmacro %}


{% macro columns_struct(columns) %}
{#- A struct of the named columns (field name = column name), e.g. to compare rows' content
    with `is distinct from`: DuckDB's struct_pack, Spark's named_struct. -#}
    {{ return(adapter.dispatch('columns_struct', 'support_kpis')(columns)) }}
{%- endmacro %}


{% macro default__columns_struct(columns) -%}
struct_pack(
    {%- for column in columns %}
    {{ adapter.quote(column) }} := {{ adapter.quote(column) }}{{ ',' if not loop.last }}
    {%- endfor %}
)
{%- endmacro %}


{% macro spark__columns_struct(columns) -%}
named_struct(
    {%- for column in columns %}
    '{{ column }}', {{ adapter.quote(column) }}{{ ',' if not loop.last }}
    {%- endfor %}
)
{%- endmacro %}


{% macro base_row_id(relation_alias=none) %}
{#- One value that identifies a row of a base table (of `relation_alias`, or unqualified):
    DuckDB's rowid; Spark has none, so the file and line (the base models' unique key). -#}
    {{ return(adapter.dispatch('base_row_id', 'support_kpis')(relation_alias ~ '.' if relation_alias else '')) }}
{%- endmacro %}


{% macro default__base_row_id(prefix) -%}
{{ prefix }}rowid
{%- endmacro %}


{% macro spark__base_row_id(prefix) -%}
named_struct('source_file', {{ prefix }}source_file, 'source_line', {{ prefix }}source_line)
{%- endmacro %}


-- unit-test fixtures
{#- dbt casts each value of a unit test's dict rows (given and expect) with safe_cast(value,
    column type). A list or struct column is written in the YAML as a YAML list / mapping, e.g.
    `windows: [{open_at: "2025-03-03 14:00:00", close_at: "2025-03-03 23:00:00"}]` (every struct
    field, in the column's order); these two implementations of dbt's safe_cast spell it as
    each engine's literal, then cast it to the column's type like any other value. Any other
    value is cast exactly as dbt's own implementations do (no model calls safe_cast). A DuckDB
    literal in a string ("[{open_at: ...}]") does not parse on Spark: see docs/decisions/spark.md. -#}


{% macro duckdb__safe_cast(field, type) -%}
{%- if field is mapping or (field is sequence and field is not string) -%}
cast({{ fixture_literal(field) }} as {{ type }})
{%- else -%}
cast({{ field }} as {{ type }})
{%- endif -%}
{%- endmacro %}


{% macro spark__safe_cast(field, type) -%}
{%- if field is mapping or (field is sequence and field is not string) -%}
cast({{ fixture_literal(field) }} as {{ type }})
{%- else -%}
{#- dbt-spark's: Spark does not cast text to a list, struct or map -#}
{%- set field_clean = field.strip('"').strip("'") if (cast_from_string_unsupported_for(type) and field is string) else field -%}
cast({{ field_clean }} as {{ type }})
{%- endif %}
{% endmacro %}


{% macro fixture_literal(value) -%}
{#- A YAML value of a unit-test fixture as a SQL literal: lists and mappings (structs)
    recursively, in the engine's spelling (fixture_delimiters), text quoted, YAML dates and
    timestamps as their text (the cast types them). -#}
{%- set spelling = fixture_delimiters() -%}
{%- if value is mapping -%}
{{ spelling['struct'][0] }} {%- for key, item in value.items() -%}
'{{ key }}'{{ spelling['key_value'] }}{{ fixture_literal(item) }}{{ ', ' if not loop.last }}
{%- endfor -%} {{ spelling['struct'][1] }}
{%- elif value is sequence and value is not string -%}
{{ spelling['list'][0] }} {%- for item in value -%}{{ fixture_literal(item) }}{{ ', ' if not loop.last }}{%- endfor -%} {{ spelling['list'][1] }}
{%- else -%}
{{ fixture_scalar(value) }}
{%- endif -%}
{%- endmacro %}


{% macro fixture_delimiters() %}
{#- How fixture_literal opens and closes a struct and a list, and joins a key to its value. -#}
    {{ return(adapter.dispatch('fixture_delimiters', 'support_kpis')()) }}
{%- endmacro %}


{% macro default__fixture_delimiters() %}
    {{ return({'struct': ['{', '}'], 'key_value': ': ', 'list': ['[', ']']}) }}
{%- endmacro %}


{% macro spark__fixture_delimiters() %}
    {{ return({'struct': ['named_struct(', ')'], 'key_value': ', ', 'list': ['array(', ')']}) }}
{%- endmacro %}


{% macro fixture_scalar(value) -%}
{%- if value is none -%}
null
{%- elif value is boolean -%}
{{ 'true' if value else 'false' }}
{%- elif value is number -%}
{{ value }}
{%- else -%}
{{ dbt.string_literal(dbt.escape_single_quotes(value | string)) }}
{%- endif -%}
{%- endmacro %}
