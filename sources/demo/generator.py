"""generate(): the whole demo data set, deterministic for (customers, seed, as_of)."""

from __future__ import annotations

import datetime as dt
import gc
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ..registry import load_registry
from . import crm as crm_mod
from . import erp as erp_mod
from . import excel as excel_mod
from . import webshop as webshop_mod
from .truth import Truth
from .universe import Universe, Volumes, build_universe

GENERATOR_VERSION = "1"
MIN_CUSTOMERS = 60


@dataclass(frozen=True)
class GenerationSummary:
    customers: int
    seed: int
    as_of: str
    true_persons: int
    erp_customers: int
    erp_products: int
    erp_sales_orders: int
    erp_order_lines: int
    erp_invoices: int
    erp_credit_notes: int
    erp_channel_costs: int
    crm_companies: int
    crm_contacts: int
    crm_leads: int
    crm_deals: int
    crm_activities: int
    excel_files: int
    excel_field_sales: int
    excel_trade_fair: int
    excel_service_visits: int
    excel_referrals: int
    excel_christmas_cards: int
    webshop_orders: int
    truth_records: int
    truth_people: int

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _year_before(d: dt.date) -> dt.date:
    try:
        return d.replace(year=d.year - 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year - 1, day=28)


def _cents(value: int) -> str:
    sign = "-" if value < 0 else ""
    value = abs(int(value))
    return f"{sign}{value // 100}.{value % 100:02d}"


