"""The ERP database (SQLite): customer master, products, orders, order lines, invoices and
credit notes, channel costs.

Orders, lines and invoices are generated with numpy arrays (one row per element), so 50,000
customers with about a million order lines take seconds. Money is computed in integer cents;
a line's net amount is round(quantity * unit_price * (1 - discount_pct / 100), 2) and unit
prices are nudged by a cent where that product would end in exactly half a cent, so that the
rounding is never ambiguous.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import names
from .universe import Universe

EPOCH = dt.date(1970, 1, 1)
CHANNELS = ("FS", "IS", "WEB", "MKT", "DIST", "EDI")
FS, IS, WEB, MKT, DIST, EDI = range(6)
GROUPS = ("ANTRIEB", "STEUERUNG", "SENSORIK", "ERSATZTEIL", "SERVICE", "ZUBEHOER")
ANTRIEB, STEUERUNG, SENSORIK, ERSATZTEIL, SERVICE, ZUBEHOER = range(6)
DISCOUNT_TENTHS = np.array([0, 20, 30, 50, 75, 100, 125, 150, 200, 250, 300, 350], dtype=np.int64)
SEGMENTS = ("KEY", "STANDARD", "SMALL")
WINDOW_DAYS = 1095  # orders over the 36 months before the as-of date

DDL = """\
CREATE TABLE customer_master (
    debtor_no      TEXT PRIMARY KEY,
    legal_name     TEXT NOT NULL,
    street         TEXT,
    postcode       TEXT,
    city           TEXT,
    country        TEXT,
    vat_id         TEXT,
    industry_key   TEXT,
    customer_group TEXT,
    sales_rep      TEXT,
    created_on     TEXT,
    changed_at     TEXT
);
CREATE TABLE product (
    product_no     TEXT PRIMARY KEY,
    product_name   TEXT NOT NULL,
    product_group  TEXT NOT NULL,
    standard_cost  NUMERIC NOT NULL
);
CREATE TABLE sales_order (
    order_no       TEXT PRIMARY KEY,
    debtor_no      TEXT NOT NULL,
    order_date     TEXT NOT NULL,
    channel_code   TEXT NOT NULL,
    sales_rep      TEXT,
    changed_at     TEXT
);
CREATE TABLE sales_order_line (
    order_no       TEXT NOT NULL,
    line_no        INTEGER NOT NULL,
    product_no     TEXT NOT NULL,
    quantity       NUMERIC NOT NULL,
    unit_price     NUMERIC NOT NULL,
    discount_pct   NUMERIC,
    changed_at     TEXT,
    PRIMARY KEY (order_no, line_no)
);
CREATE TABLE invoice (
    invoice_no           TEXT PRIMARY KEY,
    doc_type             TEXT NOT NULL,
    order_no             TEXT,
    debtor_no            TEXT NOT NULL,
    invoice_date         TEXT NOT NULL,
    due_date             TEXT,
    net_amount           NUMERIC NOT NULL,
    reference_invoice_no TEXT,
    credit_reason        TEXT,
    paid_date            TEXT,
    changed_at           TEXT
);
CREATE TABLE channel_cost (
    period         TEXT NOT NULL,
    channel_code   TEXT NOT NULL,
    cost_amount    NUMERIC NOT NULL,
    PRIMARY KEY (period, channel_code)
);
"""

# Product catalogue: group -> (count, name patterns, cost range EUR, markup range, mean qty)
_CATALOGUE = {
    ANTRIEB: (45, ("Servomotor SM-{n}", "Getriebemotor GM {n}", "Frequenzumrichter FU {kw} kW",
                   "Planetengetriebe PG{n}", "Linearachse LA-{n}", "Drehstrommotor DM {kw} kW"),
              (400, 4500), (1.30, 1.50), 2.0),
    STEUERUNG: (30, ("Kompaktsteuerung KS-{n}", "HMI-Panel {inch} Zoll", "E/A-Modul EA-{n}",
                     "Motion Controller MC-{n}", "Sicherheitssteuerung SSK-{n}"),
                (250, 3000), (1.40, 1.70), 1.8),
    SENSORIK: (40, ("Induktiver Sensor IS-M{m}", "Drucksensor DS-{bar} bar", "Drehgeber DG-{n}",
                    "Lichtschranke LS-{n}", "Temperaturfühler TF-{n}", "Füllstandsensor FS-{n}"),
               (20, 400), (1.60, 2.00), 7.0),
    ERSATZTEIL: (50, ("Kugellager 6{n}", "Dichtungssatz DS-{n}", "Keilriemen XPZ-{n}",
                      "Kupplung KU-{n}", "Bremsbelag BB-{n}", "Wellendichtring WDR-{n}",
                      "Lüfterrad LR-{n}"),
                 (3, 250), (1.80, 2.60), 14.0),
    SERVICE: (10, ("Servicetechniker Stunde", "Inbetriebnahme Pauschale", "Wartungsvertrag Basis",
                   "Wartungsvertrag Premium", "Schulung Tag", "Fernwartung Stunde",
                   "Reisekosten Pauschale", "Notdienst Stunde", "Kalibrierung Sensorik",
                   "Retrofit-Beratung Tag"),
              (60, 900), (1.60, 2.20), 5.0),
    ZUBEHOER: (25, ("Anschlusskabel {len} m", "Montageset MS-{n}", "Klemmenblock KB-{n}",
                    "Schaltschrankleuchte SL-{n}", "Kabelkanal KK-{n}", "Steckverbinder SV-{n}"),
               (5, 150), (1.70, 2.30), 10.0),
}
_PREFIX = {ANTRIEB: "ANT", STEUERUNG: "STE", SENSORIK: "SEN", ERSATZTEIL: "ETL", SERVICE: "SRV",
           ZUBEHOER: "ZUB"}
GLOBAL_GROUP_P = np.array([0.20, 0.15, 0.22, 0.25, 0.08, 0.10])
PRIMARY_GROUP = {  # industry -> likely primary product groups
    "MASCH": (ANTRIEB, STEUERUNG), "AUTO": (SENSORIK, ANTRIEB), "CHEM": (SENSORIK, ERSATZTEIL),
    "ELEK": (STEUERUNG, SENSORIK), "BAU": (ERSATZTEIL, ANTRIEB), "LEBM": (SENSORIK, ERSATZTEIL),
    "MED": (SENSORIK, STEUERUNG), "LOGI": (ANTRIEB, ERSATZTEIL),
}
PREFERRED_CHANNEL_P = {
    "KEY": np.array([0.45, 0.15, 0.00, 0.00, 0.05, 0.35]),
    "STANDARD": np.array([0.35, 0.30, 0.20, 0.00, 0.10, 0.05]),
    "SMALL": np.array([0.05, 0.25, 0.40, 0.15, 0.15, 0.00]),
}
OTHER_CHANNEL_P = np.array([0.15, 0.30, 0.30, 0.10, 0.10, 0.05])
LINES_MU = np.array([2.6, 1.8, 1.0, 0.4, 2.2, 3.2])  # extra lines per order beyond the first
INVOICE_DELAY = np.array([4, 3, 0, 0, 5, 1])  # max days from order to invoice, by channel
CHANNEL_COST = {  # fixed EUR per month for 600 customers, share of channel revenue
    "FS": (14000.0, 0.14), "IS": (6000.0, 0.06), "WEB": (2500.0, 0.025), "MKT": (400.0, 0.12),
    "DIST": (1500.0, 0.10), "EDI": (1200.0, 0.015),
}
# customer types and their shares among ERP customers
TYPES = ("active", "new", "lost", "dormant", "at_risk", "growing")
TYPE_P = (0.58, 0.12, 0.07, 0.02, 0.06, 0.15)
ACTIVE, NEW, LOST, DORMANT, AT_RISK, GROWING = range(6)
DECLINING = 6  # only the planted key account
PAY_PUNCTUAL, PAY_LATE, PAY_CHRONIC, PAY_EXTREME, PAY_EARLY = range(5)


def day_of(d: dt.date) -> int:
    return (d - EPOCH).days


def dates_text(days: np.ndarray) -> list[str]:
    return np.datetime_as_string(np.asarray(days, dtype="datetime64[D]")).tolist()


def timestamps_text(seconds: np.ndarray, sep: str = " ") -> list[str]:
    text = np.datetime_as_string(np.asarray(seconds, dtype="datetime64[s]"))
    return [s.replace("T", sep) for s in text.tolist()]


def business_seconds(rng: np.random.Generator, size: int) -> np.ndarray:
    """Seconds of the day in office hours (07:00-18:00), whole minutes."""
    return rng.integers(7 * 60, 18 * 60, size=size) * 60


@dataclass
class ErpData:
    debtor_no: list[str]
    debtor_company: np.ndarray
    debtor_is_duplicate: np.ndarray
    debtor_created: np.ndarray
    debtor_type: np.ndarray
    debtor_segment: list[str]
    debtor_name: list[str]
    debtors_of_company: dict[int, list[int]]
    product_no: list[str]
    product_group: np.ndarray
    product_cost_cents: np.ndarray
    order_no: list[str]
    order_debtor: np.ndarray  # the debtor record the order was booked on
    order_main: np.ndarray  # the company's main debtor record
    order_date: np.ndarray
    order_channel: np.ndarray
    line_order: np.ndarray
    line_product: np.ndarray
    line_qty: np.ndarray
    line_price_cents: np.ndarray
    line_disc_tenths: np.ndarray
    line_net_cents: np.ndarray
    inv_no: list[str]
    inv_type: np.ndarray  # 0 INV, 1 CRN
    inv_order: np.ndarray
    inv_debtor: np.ndarray
    inv_date: np.ndarray
    inv_due: np.ndarray
    inv_net_cents: np.ndarray
    inv_ref: np.ndarray  # index of referenced invoice or -1
    inv_reason: list[str | None]
    inv_paid: np.ndarray  # -1 = open
    channel_cost_rows: list[tuple[str, str, float]]
    customer_rows: list[tuple] = field(default_factory=list)
    facts: dict = field(default_factory=dict)

    def debtor_index(self) -> dict[str, int]:
        return {d: i for i, d in enumerate(self.debtor_no)}


def _tie_free_net(qty: np.ndarray, price: np.ndarray, disc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Net cents per line; unit prices moved up by a cent where the result is exactly x.5 cents."""
    price = price.copy()
    for _ in range(10):
        numerator = qty * price * (1000 - disc)
        tie = numerator % 1000 == 500
        if not tie.any():
            break
        price[tie] += 1
    numerator = qty * price * (1000 - disc)
    return price, (numerator + 500) // 1000


