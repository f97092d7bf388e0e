{#- Helpdesks export a nested "Contact reason" value as a path, `Shipping > Where is my order?`.
    The field map is matched on the whole path first, then on its leaf (the part after the
    last `>`); both sides go through these macros so case, padding and the spacing around `>`
    never decide a match. -#}

{#- Lowercase, trimmed, whitespace collapsed, each `>` with one space either side. -#}
{% macro contact_reason_field_path(expression) -%}
    nullif(
        {{ regexp_replace_all(
            regexp_replace_all('lower(trim(' ~ expression ~ '))', '\\s+', ' '), ' ?> ?', ' > '
        ) }},
        ''
    )
{%- endmacro %}

{#- The last level of the path (the whole value when it is not nested). -#}
{% macro contact_reason_field_leaf(expression) -%}
    nullif(trim({{ regexp_extract_match(contact_reason_field_path(expression), '[^>]*$') }}), '')
{%- endmacro %}
