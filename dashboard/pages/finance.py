"""Finance: cost per contact and per successful resolution, and the reconciliation to the ledger."""

import plotly.express as px
import streamlit as st

from dashboard import common as ui
from dashboard import queries as q

MART = "cost_per_resolution"

f = ui.page("Finance: cost per contact and per successful resolution", MART, uses_grain=False, uses_reasons=True)
st.info("Cost months are finance's grain: the period grain filter does not apply on this page.")

heads = ui.fetch(q.cost_headline, f)
items = []
for row in heads.itertuples():
    items += [
        (f"Allocated cost ({row.currency})", ui.fmt_number(row.allocated_cost), ui.definition(MART, "allocated_cost")),
        (f"Cost per contact ({row.currency})", ui.fmt_number(row.cost_per_contact),
         ui.rate_definition(MART, "cost_per_contact", "allocated_cost", "handled_customer_tickets")),
        (f"Cost per successful resolution ({row.currency})", ui.fmt_number(row.cost_per_successful_resolution),
         ui.rate_definition(MART, "cost_per_successful_resolution", "allocated_cost", "fcr_tickets")),
    ]
if items:
    ui.headline(items)
else:
    st.warning("No allocated cost in the selection.")

by_channel = ui.fetch(q.cost_by_month, f, "channel")
ui.chart(px.line(by_channel, x="cost_month_start", y="cost_per_contact", color="channel", line_dash="currency",
                 markers=True, title="Cost per contact by month and channel"),
         ui.definition(MART, "cost_per_contact"))
ui.chart(px.line(by_channel, x="cost_month_start", y="cost_per_successful_resolution", color="channel",
                 line_dash="currency", markers=True, title="Cost per successful resolution by month and channel"),
         ui.definition(MART, "cost_per_successful_resolution"))

st.subheader("By contact reason")
st.dataframe(ui.fetch(q.cost_by_reason, f), hide_index=True, width="stretch")
st.caption(ui.definition(MART, "contact_reason"))

st.subheader("Reconciliation to the ledger")
recon = ui.fetch(q.ledger_reconciliation, f)
off = recon[~recon["is_reconciled"]]
if off.empty:
    st.success(f"{len(recon)} of {len(recon)} month-currency rows reconcile to the ledger to the cent.")
else:
    st.error(f"{len(off)} of {len(recon)} month-currency rows do not reconcile to the ledger.")
ui.chart(px.bar(recon.melt(id_vars=["cost_month_start", "currency"], value_vars=["ledger_amount", "reported_amount"],
                           var_name="amount", value_name="cost"),
                x="cost_month_start", y="cost", color="amount", barmode="group", pattern_shape="currency",
                title="Ledger vs finance's cost table per month (whole ledger: channel and reason filters do not apply)"),
         ui.definition("cost_ledger_reconciliation"))
st.dataframe(recon, hide_index=True, width="stretch",
             column_config={"cost_month_start": st.column_config.DateColumn(format="YYYY-MM")})