def _products(rng: np.random.Generator) -> tuple[list[str], list[str], np.ndarray, np.ndarray, np.ndarray]:
    numbers, labels, groups, costs, lists = [], [], [], [], []
    for g in range(len(GROUPS)):
        count, patterns, (clo, chi), (mlo, mhi), _ = _CATALOGUE[g]
        # cheaper items first so that "popular" (low index) products are the cheap ones
        cost = np.sort(np.exp(rng.uniform(np.log(clo), np.log(chi), size=count)))
        markup = rng.uniform(mlo, mhi, size=count)
        seen: set[str] = set()
        for k in range(count):
            pattern = patterns[k % len(patterns)]
            for _ in range(20):
                label = pattern.format(n=int(rng.integers(10, 990)), kw=float(rng.choice([0.75, 1.5, 2.2, 4.0, 5.5, 7.5, 11.0, 15.0, 22.0])),
                                       inch=int(rng.choice([4, 7, 10, 12, 15])), m=int(rng.choice([8, 12, 18, 30])),
                                       bar=int(rng.choice([1, 6, 10, 16, 40, 100])), len=int(rng.choice([2, 5, 10, 15])))
                if label not in seen:
                    break
            seen.add(label)
            numbers.append(f"{_PREFIX[g]}-{1001 + k}")
            labels.append(label.replace(".0 kW", " kW"))
            groups.append(g)
            cost_cents = int(round(cost[k] * 100))
            costs.append(cost_cents)
            lists.append(int(round(cost_cents * markup[k])))
    return numbers, labels, np.array(groups), np.array(costs, dtype=np.int64), np.array(lists, dtype=np.int64)


