"""Category 2: first contact resolution, one-touch, repeat contacts, reopens."""

import plotly.express as px

from dashboard import common as ui
from dashboard import queries as q

MART = "resolution_quality"

f = ui.page("Resolution quality", MART)

h = ui.fetch(q.resolution_headline, f)
ui.headline([
    ui.rate_item(h, "FCR rate", MART, "fcr_rate", "fcr_tickets", "solved_tickets"),
    ui.rate_item(h, "One-touch rate", MART, "one_touch_rate", "one_touch_tickets", "solved_tickets"),
    ui.rate_item(h, "Repeat contact rate", MART, "repeat_contact_rate", "repeat_contact_tickets", "customer_tickets"),
    ui.rate_item(h, "Reopen rate", MART, "reopen_rate", "reopened_tickets", "ever_solved_tickets"),
])

trend = ui.fetch(q.resolution_trend, f)
ui.rates_chart(trend, ["fcr_rate", "one_touch_rate", "repeat_contact_rate", "reopen_rate"],
               f"Resolution rates per {f.grain}, re-divided over the selected channels",
               "Tickets count in the period they were created; a recent period's FCR can still fall while its "
               "repeat window is open.")

counts = trend.melt(id_vars="period_start", var_name="tickets", value_name="count",
                    value_vars=["customer_tickets", "solved_tickets", "fcr_tickets", "repeat_contact_tickets"])
ui.chart(px.bar(counts, x="period_start", y="count", color="tickets", barmode="group",
                title=f"Numerators and denominators per {f.grain}"),
         ui.definition(MART, "solved_tickets"))
