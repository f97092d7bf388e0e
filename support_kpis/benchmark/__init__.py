"""Scale benchmark (`python -m support_kpis.benchmark`) and the runner of the hand-written baseline; see benchmarks/README.md."""
