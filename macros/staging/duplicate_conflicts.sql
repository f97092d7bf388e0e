{% macro duplicate_version_keys() %}
{#-
    Per base model: the id of an entity and the columns that say which copy of it is newer
    (the `updated` time), i.e. is_superseded's order in that base model without the file and
    line tie-breakers, which must stay in step with it. Two usable copies of an id that tie on
    every version column and differ in content are a conflict: the tie rule (later file,
    then later line) still picks one, and stg_duplicate_conflicts records it. Tables without
    an update time (empty list) have nothing but file order to go on, so every re-export
    whose content differs is a conflict. Shopify orders are left out: an order re-exported in
    a later file replaces all its lines (there is no per-line identity to compare).
-#}
    {{ return({
        'base_gorgias__tickets': {'id': ['ticket_id'], 'version': ['updated_at']},
        'base_gorgias__messages': {'id': ['message_id'], 'version': []},
        'base_gorgias__ticket_events': {'id': ['ticket_event_id'], 'version': []},
        'base_gorgias__satisfaction_surveys': {'id': ['survey_id'], 'version': ['scored_at', 'created_at']},
        'base_zendesk__ticket_metrics': {'id': ['ticket_id'], 'version': ['updated_at']},
        'base_zendesk__tickets': {'id': ['ticket_id'], 'version': ['updated_at']},
        'base_zendesk__ticket_comments': {'id': ['comment_id'], 'version': []},
        'base_zendesk__ticket_audits': {'id': ['audit_id'], 'version': []},
        'base_zendesk__users': {'id': ['user_id'], 'version': ['updated_at']},
        'base_zendesk__groups': {'id': ['group_id'], 'version': ['updated_at']},
        'base_zendesk__organizations': {'id': ['organization_id'], 'version': ['updated_at']},
        'base_zendesk__satisfaction_ratings': {'id': ['rating_id'], 'version': ['updated_at']},
        'base_zendesk__schedules': {'id': ['schedule_id'], 'version': ['updated_at']},
        'base_zendesk__sla_policies': {'id': ['sla_policy_id'], 'version': ['updated_at']},
        'base_shipping__fulfillments': {'id': ['fulfillment_id'], 'version': ['updated_at']},
        'base_shipping__tracking_events': {'id': ['tracking_event_id'], 'version': []},
        'base_shipping__notifications': {'id': ['notification_id'], 'version': []},
        'base_returns__return_requests': {'id': ['return_id'], 'version': ['updated_at']},
        'base_nps__responses': {'id': ['response_id'], 'version': []},
        'base_time_tracking__ticket_time_entries': {'id': ['time_entry_id'], 'version': []},
        'base_finance__support_costs': {'id': ['month_start', 'team', 'cost_category'], 'version': []},
    }) }}
{%- endmacro %}


{% macro duplicate_content_columns(relation) %}
{#- The columns that make up a row's content for the conflict check: the typed columns of
    the base table, without the bookkeeping (file, line, load, flags, raw_record) and the
    text as exported (raw_* and *_datetime columns), so a copy that only spells a value
    differently (`Chat` / `chat`, `Z` / `+00:00`) is not a conflict. Execution time only. -#}
    {%- set bookkeeping = ['source_file', 'source_line', 'loaded_at', 'is_superseded', 'rejection_reason',
        'raw_record', 'raw_row', 'ordinality', 'file_row_number', 'filename'] -%}
    {%- set columns = [] -%}
    {%- for column in adapter.get_columns_in_relation(relation) -%}
        {%- set name = column.name | lower -%}
        {%- if name not in bookkeeping and not name.startswith('raw_') and not name.endswith('_datetime') -%}
            {%- do columns.append(column.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}


{% macro duplicate_conflict_rows(source_name, table_name, relation, keys) %}
{#- stg_duplicate_conflicts' rows for one base table (its keys from duplicate_version_keys).
    The pairs (a superseded copy, the kept copy of the same id and version) are found on the
    narrow id, version and flag columns; only the rows of those pairs are then fetched by
    their row identity to compare their content. Comparing whole rows read every column of
    every kept row, at every run (1M tickets: 38 s for all tables, against 1.5 s). One text
    for both engines; what differs is dispatched: the row identity (base_row_id: DuckDB's
    rowid; Spark has none, so the file and line, the base models' unique key), the content
    struct (columns_struct) and the id as text (as_text). -#}
{%- set content = duplicate_content_columns(relation) if execute else [] -%}
{%- set narrow = (keys.id + keys.version) | join(', ') -%}
{%- set same_copy -%}
    {%- for id_column in keys.id %}
        {% if not loop.first %}and {% endif %}superseded.{{ id_column }} = kept.{{ id_column }}
    {%- endfor %}
    {%- for version_column in keys.version %}
        and superseded.{{ version_column }} is not distinct from kept.{{ version_column }}
    {%- endfor %}
{%- endset -%}
{%- set content_struct = columns_struct(content) %}
    select
        '{{ source_name }}' as source_name,
        '{{ table_name }}' as table_name,
        pairs.record_id,
        pairs.kept_file,
        pairs.kept_line,
        pairs.superseded_file,
        pairs.superseded_line,
        '{{ keys.version | join(", ") if keys.version else "no update time: file order" }}' as tied_on
    from (
        select
            {{ as_text('kept.raw_id') }} as record_id,
            kept.source_file as kept_file,
            kept.source_line as kept_line,
            superseded.source_file as superseded_file,
            superseded.source_line as superseded_line,
            superseded.row_id as superseded_row_id,
            kept.row_id as kept_row_id
        from (
            select {{ narrow }}, source_file, source_line, {{ base_row_id() }} as row_id
            from {{ relation }}
            where is_superseded
        ) as superseded
        inner join (
            select {{ narrow }}, raw_id, source_file, source_line, {{ base_row_id() }} as row_id
            from {{ relation }}
            where rejection_reason is null and not is_superseded
        ) as kept
            on {{ same_copy }}
    ) as pairs
    {%- if content %}
    inner join (
        select {{ base_row_id() }} as row_id, {{ content_struct }} as content
        from {{ relation }}
        where {{ base_row_id() }} in (select {{ base_row_id() }} from {{ relation }} where is_superseded)
    ) as superseded_content
        on pairs.superseded_row_id = superseded_content.row_id
    inner join (
        select {{ base_row_id() }} as row_id, {{ content_struct }} as content
        from {{ relation }}
        where {{ base_row_id() }} in (
            select {{ base_row_id('kept') }}
            from {{ relation }} as kept
            where
                kept.rejection_reason is null
                and not kept.is_superseded
                and exists (
                    select 1
                    from {{ relation }} as superseded
                    where superseded.is_superseded and {{ same_copy }}
                )
        )
    ) as kept_content
        on pairs.kept_row_id = kept_content.row_id
    where superseded_content.content is distinct from kept_content.content
    {%- endif %}
{%- endmacro %}
