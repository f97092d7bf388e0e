{#- SQL spellings of the ticket models (models/intermediate/tickets/, the reason rules) that
    differ by engine. DuckDB's implementations render exactly the SQL the models had before
    Spark; docs/decisions/spark.md, "spark-int-tickets". -#}

{% macro arg_min_of(value, key, where=none) %}
{#- The value at the row of the smallest key (a SQL expression; a list is compared as a tuple),
    among the rows with a non-null value and key (DuckDB's arg_min), optionally filtered. -#}
    {{ return(adapter.dispatch('arg_min_of', 'support_kpis')(value, key, where, 'min')) }}
{%- endmacro %}


{% macro arg_max_of(value, key, where=none) %}
    {{ return(adapter.dispatch('arg_min_of', 'support_kpis')(value, key, where, 'max')) }}
{%- endmacro %}


{% macro arg_max_null_of(value, key, where=none) %}
{#- As arg_max_of, but a null value at the largest key is the answer (DuckDB's arg_max_null). -#}
    {{ return(adapter.dispatch('arg_min_of', 'support_kpis')(value, key, where, 'max', true)) }}
{%- endmacro %}


{% macro default__arg_min_of(value, key, where, extreme, keep_null_value=false) -%}
{%- set key_sql = '(' ~ key | join(', ') ~ ')' if key is not string else key -%}
arg_{{ extreme }}{{ '_null' if keep_null_value }}({{ value }}, {{ key_sql }})
{%- if where is not none %} filter (where {{ where }}){% endif %}
{%- endmacro %}


{% macro spark__arg_min_of(value, key, where, extreme, keep_null_value=false) -%}
{#- Spark's min_by/max_by keep a null value (DuckDB's arg_min/arg_max skip its row) and skip a
    null key, as both DuckDB functions do. -#}
{%- set conditions = [] if where is none else ['(' ~ where ~ ')'] -%}
{%- if not keep_null_value -%}{%- do conditions.append(value ~ ' is not null') -%}{%- endif -%}
{{ extreme }}_by({{ value }}, {{ 'struct(' ~ key | join(', ') ~ ')' if key is not string else key }})
{%- if conditions %} filter (where {{ conditions | join(' and ') }}){% endif %}
{%- endmacro %}


{% macro day_interval(days) %}
{#- An interval of `days` days (a number or SQL expression of one). -#}
    {{ return(adapter.dispatch('day_interval', 'support_kpis')(days)) }}
{%- endmacro %}


{% macro default__day_interval(days) -%}
interval ({{ days }}) day
{%- endmacro %}


{% macro spark__day_interval(days) -%}
make_dt_interval({{ days }})
{%- endmacro %}


{% macro timestamp_infinity(sign='') %}
{#- A timestamp after (sign '') or before (sign '-') every real one. Spark has no infinite
    timestamps: the first and last microseconds of its range stand in, far enough from real
    data that adding a repeat window to the late one never leaves the range (9999-01-01). -#}
    {{ return(adapter.dispatch('timestamp_infinity', 'support_kpis')(sign)) }}
{%- endmacro %}


{% macro default__timestamp_infinity(sign='') -%}
'{{ sign }}infinity'::timestamp
{%- endmacro %}


{% macro spark__timestamp_infinity(sign='') -%}
{{ "timestamp'0001-01-01 00:00:00'" if sign == '-' else "timestamp'9999-01-01 00:00:00'" }}
{%- endmacro %}


{% macro ignoring_nulls(function_name, value) %}
{#- first_value/last_value of a window skipping nulls: `last_value(x ignore nulls)`. -#}
    {{ return(adapter.dispatch('ignoring_nulls', 'support_kpis')(function_name, value)) }}
{%- endmacro %}


{% macro default__ignoring_nulls(function_name, value) -%}
{{ function_name }}({{ value }} ignore nulls)
{%- endmacro %}


{% macro spark__ignoring_nulls(function_name, value) -%}
{{ function_name }}({{ value }}, true)
{%- endmacro %}


{% macro array_elements(array, value_alias, position_alias=none) %}
{#- Select-list items giving one row per element of `array`, named value_alias, and with
    position_alias its 1-based position (DuckDB: unnest + generate_subscripts). -#}
    {{ return(adapter.dispatch('array_elements', 'support_kpis')(array, value_alias, position_alias)) }}
{%- endmacro %}


{% macro default__array_elements(array, value_alias, position_alias=none) -%}
unnest({{ array }}) as {{ value_alias }}
{%- if position_alias %},
        generate_subscripts({{ array }}, 1) as {{ position_alias }}
{%- endif %}
{%- endmacro %}


{% macro spark__array_elements(array, value_alias, position_alias=none) -%}
{%- if position_alias -%}
inline(transform({{ array }}, (element, position) -> named_struct(
    '{{ value_alias }}', element, '{{ position_alias }}', position + 1
)))
{%- else -%}
explode({{ array }}) as {{ value_alias }}
{%- endif -%}
{%- endmacro %}


{% macro latest_earlier_match(left, right, left_id, right_value, left_key, right_key, left_time, right_time) %}
{#- Query: each `left` row's id and the `right_value` of the `right` row with the same key and
    the latest time before the left row's (an asof join; `right` has one row per key and time;
    left rows without one are left out). Spark has no asof join: an inequality join, then
    max_by the right time per left id (left_id must be unique in `left`). -#}
    {{ return(adapter.dispatch('latest_earlier_match', 'support_kpis')(
        left, right, left_id, right_value, left_key, right_key, left_time, right_time)) }}
{%- endmacro %}


{% macro default__latest_earlier_match(
    left, right, left_id, right_value, left_key, right_key, left_time, right_time
) -%}
select
        {{ left }}.{{ left_id }},
        {{ right }}.{{ right_value }}
    from {{ left }}
    asof inner join {{ right }}
        on
            {{ left_key }} = {{ right_key }}
            and {{ left_time }} > {{ right_time }}
{%- endmacro %}


{% macro spark__latest_earlier_match(
    left, right, left_id, right_value, left_key, right_key, left_time, right_time
) -%}
select
        {{ left }}.{{ left_id }},
        max_by({{ right }}.{{ right_value }}, {{ right_time }}) as {{ right_value }}
    from {{ left }}
    inner join {{ right }}
        on
            {{ left_key }} = {{ right_key }}
            and {{ left_time }} > {{ right_time }}
    group by {{ left }}.{{ left_id }}
{%- endmacro %}


{% macro regexp_literal(pattern) %}
{#- A regular expression written for DuckDB (RE2 syntax) as a SQL string literal that means the
    same on this engine: for Spark, translated to Java's syntax (java_regex). -#}
    {{ return(adapter.dispatch('regexp_literal', 'support_kpis')(pattern)) }}
{%- endmacro %}


{% macro default__regexp_literal(pattern) -%}
'{{ pattern }}'
{%- endmacro %}


{% macro spark__regexp_literal(pattern) -%}
{{ spark_string_literal(java_regex(pattern)) }}
{%- endmacro %}


{% macro regexp_matches_ignoring_case(text_expression, pattern) %}
{#- True when `pattern` (RE2 syntax, from a seed) matches somewhere in the text, ignoring case. -#}
    {{ return(adapter.dispatch('regexp_matches_ignoring_case', 'support_kpis')(text_expression, pattern)) }}
{%- endmacro %}


{% macro default__regexp_matches_ignoring_case(text_expression, pattern) -%}
regexp_matches({{ text_expression }}, '{{ pattern | replace("'", "''") }}', 'i')
{%- endmacro %}


{% macro spark__regexp_matches_ignoring_case(text_expression, pattern) -%}
({{ text_expression }} rlike {{ spark_string_literal(java_regex(pattern, case_insensitive=true)) }})
{%- endmacro %}


{% macro java_regex(pattern, case_insensitive=false) %}
{#- The RE2 pattern (DuckDB's dialect) as a java.util.regex pattern (Spark's rlike and
    regexp_* functions) that matches the same texts. Checked against every pattern of the
    seeds by tests/python/test_spark_reason_rules.py. Where the dialects differ:
      - \b, \B: RE2's word characters are ASCII [0-9A-Za-z_]; Java 17's \b also counts
        accented letters (`é`), so the boundary is spelled with ASCII lookarounds;
      - ignoring case, RE2 folds by Unicode: `s` also matches `ſ` (U+017F), `k` the Kelvin
        sign (U+212A), and \w both; Java's (?i) folds ASCII only (its (?iu) would make `i`
        match the Turkish `İ` and `ı`, which RE2 does not), so those two are added;
      - `.`: RE2's excludes only \n, Java's every line terminator (\r, U+0085, U+2028...);
      - `$`: RE2's (no m flag) is the end of the text, Java's also before a final newline;
      - \s: RE2's is [\t\n\f\r ], Java's adds \x0B.
    A construct outside the ones below stops the build with its name rather than risk a
    different match: character classes with letters, inline flags other than a leading (?i),
    groups other than ( and (?:, escapes other than \b \B \w \W \d \D \s \S \n \t \r \f and
    escaped punctuation, non-ASCII characters in the pattern. -#}
{%- set ns = namespace(text=pattern, ci=case_insensitive, out='', skip=0, in_class=false, error=none) -%}
{%- if ns.text.startswith('(?i)') -%}
    {%- set ns.ci = true -%}
    {%- set ns.text = ns.text[4:] -%}
{%- endif -%}
{%- set folded_word = '\\x{17F}\\x{212A}' if ns.ci else '' -%}
{%- set word = '[\\w' ~ folded_word ~ ']' if ns.ci else '\\w' -%}
{%- set not_word = '[^\\w' ~ folded_word ~ ']' if ns.ci else '\\W' -%}
{%- set ascii_word = '[0-9A-Za-z_]' -%}
{%- set boundary = '(?:(?<=' ~ ascii_word ~ ')(?!' ~ ascii_word ~ ')|(?<!' ~ ascii_word ~ ')(?='
    ~ ascii_word ~ '))' -%}
{%- set not_boundary = '(?:(?<=' ~ ascii_word ~ ')(?=' ~ ascii_word ~ ')|(?<!' ~ ascii_word ~ ')(?!'
    ~ ascii_word ~ '))' -%}
{%- set letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ' -%}
{%- set escaped_kept = "ntrf.()[]{}|?*+^$\\/-#'<>=:!,&~@%_ " ~ '"' -%}
{%- for position in range(ns.text | length) -%}
    {%- set char = ns.text[position] -%}
    {%- set next_char = ns.text[position + 1] if position + 1 < ns.text | length else '' -%}
    {%- if ns.skip > 0 -%}
        {%- set ns.skip = ns.skip - 1 -%}
    {%- elif ns.error is not none -%}
    {%- elif char == '\\' -%}
        {%- set ns.skip = 1 -%}
        {%- if next_char == 'b' and not ns.in_class -%}{%- set ns.out = ns.out ~ boundary -%}
        {%- elif next_char == 'B' and not ns.in_class -%}{%- set ns.out = ns.out ~ not_boundary -%}
        {%- elif next_char == 'w' and not ns.in_class -%}{%- set ns.out = ns.out ~ word -%}
        {%- elif next_char == 'W' and not ns.in_class -%}{%- set ns.out = ns.out ~ not_word -%}
        {%- elif next_char == 's' -%}
            {%- set ns.out = ns.out ~ ('\\t\\n\\f\\r ' if ns.in_class else '[\\t\\n\\f\\r ]') -%}
        {%- elif next_char == 'S' and not ns.in_class -%}{%- set ns.out = ns.out ~ '[^\\t\\n\\f\\r ]' -%}
        {%- elif next_char != '' and (next_char in 'dD' or next_char in escaped_kept) -%}
            {%- set ns.out = ns.out ~ char ~ next_char -%}
        {%- else -%}{%- set ns.error = 'the escape \\' ~ next_char -%}
        {%- endif -%}
    {%- elif ns.in_class -%}
        {%- if char == ']' -%}{%- set ns.in_class = false -%}
        {%- elif char in letters and ns.ci -%}{%- set ns.error = 'a letter in a character class' -%}
        {%- elif char == '[' -%}{%- set ns.error = 'a [ in a character class' -%}
        {%- endif -%}
        {%- set ns.out = ns.out ~ char -%}
    {%- elif char == '[' -%}
        {%- set ns.in_class = true -%}
        {%- if next_char == ']' or ns.text[position + 1:position + 3] == '^]' -%}
            {%- set ns.error = 'a ] first in a character class' -%}
        {%- endif -%}
        {%- set ns.out = ns.out ~ char -%}
    {%- elif char == '(' and next_char == '?' -%}
        {%- if ns.text[position + 2:position + 3] == ':' -%}
            {%- set ns.out = ns.out ~ '(?:' -%}
            {%- set ns.skip = 2 -%}
        {%- else -%}{%- set ns.error = 'the group ' ~ ns.text[position:position + 4] -%}
        {%- endif -%}
    {%- elif char == '.' -%}{%- set ns.out = ns.out ~ '[^\\n]' -%}
    {%- elif char == '$' -%}{%- set ns.out = ns.out ~ '\\z' -%}
    {%- elif ns.ci and char in 'sS' -%}{%- set ns.out = ns.out ~ '[s\\x{17F}]' -%}
    {%- elif ns.ci and char in 'kK' -%}{%- set ns.out = ns.out ~ '[k\\x{212A}]' -%}
    {%- elif char > '~' -%}{%- set ns.error = 'the non-ASCII character ' ~ char -%}
    {%- else -%}{%- set ns.out = ns.out ~ char -%}
    {%- endif -%}
{%- endfor -%}
{%- if ns.in_class and ns.error is none -%}{%- set ns.error = 'an unclosed character class' -%}{%- endif -%}
{%- if ns.error is not none -%}
    {{ exceptions.raise_compiler_error(
        "Regular expression " ~ tojson(pattern) ~ " uses " ~ ns.error ~ ", which this project does not translate "
        ~ "from DuckDB's RE2 to Spark's Java dialect (the match could differ between engines): rewrite the "
        ~ "pattern without it (macros/engines/tickets.sql, java_regex)") }}
{%- endif -%}
{{ return(('(?i)' if ns.ci else '') ~ ns.out) }}
{%- endmacro %}


{% macro sql_string_literal(text) %}
{#- `text` as a SQL string literal of this engine. -#}
    {{ return(adapter.dispatch('sql_string_literal', 'support_kpis')(text)) }}
{%- endmacro %}


{% macro default__sql_string_literal(text) -%}
'{{ text | replace("'", "''") }}'
{%- endmacro %}


{% macro spark__sql_string_literal(text) -%}
{{ spark_string_literal(text) }}
{%- endmacro %}


{% macro regexp_extract_match(text_expression, pattern) %}
{#- The first match of `pattern` (RE2 syntax) in the text, whole. -#}
    {{ return(adapter.dispatch('regexp_extract_match', 'support_kpis')(text_expression, pattern)) }}
{%- endmacro %}


{% macro default__regexp_extract_match(text_expression, pattern) -%}
regexp_extract({{ text_expression }}, '{{ pattern }}')
{%- endmacro %}


{% macro spark__regexp_extract_match(text_expression, pattern) -%}
{#- Spark's regexp_extract returns group 1 unless told. -#}
regexp_extract({{ text_expression }}, {{ regexp_literal(pattern) }}, 0)
{%- endmacro %}


{% macro recursive_union() %}
{#- The set operator joining a recursive CTE's steps where DuckDB's model removes duplicates:
    Spark's recursive CTEs take `union all` only (the model says why that is the same). -#}
    {{ return(adapter.dispatch('recursive_union', 'support_kpis')()) }}
{%- endmacro %}


{% macro default__recursive_union() -%}
union
{%- endmacro %}


{% macro spark__recursive_union() -%}
union all
{%- endmacro %}


{% macro framed_window(name, windows, frame) %}
{#- Inside `over (...)`: the named window `name` (defined as windows[name]) with `frame`.
    Spark does not extend a named window: it gets the definition spelled out. -#}
    {{ return(adapter.dispatch('framed_window', 'support_kpis')(name, windows[name], frame)) }}
{%- endmacro %}


{% macro default__framed_window(name, spec, frame) -%}
{{ name }} {{ frame }}
{%- endmacro %}


{% macro spark__framed_window(name, spec, frame) -%}
{{ spec }} {{ frame }}
{%- endmacro %}


{% macro decimal_divisor(literal) %}
{#- A decimal literal an integer is divided by (`x / 60.0`): DuckDB divides in double
    precision; Spark would divide as decimals and round to 6 places, so it divides by a double. -#}
    {{ return(adapter.dispatch('decimal_divisor', 'support_kpis')(literal)) }}
{%- endmacro %}


{% macro default__decimal_divisor(literal) -%}
{{ literal }}
{%- endmacro %}


{% macro spark__decimal_divisor(literal) -%}
cast({{ literal }} as double)
{%- endmacro %}
