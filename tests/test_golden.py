import pandas as pd

from resolution.golden import golden_records

RULES = {
    "legal_name": {"sources": ["erp_customers", "crm_companies", "excel_field_sales"]},
    "billing_address": {"group": ["street", "postcode", "city"], "require": ["street", "postcode"], "sources": ["erp_customers", "crm_companies"]},
    "phone": {"sources": ["crm_companies", "excel_field_sales"]},
}


def test_system_of_record_wins_and_provenance_is_kept():
    records = pd.DataFrame(
        [
            ["K1", "crm_companies", "11", "2025-05-01", "Müller GmbH (CRM)", "Weg 1", "12345", "Berlin", "+4930111"],
            ["K1", "erp_customers", "100001", "2020-01-01", "Müller Maschinenbau GmbH", None, "12345", "Berlin", None],
            ["K1", "excel_field_sales", "A.xlsx:Kunden:5", "2026-01-01", "Mueller", "Hauptstr. 1", "12345", "Berlin", "+4930999"],
            ["K2", "excel_field_sales", "A.xlsx:Kunden:6", None, "Nur Excel KG", "Ring 2", "80331", "München", None],
        ],
        columns=["customer_key", "source_entity", "record_key", "record_date", "legal_name", "street", "postcode", "city", "phone"],
    )
    golden = golden_records(records, RULES).set_index("customer_key")
    assert golden.loc["K1", "legal_name"] == "Müller Maschinenbau GmbH"
    assert golden.loc["K1", "legal_name_source"] == "erp_customers"
    # the ERP address lacks a street, so the whole address block comes from the CRM record
    assert tuple(golden.loc["K1", ["street", "postcode", "city"]]) == ("Weg 1", "12345", "Berlin")
    assert golden.loc["K1", "billing_address_record"] == "11"
    assert golden.loc["K1", "phone"] == "+4930111" and golden.loc["K1", "phone_source"] == "crm_companies"
    assert golden.loc["K2", "legal_name"] == "Nur Excel KG"
    assert pd.isna(golden.loc["K2", "street"])  # Excel is not a source for the billing address


def test_recency_breaks_ties_within_a_source():
    records = pd.DataFrame(
        [
            ["K1", "crm_companies", "1", "2024-01-01", "Old Name GmbH"],
            ["K1", "crm_companies", "2", "2025-01-01", "New Name GmbH"],
        ],
        columns=["customer_key", "source_entity", "record_key", "record_date", "legal_name"],
    )
    golden = golden_records(records, {"legal_name": {"sources": ["crm_companies"]}})
    assert golden.loc[0, "legal_name"] == "New Name GmbH" and golden.loc[0, "legal_name_record"] == "2"
