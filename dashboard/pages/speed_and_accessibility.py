"""Category 1: first response time and SLA compliance."""

import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from dashboard import common as ui
from dashboard import queries as q

MART = "speed_and_accessibility"

f = ui.page("Speed & accessibility", MART)

h = ui.fetch(q.speed_headline, f)
ui.headline([
    ("Customer tickets", ui.fmt_count(h["customer_tickets"]), ui.definition(MART, "customer_tickets")),
    ui.rate_item(h, "Answered within FRT target", MART, "frt_within_target_rate", "frt_within_target_tickets",
                 "frt_target_decided_tickets"),
    ("First-response SLA compliance", ui.fmt_rate(h["first_response_sla_compliance_rate"]),
     ui.definition(MART, "first_response_sla_compliance_rate")),
    ("Resolution SLA compliance", ui.fmt_rate(h["resolution_sla_compliance_rate"]),
     ui.definition(MART, "resolution_sla_compliance_rate")),
])

trend = ui.fetch(q.speed_trend, f)
target_hours = ui.fetch(q.frt_target_hours)
ui.rates_chart(trend, ["frt_within_target_rate", "first_response_sla_compliance_rate", "resolution_sla_compliance_rate"],
               f"Shares per {f.grain}, re-divided over the selected channels",
               "Each share = its met tickets / its decided tickets summed over the selection (definitions above).")

frt = ui.fetch(q.frt_by_channel, f)
fig = px.line(frt, x="period_start", y="frt_median_calendar_hours", color="channel", markers=True,
              title=f"Median first response time per channel (calendar hours) vs the {target_hours:g} h target")
fig.add_hline(y=target_hours, line_dash="dash", line_color="red",
              annotation_text=f"FRT target {target_hours:g} h (var frt_target_hours)")
ui.chart(fig, ui.definition(MART, "frt_median_calendar_minutes")
         + " Per channel: medians cannot be combined across channels.")

targets = ui.fetch(q.sla_first_response_targets)
fig = px.line(frt, x="period_start", y="frt_median_business_minutes", color="channel", markers=True,
              title="Median first response per channel (business minutes) vs each channel's first-response SLA")
colours = {trace.name: trace.line.color for trace in fig.data}
for row in targets.itertuples():
    if row.channel in colours:
        fig.add_trace(go.Scatter(x=[frt["period_start"].min(), frt["period_start"].max()],
                                 y=[row.target_minutes] * 2, mode="lines", name=f"{row.channel} SLA target",
                                 line={"dash": "dash", "color": colours[row.channel]}))
fig.update_yaxes(type="log", title="minutes (log scale)")
ui.chart(fig, ui.definition(MART, "frt_median_business_minutes")
         + " Dashed: the channel's default first-response target from seed sla_policies (marts.kpi_targets).")

st.subheader("SLA compliance by channel")
sla = ui.fetch(q.sla_by_channel, f)
st.dataframe(sla, hide_index=True, width="stretch",
             column_config={"compliance_rate": st.column_config.NumberColumn(format="percent")})
st.caption(ui.definition("sla_compliance", "compliance_rate"))
