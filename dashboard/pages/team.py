"""Team leads: tickets handled, FRT, FCR, CSAT and handle time per agent and per group."""

import plotly.express as px
import streamlit as st

from dashboard import common as ui
from dashboard import queries as q

MART = "agent_performance"

st.title("Team")
st.caption(ui.definition(MART))
f = ui.sidebar(uses_channels=False)

h = ui.fetch(q.team_headline, f)
ui.headline([
    ("Tickets handled", ui.fmt_count(h["tickets_handled"]), ui.definition(MART, "tickets_handled")),
    ("FCR rate", ui.fmt_rate(h["fcr_rate"]), ui.rate_definition(MART, "fcr_rate", "fcr_tickets", "tickets_handled")),
    ("Answered within FRT target", ui.fmt_rate(h["frt_within_target_rate"]),
     ui.rate_definition(MART, "frt_within_target_rate", "frt_within_target_tickets", "frt_target_decided_tickets")),
    ("CSAT (share 4-5)", ui.fmt_rate(h["csat_satisfied_rate"]),
     ui.rate_definition(MART, "csat_satisfied_rate", "csat_satisfied_responses", "csat_responses")),
    ("Mean handle time (min)", ui.fmt_number(h["handle_mean_minutes"], 1), ui.definition(MART, "handle_mean_minutes")),
])

agents = ui.fetch(q.team_by_agent, f)
ui.chart(px.bar(agents, x="agent_name", y="tickets_handled", hover_data=["fcr_rate", "csat_satisfied_rate"],
                title="Tickets handled per agent over the selected periods"),
         "Each solved customer ticket counts once, for the agent it had at its last solve; "
         "`(no agent)` holds the solved tickets no agent can be named for, so the bars add up to the solved tickets.")
st.dataframe(agents, hide_index=True)

trend = ui.fetch(q.team_trend, f)
ui.chart(px.line(trend, x="period_start", y="tickets_handled", color="agent_name", markers=True,
                 title=f"Tickets handled per {f.grain} and agent"),
         ui.definition(MART, "period_start"))

st.subheader("Groups")
st.dataframe(ui.fetch(q.team_by_group, f), hide_index=True)
st.caption(ui.definition("group_performance"))
