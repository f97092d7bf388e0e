"""Seeded, deterministic generator of the raw exports described in docs/export_contract.md.

`generate(n_tickets, seed, out)` writes every export file plus `_manifest.json` (what was
generated and which problems were planted on purpose) and `_truth/tickets.csv` (the true
contact reason, repeat/reopen flags of each ticket, for scoring classifiers).
"""

from support_kpis.generate.export import generate

__all__ = ["generate"]
