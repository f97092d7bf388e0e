"""Entry point for `python -m support_kpis`."""

from support_kpis.cli import main

raise SystemExit(main())
