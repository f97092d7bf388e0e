"""Category 4: volume by reason, WISMO, deflection and backlog aging (cost: the finance page)."""

import plotly.express as px

from dashboard import common as ui
from dashboard import queries as q

f = ui.page("Volume, cost & operations", "ticket_volume", uses_reasons=True)

h = ui.fetch(q.volume_headline, f)
ui.headline([
    ("Inbound customer tickets", ui.fmt_count(h["inbound_customer_tickets"]),
     ui.definition("ticket_volume", "inbound_customer_tickets")),
    ui.rate_item(h, "WISMO contact rate", "wismo", "wismo_contact_rate", "wismo_customer_tickets", "customer_tickets"),
    ("WISMO per 100 shipped orders", ui.fmt_number(h["wismo_per_100_shipped_orders"], 1),
     ui.definition("wismo", "wismo_per_100_shipped_orders") + " " + ui.definition("wismo", "period_shipped_orders")),
])

volume = ui.fetch(q.volume_by_reason, f)
ui.chart(px.bar(volume, x="period_start", y="inbound_customer_tickets", color="contact_reason",
                title=f"Inbound customer tickets per {f.grain} by contact reason"),
         ui.definition("ticket_volume", "contact_reason"))

backlog = ui.fetch(q.backlog_aging, f)
buckets = backlog.melt(id_vars="period_start", var_name="age", value_name="open tickets",
                       value_vars=["up_to_24h_tickets", "from_24h_to_48h_tickets", "from_48h_to_72h_tickets",
                                   "older_than_72h_tickets"])
ui.chart(px.bar(buckets, x="period_start", y="open tickets", color="age",
                title=f"Backlog at the end of each {f.grain}, by age since creation",
                color_discrete_sequence=["#9ecae1", "#fdae6b", "#f16913", "#a50f15"]),
         ui.definition("backlog_aging") + " " + ui.definition("backlog_days", "older_than_24h_tickets"))

wismo = ui.fetch(q.wismo_trend, f)
ui.chart(px.line(wismo, x="period_start", y="wismo_contact_rate", markers=True,
                 title=f"WISMO contact rate per {f.grain}").update_yaxes(tickformat=".0%"),
         ui.definition("wismo", "wismo_contact_rate"))

deflection = ui.fetch(q.deflection_by_month, f)
ui.chart(px.bar(deflection, x="order_month_start", y="deflection_rate",
                title="WISMO contacts deflected by proactive shipping updates, per order month").update_yaxes(tickformat=".0%"),
         ui.definition("wismo_deflection", "deflection_rate") + " Orders carry no channel: that filter does not apply.")
