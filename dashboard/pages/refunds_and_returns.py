"""Category 5: refund rate, refund and return resolution, refunds by ticket reason."""

import plotly.express as px

from dashboard import common as ui
from dashboard import queries as q

f = ui.page("Refunds & returns", "refunds_and_returns", uses_channels=False, uses_reasons=True)

h = ui.fetch(q.refunds_headline, f)
ui.headline([
    ui.rate_item(h, "Refund rate", "refund_rate", "refund_rate", "refunded_orders", "orders"),
    ("Refund requests", ui.fmt_count(h["requests"]), ui.definition("refunds_and_returns", "requests")),
    ("Refund completion rate", ui.fmt_rate(h["refund_completion_rate"]),
     ui.definition("refunds_and_returns", "refund_completion_rate")),
    ("Mean resolution (hours)", ui.fmt_number(h["mean_resolution_hours"], 1),
     ui.definition("refunds_and_returns", "mean_resolution_hours")),
])

rate = ui.fetch(q.refund_rate_trend, f)
ui.chart(px.line(rate, x="period_start", y="refund_rate", color="currency", markers=True,
                 title=f"Refund rate per {f.grain}").update_yaxes(tickformat=".0%"),
         ui.definition("refund_rate", "refund_rate") + " Orders carry no channel or reason: those filters do not apply.")

requests = ui.fetch(q.refund_requests_by_reason, f)
ui.chart(px.bar(requests, x="period_start", y="requests", color="refund_reason",
                title=f"Refund and return requests per {f.grain} by refund reason"),
         ui.definition("refunds_and_returns", "refund_reason"))

by_ticket = ui.fetch(q.refunds_by_ticket_reason, f)
ui.chart(px.bar(by_ticket, x="ticket_contact_reason", y="refund_requests", color="currency",
                title="Refund requests by the contact reason of the linked ticket"),
         ui.definition("refunds_by_ticket_reason"))