def build_erp(u: Universe) -> ErpData:
    rng = np.random.default_rng([u.seed, 2])
    rnd = random.Random(u.seed * 7919 + 2)
    A = day_of(u.as_of)
    start = A - WINDOW_DAYS + 1
    planted = u.planted
    companies = u.companies

    erp_companies = [c.idx for c in companies if c.is_erp]
    n0 = len(erp_companies)
    comp = np.array(erp_companies, dtype=np.int64)
    pos_of = {c: i for i, c in enumerate(erp_companies)}

    # ---------------------------------------------------------------- debtor parameters
    ctype = rng.choice(len(TYPES), size=n0, p=TYPE_P)
    created = np.where(ctype == NEW, A - rng.integers(60, 1000, size=n0), A - rng.integers(1100, 9000, size=n0))
    scale = np.array([companies[c].scale for c in erp_companies])
    order_of_scale = np.argsort(np.argsort(-scale, kind="stable"), kind="stable") / max(n0 - 1, 1)
    segment_idx = np.where(order_of_scale < 0.08, 0, np.where(order_of_scale < 0.55, 1, 2))
    stale = rng.random(n0) < 0.06
    segment_idx[stale] = rng.integers(0, 3, size=int(stale.sum()))
    pay = rng.choice(3, size=n0, p=[0.76, 0.18, 0.06])
    credit_prop = rng.lognormal(0.0, 0.7, size=n0)
    industry_primary = np.array([rnd.choice(PRIMARY_GROUP[companies[c].industry]) for c in erp_companies])
    secondary_group = rng.integers(0, 6, size=n0)
    p_primary = np.full(n0, 0.6)
    p_secondary = np.full(n0, 0.25)
    disc_base = np.select([segment_idx == 0, segment_idx == 1], [rng.integers(4, 9, size=n0), rng.integers(1, 6, size=n0)],
                          rng.integers(0, 4, size=n0))
    terms = np.select([segment_idx == 0, segment_idx == 1],
                      [rng.choice([30, 45, 60], size=n0), rng.choice([14, 30, 30], size=n0)],
                      rng.choice([14, 30], size=n0))

    def at(company_idx: int) -> int:
        return pos_of[company_idx]

    ravc, hc = at(planted.revenue_a_value_c), at(planted.hidden_champion)
    lost_i, risk_i = at(planted.lost_customer), at(planted.at_risk_customer)
    for k in (ravc, hc, lost_i, risk_i, at(planted.five_spellings), at(planted.over_contacted)):
        created[k] = A - rng.integers(2500, 7000)
    ctype[ravc], ctype[hc], ctype[lost_i], ctype[risk_i] = DECLINING, GROWING, LOST, AT_RISK
    for k in (at(planted.five_spellings), at(planted.over_contacted)):
        ctype[k] = ACTIVE
    for c in planted.hidden_champion_referred:
        k = at(c)
        ctype[k] = NEW
        created[k] = A - rng.integers(150, 650)
    segment_idx[ravc], segment_idx[hc] = 0, 1
    disc_base[ravc], disc_base[hc] = 10, 0
    pay[ravc], pay[hc] = PAY_EXTREME, PAY_EARLY
    terms[ravc], terms[hc] = 30, 30
    credit_prop[hc] = 0.0
    industry_primary[ravc], secondary_group[ravc] = ANTRIEB, STEUERUNG
    p_primary[ravc], p_secondary[ravc] = 0.55, 0.35
    industry_primary[hc], secondary_group[hc] = ERSATZTEIL, SERVICE
    p_primary[hc], p_secondary[hc] = 0.6, 0.4
    scale[hc] = 0.4

    # preferred channel, stickiness and channel switches
    preferred = np.empty(n0, dtype=np.int64)
    for s, name in enumerate(SEGMENTS):
        mask = segment_idx == s
        preferred[mask] = rng.choice(6, size=int(mask.sum()), p=PREFERRED_CHANNEL_P[name])
    stick = np.where(rng.random(n0) < 0.2, 1.0, rng.uniform(0.55, 0.95, size=n0))
    switch_day = np.where(rng.random(n0) < 0.12, A - rng.integers(60, 900, size=n0), np.iinfo(np.int64).max)
    switch_to = (preferred + rng.integers(1, 6, size=n0)) % 6
    switch_to = np.where(switch_to == MKT, WEB, switch_to)
    preferred[ravc], stick[ravc], switch_day[ravc] = FS, 0.8, np.iinfo(np.int64).max
    preferred[hc], stick[hc] = IS, 0.9
    inside_rep = rng.integers(0, len(u.inside_reps), size=n0)

    # ---------------------------------------------------------------- orders
    lo = np.maximum(start, created + 1)
    hi = np.full(n0, A)
    lost_mask = ctype == LOST
    hi[lost_mask] = A - rng.integers(750, 1000, size=int(lost_mask.sum()))
    active_days = np.clip(hi - lo + 1, 0, None)
    activity = scale ** 0.75 * active_days / WINDOW_DAYS
    activity[ctype == DORMANT] = 0.0
    mean_lines = 1.0 + float(LINES_MU.mean())
    base = u.volumes.order_lines_per_customer * len(companies) / mean_lines / max(activity.sum(), 1e-9)
    n_orders = rng.poisson(base * activity)
    n_orders = np.where((ctype != DORMANT) & (active_days > 0), np.maximum(n_orders, 1), 0)
    n_orders[ravc] = max(int(n_orders[ravc]), 60)
    n_orders[hc] = 30
    n_orders[lost_i] = max(int(n_orders[lost_i]), 5)
    n_orders[risk_i] = 16
    for c in planted.hidden_champion_referred:
        n_orders[at(c)] = max(int(n_orders[at(c)]), 3)

    od = np.repeat(np.arange(n0), n_orders)  # order -> debtor position
    n_total = len(od)
    uu = rng.random(n_total)
    t = ctype[od]
    shaped = uu.copy()
    grow = t == GROWING
    shaped[grow] = np.where(rng.random(int(grow.sum())) < 0.5, np.sqrt(uu[grow]), uu[grow])
    shaped[od == hc] = np.sqrt(uu[od == hc])
    dates = lo[od] + np.floor(shaped * (hi[od] - lo[od] + 1)).astype(np.int64)
    risk = t == AT_RISK
    recent = rng.random(n_total) < 0.18
    prior_lo = np.maximum(lo[od], A - 725)
    prior_dates = prior_lo + np.floor(uu * np.clip(A - 370 - prior_lo + 1, 1, None)).astype(np.int64)
    recent_dates = A - np.floor(uu * 360).astype(np.int64)
    dates = np.where(risk, np.where(recent, recent_dates, prior_dates), dates)
    # the planted at-risk customer: 12 orders in the prior year, 2 small ones in the last
    risk_orders = np.flatnonzero(od == risk_i)
    dates[risk_orders[:12]] = A - 370 - np.sort(rng.integers(0, 350, size=12))
    dates[risk_orders[12:14]] = A - rng.integers(30, 300, size=2)
    dates[risk_orders[14:]] = A - rng.integers(735, 1000, size=len(risk_orders) - 14)
    # channel of each order
    pref = np.where(dates >= switch_day[od], switch_to[od], preferred[od])
    other = rng.choice(6, size=n_total, p=OTHER_CHANNEL_P)
    channel = np.where(rng.random(n_total) < stick[od], pref, other)
    # orders through people rarely carry weekend dates
    dow = (dates + 3) % 7  # 0 = Monday
    personal = (channel != WEB) & (channel != MKT)
    dates = np.where(personal & (dow == 5), dates - 1, dates)
    dates = np.where(personal & (dow == 6), dates - 2, dates)
    dates = np.maximum(dates, lo[od])

    # duplicate debtor records: a second number for a few companies, used by some orders
    dup_candidates = [k for k in range(n0) if ctype[k] in (ACTIVE, GROWING) and n_orders[k] >= 6
                      and erp_companies[k] not in planted.all()]
    n_dups = min(len(dup_candidates), max(2, round(0.006 * n0)))
    dup_of = sorted(rnd.sample(dup_candidates, n_dups))
    dup_created = np.array([max(int(created[k]) + 30, A - rnd.randint(200, 900)) for k in dup_of], dtype=np.int64)
    order_debtor = od.copy()
    for j, k in enumerate(dup_of):
        mine = np.flatnonzero((od == k) & (dates > dup_created[j]))
        moved = mine[rng.random(len(mine)) < 0.5]
        order_debtor[moved] = n0 + j

    # sort orders by date and number them
    order_sort = np.lexsort((rng.random(n_total), od, dates))
    od, order_debtor, dates, channel = od[order_sort], order_debtor[order_sort], dates[order_sort], channel[order_sort]
    order_no = [str(10000001 + i) for i in range(n_total)]

    # ---------------------------------------------------------------- lines
    product_no, product_name, product_group, product_cost, product_list = _products(rng)
    group_offset = np.array([np.flatnonzero(product_group == g)[0] for g in range(6)])
    group_size = np.bincount(product_group, minlength=6)
    extra = rng.poisson(LINES_MU[channel])
    extra[od == hc] = rng.poisson(0.4, size=int((od == hc).sum()))
    n_lines = 1 + extra
    lo_ = np.repeat(np.arange(n_total), n_lines)  # line -> order
    n_l = len(lo_)
    ld = od[lo_]  # line -> debtor position (the company's main record)
    first_line = np.concatenate([[0], np.cumsum(n_lines)[:-1]])
    r = rng.random(n_l)
    global_group = rng.choice(6, size=n_l, p=GLOBAL_GROUP_P)
    group = np.where(r < p_primary[ld], industry_primary[ld],
                     np.where(r < p_primary[ld] + p_secondary[ld], secondary_group[ld], global_group))
    popularity = rng.random(n_l) ** 2.0
    hc_lines = ld == hc
    popularity[hc_lines] = rng.random(int(hc_lines.sum())) * 0.3  # cheap parts and service hours
    product = group_offset[group] + np.minimum((popularity * group_size[group]).astype(np.int64), group_size[group] - 1)
    # one line per product and order: a repeated product moves to another product of its group
    for _ in range(8):
        key = lo_ * 1000 + product
        by_key = np.argsort(key, kind="stable")
        repeated = np.zeros(n_l, dtype=bool)
        repeated[by_key[1:][key[by_key][1:] == key[by_key][:-1]]] = True
        if not repeated.any():
            break
        g = product_group[product[repeated]]
        shift = 1 + rng.integers(0, np.maximum(group_size[g] - 1, 1))
        product[repeated] = group_offset[g] + (product[repeated] - group_offset[g] + shift) % group_size[g]
    mean_q = np.array([_CATALOGUE[g][4] for g in range(6)])
    qty = np.maximum(1, np.rint(mean_q[group] * rng.lognormal(0, 0.5, size=n_l) * scale[ld] ** 0.35)).astype(np.int64)
    qty = np.minimum(qty, 5000)
    line_dates = dates[lo_]
    inflation = 1.0 + 0.03 * (line_dates - start) / 365.0
    price = np.rint(product_list[product] * inflation).astype(np.int64)
    step = rng.choice([-1, 0, 0, 1], size=n_l)
    disc_idx = np.clip(disc_base[ld] + step, 0, len(DISCOUNT_TENTHS) - 1)
    line_channel = channel[lo_]
    digital = ((line_channel == WEB) | (line_channel == MKT)) & (rng.random(n_l) < 0.8)
    disc_idx = np.where(digital, 0, disc_idx)
    disc_idx[ld == ravc] = 10 + rng.integers(0, 2, size=int((ld == ravc).sum()))  # 30-35 %
    disc_idx[ld == hc] = 0
    disc = DISCOUNT_TENTHS[disc_idx]
    price, net = _tie_free_net(qty, price, disc)

    # ---------------------------------------------------------------- planted revenue ranks
    def revenue_12m(net_cents: np.ndarray) -> np.ndarray:
        recent_line = line_dates > A - 365
        return np.bincount(ld[recent_line], weights=net_cents[recent_line], minlength=n0)

    def scale_to_ratio(target: np.ndarray, reference: np.ndarray, ratio: float) -> None:
        """Scale the quantities of the `target` lines so that their net amount is about
        `ratio` times that of the `reference` lines."""
        base_qty = qty[target].copy()
        factor = ratio * net[reference].sum() / max(net[target].sum(), 1)
        for _ in range(40):
            qty[target] = np.maximum(1, np.rint(base_qty * factor)).astype(np.int64)
            price[target], net[target] = _tie_free_net(qty[target], price[target], disc[target])
            got = net[target].sum() / max(net[reference].sum(), 1)
            if abs(got - ratio) <= 0.1 * ratio or (got > ratio and qty[target].max() == 1):
                break
            factor *= ratio / got

    last_year = line_dates > A - 365
    year_before = (line_dates > A - 730) & (line_dates <= A - 365)
    # the planted key account shrinks by a fifth: last 12 months = 0.8 x the 12 months before
    scale_to_ratio((ld == ravc) & last_year, (ld == ravc) & year_before, 0.8)
    # the planted at-risk customer's last two orders are small ones
    scale_to_ratio((ld == risk_i) & last_year, (ld == risk_i) & year_before, 0.15)

    others = np.ones(n0, dtype=bool)
    others[[ravc, hc]] = False
    rev = revenue_12m(net)
    ranked = np.sort(rev[others & (rev > 0)])[::-1]
    target_top = ranked[max(0, int(np.ceil(0.02 * len(ranked))) - 1)] * 1.15 if len(ranked) else 1.0
    target_low = float(np.quantile(ranked, 0.20)) if len(ranked) else 1.0
    for k, target, up in ((ravc, target_top, True), (hc, target_low, False)):
        mine = ld == k
        base_qty = qty[mine].copy()
        factor = target / max(rev[k], 1.0)
        for _ in range(40):
            new_qty = np.maximum(1, np.rint(base_qty * factor)).astype(np.int64)
            qty[mine] = new_qty
            price[mine], net[mine] = _tie_free_net(new_qty, price[mine], disc[mine])
            rev = revenue_12m(net)
            if (up and rev[k] >= target) or (not up and rev[k] <= target) or (not up and new_qty.max() == 1):
                break
            factor *= 1.08 if up else 0.92

    # ---------------------------------------------------------------- invoices
    order_net = np.add.reduceat(net, first_line) if n_total else np.zeros(0, dtype=np.int64)
    debtor_all = order_debtor  # the record each order was booked on
    inv_delay = np.floor(rng.random(n_total) * (INVOICE_DELAY[channel] + 1)).astype(np.int64)
    inv_date = dates + inv_delay
    invoiced = inv_date <= A
    inv_orders = np.flatnonzero(invoiced)
    n_inv = len(inv_orders)
    i_debtor_main = od[inv_orders]
    i_date = inv_date[inv_orders]
    i_channel = channel[inv_orders]
    prepaid = (i_channel == WEB) | (i_channel == MKT)
    i_terms = np.where(prepaid, 0, terms[i_debtor_main])
    i_due = i_date + i_terms
    behaviour = pay[i_debtor_main]
    offset = np.select(
        [behaviour == PAY_PUNCTUAL, behaviour == PAY_LATE, behaviour == PAY_CHRONIC, behaviour == PAY_EXTREME],
        [-rng.integers(0, 11, size=n_inv), rng.integers(3, 26, size=n_inv), rng.integers(30, 61, size=n_inv),
         rng.integers(60, 91, size=n_inv)],
        -rng.integers(7, 13, size=n_inv),
    )
    paid = np.maximum(i_due + offset, i_date)
    paid = np.where(prepaid, i_date, paid)
    paid = np.where(paid > A, -1, paid)

    # credit notes
    p_credit = 0.04 * credit_prop[i_debtor_main] / max(credit_prop.mean(), 1e-9)
    p_credit = np.where(i_debtor_main == ravc, 0.30, p_credit)
    credited = np.flatnonzero(rng.random(n_inv) < np.clip(p_credit, 0, 0.5))
    reason = rng.choice(3, size=len(credited), p=[0.5, 0.3, 0.2])
    reason = np.where(i_debtor_main[credited] == ravc, np.where(rng.random(len(credited)) < 0.85, 0, reason), reason)
    frac = np.select([reason == 0, reason == 1],
                     [rng.uniform(0.10, 0.60, size=len(credited)), rng.uniform(0.02, 0.12, size=len(credited))],
                     rng.uniform(0.01, 0.05, size=len(credited)))
    frac = np.where((i_debtor_main[credited] == ravc) & (reason == 0), rng.uniform(0.3, 0.7, size=len(credited)), frac)
    base_amount = order_net[inv_orders[credited]]
    c_amount = np.minimum(np.maximum(100, np.rint(base_amount * frac)).astype(np.int64), base_amount)
    c_date = i_date[credited] + rng.integers(5, 76, size=len(credited))
    keep = c_date <= A
    credited, reason, c_amount, c_date = credited[keep], reason[keep], c_amount[keep], c_date[keep]
    c_paid = np.minimum(c_date + rng.integers(0, 11, size=len(credited)), A)

    # number invoices and credit notes in date order
    inv_sort = np.lexsort((inv_orders, i_date))
    inv_rank = np.empty(n_inv, dtype=np.int64)
    inv_rank[inv_sort] = np.arange(n_inv)
    cr_sort = np.lexsort((credited, c_date))
    cr_rank = np.empty(len(credited), dtype=np.int64)
    cr_rank[cr_sort] = np.arange(len(credited))
    n_cr = len(credited)
    inv_no = [str(90000001 + int(k)) for k in inv_rank] + [str(80000001 + int(k)) for k in cr_rank]
    reasons = ("return", "price_adjustment", "goodwill")

    # ---------------------------------------------------------------- debtor numbers
    n_d = n0 + n_dups
    d_company = np.concatenate([comp, comp[dup_of]]) if n_dups else comp
    d_created = np.concatenate([created, dup_created]) if n_dups else created
    d_segment = np.concatenate([segment_idx, segment_idx[dup_of]]) if n_dups else segment_idx
    d_type = np.concatenate([ctype, ctype[dup_of]]) if n_dups else ctype
    d_sort = np.lexsort((np.arange(n_d), d_created))
    d_rank = np.empty(n_d, dtype=np.int64)
    d_rank[d_sort] = np.arange(n_d)
    debtor_no = [str(100001 + int(k)) for k in d_rank]
    debtors_of_company: dict[int, list[int]] = {}
    for k in range(n_d):
        debtors_of_company.setdefault(int(d_company[k]), []).append(k)

    data = ErpData(
        debtor_no=debtor_no, debtor_company=d_company,
        debtor_is_duplicate=np.arange(n_d) >= n0, debtor_created=d_created, debtor_type=d_type,
        debtor_segment=[SEGMENTS[s] for s in d_segment], debtor_name=[""] * n_d,
        debtors_of_company=debtors_of_company,
        product_no=product_no, product_group=product_group, product_cost_cents=product_cost,
        order_no=order_no, order_debtor=debtor_all, order_main=od, order_date=dates, order_channel=channel,
        line_order=lo_, line_product=product, line_qty=qty, line_price_cents=price,
        line_disc_tenths=disc, line_net_cents=net,
        inv_no=inv_no,
        inv_type=np.concatenate([np.zeros(n_inv, dtype=np.int8), np.ones(n_cr, dtype=np.int8)]),
        inv_order=np.concatenate([inv_orders, inv_orders[credited]]),
        inv_debtor=np.concatenate([debtor_all[inv_orders], debtor_all[inv_orders[credited]]]),
        inv_date=np.concatenate([i_date, c_date]),
        inv_due=np.concatenate([i_due, c_date]),
        inv_net_cents=np.concatenate([order_net[inv_orders], c_amount]),
        inv_ref=np.concatenate([np.full(n_inv, -1), credited]),
        inv_reason=[None] * n_inv + [reasons[int(x)] for x in reason],
        inv_paid=np.concatenate([paid, c_paid]),
        channel_cost_rows=[],
    )
    data.channel_cost_rows = _channel_costs(u, rng, data, A, start)
    data.customer_rows = _customer_rows(u, rnd, rng, data, A, dup_of, n0)
    data.facts = {"product_name": product_name, "inside_rep": inside_rep}
    return data


