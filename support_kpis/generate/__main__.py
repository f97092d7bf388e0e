"""`python -m support_kpis.generate [options]`: the same as `python -m support_kpis generate [options]`."""

import sys

from support_kpis.cli import main

raise SystemExit(main(["generate", *sys.argv[1:]]))
