"""Category 3: CSAT and NPS."""

import plotly.express as px

from dashboard import common as ui
from dashboard import queries as q

MART = "customer_experience"

f = ui.page("Customer experience", MART, uses_reasons=True)

h = ui.fetch(q.csat_headline, f)
nps = ui.fetch(q.nps_headline, f)
ui.headline([
    ui.rate_item(h, "CSAT (share 4-5)", MART, "csat", "satisfied_tickets", "rated_tickets"),
    ui.rate_item(h, "Survey response rate", MART, "response_rate", "responded_surveys", "surveys_sent"),
    ("Mean score (1-5)", ui.fmt_number(h["mean_score"]), ui.definition(MART, "mean_score")),
    ("NPS", ui.fmt_number(nps["nps"], 1), ui.definition("nps_monthly", "nps")
     + " Over every answer of the months selected; channel and reason filters do not apply to NPS."),
])

trend = ui.fetch(q.csat_trend, f)
scores = trend.melt(id_vars="period_start", var_name="score", value_name="tickets",
                    value_vars=[f"score_{n}_tickets" for n in range(1, 6)])
ui.chart(px.bar(scores, x="period_start", y="tickets", color="score",
                title=f"Latest score per rated ticket, per {f.grain}"),
         ui.definition(MART, "rated_tickets"))
ui.rates_chart(trend, ["csat", "response_rate"], f"CSAT and response rate per {f.grain}", ui.definition(MART, "csat"))

nps_trend = ui.fetch(q.nps_trend, f)
ui.chart(px.line(nps_trend, x="month_start", y="nps", color="segment", markers=True,
                 title="NPS per month, all respondents and by recent support contact"),
         ui.definition("nps_monthly", "recent_support_segment"))
