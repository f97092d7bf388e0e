"""Customers, Shopify orders, shipments, tracking events, proactive notifications and returns.

Everything is a column of numpy arrays (one element per entity); text is built in writing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import phrases as P
from .util import DAY, HOUR, local_to_utc

CARRIERS = ("ups", "usps", "fedex", "dhl")


@dataclass
class Period:
    start: int  # UTC epoch seconds of the first local midnight
    end: int  # export time (exclusive)
    days: int


def seasonal_times(rng: np.random.Generator, n: int, first_day: int, days: int) -> np.ndarray:
    """Draw n UTC instants over local days [first_day, first_day+days) with a peak season.

    Weekday/weekend and late-November-to-December (~2x, Black Friday week ~2.6x) weights, and
    an hour-of-day profile in New York local time.
    """
    day_num = first_day + np.arange(days)
    date = day_num.astype("datetime64[D]")
    month = date.astype("datetime64[M]").astype(np.int64) % 12 + 1
    dom = (date - date.astype("datetime64[M]")).astype(np.int64) + 1
    dow = (day_num + 3) % 7
    w = np.where(dow >= 5, 0.8, 1.0)
    w = w * np.where(month == 12, 2.0, 1.0) * np.where((month == 11) & (dom >= 20), 2.6, 1.0)
    days_drawn = rng.choice(day_num, size=n, p=w / w.sum())
    hour_w = np.array([1, 0.6, 0.4, 0.3, 0.3, 0.5, 1, 2, 3, 4, 5, 5, 5, 5, 5, 5, 5, 5, 4.5, 4.5, 4.5, 4, 3, 2])
    hours = rng.choice(24, size=n, p=hour_w / hour_w.sum())
    local = days_drawn * DAY + hours * HOUR + rng.integers(0, HOUR, n)
    return local_to_utc(local)


def make_commerce(rng: np.random.Generator, n_tickets: int, period: Period,
                  base: dict[str, int]) -> dict[str, dict[str, np.ndarray]]:
    """Entities of one shard; ids continue from the counters in base."""
    n_orders = max(int(n_tickets * 1.5), 50)
    n_customers = max(int(n_orders / 1.3), 20)
    first_day = period.start // DAY

    # customers ---------------------------------------------------------------------------
    cust = {
        "first": rng.integers(0, len(P.FIRST_NAMES), n_customers),
        "last": rng.integers(0, len(P.LAST_NAMES), n_customers),
        "gorgias_id": 400_000_001 + base["customer"] + np.arange(n_customers, dtype=np.int64),
        "number": base["customer"] + np.arange(n_customers, dtype=np.int64),
    }

    # orders (30 days of history before the period) ---------------------------------------
    created = np.sort(seasonal_times(rng, n_orders, first_day - 30, period.days + 30 - 2))
    customer = np.concatenate([rng.permutation(n_customers), rng.integers(0, n_customers, n_orders - n_customers)])
    customer = customer[rng.permutation(n_orders)]
    n_lines = rng.choice([1, 2, 3, 4], size=n_orders, p=[0.5, 0.28, 0.14, 0.08])
    order_of_line = np.repeat(np.arange(n_orders), n_lines)
    line_start = np.concatenate([[0], np.cumsum(n_lines)[:-1]])
    product = rng.integers(0, len(P.PRODUCTS), order_of_line.size)
    qty = rng.choice([1, 1, 1, 2, 3], size=order_of_line.size)
    price = np.array([p[2] for p in P.PRODUCTS])[product]
    subtotal = np.add.reduceat(price * qty, line_start)
    shipping = np.where(subtotal >= 5000, 0, rng.choice([499, 999], size=n_orders))
    discount = np.where(rng.random(n_orders) < 0.2, (subtotal * 0.1).astype(np.int64), 0)
    taxes = ((subtotal - discount) * 0.08).round().astype(np.int64)
    total = subtotal - discount + shipping + taxes
    cancelled = rng.random(n_orders) < 0.025
    paid = ~cancelled | (rng.random(n_orders) < 0.5)
    paid_at = created + rng.integers(5, 600, n_orders)
    express = rng.random(n_orders) < 0.2

    # shipments: most non-cancelled orders ship 0.3-4 days after the order ---------------
    ships = ~cancelled & (rng.random(n_orders) < 0.97)
    shipped_at = created + (rng.lognormal(np.log(1.2 * DAY), 0.6, n_orders)).astype(np.int64)
    ships &= shipped_at < period.end
    has_tracking = ships & (rng.random(n_orders) < 0.97)
    carrier = rng.integers(0, len(CARRIERS), n_orders)
    transit_days = np.where(express, rng.integers(1, 3, n_orders), rng.integers(3, 7, n_orders))
    shipped_day = (shipped_at - 5 * HOUR) // DAY
    promised_day = shipped_day + transit_days
    late = ships & (rng.random(n_orders) < 0.12)
    exception = ships & ~late & (rng.random(n_orders) < 0.03)
    lost = exception & (rng.random(n_orders) < 0.4)  # exception never resolved
    on_time_at = shipped_at + (transit_days * DAY * rng.uniform(0.5, 0.95, n_orders)).astype(np.int64)
    late_at = (promised_day + rng.integers(1, 7, n_orders)) * DAY + rng.integers(14, 22, n_orders) * HOUR
    delivered_at = np.where(late, late_at, np.where(exception, late_at + 2 * DAY, on_time_at))
    delivered = ships & ~lost & (delivered_at < period.end)
    delay_alert = late & (rng.random(n_orders) < 0.4)
    confirmation = has_tracking & (rng.random(n_orders) < 0.88)
    ofd_notice = delivered & (rng.random(n_orders) < 0.3)
    delivered_notice = delivered & (rng.random(n_orders) < 0.2)
    financial = np.where(cancelled, np.where(paid, 3, 5), rng.choice(3, size=n_orders, p=[0.96, 0.02, 0.02]))

    orders = {
        "order_id": 5_100_000_000_000 + (base["order"] + np.arange(n_orders, dtype=np.int64)) * 7,
        "number": 1001 + base["order"] + np.arange(n_orders, dtype=np.int64),
        "customer": customer,
        "created": created,
        "paid": paid,
        "paid_at": paid_at,
        "financial": financial,  # index into FINANCIAL
        "cancelled": cancelled,
        "cancelled_at": created + rng.integers(HOUR, 2 * DAY, n_orders),
        "subtotal": subtotal,
        "shipping": shipping,
        "taxes": taxes,
        "discount": discount,
        "total": total,
        "express": express,
        "n_lines": n_lines,
        "country": rng.choice(4, size=n_orders, p=[0.85, 0.07, 0.05, 0.03]),
        "source": rng.choice(3, size=n_orders, p=[0.9, 0.07, 0.03]),
        "ships": ships,
        "has_tracking": has_tracking,
        "carrier": carrier,
        "shipped_at": shipped_at,
        "promised_day": promised_day,
        "late": late,
        "exception": exception,
        "lost": lost,
        "delivered": delivered,
        "delivered_at": delivered_at,
        "delay_alert": delay_alert,
        "confirmation": confirmation,
        "ofd_notice": ofd_notice,
        "delivered_notice": delivered_notice,
        "refunded": np.zeros(n_orders, dtype=np.int64),
    }
    lines = {"order": order_of_line, "product": product, "qty": qty,
             "first": np.r_[True, order_of_line[1:] != order_of_line[:-1]]}

    # returns: ~8% of orders, mostly delivered ones ---------------------------------------
    p_return = np.where(delivered, 0.085, 0.0) + np.where(late & delivered, 0.05, 0.0)
    ret = np.flatnonzero(rng.random(n_orders) < p_return)
    n_ret = ret.size
    rtype = rng.choice(3, size=n_ret, p=[0.5, 0.3, 0.2])  # refund, return, exchange
    reason = rng.choice(len(P.RETURN_REASONS), size=n_ret, p=[0.22, 0.1, 0.1, 0.06, 0.06, 0.24, 0.12, 0.1])
    reason = np.where(late[ret] & (rng.random(n_ret) < 0.5), 4, reason)
    requested = delivered_at[ret] + (rng.uniform(0.5, 25, n_ret) * DAY).astype(np.int64)
    approved = requested + rng.lognormal(np.log(DAY), 0.7, n_ret).astype(np.int64)
    received = approved + (rng.uniform(3, 10, n_ret) * DAY).astype(np.int64)
    refunded = received + (rng.uniform(0.5, 5, n_ret) * DAY).astype(np.int64)
    outcome = rng.choice(3, size=n_ret, p=[0.9, 0.06, 0.04])  # normal, rejected, cancelled
    keep = requested < period.end
    returns = {
        "order": ret[keep], "type": rtype[keep], "reason": reason[keep], "outcome": outcome[keep],
        "requested": requested[keep], "approved": approved[keep], "received": received[keep],
        "refunded": refunded[keep],
    }
    amount = (subtotal[returns["order"]] * rng.uniform(0.3, 1.0, returns["order"].size)).astype(np.int64)
    returns["amount"] = np.where(returns["type"] == 2, 0, amount)
    return {"customers": cust, "orders": orders, "lines": lines, "returns": returns}


def tracking_events(rng: np.random.Generator, orders: dict[str, np.ndarray], end: int) -> dict[str, np.ndarray]:
    """Checkpoint history per tracked shipment (status codes index STATUSES)."""
    idx = np.flatnonzero(orders["has_tracking"])
    k = rng.integers(1, 3, idx.size)  # in_transit checkpoints
    late, exc, lost = orders["late"][idx], orders["exception"][idx], orders["lost"][idx]
    # info_received + k in_transit + delayed? + exception? + (out_for_delivery + delivered unless lost)
    n = 1 + k + late + exc + np.where(lost, 0, 2)
    ship = np.repeat(np.arange(idx.size), n)
    pos = np.arange(ship.size) - np.repeat(np.cumsum(n) - n, n)
    nn = n[ship]
    kk = k[ship]
    status = np.full(ship.size, 1)  # in_transit
    status[pos == 0] = 0
    status[(pos == kk + 1) & late[ship]] = 4
    status[(pos == kk + 1 + late[ship]) & exc[ship]] = 5
    not_lost = ~lost[ship]
    status[(pos == nn - 2) & not_lost] = 2
    status[(pos == nn - 1) & not_lost] = 3
    t0 = orders["shipped_at"][idx][ship]
    t1 = np.where(lost, orders["shipped_at"][idx] + 4 * DAY, orders["delivered_at"][idx])[ship]
    frac = np.where(status == 3, 1.0, np.where(status == 2, 0.93, pos / np.maximum(nn - 1, 1) * 0.85))
    at = t0 + ((t1 - t0) * frac).astype(np.int64) + rng.integers(0, 1800, ship.size) * (pos > 0)
    at = np.where(status == 2, np.minimum(at, t1 - 2 * HOUR), at)
    keep = at < end
    return {"order": idx[ship][keep], "status": status[keep], "at": at[keep],
            "city": rng.integers(0, len(P.CITIES), int(keep.sum()))}


STATUSES = ("info_received", "in_transit", "out_for_delivery", "delivered", "delayed", "exception")
AFTERSHIP = ("InfoReceived", "InTransit", "OutForDelivery", "Delivered", "InTransit", "Exception")
FINANCIAL = ("paid", "pending", "authorized", "refunded", "partially_refunded", "voided")
COUNTRIES = ("US", "CA", "GB", "DE")
SOURCES = ("web", "pos", "shopify_draft_order")
