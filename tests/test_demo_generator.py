"""The deterministic demo-data generator (sources/demo)."""

from __future__ import annotations

import csv
import datetime as dt
import fnmatch
import json
import sqlite3
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from sources.demo import GenerationSummary, generate
from sources.demo.__main__ import main
from sources.readers import read_entity
from sources.registry import load_registry

AS_OF = dt.date(2026, 10, 31)
CUSTOMERS = 120
ERP_TABLES = ("customer_master", "product", "sales_order", "sales_order_line", "invoice", "channel_cost")


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, tuple[Path, GenerationSummary]]:
    out = {}
    for name, seed in (("a", 7), ("b", 7), ("other", 8)):
        path = tmp_path_factory.mktemp(f"demo_{name}")
        out[name] = (path, generate(path, CUSTOMERS, seed, AS_OF))
    return out


@pytest.fixture(scope="module")
def src(runs) -> Path:
    return runs["a"][0]


@pytest.fixture(scope="module")
def facts(src) -> dict:
    return json.loads((src / "_truth" / "planted_facts.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def truth(src) -> list[dict[str, str]]:
    with open(src / "_truth" / "records.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def table_rows(db: Path, table: str) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return con.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
    finally:
        con.close()


def files(root: Path) -> list[Path]:
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


def sheet_rows(path: Path) -> list[list]:
    workbook = CalamineWorkbook.from_path(str(path))
    return workbook.get_sheet_by_name(workbook.sheet_names[0]).to_python(skip_empty_area=False)


# ------------------------------------------------------------------------- determinism
def test_same_seed_gives_identical_files(runs):
    (a, summary_a), (b, summary_b) = runs["a"], runs["b"]
    assert summary_a == summary_b
    assert files(a) == files(b)
    for rel in files(a):
        if rel.suffix == ".sqlite":
            for table in ERP_TABLES:
                assert table_rows(a / rel, table) == table_rows(b / rel, table), table
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel


def test_different_seed_gives_different_data(runs):
    a, other = runs["a"][0], runs["other"][0]
    assert (a / "crm" / "companies.csv").read_bytes() != (other / "crm" / "companies.csv").read_bytes()
    db = Path("erp") / "erp.sqlite"
    assert table_rows(a / db, "customer_master") != table_rows(other / db, "customer_master")
    assert sheet_rows(a / "excel" / "Aussendienst_Nord.xlsx") != sheet_rows(other / "excel" / "Aussendienst_Nord.xlsx")


def test_summary_counts_match_files(src, runs):
    summary = runs["a"][1]
    assert summary.customers == CUSTOMERS
    assert summary.erp_customers == len(table_rows(src / "erp" / "erp.sqlite", "customer_master"))
    assert summary.erp_order_lines == len(table_rows(src / "erp" / "erp.sqlite", "sales_order_line"))
    assert summary.crm_leads == len(read_csv(src / "crm" / "leads.csv"))
    assert summary.excel_files == len(list((src / "excel").glob("*.xlsx")))
    # about 20 order lines per company, a few hundred products at most
    assert 10 * CUSTOMERS <= summary.erp_order_lines <= 35 * CUSTOMERS
    assert (src / "README.txt").read_text(encoding="utf-8").strip()


def test_cli_writes_the_sources(tmp_path, capsys):
    assert main(["--customers", "60", "--seed", "3", "--as-of", "2026-01-15", "--out", str(tmp_path)]) == 0
    assert "erp_order_lines" in capsys.readouterr().out
    assert (tmp_path / "erp" / "erp.sqlite").is_file()
    assert {p.name for p in (tmp_path / "excel").glob("Aussendienst_*.xlsx")} == {
        "Aussendienst_Nord.xlsx", "Aussendienst_Sued.xlsx"}
    assert (tmp_path / "excel" / "Messe_Hannover_2025.xlsx").is_file()
    assert (tmp_path / "excel" / "Messe_SPS_2024.xlsx").is_file()


# ------------------------------------------------------------------------- file formats
def test_crm_headers_are_registry_aliases_in_registry_order(src):
    registry = load_registry()
    for entity in registry.entities_of("crm"):
        with open(src / entity.location, encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        assert header == [aliases[0] for aliases in entity.columns.values()], entity.name


def test_every_excel_file_opens_and_has_registry_headers(src):
    registry = load_registry()
    excel_entities = registry.entities_of("excel")
    paths = sorted((src / "excel").glob("*.xlsx"))
    assert {p.name for p in paths} >= {
        "Aussendienst_Nord.xlsx", "Aussendienst_Sued.xlsx", "Messe_Hannover_2025.xlsx", "Messe_SPS_2024.xlsx",
        "Servicebesuche_2025.xlsx", "Empfehlungen.xlsx", "Weihnachtskarten.xlsx"}
    for path in paths:
        entity = next(e for e in excel_entities if fnmatch.fnmatch(f"excel/{path.name}", e.location))
        aliases = {a.casefold(): c for c, names in entity.columns.items() for a in names}
        rows = sheet_rows(path)
        header_at = next(i for i, row in enumerate(rows[:10])
                         if sum(str(v).casefold() in aliases for v in row if v != "") >= 3)
        header = [str(v) for v in rows[header_at] if v != ""]
        known = {aliases[h.casefold()] for h in header if h.casefold() in aliases}
        assert set(entity.required) <= known, path.name
        assert all(h.casefold() in aliases or h == "Priorität" for h in header), (path.name, header)
    nord = sheet_rows(src / "excel" / "Aussendienst_Nord.xlsx")
    assert nord[0][0] == "Kundenliste Außendienst Nord" and nord[1][0] == "Stand: 31.10.2026"
    assert nord[3][:3] == ["Firma", "Straße", "PLZ"] and nord[-1][0] == "Summe"
    sued = sheet_rows(src / "excel" / "Aussendienst_Sued.xlsx")
    assert sued[1][:4] == ["Kunde", "Strasse", "Postleitzahl", "Stadt"] and sued[-1][0] == "Summe"
    assert nord[3] != sued[1]


def test_excel_values_come_in_mixed_types(src):
    cells = [v for name in ("Aussendienst_Nord.xlsx", "Aussendienst_Sued.xlsx")
             for row in sheet_rows(src / "excel" / name)[4:-1] for v in row[7:9]]
    assert any(isinstance(v, float) for v in cells)  # numeric potential
    assert any(isinstance(v, str) and "€" in v for v in cells)  # German text amount
    assert any(isinstance(v, dt.date) for v in cells)  # date cell
    assert any(isinstance(v, str) and v.count(".") == 2 and v[:2].isdigit() for v in cells)  # "31.12.2024"


# ------------------------------------------------------------------------- ERP
def test_invoice_amount_is_the_sum_of_rounded_lines(src):
    con = sqlite3.connect(src / "erp" / "erp.sqlite")
    try:
        lines: dict[str, float] = {}
        for order_no, qty, price, disc in con.execute(
                "SELECT order_no, quantity, unit_price, discount_pct FROM sales_order_line"):
            lines[order_no] = lines.get(order_no, 0.0) + round(qty * price * (1 - disc / 100), 2)
        invoices = con.execute("SELECT invoice_no, doc_type, order_no, net_amount, reference_invoice_no, "
                               "credit_reason FROM invoice").fetchall()
        inv_by_no = {row[0]: row for row in invoices}
        assert invoices
        for invoice_no, doc_type, order_no, net, ref, reason in invoices:
            assert net > 0
            if doc_type == "INV":
                assert abs(net - round(lines[order_no], 2)) < 0.005, invoice_no
                assert ref is None and reason is None
            else:
                assert doc_type == "CRN" and reason in {"return", "price_adjustment", "goodwill"}
                assert inv_by_no[ref][1] == "INV" and net <= inv_by_no[ref][3] + 1e-9
        # every order but a few recent ones is invoiced exactly once
        uninvoiced = con.execute("SELECT count(*) FROM sales_order o WHERE NOT EXISTS (SELECT 1 FROM invoice i "
                                 "WHERE i.order_no = o.order_no AND doc_type = 'INV')").fetchone()[0]
        doubles = con.execute("SELECT count(*) FROM (SELECT order_no FROM invoice WHERE doc_type = 'INV' "
                              "GROUP BY 1 HAVING count(*) > 1)").fetchone()[0]
        assert doubles == 0 and uninvoiced <= 20
        before_created = con.execute("SELECT count(*) FROM sales_order o JOIN customer_master c USING (debtor_no) "
                                     "WHERE o.order_date <= c.created_on OR o.order_date > ?",
                                     (AS_OF.isoformat(),)).fetchone()[0]
        assert before_created == 0
        channels = {r[0] for r in con.execute("SELECT DISTINCT channel_code FROM sales_order")}
        assert channels <= {"FS", "IS", "WEB", "MKT", "DIST", "EDI"} and len(channels) >= 5
        periods = con.execute("SELECT count(DISTINCT period), count(*) FROM channel_cost").fetchone()
        assert periods[1] == periods[0] * 6
    finally:
        con.close()


# ------------------------------------------------------------------------- ground truth
def test_truth_covers_every_company_record(src, truth):
    keys = {(r["source_entity"], r["record_key"]) for r in truth}
    debtors = [r[0] for r in table_rows(src / "erp" / "erp.sqlite", "customer_master")]
    assert {("erp_customers", d) for d in debtors} <= keys
    for name in ("companies", "contacts"):
        ids = [r["Record ID"] for r in read_csv(src / "crm" / f"{name}.csv")]
        assert {(f"crm_{name}", i) for i in ids} <= keys
    registry = load_registry()
    for entity in registry.entities_of("excel"):
        extract = read_entity(registry, entity, src)
        assert {(entity.name, k) for k in extract.frame["_record_key"]} <= keys, entity.name
    assert {r["is_defective"] for r in truth} == {"0", "1"}
    assert len({r["true_company_id"] for r in truth}) > 0.9 * CUSTOMERS


def test_people_truth_points_at_contacts(src):
    people = read_csv(src / "_truth" / "people.csv")
    contact_ids = {r["Record ID"] for r in read_csv(src / "crm" / "contacts.csv")}
    crm_people = {r["record_key"] for r in people if r["source_entity"] == "crm_contacts"}
    assert crm_people == contact_ids
    assert {r["source_entity"] for r in people} == {
        "crm_contacts", "excel_trade_fair", "excel_christmas_cards", "excel_field_sales"}


# ------------------------------------------------------------------------- planted facts
def test_planted_facts_reference_existing_ids(src, facts, truth):
    debtors = {r[0]: r for r in table_rows(src / "erp" / "erp.sqlite", "customer_master")}
    crm_ids = {r["Record ID"] for r in read_csv(src / "crm" / "companies.csv")}
    truth_keys = {(r["source_entity"], r["record_key"]) for r in truth}
    company_of = {(r["source_entity"], r["record_key"]): r["true_company_id"] for r in truth}
    for name in ("revenue_a_value_c", "hidden_champion", "lost_customer", "at_risk_customer"):
        fact = facts[name]
        assert fact["debtor_no"] in debtors, name
        assert company_of[("erp_customers", fact["debtor_no"])] == fact["true_company_id"], name
        assert set(fact["crm_record_ids"]) <= crm_ids
    prospect = facts["prospect"]
    assert prospect["crm_record_ids"] and set(prospect["crm_record_ids"]) <= crm_ids
    entities = {r["source_entity"] for r in prospect["source_records"]}
    assert "erp_customers" not in entities and any(e.startswith("excel_") for e in entities)
    assert all((r["source_entity"], r["record_key"]) in truth_keys for r in prospect["source_records"])
    five = facts["five_spellings"]
    assert len(five["sources"]) >= 5 and len(five["distinct_spellings"]) >= 5
    for spelling in five["spellings"]:
        assert company_of[(spelling["source_entity"], spelling["record_key"])] == five["true_company_id"]
    assert facts["over_contacted"]["crm_record_id"] in crm_ids
    for referral in facts["hidden_champion"]["referrals"]:
        assert ("excel_referrals", referral["record_key"]) in truth_keys
        assert referral["referred_debtor_no"] in debtors and referral["status"] == "Kunde geworden"
    assert facts["generation"] == {"seed": 7, "customers": CUSTOMERS, "as_of": AS_OF.isoformat(),
                                   "generator_version": facts["generation"]["generator_version"]}


def test_planted_customers_behave_as_stated(facts):
    ravc, hc = facts["revenue_a_value_c"], facts["hidden_champion"]
    assert ravc["revenue_rank_12m"] <= max(1, 0.05 * ravc["customers_with_revenue_12m"]) + 1
    assert ravc["avg_days_paid_after_due_24m"] >= 60 and ravc["avg_discount_pct_12m"] >= 25
    assert ravc["service_visits_12m"] >= 20 and float(ravc["returns_credited_12m"]) > 0
    assert float(ravc["revenue_12m"]) >= 0.5 * float(ravc["revenue_prior_12m"])  # still active
    assert hc["revenue_percentile_from_top"] >= 0.6 and hc["gross_margin_pct_12m"] >= 40
    assert hc["avg_days_paid_after_due_24m"] <= 0 and hc["credit_notes_12m"] == 0 and len(hc["referrals"]) >= 3
    lost = facts["lost_customer"]
    last = dt.date.fromisoformat(lost["last_order_date"])
    assert last < AS_OF.replace(year=AS_OF.year - 2)
    risk = facts["at_risk_customer"]
    assert risk["orders_12m"] >= 1 and risk["orders_12m"] < 0.5 * risk["orders_prior_12m"]
    assert float(risk["revenue_12m"]) < 0.5 * float(risk["revenue_prior_12m"])


def test_five_spellings_are_the_source_values(src, facts):
    five = facts["five_spellings"]
    crm_names = {r["Record ID"]: r["Company name"] for r in read_csv(src / "crm" / "companies.csv")}
    erp_names = {r[0]: r[1] for r in table_rows(src / "erp" / "erp.sqlite", "customer_master")}
    for spelling in five["spellings"]:
        entity, key = spelling["source_entity"], spelling["record_key"]
        if entity == "crm_companies":
            assert crm_names[key] == spelling["name"]
        elif entity == "erp_customers":
            assert erp_names[key] == spelling["name"]
        else:
            file_name, _, row = key.rsplit(":", 2)
            cells = sheet_rows(src / "excel" / file_name)[int(row) - 1]
            assert spelling["name"] in cells, key


def test_over_contacted_company_has_many_recent_activities(src, facts):
    fact = facts["over_contacted"]
    start = AS_OF - dt.timedelta(days=30)
    recent = [r for r in read_csv(src / "crm" / "activities.csv")
              if r["Associated Company ID"] == fact["crm_record_id"]
              and dt.date.fromisoformat(r["Activity Date"][:10]) > start]
    assert len(recent) >= 25 and len(recent) == fact["activities_last_30d"]


def _ts(text: str) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def test_lead_timestamps_are_in_order_and_black_hole_count_matches(src, facts):
    leads = read_csv(src / "crm" / "leads.csv")
    stages = ["Create Date", "Became MQL Date", "Handed to Sales Date", "First Sales Activity Date",
              "Became Opportunity Date", "Closed Date"]
    statuses = {"new", "mql", "handed_to_sales", "in_progress", "opportunity", "won", "lost", "disqualified"}
    black_hole = 0
    as_of_start = dt.datetime.combine(AS_OF, dt.time(), dt.timezone.utc)
    for lead in leads:
        times = [_ts(lead[s]) for s in stages]
        present = [t for t in times if t is not None]
        assert present == sorted(present), lead["Record ID"]
        assert lead["Lead Status"] in statuses
        handed, follow_up = times[2], times[3]
        if handed and handed <= as_of_start - dt.timedelta(days=14):
            if follow_up is None or follow_up - handed > dt.timedelta(days=14):
                black_hole += 1
    assert facts["leads_total"] == len(leads)
    assert facts["black_hole_leads_total"] == black_hole
    assert any(not lead["Create Date"] for lead in leads)  # planted: a lead without Create Date


def test_monthly_revenue_matches_invoices(src, facts):
    totals: dict[str, int] = {}
    for row in table_rows(src / "erp" / "erp.sqlite", "invoice"):
        _, doc_type, _, _, invoice_date, _, net = row[:7]
        cents = round(net * 100) * (1 if doc_type == "INV" else -1)
        totals[invoice_date[:7]] = totals.get(invoice_date[:7], 0) + cents
    expected = {m: f"{v // 100}.{v % 100:02d}" if v >= 0 else f"-{(-v) // 100}.{(-v) % 100:02d}"
                for m, v in sorted(totals.items())}
    assert facts["monthly_revenue"] == expected
