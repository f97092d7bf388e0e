"""Vectorised helpers: New York local time, opening hours, text building, timestamp formats."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

DAY = 86_400
HOUR = 3_600
EST = -5 * HOUR
EDT = -4 * HOUR


def _us_dst_bounds(year: int) -> tuple[int, int]:
    """UTC epoch seconds of the US DST start (2nd Sunday of March, 07:00 UTC) and end (1st Sunday of Nov, 06:00 UTC)."""
    def nth_sunday(month: int, n: int) -> int:
        first = np.datetime64(f"{year}-{month:02d}-01", "D").astype(np.int64)
        dow = (first + 3) % 7  # Monday = 0 (1970-01-01 was a Thursday)
        return int(first + (6 - dow) % 7 + 7 * (n - 1))
    return nth_sunday(3, 2) * DAY + 7 * HOUR, nth_sunday(11, 1) * DAY + 6 * HOUR


def ny_offset(utc: np.ndarray) -> np.ndarray:
    """UTC offset in seconds of America/New_York at each UTC instant."""
    utc = np.asarray(utc, dtype=np.int64)
    off = np.full(utc.shape, EST, dtype=np.int64)
    if utc.size == 0:
        return off
    years = utc.astype("datetime64[s]").astype("datetime64[Y]").astype(np.int64) + 1970
    for year in np.unique(years):
        start, end = _us_dst_bounds(int(year))
        off[(years == year) & (utc >= start) & (utc < end)] = EDT
    return off


def utc_to_local(utc: np.ndarray) -> np.ndarray:
    return utc + ny_offset(utc)


def local_to_utc(local: np.ndarray) -> np.ndarray:
    return local - ny_offset(local - EST)


def next_open(local: np.ndarray, chat: np.ndarray) -> np.ndarray:
    """Move each local time to the next moment the team is open (email Mon-Fri 9-18, chat daily 8-22)."""
    day, sod = np.divmod(local, DAY)
    dow = (day + 3) % 7
    open_s = np.where(chat, 8 * HOUR, 9 * HOUR)
    close_s = np.where(chat, 22 * HOUR, 18 * HOUR)
    workday = chat | (dow < 5)
    inside = workday & (sod >= open_s) & (sod < close_s)
    before = workday & (sod < open_s)
    # days to the next opening day after today
    skip = np.where(chat, 1, np.select([dow == 4, dow == 5], [3, 2], 1))
    return np.where(inside, local, np.where(before, day * DAY + open_s, (day + skip) * DAY + open_s))


def add_business_seconds(utc: np.ndarray, seconds: np.ndarray, chat: np.ndarray) -> np.ndarray:
    """Add working seconds to UTC instants, counting only the team's opening hours."""
    local = next_open(utc_to_local(utc), chat)
    remaining = np.asarray(seconds, dtype=np.int64).copy()
    active = np.flatnonzero(remaining > 0)
    while active.size:
        t = local[active]
        close_s = np.where(chat[active], 22 * HOUR, 18 * HOUR)
        room = close_s - t % DAY
        step = np.minimum(room, remaining[active])
        t = t + step
        remaining[active] -= step
        more = remaining[active] > 0
        t = np.where(more, next_open(t, chat[active]), t)
        local[active] = t
        active = active[more]
    return local_to_utc(local)


def pick(rng: np.random.Generator, values: Sequence[str], n: int) -> pa.Array:
    return pa.array(list(values), pa.string()).take(pa.array(rng.integers(0, len(values), n)))


def take(values: Sequence, idx: np.ndarray, type_: pa.DataType = pa.string()) -> pa.Array:
    return pa.array(list(values), type_).take(pa.array(np.asarray(idx, dtype=np.int64)))


def cat(*parts) -> pa.Array:
    """Element-wise string concatenation of arrays and/or python strings."""
    return pc.binary_join_element_wise(*parts, "")


def text(values: np.ndarray) -> pa.Array:
    return pa.array(np.asarray(values)).cast(pa.string())


_PLACEHOLDER = re.compile(r"\{[#n]\}")


def fill_templates(rng: np.random.Generator, table: dict[str, tuple[str, ...]], reasons: Sequence[str],
                   reason_idx: np.ndarray, order_number: np.ndarray) -> pa.Array:
    """Pick a template per row among its reason's templates and fill the order placeholder."""
    flat: list[str] = []
    first = np.zeros(len(reasons), dtype=np.int64)
    count = np.zeros(len(reasons), dtype=np.int64)
    for i, reason in enumerate(reasons):
        first[i] = len(flat)
        count[i] = len(table[reason])
        flat.extend(table[reason])
    pre, post, kind = [], [], []
    for tpl in flat:
        m = _PLACEHOLDER.search(tpl)
        if m:
            pre.append(tpl[: m.start()])
            post.append(tpl[m.end():])
            kind.append(1 if m.group() == "{#}" else 2)
        else:
            pre.append(tpl)
            post.append("")
            kind.append(0)
    ri = np.asarray(reason_idx, dtype=np.int64)
    choice = first[ri] + np.floor(rng.random(ri.size) * count[ri]).astype(np.int64)
    kinds = np.asarray(kind)[choice]
    num = text(order_number)
    mention = pc.if_else(pa.array(kinds == 1), cat("#", num), pc.if_else(pa.array(kinds == 2), num, ""))
    return cat(take(pre, choice), mention, take(post, choice))


