"""Support KPIs dashboard: `bash scripts/dashboard.sh` (README). One page per KPI category plus finance.

Reads the published, read-only copy of the marts (support_kpis.publish); queries in dashboard/queries.py.
"""

import streamlit as st

from dashboard.common import PAGE_CONFIG

st.set_page_config(**PAGE_CONFIG)

PAGES = [
    st.Page("pages/speed_and_accessibility.py", title="Speed & accessibility", default=True),
    st.Page("pages/resolution_quality.py", title="Resolution quality", url_path="resolution"),
    st.Page("pages/customer_experience.py", title="Customer experience", url_path="experience"),
    st.Page("pages/volume_cost_operations.py", title="Volume, cost & operations", url_path="volume"),
    st.Page("pages/refunds_and_returns.py", title="Refunds & returns", url_path="refunds"),
    st.Page("pages/finance.py", title="Finance: cost per contact", url_path="finance"),
    st.Page("pages/team.py", title="Team", url_path="team"),
]

st.navigation(PAGES).run()