def _channel_costs(u: Universe, rng: np.random.Generator, data: ErpData, A: int, start: int) -> list[tuple[str, str, float]]:
    first = np.datetime64(start, "D").astype("datetime64[M]")
    last = np.datetime64(A, "D").astype("datetime64[M]")
    periods = np.arange(first, last + 1).astype(str).tolist()
    month_of_order = np.asarray(data.order_date, dtype="datetime64[D]").astype("datetime64[M]")
    m_idx = (month_of_order - first).astype(np.int64)
    order_net = np.bincount(data.line_order, weights=data.line_net_cents, minlength=len(data.order_no))
    revenue = np.zeros((len(periods), len(CHANNELS)))
    np.add.at(revenue, (m_idx, data.order_channel), order_net / 100.0)
    size_factor = len(u.companies) / 600.0
    rows = []
    for m, period in enumerate(periods):
        for ch, code in enumerate(CHANNELS):
            fixed, share = CHANNEL_COST[code]
            cost = fixed * size_factor * rng.uniform(0.9, 1.1) + share * revenue[m, ch] * rng.uniform(0.9, 1.1)
            rows.append((period, code, round(cost, 2)))
    return rows


def _customer_rows(u: Universe, rnd: random.Random, rng: np.random.Generator, data: ErpData, A: int,
                   dup_of: list[int], n0: int) -> list[tuple]:
    rows = []
    changed_days = np.maximum(data.debtor_created, A - rng.integers(0, 700, size=len(data.debtor_no)))
    changed = timestamps_text(changed_days * 86400 + business_seconds(rng, len(data.debtor_no)))
    created = dates_text(data.debtor_created)
    protected = u.planted.all()
    for k, debtor in enumerate(data.debtor_no):
        c = u.companies[int(data.debtor_company[k])]
        duplicate = bool(data.debtor_is_duplicate[k])
        name = c.legal_name
        street, postcode, city, vat = c.street, c.postcode, c.city, c.vat_id
        if duplicate:
            kind = rnd.choice(("legal", "typo", "space", "upper", "ascii" if names.has_umlaut(c.base) else "legal", "amp"))
            name = names.company_spelling(c.base, c.form, kind, rnd)
            if name == c.legal_name:
                name = names.company_spelling(c.base, c.form, "upper", rnd)
            if rnd.random() < 0.5:
                street = names.street_variant(street, rnd)
            if rnd.random() < 0.5:
                vat = None
        elif c.idx not in protected:
            r = rnd.random()
            if r < 0.02:
                name = name.upper()  # migrated from the old system in capitals
            elif r < 0.03:
                name = names.company_spelling(c.base, c.form, rnd.choice(("space", "trailing", "legal")), rnd)
            r = rnd.random()
            if r < 0.01:
                postcode = None
            elif r < 0.015:
                postcode = rnd.choice(("ABCDE", postcode[:-1], postcode + "0"))
            if rnd.random() < 0.02:
                street = names.street_variant(street, rnd)
        if vat and c.country == "DE" and data.debtor_segment[k] == "SMALL" and rnd.random() < 0.15:
            vat = None
        data.debtor_name[k] = name
        rows.append((debtor, name, street, postcode, city, c.country, vat, c.industry,
                     data.debtor_segment[k], u.rep_of(c).email, created[k], changed[k]))
    rows.sort(key=lambda row: row[0])
    return rows


