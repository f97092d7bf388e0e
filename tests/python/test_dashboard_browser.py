"""The dashboard in a real headless browser (Debian chromium, scripts/install_browser.sh): every
page loads without an error block, every Plotly chart draws traces, the screenshot is not
blank, and the headline figures rendered in the DOM equal the marts'. Screenshots of each
page are written to reports/dashboard/<page>.png."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from dashboard_support import PAGES, REPO, Chromium, built_warehouse, expected_headlines, render_page, streamlit_server

SCREENSHOTS = REPO / "reports" / "dashboard"
# Plotly charts each page draws (dashboard/pages/*.py).
CHARTS = {
    "speed_and_accessibility": 3,
    "resolution_quality": 2,
    "customer_experience": 3,
    "volume_cost_operations": 4,
    "refunds_and_returns": 3,
    "finance": 3,
    "team": 2,
}
# A blank or skeleton page has a few dozen colours; a page with charts and text has thousands.
MIN_COLOURS = 500


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if shutil.which("chromium") is None:
        subprocess.run(["bash", str(REPO / "scripts" / "install_browser.sh")], check=True)
    chromium = Chromium(tmp_path_factory.mktemp("chromium-profile"))
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def dashboard_url():
    db = built_warehouse()
    with streamlit_server({**os.environ, "SUPPORT_KPIS_DB": str(db)}) as url:
        yield url, db


def colours(png: bytes) -> int:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return len(image.getcolors(maxcolors=1 << 24))


def test_every_page_renders_in_chromium(browser: Chromium, dashboard_url) -> None:
    base, db = dashboard_url
    expected = expected_headlines(db)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for page, path in PAGES.items():
        state, png = render_page(browser, f"{base}/{path}", expected_charts=CHARTS[page])
        (SCREENSHOTS / f"{page}.png").write_bytes(png)
        assert "Traceback" not in state["text"], page
        assert state["errors"] == 0, (page, state["text"][:2000])
        assert len(state["charts"]) == CHARTS[page], (page, state["charts"])
        assert all(traces > 0 for traces in state["charts"]), (page, state["charts"])  # no blank chart
        assert colours(png) > MIN_COLOURS, page
        assert dict(state["metrics"]) == expected[page], page