def _facts(u: Universe, erp: erp_mod.ErpData, crm: crm_mod.CrmData, truth: Truth, excel_facts: dict) -> dict:
    A = erp_mod.day_of(u.as_of)
    start_12m = erp_mod.day_of(_year_before(u.as_of))
    start_24m = erp_mod.day_of(_year_before(_year_before(u.as_of)))
    planted = u.planted
    comp_of_debtor = erp.debtor_company
    sign = np.where(erp.inv_type == 0, 1, -1)
    signed = erp.inv_net_cents * sign
    inv_company = comp_of_debtor[erp.inv_debtor]
    n_comp = len(u.companies)

    def by_company(mask: np.ndarray, weights: np.ndarray) -> np.ndarray:
        return np.bincount(inv_company[mask], weights=weights[mask], minlength=n_comp)

    rev12 = by_company((erp.inv_date > start_12m) & (erp.inv_date <= A), signed)
    rev_prior = by_company((erp.inv_date > start_24m) & (erp.inv_date <= start_12m), signed)
    customers_with_revenue = np.flatnonzero(rev12 > 0)
    ranking = customers_with_revenue[np.argsort(-rev12[customers_with_revenue], kind="stable")]
    rank_of = {int(c): r + 1 for r, c in enumerate(ranking)}

    # lines: margin and discounts per company over the last 12 months
    line_company = comp_of_debtor[erp.order_debtor[erp.line_order]]
    line_date = erp.order_date[erp.line_order]
    recent = (line_date > start_12m) & (line_date <= A)
    gross = erp.line_qty * erp.line_price_cents
    cogs = erp.line_qty * erp.product_cost_cents[erp.line_product]
    order_company = comp_of_debtor[erp.order_debtor]

    def company_stats(c_idx: int) -> dict:
        debtors = [erp.debtor_no[k] for k in erp.debtors_of_company[c_idx]]
        mine = recent & (line_company == c_idx)
        net = int(erp.line_net_cents[mine].sum())
        g = int(gross[mine].sum())
        cost = int(cogs[mine].sum())
        inv_mask = (inv_company == c_idx) & (erp.inv_type == 0) & (erp.inv_paid >= 0) & (erp.inv_date > start_24m)
        late = (erp.inv_paid[inv_mask] - erp.inv_due[inv_mask]).astype(float)
        crn = (inv_company == c_idx) & (erp.inv_type == 1) & (erp.inv_date > start_12m)
        returns = sum(int(erp.inv_net_cents[i]) for i in np.flatnonzero(crn) if erp.inv_reason[i] == "return")
        orders = order_company == c_idx
        return {
            "debtor_no": debtors[0], "debtor_nos": debtors, "true_company_id": u.companies[c_idx].tid,
            "legal_name": u.companies[c_idx].legal_name,
            "crm_record_ids": crm.company_ids.get(c_idx, []),
            "revenue_12m": _cents(int(rev12[c_idx])), "revenue_prior_12m": _cents(int(rev_prior[c_idx])),
            "revenue_rank_12m": rank_of.get(c_idx), "customers_with_revenue_12m": len(ranking),
            "revenue_percentile_from_top": round(rank_of.get(c_idx, len(ranking)) / max(len(ranking), 1), 4),
            "gross_margin_12m": _cents(net - cost),
            "gross_margin_pct_12m": round(100 * (net - cost) / net, 1) if net else None,
            "discount_12m": _cents(g - net), "avg_discount_pct_12m": round(100 * (g - net) / g, 1) if g else None,
            "avg_days_paid_after_due_24m": round(float(late.mean()), 1) if len(late) else None,
            "credit_notes_12m": int(crn.sum()), "returns_credited_12m": _cents(returns),
            "orders_12m": int((orders & (erp.order_date > start_12m)).sum()),
            "orders_prior_12m": int((orders & (erp.order_date > start_24m) & (erp.order_date <= start_12m)).sum()),
            "last_order_date": erp_mod.dates_text(np.array([erp.order_date[orders].max()]))[0] if orders.any() else None,
        }

    ravc = company_stats(planted.revenue_a_value_c)
    ravc.update(excel_facts["service"])
    ravc["field_sales_visits_12m"] = 30
    ravc["expected"] = {"revenue_class": "A", "value_class": "C", "lifecycle_status": "active"}
    hc = company_stats(planted.hidden_champion)
    hc["referrals"] = excel_facts["hidden_champion_referrals"]
    hc["service_visits_12m"] = 0
    hc["expected"] = {"revenue_class": "C", "value_class": ["A", "B"], "lifecycle_status": "active"}
    lost = company_stats(planted.lost_customer)
    lost["expected"] = {"lifecycle_status": "lost"}
    risk = company_stats(planted.at_risk_customer)
    risk["expected"] = {"lifecycle_status": "at_risk"}

    prospect = u.companies[planted.prospect]
    prospect_records = [(e, k) for e, k, tid, _, _ in truth.records if tid == prospect.tid]
    five = u.companies[planted.five_spellings]
    spellings = [{"source_entity": "erp_customers", "record_key": erp.debtor_no[k], "name": erp.debtor_name[k]}
                 for k in erp.debtors_of_company[five.idx]] + truth.spellings
    over = crm.facts.get("over_contacted", {})

    months = np.asarray(erp.inv_date, dtype="datetime64[D]").astype("datetime64[M]").astype(str)
    monthly: dict[str, int] = {}
    for m, v in zip(months.tolist(), signed.tolist()):
        monthly[m] = monthly.get(m, 0) + int(v)

    dup_debtors = [{"true_company_id": u.companies[c].tid, "debtor_nos": [erp.debtor_no[k] for k in ks],
                    "names": [erp.debtor_name[k] for k in ks]}
                   for c, ks in sorted(erp.debtors_of_company.items()) if len(ks) > 1]
    same_name = [{"true_company_ids": [u.companies[a].tid, u.companies[b].tid],
                  "names": [u.companies[a].legal_name, u.companies[b].legal_name],
                  "cities": [u.companies[a].city, u.companies[b].city]}
                 for a, b in planted.same_name_pairs]
    crm_dups = [{"true_company_id": u.companies[c].tid, "crm_record_ids": ids}
                for c, ids in sorted(crm.company_ids.items()) if len(ids) > 1]
    return {
        "revenue_a_value_c": ravc,
        "hidden_champion": hc,
        "lost_customer": lost,
        "at_risk_customer": risk,
        "prospect": {
            "true_company_id": prospect.tid, "legal_name": prospect.legal_name,
            "crm_record_ids": crm.company_ids.get(prospect.idx, []),
            "source_records": [{"source_entity": e, "record_key": k} for e, k in prospect_records],
            "expected": {"lifecycle_status": "prospect", "erp_customer": False},
        },
        "five_spellings": {
            "true_company_id": five.tid, "debtor_no": erp.debtor_no[erp.debtors_of_company[five.idx][0]],
            "legal_name": five.legal_name,
            "sources": sorted({s["source_entity"] for s in spellings}),
            "distinct_spellings": sorted({s["name"] for s in spellings}),
            "spellings": spellings,
            "expected": {"golden_records": 1},
        },
        "over_contacted": {
            "crm_record_id": over.get("crm_record_id"), "true_company_id": u.companies[planted.over_contacted].tid,
            "activities_last_30d": over.get("activities_last_30d"), "window": over.get("window"),
            "expected": {"over_contacted": True},
        },
        "black_hole_leads_total": crm.facts["black_hole_leads_total"],
        "leads_total": crm.facts["leads_total"],
        "black_hole_definition": {
            "sla_days": crm_mod.SLA_DAYS,
            "leads_handed_to_sales_at_least_sla_days_before_as_of": crm.facts["leads_handed_eligible"],
            "rule": "Handed to Sales Date set, at least 14 days before as_of, and no First Sales Activity "
                    "Date within 14 days of it (none, or later)",
        },
        "monthly_revenue": {m: _cents(v) for m, v in sorted(monthly.items())},
        "duplicate_debtors": dup_debtors,
        "crm_duplicate_companies": crm_dups,
        "same_name_different_company": same_name,
        "generation": {"seed": u.seed, "customers": len(u.companies), "as_of": u.as_of.isoformat(),
                       "generator_version": GENERATOR_VERSION},
    }


