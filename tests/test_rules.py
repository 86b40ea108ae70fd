"""A test per quality rule: each rule catches the value it should and passes the one it
should, on a row that is otherwise valid. A rule added to quality/rules.yaml without a case
here fails test_every_rule_has_a_case."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from quality import mart_contracts as marts
from quality.contracts import CONTRACTS
from quality.validate import load_rules, rule_for_check, validate

TOMORROW = (dt.date.today() + dt.timedelta(days=2)).isoformat()

# One valid row per contract; each case changes only what its rule is about.
RAW_ROWS: dict[str, dict[str, object]] = {
    "FieldSalesSheet": {"company_name": "Müller GmbH", "postcode": "01067", "email": "info@mueller.de",
                        "phone": "0351 123456", "potential_eur": "12.500,00 €", "last_visit": "31.12.2024", "visits_12m": "4"},
    "TradeFairSheet": {"company_name": "Müller GmbH", "last_name": "Lange", "email": "j.lange@mueller.de",
                       "phone": "+49 351 123456", "postcode": "01067", "country": "Deutschland", "contact_date": "2025-03-04"},
    "ServiceVisitSheet": {"company_name": "Müller GmbH", "visit_date": "04.03.2025", "cost_eur": "480,00", "hours": "3,5"},
    "ReferralSheet": {"referrer_name": "Müller GmbH", "referred_company": "Schäfer AG", "referred_postcode": "80331",
                      "referral_date": "2025-01-10"},
    "ChristmasCardSheet": {"company_name": "Hofer KG", "postcode": "1010", "country": "Österreich"},
    "CrmCompany": {"company_id": "41", "company_name": "Müller GmbH", "phone": "+41 44 436 92 45", "postcode": "8001",
                   "country": "Switzerland", "created_at": "2020-11-24T11:23:00Z"},
    "CrmContact": {"contact_id": "52", "last_name": "Lange", "email": "jan.lange@mueller.de", "phone": "+49 3641 34776",
                   "buying_role": "purchaser", "consent_email": "granted", "consent_phone": None, "consent_postal": "withdrawn"},
    "CrmLead": {"lead_id": "63", "created_at": "2024-11-25T08:48:00Z", "mql_at": "2024-11-27", "handed_to_sales_at": "2024-12-01",
                "source_channel": "newsletter", "status": "mql"},
    "CrmDeal": {"deal_id": "74", "stage": "closedwon", "amount": "130600.00", "close_date": "2025-03-09"},
    "CrmActivity": {"activity_id": "85", "activity_type": "visit", "occurred_at": "2025-06-02T09:29:00Z", "team": "sales"},
    "ErpCustomer": {"debtor_no": "100001", "legal_name": "Müller Maschinenbau GmbH", "postcode": "01067", "country": "DE",
                    "vat_id": "DE123456789", "created_on": "2019-01-01"},
    "ErpSalesOrder": {"order_no": "SO1", "debtor_no": "100001", "order_date": "2025-02-01", "channel_code": "FS"},
    "ErpOrderLine": {"order_no": "SO1", "line_no": 1, "product_no": "P1", "quantity": 2.0, "unit_price": 10.0, "discount_pct": 0.0},
    "ErpProduct": {"product_no": "P1", "product_group": "Pumps", "standard_cost": 5.0},
    "ErpInvoice": {"invoice_no": "I1", "doc_type": "INV", "debtor_no": "100001", "invoice_date": "2025-02-03",
                   "net_amount": 20.0, "reference_invoice_no": None},
    "ErpChannelCost": {"period": "2025-02", "channel_code": "WEB", "cost_amount": 1000.0},
    "WebshopOrder": {"shop_order_id": "W1", "ordered_at": "2025-02-01T10:00:00Z", "status": "transferred",
                     "erp_order_no": "SO1", "payment_method": "paypal", "device": "mobile", "basket_net": "99.90"},
}

MART_ROWS: dict[str, dict[str, object]] = {
    "customers": {"customer_key": "CUST-1", "legal_name": "Müller GmbH", "lifecycle_status": "active", "segment": "standard",
                  "email_consent_status": "granted", "first_order_date": "2024-01-05", "last_order_date": "2025-06-01",
                  "orders_total": 7, "orders_12m": 3, "revenue_12m": 1200.0, "source_record_count": 3},
    "contacts": {"contact_key": "PERS-1", "buying_role": "user", "consent_email": "granted", "consent_phone": "unknown",
                 "consent_postal": "withdrawn", "has_any_consent": True},
    "leads": {"lead_key": "L1", "lead_id": "63", "source_channel": "webinar", "status": "handed_to_sales",
              "follow_up_status": "missing", "created_at": "2025-01-01", "handed_to_sales_at": "2025-01-05",
              "first_follow_up_at": None, "days_to_first_follow_up": None, "reached_handover": True, "is_black_hole": True},
    "lead_funnel": {"funnel_key": "F1", "leads": 10, "handed_to_sales": 6, "followed_up": 3, "black_hole_leads": 2,
                    "mql_rate": 0.8, "follow_up_rate": 0.5, "win_rate": 0.1, "black_hole_rate": 0.33},
    "channel_pnl_monthly": {"channel_month_key": "2025-01|FS", "month": "2025-01-01", "channel_code": "FS", "revenue": 1000.0,
                            "credit_notes": 100.0, "net_revenue": 900.0, "cost_of_goods": 400.0, "channel_cost": 200.0,
                            "orders": 4, "customers": 3},
    "customer_channel_preference": {"customer_key": "CUST-1", "orders_total": 4, "channels_used": 2, "preferred_channel_code": "FS",
                                    "channel_switches": 1, "order_share_fs": 0.75, "order_share_web": 0.25},
    "customer_value": {"customer_key": "CUST-1", **{f"{c}_score": 50.0 for c in [
        "revenue", "gross_margin", "contribution", "cost_to_serve", "payment", "reference", "trend", "cross_sell", "repeat_purchase"]},
        "total_score": 50.0, "value_class": "B", "revenue_class": "A", "classes_disagree": True,
        "score_explanation": "Strengths: high revenue."},
    "contact_pressure": {"customer_key": "CUST-1", "touchpoints_30d": 13, "touchpoints_90d": 20,
                         "contact_pressure_limit_30d": 12, "is_over_contacted": True},
    "address_list": {"customer_key": "CUST-1", "company_name": "Müller GmbH", "postcode": "01067", "city": "Dresden",
                     "addressee_type": "contact_person", "contact_name": "Jan Lange", "contact_postal_consent_at": "2024-01-01"},
    "data_quality_loads": {"load_entity_key": "a|crm_leads", "entity": "crm_leads", "owner": "team:marketing-ops",
                           "status": "success", "rows_read": 10, "rows_accepted": 8, "rows_quarantined": 2},
    "webshop_orders_monthly": {"month": "2025-02-01", "shop_orders": 10, "transferred_orders": 8, "cancelled_orders": 2,
                               "transferred_orders_in_erp": 8, "erp_web_orders": 9, "cancellation_rate": 0.2, "mobile_share": 0.4},
    "data_quality_completeness": {"load_column_key": "a|crm_leads|lead_id", "entity": "crm_leads", "completeness": 0.9,
                                  "rows_read": 10, "rows_filled": 9},
}

# (rule, contract, column, bad change, good change): a change is a dict of column values
CASES = [
    ("required", "CrmCompany", "company_name", {"company_name": None}, {"company_name": "Schäfer AG"}),
    ("unique_key", "CrmLead", "lead_id", "duplicate", {}),
    ("postcode_format", "ChristmasCardSheet", "postcode", {"postcode": "10100"}, {"postcode": "1010"}),  # AT: 4 digits
    ("postcode_format", "CrmCompany", "postcode", {"postcode": "60031"}, {"postcode": "8001"}),  # CH: 4 digits
    ("postcode_format", "ErpCustomer", "postcode", {"postcode": "ABCDE"}, {"postcode": "1067"}),  # DE lost its zero
    ("postcode_format", "ReferralSheet", "referred_postcode", {"referred_postcode": "123"}, {"referred_postcode": "12345"}),
    ("country_code", "ChristmasCardSheet", "country", {"country": "Atlantis"}, {"country": "Schweiz"}),
    ("iso_country_code", "ErpCustomer", "country", {"country": "Germany", "vat_id": None}, {"country": "DE"}),
    ("vat_id_format", "ErpCustomer", "vat_id", {"vat_id": "DE12345678"}, {"vat_id": "DE 123 456 789"}),
    ("vat_id_format", "ErpCustomer", "vat_id", {"vat_id": "DE123456789", "country": "AT", "postcode": "1010"},
     {"vat_id": "ATU12345678", "country": "AT", "postcode": "1010"}),
    ("vat_id_format", "ErpCustomer", "vat_id", {"vat_id": "CHE-123.456.78 MWST", "country": "CH", "postcode": "8001"},
     {"vat_id": "CHE-123.456.789 MWST", "country": "CH", "postcode": "8001"}),
    ("phone_format", "CrmCompany", "phone", {"phone": "+41 (0)44 4369245-0"}, {"phone": "044 436 92 45"}),
    ("phone_format", "FieldSalesSheet", "phone", {"phone": "ruft zurück"}, {"phone": "0711/523803-106"}),
    ("email_format", "CrmContact", "email", {"email": "jan.lange(at)mueller"}, {"email": "JAN.LANGE@mueller.de"}),
    ("amount_format", "ServiceVisitSheet", "cost_eur", {"cost_eur": "vierhundert"}, {"cost_eur": "1.234,56 €"}),
    ("optional_amount_format", "FieldSalesSheet", "potential_eur", {"potential_eur": "viel"}, {"potential_eur": "8000"}),
    ("date_format", "CrmActivity", "occurred_at", {"occurred_at": "31.02.2025"}, {"occurred_at": "28.02.2025"}),
    ("optional_date_format", "CrmDeal", "close_date", {"close_date": "bald"}, {"close_date": "2025-03-09"}),
    ("date_not_in_future", "ErpSalesOrder", "order_date", {"order_date": TOMORROW}, {"order_date": "2025-02-01"}),
    ("allowed_values", "CrmContact", "buying_role", {"buying_role": "boss"}, {"buying_role": "Decision_Maker"}),
    ("allowed_values", "CrmLead", "status", {"status": "vanished"}, {"status": "handed_to_sales"}),
    ("allowed_values", "ErpSalesOrder", "channel_code", {"channel_code": "FAX"}, {"channel_code": "EDI"}),
    ("allowed_values", "CrmContact", "consent_postal", {"consent_postal": "maybe"}, {"consent_postal": "granted"}),
    ("non_negative", "ErpOrderLine", "quantity", {"quantity": -1.0}, {"quantity": 0.0}),
    ("credit_note_references_invoice", "ErpInvoice", "reference_invoice_no", {"doc_type": "CRN"},
     {"doc_type": "CRN", "reference_invoice_no": "I0"}),
    ("won_deal_has_close_date", "CrmDeal", "close_date", {"close_date": None}, {"stage": "contractsent", "close_date": None}),
    ("lead_stages_in_order", "CrmLead", None, {"handed_to_sales_at": "2024-11-01"}, {"handed_to_sales_at": "2024-11-28"}),
    ("transferred_order_has_erp_order", "WebshopOrder", "erp_order_no", {"erp_order_no": None},
     {"erp_order_no": None, "status": "cancelled"}),
    ("allowed_values", "WebshopOrder", "device", {"device": "fax"}, {"device": "tablet"}),
    ("period_format", "ErpChannelCost", "period", {"period": "02/2025"}, {"period": "2025-12"}),
    ("wrong_type", "ErpProduct", "standard_cost", {"standard_cost": "teuer"}, {"standard_cost": "5.5"}),
    # mart tables
    ("value_range", "customer_value", "total_score", {"total_score": 100.5}, {"total_score": 100.0}),
    ("value_range", "lead_funnel", "black_hole_rate", {"black_hole_rate": -0.1}, {"black_hole_rate": 0.0}),
    ("dates_in_order", "customers", None, {"last_order_date": "2023-12-31"}, {"last_order_date": "2024-01-05"}),
    ("dates_in_order", "leads", None, {"first_follow_up_at": "2025-01-04", "follow_up_status": "late"},
     {"first_follow_up_at": "2025-01-30", "follow_up_status": "late"}),
    ("lifecycle_consistent", "customers", "lifecycle_status", {"lifecycle_status": "prospect"},
     {"lifecycle_status": "prospect", "orders_total": 0, "orders_12m": 0, "first_order_date": None, "last_order_date": None}),
    ("consent_consistent", "contacts", "has_any_consent", {"has_any_consent": False}, {"consent_email": "withdrawn", "has_any_consent": False}),
    ("black_hole_rule", "leads", "is_black_hole", {"follow_up_status": "pending"}, {"follow_up_status": "pending", "is_black_hole": False}),
    ("funnel_narrows", "lead_funnel", None, {"black_hole_leads": 7}, {"black_hole_leads": 6}),
    ("funnel_narrows", "webshop_orders_monthly", None, {"transferred_orders_in_erp": 9}, {"transferred_orders_in_erp": 7}),
    ("money_adds_up", "channel_pnl_monthly", "net_revenue", {"net_revenue": 1000.0}, {"net_revenue": 900.004}),
    ("shares_add_up", "customer_channel_preference", None, {"order_share_web": 0.5}, {"order_share_web": 0.2500001}),
    ("classes_disagree_flag", "customer_value", "classes_disagree", {"classes_disagree": False}, {"revenue_class": "B", "classes_disagree": False}),
    ("windows_nest", "contact_pressure", "touchpoints_30d", {"touchpoints_90d": 12}, {"touchpoints_90d": 13}),
    ("over_contact_flag", "contact_pressure", "is_over_contacted", {"touchpoints_30d": 12}, {"touchpoints_30d": 12, "is_over_contacted": False}),
    ("consent_respected", "address_list", "contact_name", {"contact_postal_consent_at": None},
     {"contact_postal_consent_at": None, "addressee_type": "company_only", "contact_name": None}),
    ("rows_conserved", "data_quality_loads", None, {"rows_quarantined": 1}, {"status": "failed", "rows_quarantined": 1}),
    ("unique_key", "customers", "customer_key", "duplicate", {}),
    ("required", "address_list", "city", {"city": None}, {"city": "Dresden"}),
    ("allowed_values", "customers", "lifecycle_status", {"lifecycle_status": "sleeping"}, {"lifecycle_status": "lost"}),
]


def _frame(contract_name: str, change: dict[str, object] | str) -> tuple[pd.DataFrame, object, str]:
    if contract_name in RAW_ROWS:
        row = {"_record_key": "r1", "_source_file": "test.xlsx", **RAW_ROWS[contract_name]}
        contract, key = CONTRACTS[contract_name], "_record_key"
    else:
        row = dict(MART_ROWS[contract_name])
        contract = marts.MART_CONTRACTS[contract_name]
        key = marts.key_column(contract)
    if change == "duplicate":
        # the same source key twice (a raw row keeps its own record key)
        second = {**row, "_record_key": "r2"} if key == "_record_key" else dict(row)
        return pd.DataFrame([row, second]), contract, key
    return pd.DataFrame([{**row, **change}]), contract, key


def _hits(result, rule: str, column: str | None) -> pd.DataFrame:
    hits = result.violations[result.violations["rule"] == rule]
    return hits if column is None else hits[hits["column"] == column]


@pytest.mark.parametrize("contract_name", [*RAW_ROWS, *MART_ROWS])
def test_base_rows_are_valid(contract_name):
    frame, contract, key = _frame(contract_name, {})
    result = validate(frame, contract, key)
    assert result.violations.empty and not result.schema_problems, result.violations


@pytest.mark.parametrize(("rule", "contract_name", "column", "bad", "good"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_rule_catches_bad_and_passes_good(rule, contract_name, column, bad, good):
    severity = load_rules()[rule].severity
    frame, contract, key = _frame(contract_name, bad)
    result = validate(frame, contract, key)
    caught = _hits(result, rule, column)
    assert len(caught) >= 1, result.violations
    assert set(caught["severity"]) == {severity}
    assert caught["message"].iloc[0] == load_rules()[rule].message
    if severity == "error" and contract_name in RAW_ROWS:
        # the row that broke an error rule is quarantined with the rule named, not dropped
        assert len(result.quarantined) == 1 and rule in result.quarantined["_rules"].iloc[-1]
        assert result.rows_read == len(frame)
    frame, contract, key = _frame(contract_name, good)
    result = validate(frame, contract, key)
    assert _hits(result, rule, column).empty, result.violations


def test_every_rule_has_a_case():
    assert set(load_rules()) == {case[0] for case in CASES}


def test_every_contract_check_is_a_rule():
    """A check whose name is not in rules.yaml would be an anonymous error for stewards."""
    rules = load_rules()
    unknown = set()
    for contract in [*CONTRACTS.values(), *marts.MART_CONTRACTS.values()]:
        schema = contract.to_schema()
        checks = [*schema.checks, *(c for column in schema.columns.values() for c in column.checks)]
        unknown |= {c.name for c in checks if rule_for_check(c.name, rules).name not in rules}
    assert unknown == set()
