"""Category 2: first contact resolution, one-touch, repeat contacts, reopens."""

import plotly.express as px
import streamlit as st

from dashboard import common as ui
from dashboard import queries as q

MART = "resolution_quality"

st.title("Resolution quality")
st.caption(ui.definition(MART))
f = ui.sidebar()

h = ui.fetch(q.resolution_headline, f)
ui.headline([
    ("FCR rate", ui.fmt_rate(h["fcr_rate"]), ui.rate_definition(MART, "fcr_rate", "fcr_tickets", "solved_tickets")),
    ("One-touch rate", ui.fmt_rate(h["one_touch_rate"]),
     ui.rate_definition(MART, "one_touch_rate", "one_touch_tickets", "solved_tickets")),
    ("Repeat contact rate", ui.fmt_rate(h["repeat_contact_rate"]),
     ui.rate_definition(MART, "repeat_contact_rate", "repeat_contact_tickets", "customer_tickets")),
    ("Reopen rate", ui.fmt_rate(h["reopen_rate"]),
     ui.rate_definition(MART, "reopen_rate", "reopened_tickets", "ever_solved_tickets")),
])

trend = ui.fetch(q.resolution_trend, f)
rates = trend.melt(id_vars="period_start", var_name="rate", value_name="share",
                   value_vars=["fcr_rate", "one_touch_rate", "repeat_contact_rate", "reopen_rate"])
ui.chart(px.line(rates, x="period_start", y="share", color="rate", markers=True,
                 title=f"Resolution rates per {f.grain}, re-divided over the selected channels").update_yaxes(tickformat=".0%"),
         "Tickets count in the period they were created; a recent period's FCR can still fall while its repeat window is open.")

counts = trend.melt(id_vars="period_start", var_name="tickets", value_name="count",
                    value_vars=["customer_tickets", "solved_tickets", "fcr_tickets", "repeat_contact_tickets"])
ui.chart(px.bar(counts, x="period_start", y="count", color="tickets", barmode="group",
                title=f"Numerators and denominators per {f.grain}"),
         ui.definition(MART, "solved_tickets"))