README = """\
Demo sources of a German industrial manufacturer (generated by `python -m sources.demo`,
seed {seed}, {customers} true companies, as of {as_of}): the ERP database erp/erp.sqlite
(customer_master, product, sales_order, sales_order_line, invoice, channel_cost), the CRM
export crm/*.csv (companies, contacts, leads, deals, activities; HubSpot-style, UTF-8), and
the Excel islands excel/*.xlsx (field-sales sheets per territory in different layouts,
trade-fair contacts, service visits, referrals, the Christmas-card list), and the web shop's
order export webshop/orders.csv (shop orders transferred to the ERP and cancelled baskets). The same companies
and people appear across the sources with different spellings, gaps, duplicates and a few
broken rows, as in real life. _truth/ is the answer key for tests and is never read by the
pipeline: records.csv maps every company-bearing source record (Excel rows as
file:sheet:row) to its true company (is_defective = 1 where a planted defect must be
quarantined; defects lists all planted dirt), people.csv maps person records to true people,
companies.csv is the true company master, and planted_facts.json holds the facts the mart
tests assert (a key account by revenue that is a C customer by value, a hidden champion, a
lost and an at-risk customer, a prospect, a company with five spellings, an over-contacted
company, the black-hole lead count and the monthly revenue).
"""


def generate(
    out_dir: Path, customers: int, seed: int, as_of: dt.date, volumes: Volumes = Volumes()
) -> GenerationSummary:
    """Write the demo sources for `customers` true companies into `out_dir` (`volumes`: order
    lines, leads and workbooks per company; the defaults are the demo's)."""
    if customers < MIN_CUSTOMERS:
        raise ValueError(f"customers must be at least {MIN_CUSTOMERS}")
    # The generator builds millions of acyclic objects; the cyclic garbage collector would only
    # walk them again and again.
    gc_enabled = gc.isenabled()
    gc.disable()
    try:
        return _generate(Path(out_dir), customers, seed, as_of, volumes)
    finally:
        if gc_enabled:
            gc.enable()


def _generate(out_dir: Path, customers: int, seed: int, as_of: dt.date, volumes: Volumes) -> GenerationSummary:
    out_dir.mkdir(parents=True, exist_ok=True)
    registry = load_registry()
    universe = build_universe(customers, seed, as_of, volumes)
    truth = Truth(universe)

    erp = erp_mod.build_erp(universe)
    for k, debtor in enumerate(erp.debtor_no):
        c = universe.companies[int(erp.debtor_company[k])]
        truth.record("erp_customers", debtor, c.tid, ["duplicate_record"] if erp.debtor_is_duplicate[k] else [])
    counts = erp_mod.write_sqlite(out_dir / "erp" / "erp.sqlite", erp, universe)

    crm = crm_mod.build_crm(universe, erp, truth)
    columns = {name: entity.columns for name, entity in registry.entities.items()}
    crm_counts = crm_mod.write_crm(out_dir, crm, columns)
    counts.update(crm_counts)

    excel_counts, excel_facts = excel_mod.build_excel(universe, erp, truth, out_dir)
    counts.update(excel_counts)
    counts.update(webshop_mod.write_webshop(out_dir, erp, universe, columns["webshop_orders"]))

    facts = _facts(universe, erp, crm, truth, excel_facts)
    counts.update(truth.write(out_dir, facts))
    (out_dir / "README.txt").write_text(
        README.format(seed=seed, customers=customers, as_of=as_of.isoformat()), encoding="utf-8")
    return GenerationSummary(
        customers=customers, seed=seed, as_of=as_of.isoformat(), true_persons=len(universe.persons),
        **{k: counts[k] for k in GenerationSummary.__dataclass_fields__
           if k not in ("customers", "seed", "as_of", "true_persons")},
    )