# Timestamp styles ------------------------------------------------------------------------
ISO_Z, ISO_PLUS2, NAIVE_LOCAL, SHOPIFY_LOCAL, SHOPIFY_PLUS1, ISO_LOCAL_T, GORGIAS = range(7)


def format_ts(utc: np.ndarray, style: np.ndarray | int, valid: np.ndarray | None = None) -> pa.Array:
    """Format UTC epoch seconds as text in per-row styles; rows where valid is False become null.

    ISO_Z ``2025-03-01T10:15:00Z``; ISO_PLUS2 ``2025-03-01T12:15:00+02:00``; NAIVE_LOCAL
    ``2025-03-01 05:15:00`` (New York); SHOPIFY_LOCAL ``2025-03-01 05:15:00 -0500``; SHOPIFY_PLUS1
    ``2025-03-01 11:15:00 +0100``; ISO_LOCAL_T ``2025-03-01T05:15:00`` (New York); GORGIAS
    ``2025-03-01T10:15:00.000000+00:00``.
    """
    utc = np.asarray(utc, dtype=np.int64)
    style = np.broadcast_to(np.asarray(style, dtype=np.int64), utc.shape)
    off = ny_offset(utc)
    shift = np.select(
        [style == ISO_PLUS2, np.isin(style, (NAIVE_LOCAL, SHOPIFY_LOCAL, ISO_LOCAL_T)), style == SHOPIFY_PLUS1],
        [2 * HOUR, off, HOUR], 0)
    ts = pa.array(utc + shift, pa.timestamp("s"))
    space = np.isin(style, (NAIVE_LOCAL, SHOPIFY_LOCAL, SHOPIFY_PLUS1))
    base = pc.strftime(ts, format="%Y-%m-%dT%H:%M:%S")
    if space.any():
        base = pc.if_else(pa.array(space), pc.strftime(ts, format="%Y-%m-%d %H:%M:%S"), base)
    local_suffix = np.where(off == EDT, " -0400", " -0500")
    suffix = np.select(
        [style == ISO_Z, style == ISO_PLUS2, style == SHOPIFY_LOCAL, style == SHOPIFY_PLUS1, style == GORGIAS],
        ["Z", "+02:00", local_suffix, " +0100", ".000000+00:00"], "")
    out = cat(base, pa.array(suffix, pa.string()))
    if valid is not None:
        out = pc.if_else(pa.array(np.asarray(valid, dtype=bool)), out, pa.nulls(len(out), pa.string()))
    return out


def money(cents: np.ndarray) -> pa.Array:
    """Integer cents to text with two decimals (``-12.30``)."""
    cents = np.asarray(cents, dtype=np.int64)
    units, rem = np.divmod(np.abs(cents), 100)
    sign = pa.array(np.where(cents < 0, "-", ""), pa.string())
    return cat(sign, text(units), ".", pc.utf8_lpad(text(rem), 2, "0"))


def replace_at(arr: pa.Array, idx: np.ndarray, values: Sequence[str], rng: np.random.Generator) -> pa.Array:
    """Replace the rows at idx with values drawn from a list (planted bad values)."""
    if len(idx) == 0:
        return arr
    mask = np.zeros(len(arr), dtype=bool)
    mask[idx] = True
    repl = pick(rng, values, int(mask.sum()))
    return pc.replace_with_mask(arr.cast(pa.string()), pa.array(mask), repl)


def list_of_structs(n: int, parts: list[tuple[np.ndarray, dict[str, pa.Array]]]) -> pa.Array:
    """Build a list<struct> column of length n from (row_index, {field: values}) parts."""
    rows = np.concatenate([p[0] for p in parts]).astype(np.int64)
    order = np.argsort(rows, kind="stable")
    fields = list(parts[0][1].keys())
    children = [pa.concat_arrays([p[1][f] for p in parts]).take(pa.array(order)) for f in fields]
    values = pa.StructArray.from_arrays(children, names=fields)
    offsets = np.zeros(n + 1, dtype=np.int32)
    offsets[1:] = np.cumsum(np.bincount(rows, minlength=n))
    return pa.ListArray.from_arrays(pa.array(offsets), values)
