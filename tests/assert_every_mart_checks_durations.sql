{#-
    Every mart carries the generic test non_negative_durations, so no negative duration can
    reach a mart unnoticed: that test finds a mart's duration columns by name when it runs,
    and this one finds the marts from the graph (every model under models/marts/). Fails
    with one row per mart without it: add `- non_negative_durations` to its model-level
    data_tests.
-#}
{%- set missing = [] -%}
{%- if execute -%}
    {%- set covered = [] -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'test' and (node.test_metadata or {}).get('name') == 'non_negative_durations' -%}
            {%- do covered.extend(node.depends_on.nodes) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and node.package_name == project_name
            and node.fqn[1] == 'marts' and node.unique_id not in covered -%}
            {%- do missing.append(node.name) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endif -%}

{%- if missing | length == 0 %}
    select cast(null as {{ text_type() }}) as mart_without_duration_test
    where false
{%- else %}
    select
        {{ unnest_list(list_literal(missing | sort)) }} as mart_without_duration_test
{%- endif %}
