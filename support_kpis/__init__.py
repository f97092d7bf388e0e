"""support_kpis tooling: sample-export generator and helper commands (see `python -m support_kpis --help`)."""
