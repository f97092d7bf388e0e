"""Great-expectations quality checks on the built warehouse (``python -m support_kpis.quality``)."""
