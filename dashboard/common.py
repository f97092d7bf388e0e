"""What every page shares: the sidebar filters, cached queries, definitions and formatting.

Definitions are the marts' column descriptions in their YAML (models/marts/**/_*.yml): the
one place a figure is defined, also shown by `dbt docs`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import pandas as pd
import plotly.express as px
import streamlit as st
import yaml

from dashboard import queries

REPO = Path(__file__).resolve().parents[1]
PAGE_CONFIG = {"layout": "wide", "page_title": "Support KPIs"}


@lru_cache(maxsize=1)
def _mart_docs() -> dict[str, dict[str, str]]:
    docs: dict[str, dict[str, str]] = {}
    for path in sorted((REPO / "models" / "marts").rglob("*.yml")):
        for model in (yaml.safe_load(path.read_text()) or {}).get("models", []):
            columns = {c["name"]: " ".join(str(c.get("description", "")).split()) for c in model.get("columns", [])}
            columns[""] = " ".join(str(model.get("description", "")).split())
            docs[model["name"]] = columns
    return docs


def definition(model: str, column: str = "") -> str:
    """The YAML description of a mart's column ('' = the mart itself); fails loudly if it is missing."""
    text = _mart_docs().get(model, {}).get(column, "")
    if not text:
        raise KeyError(f"no description for {model}.{column or '<model>'} in models/marts YAML")
    return text


def rate_definition(model: str, rate: str, numerator: str, denominator: str) -> str:
    return (f"{definition(model, rate)} Numerator `{numerator}`: {definition(model, numerator)} "
            f"Denominator `{denominator}`: {definition(model, denominator)}")


# ------------------------------------------------------------------ data access

def _db() -> Path:
    return queries.warehouse_path()


@st.cache_data(show_spinner=False, max_entries=256)
def _cached(fn_name: str, path: str, mtime: float, args: tuple) -> object:
    con = queries.connect(path)
    try:
        return getattr(queries, fn_name)(con, *args)
    finally:
        con.close()  # never hold the file open between reruns: the build replaces it


def fetch(fn: Callable, *args: object) -> object:
    """Runs a queries function on the published warehouse; cached until the file is republished."""
    path = _db()
    if not path.is_file():
        st.error(f"No published warehouse at `{path}`. Build it first: `bash scripts/build.sh`.")
        st.stop()
    return _cached(fn.__name__, str(path), path.stat().st_mtime, args)


# ------------------------------------------------------------------ layout

def sidebar(*, uses_grain: bool = True, uses_channels: bool = True, uses_reasons: bool = False) -> queries.Filters:
    """The filters every page offers; a page says which ones its marts can honour."""
    choices = fetch(queries.filter_choices)
    st.sidebar.header("Filters")
    grain = st.sidebar.selectbox("Period grain", queries.GRAINS, index=queries.GRAINS.index("month"),
                                 key="grain", disabled=not uses_grain)
    period = st.sidebar.date_input("Periods starting between", value=(choices["first_date"], choices["last_date"]),
                                   min_value=choices["first_date"], max_value=choices["last_date"], key="period")
    start, end = (tuple(period) + (None, None))[:2] if isinstance(period, (tuple, list)) else (period, None)
    channels = st.sidebar.multiselect("Channels (none = all)", choices["channels"], key="channels",
                                      disabled=not uses_channels)
    reasons = st.sidebar.multiselect("Contact reasons (none = all)", choices["reasons"], key="reasons",
                                     disabled=not uses_reasons)
    published = fetch(queries.publication)
    if published:
        st.sidebar.caption(f"Data published {published['published_at']:%Y-%m-%d %H:%M} UTC "
                           f"({published['marts']} marts, read-only copy `{_db().name}`).")
    st.sidebar.caption("Rates are re-divided from their numerators and denominators over the selection, "
                       "never averaged; medians are shown per channel only.")
    return queries.Filters(grain=grain, channels=tuple(channels) if uses_channels else (),
                           reasons=tuple(reasons) if uses_reasons else (), start=start, end=end)


def page(title: str, model: str, **filters: bool) -> queries.Filters:
    """A page's top: its title, its mart's definition, and the sidebar filters it honours (see sidebar)."""
    st.title(title)
    st.caption(definition(model))
    return sidebar(**filters)


def rate_item(figures: dict[str, object], label: str, model: str, rate: str, numerator: str,
              denominator: str) -> tuple[str, str, str]:
    """A headline item for a rate: its value as a share, defined with its numerator and denominator."""
    return label, fmt_rate(figures[rate]), rate_definition(model, rate, numerator, denominator)


def rates_chart(trend: pd.DataFrame, rates: list[str], title: str, caption: str, period: str = "period_start") -> None:
    """Several shares per period as lines, one per rate column of the trend."""
    shares = trend.melt(id_vars=period, var_name="rate", value_name="share", value_vars=rates)
    chart(px.line(shares, x=period, y="share", color="rate", markers=True, title=title).update_yaxes(tickformat=".0%"),
          caption)


def headline(items: list[tuple[str, str, str]]) -> None:
    """A row of headline figures: (label, formatted value, definition); definitions shown under them."""
    columns = st.columns(len(items))
    for column, (label, value, text) in zip(columns, items):
        column.metric(label, value, help=text)
    with st.expander("Definitions of these figures", expanded=True):
        st.markdown("\n".join(f"- **{label}**: {text}" for label, _, text in items))


def chart(fig, caption: str) -> None:
    fig.update_layout(margin={"l": 10, "r": 10, "t": 40, "b": 10}, height=340, legend_title_text="")
    st.plotly_chart(fig, width="stretch")
    st.caption(caption)


# ------------------------------------------------------------------ formatting

def is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value))


def fmt_count(value: object) -> str:
    return "n/a" if is_missing(value) else f"{int(value):,}"


def fmt_rate(value: object) -> str:
    return "n/a" if is_missing(value) else f"{100 * float(value):.1f}%"


def fmt_number(value: object, digits: int = 2, unit: str = "") -> str:
    return "n/a" if is_missing(value) else f"{float(value):,.{digits}f}{unit}"
