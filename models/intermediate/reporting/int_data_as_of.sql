-- The "now" of the data, one row: the var as_of_at when set, else the latest event time
-- in any staged export. Computed once per run; every model that ages something reads it
-- through data_as_of_at(), so they all agree and the exports are scanned once.

{{ latest_export_event_at() }}