# ---------------------------------------------------------------------------- SQLite
def erp_counts(data: ErpData) -> dict[str, int]:
    return {
        "erp_customers": len(data.customer_rows), "erp_products": len(data.product_no),
        "erp_sales_orders": len(data.order_no), "erp_order_lines": len(data.line_order),
        "erp_invoices": int((data.inv_type == 0).sum()), "erp_credit_notes": int((data.inv_type == 1).sum()),
        "erp_channel_costs": len(data.channel_cost_rows),
    }


def write_sqlite(path: Path, data: ErpData, u: Universe) -> dict[str, int]:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".sqlite.tmp")
    for p in (tmp, path):
        if p.exists():
            p.unlink()
    rng = np.random.default_rng([u.seed, 3])
    A = day_of(u.as_of)
    inside = data.facts["inside_rep"]
    order_main = data.order_main

    # orders
    n_orders = len(data.order_no)
    changed_day = np.minimum(data.order_date + rng.integers(0, 3, size=n_orders), A)
    order_changed = np.array(timestamps_text(changed_day * 86400 + business_seconds(rng, n_orders)), dtype=object)
    rep_email = [u.rep_of(u.companies[int(c)]).email for c in data.debtor_company]
    n_d = len(rep_email)
    people = np.array(rep_email + [r.email for r in u.inside_reps] + [None], dtype=object)
    channel = data.order_channel
    rep_idx = np.where(channel == IS, n_d + inside[order_main],
                       np.where((channel == WEB) | (channel == MKT), len(people) - 1, data.order_debtor))
    debtor_arr = np.array(data.debtor_no, dtype=object)
    order_no_arr = np.array(data.order_no, dtype=object)
    orders = list(zip(data.order_no, debtor_arr[data.order_debtor].tolist(), dates_text(data.order_date),
                      np.array(CHANNELS, dtype=object)[channel].tolist(), people[rep_idx].tolist(),
                      order_changed.tolist()))

    # lines (stored in order_no, line_no order)
    line_order = data.line_order
    first = np.concatenate([[0], np.flatnonzero(np.diff(line_order)) + 1])
    counts = np.diff(np.concatenate([first, [len(line_order)]]))
    line_no = ((np.arange(len(line_order)) - np.repeat(first, counts) + 1) * 10).tolist()
    lines = list(zip(
        order_no_arr[line_order].tolist(), line_no,
        np.array(data.product_no, dtype=object)[data.line_product].tolist(),
        data.line_qty.tolist(),
        (data.line_price_cents / 100).tolist(),
        (data.line_disc_tenths / 10).tolist(),
        order_changed[line_order].tolist(),
    ))

    # invoices and credit notes (stored in invoice_no order)
    n = len(data.inv_no)
    inv_no = np.array(data.inv_no, dtype=object)
    paid_txt = np.array(dates_text(np.where(data.inv_paid < 0, 0, data.inv_paid)), dtype=object)
    paid_txt[data.inv_paid < 0] = None
    last_touch = np.maximum(data.inv_date, data.inv_paid)
    ref_txt = np.where(data.inv_ref >= 0, inv_no[np.maximum(data.inv_ref, 0)], None)
    invoices = list(zip(
        data.inv_no, np.where(data.inv_type == 1, "CRN", "INV").astype(object).tolist(),
        order_no_arr[data.inv_order].tolist(), debtor_arr[data.inv_debtor].tolist(),
        dates_text(data.inv_date), dates_text(data.inv_due), (data.inv_net_cents / 100).tolist(),
        ref_txt.tolist(), data.inv_reason, paid_txt.tolist(),
        timestamps_text(np.minimum(last_touch, A) * 86400 + business_seconds(rng, n)),
    ))
    invoices.sort(key=lambda row: row[0])

    products = [(p, data.facts["product_name"][k], GROUPS[int(data.product_group[k])], int(data.product_cost_cents[k]) / 100)
                for k, p in enumerate(data.product_no)]

    con = sqlite3.connect(tmp)
    try:
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("PRAGMA synchronous=OFF")
        con.executescript(DDL)
        with con:
            con.executemany("INSERT INTO customer_master VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", data.customer_rows)
            con.executemany("INSERT INTO product VALUES (?,?,?,?)", products)
            con.executemany("INSERT INTO sales_order VALUES (?,?,?,?,?,?)", orders)
            con.executemany("INSERT INTO sales_order_line VALUES (?,?,?,?,?,?,?)", lines)
            con.executemany("INSERT INTO invoice VALUES (?,?,?,?,?,?,?,?,?,?,?)", invoices)
            con.executemany("INSERT INTO channel_cost VALUES (?,?,?)", data.channel_cost_rows)
    finally:
        con.close()
    tmp.replace(path)
    return erp_counts(data)
