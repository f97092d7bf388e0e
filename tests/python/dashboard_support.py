"""Helpers for the dashboard tests: the built warehouse, the figures each page must show
(computed here from the marts' numerators and denominators, independently of
dashboard/queries.py), a Streamlit server on a free port and a headless Chromium driven
through the DevTools protocol."""

from __future__ import annotations

import base64
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from itertools import count
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[2]
PAGES = {  # page script -> url path (dashboard/app.py; the default page is served at the root)
    "speed_and_accessibility": "",
    "resolution_quality": "resolution",
    "customer_experience": "experience",
    "volume_cost_operations": "volume",
    "refunds_and_returns": "refunds",
    "finance": "finance",
    "team": "team",
}


def built_warehouse() -> Path:
    """The warehouse scripts/check.sh (or build.sh) built and published; the tests only read it."""
    db = Path(os.environ.get("SUPPORT_KPIS_DB", REPO / "warehouse" / "support_kpis.duckdb"))
    bi = db.with_name(f"{db.stem}_bi.duckdb")
    if not db.is_file() or not bi.is_file():
        pytest.fail(f"{db} or its published copy {bi.name} is missing: run bash scripts/build.sh (or check.sh) first")
    return db


def _rate(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"


def _count(x: float | None) -> str:
    return "n/a" if x is None else f"{int(x):,}"


def _num(x: float | None, digits: int) -> str:
    return "n/a" if x is None else f"{float(x):,.{digits}f}"


def expected_headlines(db: Path, channels: tuple[str, ...] = ()) -> dict[str, dict[str, str]]:
    """Page -> {metric label: shown value} for the whole history, all reasons, the given channels
    (empty = all), each rate divided once from the summed numerator and denominator."""
    ch = f"and channel in ({', '.join(repr(c) for c in channels)})" if channels else ""

    with duckdb.connect(str(db), read_only=True) as con:
        def one(sql: str) -> tuple:
            return con.execute(sql).fetchone()

        speed = one(f"""select sum(customer_tickets), sum(frt_within_target_tickets) / sum(frt_target_decided_tickets),
                sum(first_response_sla_met_tickets)
                    / sum(first_response_sla_met_tickets + first_response_sla_breached_tickets),
                sum(resolution_sla_met_tickets) / sum(resolution_sla_met_tickets + resolution_sla_breached_tickets)
            from marts.speed_and_accessibility where period_grain = 'month' {ch}""")
        resolution = one(f"""select sum(fcr_tickets) / sum(solved_tickets), sum(one_touch_tickets) / sum(solved_tickets),
                sum(repeat_contact_tickets) / sum(customer_tickets), sum(reopened_tickets) / sum(ever_solved_tickets)
            from marts.resolution_quality where period_grain = 'month' {ch}""")
        csat = one(f"""select sum(satisfied_tickets) / sum(rated_tickets), sum(responded_surveys) / sum(surveys_sent),
                sum(score_sum) / sum(rated_tickets)
            from marts.customer_experience where period_grain = 'month' {ch}""")
        nps = one("select 100.0 * (sum(promoters) - sum(detractors)) / sum(responses) from marts.nps_monthly")
        volume = one(f"""select sum(inbound_customer_tickets) from marts.ticket_volume
            where period_grain = 'month' {ch}""")
        wismo = one(f"""select sum(w) / sum(c), 100.0 * sum(w) / sum(s) from (
                select sum(wismo_customer_tickets) as w, sum(customer_tickets) as c, max(period_shipped_orders) as s
                from marts.wismo where period_grain = 'month' {ch} group by period_start)""")
        refunds = one("""select sum(refunded_orders) / sum(orders) from marts.refund_rate where period_grain = 'month'""")
        requests = one("""select sum(requests), sum(completed_refunds) / sum(requests),
                sum(mean_resolution_hours * completed_refunds) / sum(completed_refunds)
            from marts.refunds_and_returns where period_grain = 'month'""")
        team = one("""select sum(tickets_handled), sum(fcr_tickets) / sum(tickets_handled),
                sum(frt_within_target_tickets) / sum(frt_target_decided_tickets),
                sum(csat_satisfied_responses) / sum(csat_responses),
                sum(handle_seconds_sum) / sum(handle_measured_tickets) / 60
            from marts.agent_performance where period_grain = 'month'""")
        costs = con.execute(f"""select currency, sum(allocated_cost), sum(allocated_cost) / sum(handled_customer_tickets),
                sum(allocated_cost) / sum(fcr_tickets)
            from marts.cost_per_resolution where not is_unallocated {ch} group by currency order by currency""").fetchall()

    finance: dict[str, str] = {}
    for currency, cost, per_contact, per_resolution in costs:
        finance[f"Allocated cost ({currency})"] = _num(cost, 2)
        finance[f"Cost per contact ({currency})"] = _num(per_contact, 2)
        finance[f"Cost per successful resolution ({currency})"] = _num(per_resolution, 2)
    return {
        "speed_and_accessibility": {
            "Customer tickets": _count(speed[0]), "Answered within FRT target": _rate(speed[1]),
            "First-response SLA compliance": _rate(speed[2]), "Resolution SLA compliance": _rate(speed[3]),
        },
        "resolution_quality": {
            "FCR rate": _rate(resolution[0]), "One-touch rate": _rate(resolution[1]),
            "Repeat contact rate": _rate(resolution[2]), "Reopen rate": _rate(resolution[3]),
        },
        "customer_experience": {
            "CSAT (share 4-5)": _rate(csat[0]), "Survey response rate": _rate(csat[1]),
            "Mean score (1-5)": _num(csat[2], 2), "NPS": _num(nps[0], 1),
        },
        "volume_cost_operations": {
            "Inbound customer tickets": _count(volume[0]), "WISMO contact rate": _rate(wismo[0]),
            "WISMO per 100 shipped orders": _num(wismo[1], 1),
        },
        "refunds_and_returns": {
            "Refund rate": _rate(refunds[0]), "Refund requests": _count(requests[0]),
            "Refund completion rate": _rate(requests[1]), "Mean resolution (hours)": _num(requests[2], 1),
        },
        "finance": finance,
        "team": {
            "Tickets handled": _count(team[0]), "FCR rate": _rate(team[1]),
            "Answered within FRT target": _rate(team[2]), "CSAT (share 4-5)": _rate(team[3]),
            "Mean handle time (min)": _num(team[4], 1),
        },
    }


# ------------------------------------------------------------------ streamlit server

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(env: dict[str, str]):
    """`streamlit run dashboard/app.py` on a free localhost port; yields its base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(REPO / "dashboard" / "app.py"),
         "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start: {proc.stdout.read() if proc.poll() is not None else ''}")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


# ------------------------------------------------------------------ headless chromium (DevTools protocol)

class Chromium:
    """A headless Debian chromium with one page, driven over the DevTools websocket."""

    def __init__(self, profile_dir: Path, width: int = 1400, height: int = 3000):
        from websockets.sync.client import connect

        self.proc = subprocess.Popen(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--hide-scrollbars", "--no-first-run", "--remote-debugging-port=0", "--remote-allow-origins=*",
             f"--user-data-dir={profile_dir}", f"--window-size={width},{height}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        port = None
        deadline = time.monotonic() + 30
        while port is None and time.monotonic() < deadline:
            line = self.proc.stderr.readline()
            match = re.search(r"DevTools listening on ws://[^:]+:(\d+)/", line)
            if match:
                port = int(match.group(1))
            elif not line and self.proc.poll() is not None:
                break
        if port is None:
            self.proc.kill()
            raise RuntimeError("chromium did not start (is it installed? bash scripts/install_browser.sh)")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
            page = next(t for t in json.load(response) if t["type"] == "page")
        self.ws = connect(page["webSocketDebuggerUrl"], max_size=None, open_timeout=20, legacy=True)
        self._ids = count(1)
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})

    def send(self, method: str, params: dict | None = None) -> dict:
        msg_id = next(self._ids)
        self.ws.send(json.dumps({"id": msg_id, "method": method, "params": params or {}}))
        while True:
            reply = json.loads(self.ws.recv(timeout=60))
            if reply.get("id") == msg_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def evaluate(self, expression: str) -> object:
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        return result["result"].get("value")

    def close(self) -> None:
        try:
            self.ws.close()
        finally:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


# What a rendered page shows: metrics, each Plotly chart's drawn traces, Streamlit's error blocks.
PAGE_STATE_JS = """JSON.stringify({
  metrics: [...document.querySelectorAll('[data-testid="stMetric"]')].map(m => [
      (m.querySelector('[data-testid="stMetricLabel"]') || {}).innerText || '',
      (m.querySelector('[data-testid="stMetricValue"]') || {}).innerText || '']),
  charts: [...document.querySelectorAll('.js-plotly-plot')].map(p =>
      p.querySelectorAll('.scatterlayer .trace, .barlayer .trace').length),
  errors: document.querySelectorAll('[data-testid="stException"], [data-testid="stAlertContentError"]').length
      + (document.body && document.body.innerText.includes('Page not found') ? 1 : 0),
  running: !!document.querySelector('[data-testid="stStatusWidget"]'),
  skeletons: document.querySelectorAll('[data-testid="stSkeleton"]').length,
  text: document.body ? document.body.innerText : ''
})"""


def render_page(browser: Chromium, url: str, expected_charts: int, timeout: float = 45) -> tuple[dict, bytes]:
    """Loads url, waits until the script has finished and every chart has drawn, returns (state, PNG)."""
    browser.send("Page.enable")
    browser.send("Page.navigate", {"url": url})
    deadline = time.monotonic() + timeout
    stable = 0
    while True:
        state = json.loads(browser.evaluate(PAGE_STATE_JS) or "{}")
        done = (state.get("metrics") and len(state.get("charts", [])) >= expected_charts
                and not state.get("running") and not state.get("skeletons"))
        stable = stable + 1 if done else 0
        if stable >= 3 or time.monotonic() > deadline:  # three quiet polls: nothing is still drawing
            break
        time.sleep(0.5)
    png = base64.b64decode(browser.send("Page.captureScreenshot", {"format": "png"})["data"])
    return state, png
