"""The web shop's order export (CSV, English headers): every ERP sales order of channel WEB was
first a shop order (status `transferred`, with its ERP order number), plus baskets that were
ordered in the shop and cancelled before they reached the ERP (status `cancelled`). Amounts are
the shop's net basket value; the ERP invoices stay the money truth.

Header row: the registry's first alias of each column, in registry order.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from .erp import WEB, ErpData, business_seconds, day_of
from .universe import Universe

COLUMNS = ["shop_order_id", "erp_order_no", "debtor_no", "ordered_at", "status", "payment_method",
           "device", "items", "basket_net"]
PAYMENT = (("invoice", 0.55), ("prepayment", 0.15), ("credit_card", 0.15), ("paypal", 0.15))
DEVICE = (("desktop", 0.7), ("mobile", 0.22), ("tablet", 0.08))
CANCEL_SHARE = 0.08


def _iso(seconds: np.ndarray) -> list[str]:
    return (np.datetime_as_string(seconds.astype("datetime64[s]")).astype(object) + "Z").tolist()


def _choice(rng: np.random.Generator, options: tuple[tuple[str, float], ...], size: int) -> list[str]:
    values, p = zip(*options)
    return np.array(values, dtype=object)[rng.choice(len(values), size=size, p=np.array(p))].tolist()


def write_webshop(out_dir: Path, erp: ErpData, u: Universe, registry_columns: dict[str, list[str]]) -> dict[str, int]:
    if list(registry_columns) != COLUMNS:
        raise RuntimeError(f"webshop_orders: registry columns {list(registry_columns)} differ from {COLUMNS}")
    rng = np.random.default_rng([u.seed, 6])
    A = day_of(u.as_of)
    web = np.flatnonzero((erp.order_channel == WEB) & (erp.order_date <= A))
    net = np.bincount(erp.line_order, weights=erp.line_net_cents, minlength=len(erp.order_no)).astype(np.int64)
    items = np.bincount(erp.line_order, minlength=len(erp.order_no))
    # the shop order is placed on the order day or the evening before
    placed = (erp.order_date[web] - (rng.random(len(web)) < 0.3)) * 86400 + business_seconds(rng, len(web))
    n_cancel = int(round(len(web) * CANCEL_SHARE))
    pick = rng.integers(0, max(len(web), 1), size=n_cancel)
    cancel_at = np.minimum(placed[pick] + rng.integers(3, 60, size=n_cancel) * 86400, A * 86400 + 3600)
    debtors = np.array(erp.debtor_no, dtype=object)
    rows = [
        *zip([None] * len(web), np.array(erp.order_no, dtype=object)[web].tolist(), debtors[erp.order_debtor[web]].tolist(),
             _iso(placed), ["transferred"] * len(web), items[web].tolist(), (net[web] / 100).tolist()),
        *zip([None] * n_cancel, [""] * n_cancel, debtors[erp.order_debtor[web[pick]]].tolist() if n_cancel else [],
             _iso(cancel_at), ["cancelled"] * n_cancel, rng.integers(1, 4, size=n_cancel).tolist(),
             (rng.integers(2_000, 150_000, size=n_cancel) / 100).tolist()),
    ]
    rows.sort(key=lambda r: (r[3], r[1]))
    payment = _choice(rng, PAYMENT, len(rows))
    device = _choice(rng, DEVICE, len(rows))
    path = out_dir / "webshop" / "orders.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([registry_columns[c][0] for c in COLUMNS])
        for k, (_, erp_order, debtor, at, status, n_items, amount) in enumerate(rows):
            writer.writerow([f"WS-{700001 + k}", erp_order, debtor, at, status, payment[k], device[k], n_items,
                             f"{amount:.2f}"])
    return {"webshop_orders": len(rows)}
