"""Every dashboard page runs headless (Streamlit AppTest) without an exception and shows the
marts' headline figures, each rate divided once from the summed numerator and denominator
(dashboard_support.expected_headlines computes them from the marts on its own)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard_support import PAGES, REPO, built_warehouse, expected_headlines


@pytest.fixture(scope="module")
def warehouse():
    db = built_warehouse()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SUPPORT_KPIS_DB", str(db))  # the pages read its published copy
        yield db


def run_page(page: str, **widgets: object) -> AppTest:
    at = AppTest.from_file(str(REPO / "dashboard" / "pages" / f"{page}.py"), default_timeout=120).run()
    if widgets:
        for key, value in widgets.items():
            at.multiselect(key=key).set_value(value) if key in ("channels", "reasons") else \
                at.selectbox(key=key).set_value(value)
        at.run()
    return at


def shown(at: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


@pytest.mark.parametrize("page", list(PAGES))
def test_page_shows_the_marts_headline_figures(page: str, warehouse: Path) -> None:
    at = run_page(page)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert shown(at) == expected_headlines(warehouse)[page]
    assert len(at.get("plotly_chart")) >= 2


@pytest.mark.parametrize("page", ["speed_and_accessibility", "resolution_quality", "customer_experience", "finance"])
def test_channel_filter_re_divides_rates(page: str, warehouse: Path) -> None:
    channels = ["email", "chat"]
    at = run_page(page, channels=channels)
    assert not at.exception, [e.value for e in at.exception]
    expected = expected_headlines(warehouse, tuple(channels))[page]
    assert {k: v for k, v in shown(at).items() if k != "NPS"} == {k: v for k, v in expected.items() if k != "NPS"}


def test_grain_does_not_change_whole_history_figures(warehouse: Path) -> None:
    """Each ticket counts in one day, one week and one month: the headline is the same at every grain."""
    for grain in ("day", "week"):
        at = run_page("resolution_quality", grain=grain)
        assert shown(at) == expected_headlines(warehouse)["resolution_quality"], grain
