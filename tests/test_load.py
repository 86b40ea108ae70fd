"""Validation, quarantine and the transactional raw load."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from quality.validate import validate
from sources.errors import SourceError
from sources.load import load_entity
from tests.conftest import write_workbook


def test_quarantine_keeps_every_row_with_rule_and_reason(tmp_path, registry, field_sales_rows):
    sources = tmp_path / "sources"
    write_workbook(sources / "excel" / "Aussendienst_Nord.xlsx", field_sales_rows)
    warehouse = tmp_path / "wh.duckdb"
    report = load_entity("excel_field_sales", warehouse=warehouse, sources_dir=sources, registry=registry)

    assert (report.rows_read, report.rows_accepted, report.rows_quarantined) == (3, 2, 1)
    assert report.rows_read == report.rows_accepted + report.rows_quarantined
    assert report.rows_warned == 1  # "kein-mail" breaks the warn rule email_format, still loads
    with duckdb.connect(str(warehouse)) as con:
        raw = con.execute("select company_name, email from raw.excel_field_sales order by _source_row").fetchall()
        assert raw == [("Müller Maschinenbau GmbH", "info@mueller.de"), ("Schäfer Antriebstechnik AG", "kein-mail")]
        rules, reason, row, record = con.execute(
            "select rules, reason, source_row, record from quarantine.excel_field_sales"
        ).fetchone()
        assert rules == "required" and row == 7
        assert "company_name" in reason
        assert '"city":"Berlin"' in record  # the whole row is kept
        log = con.execute(
            "select rows_read, rows_accepted, rows_quarantined, owner, status from meta.load_log"
        ).fetchone()
        assert log == (3, 2, 1, "team:field-sales", "success")
        counts = dict(
            con.execute("select rule || ':' || severity, rows from meta.rule_violations").fetchall()
        )
        assert counts == {"required:error": 1, "email_format:warn": 1}


def test_a_row_fixed_at_the_source_leaves_quarantine_and_history_stays(tmp_path, registry, field_sales_rows):
    sources = tmp_path / "sources"
    path = write_workbook(sources / "excel" / "Aussendienst_Nord.xlsx", field_sales_rows)
    warehouse = tmp_path / "wh.duckdb"
    first = load_entity("excel_field_sales", warehouse=warehouse, sources_dir=sources, registry=registry, load_id="load1")
    with duckdb.connect(str(warehouse)) as con:
        assert con.execute("select source_row, rules from quarantine.excel_field_sales_open").fetchall() == [(7, "required")]

    field_sales_rows[6][0] = "Berliner Armaturen GmbH"  # the rep fills in the missing company name
    write_workbook(path, field_sales_rows)
    second = load_entity("excel_field_sales", warehouse=warehouse, sources_dir=sources, registry=registry, load_id="load2")

    assert (first.rows_quarantined, second.rows_quarantined, second.rows_accepted) == (1, 0, 3)
    with duckdb.connect(str(warehouse)) as con:
        assert con.execute("select count(*) from quarantine.excel_field_sales_open").fetchone()[0] == 0
        history = con.execute("select load_id, source_row from quarantine.excel_field_sales").fetchall()
        assert history == [("load1", 7)]
        fixed = con.execute("select city from raw.excel_field_sales where company_name = 'Berliner Armaturen GmbH'").fetchall()
        assert fixed == [("Berlin",)]
        completeness = dict(con.execute(
            "select load_id, rows_filled from meta.field_completeness where column_name = 'company_name'"
        ).fetchall())
        assert completeness == {"load1": 2, "load2": 3}
        key_fields = con.execute(
            "select column_name from meta.field_completeness where load_id = 'load2' and is_key_field"
        ).fetchall()
        assert key_fields == [("company_name",)]


def test_failed_load_keeps_previous_raw_table(tmp_path, registry, field_sales_rows):
    sources = tmp_path / "sources"
    path = write_workbook(sources / "excel" / "Aussendienst_Nord.xlsx", field_sales_rows)
    warehouse = tmp_path / "wh.duckdb"
    load_entity("excel_field_sales", warehouse=warehouse, sources_dir=sources, registry=registry)
    write_workbook(path, [["Straße", "PLZ"], ["Weg 1", "12345"]])  # the owner broke the layout
    with pytest.raises(SourceError, match="company_name"):
        load_entity("excel_field_sales", warehouse=warehouse, sources_dir=sources, registry=registry)
    with duckdb.connect(str(warehouse)) as con:
        assert con.execute("select count(*) from raw.excel_field_sales").fetchone()[0] == 2
        status, message = con.execute(
            "select status, message from meta.load_log order by started_at desc limit 1"
        ).fetchone()
        assert status == "failed" and "team:field-sales" in message
        # the load's scratch tables are gone after a failure too
        assert con.execute("select count(*) from duckdb_tables() where table_name like '\\_stage\\_%' escape '\\'").fetchone()[0] == 0


def test_unique_key_quarantines_repeats_only():
    frame = pd.DataFrame(
        {
            "_record_key": ["1", "1", "2"],
            "_source_file": "companies.csv",
            "company_id": ["1", "1", "2"],
            "company_name": ["A GmbH", "A GmbH (dup)", "B AG"],
            "postcode": ["12345", "12345", "ABCDE"],
            "created_at": [None, None, "2025-01-01"],
        },
        dtype=object,
    )
    result = validate(frame, "CrmCompany")
    assert list(result.accepted["company_name"]) == ["A GmbH", "B AG"]
    assert list(result.quarantined["_rules"]) == ["unique_key"]
    assert result.rows_warned == 1  # ABCDE is a warn-level postcode problem


def test_erp_types_and_cross_field_rules():
    invoices = pd.DataFrame(
        {
            "_record_key": ["I1", "C1", "C2"],
            "_source_file": "invoice",
            "invoice_no": ["I1", "C1", "C2"],
            "doc_type": ["INV", "CRN", "CRN"],
            "debtor_no": ["100001"] * 3,
            "invoice_date": ["2025-01-01", "2025-01-05", "2025-01-06"],
            "net_amount": [100.0, 20.0, 10.0],
            "reference_invoice_no": [None, "I1", None],
        }
    )
    result = validate(invoices, "ErpInvoice")
    assert list(result.accepted["invoice_no"]) == ["I1", "C1"]
    assert result.quarantined.iloc[0]["_rules"] == "credit_note_references_invoice"


def test_schema_drift_is_reported_and_a_new_column_still_loads(tmp_path, registry, field_sales_rows):
    sources = tmp_path / "sources"
    path = write_workbook(sources / "excel" / "Aussendienst_Nord.xlsx", field_sales_rows)
    warehouse = tmp_path / "wh.duckdb"
    first = load_entity("excel_field_sales", warehouse=warehouse, sources_dir=sources, registry=registry)
    assert first.schema_drift == {}
    # the rep renamed "Umsatzpotenzial" and added a column
    rows = [list(r) for r in field_sales_rows]
    rows[3] = [("Potenzial in Euro" if c == "Umsatzpotenzial" else c) for c in rows[3]] + ["Branche"]
    rows[4] = rows[4] + ["Maschinenbau"]
    write_workbook(path, rows)
    second = load_entity("excel_field_sales", warehouse=warehouse, sources_dir=sources, registry=registry)
    assert second.schema_drift == {
        "Aussendienst_Nord.xlsx": {"added": ["Branche", "Potenzial in Euro"], "removed": ["Umsatzpotenzial"]}
    }
    assert second.rows_accepted == first.rows_accepted  # the load itself still succeeds
    with duckdb.connect(str(warehouse)) as con:
        extra = con.execute(
            "select _extra_columns from raw.excel_field_sales where _source_row = 5"
        ).fetchone()[0]
    assert "Maschinenbau" in extra and "12.500,00" in extra  # nothing lost


def test_unchanged_files_are_not_read_again_and_keep_their_verdict(tmp_path, registry, field_sales_rows):
    sources = tmp_path / "sources"
    path = write_workbook(sources / "excel" / "Aussendienst_Nord.xlsx", field_sales_rows)
    warehouse = tmp_path / "wh.duckdb"

    def load(load_id: str, **options):
        return load_entity("excel_field_sales", warehouse=warehouse, sources_dir=sources, registry=registry,
                           load_id=load_id, **options)

    first = load("load1")
    path.touch()  # saved again without a change: same content, same fingerprint
    second = load("load2")
    assert (first.mode, second.mode) == ("full", "unchanged")
    assert "load1" in second.mode_reason
    # the same counts as the load it repeats, so the contract check gives the same verdict
    assert (second.rows_read, second.rows_accepted, second.rows_quarantined, second.rows_warned) == (3, 2, 1, 1)
    assert set(second.rule_counts["rule"]) == {"required", "email_format"}
    assert second.source_updated_at is not None
    with duckdb.connect(str(warehouse)) as con:
        assert con.execute("select load_id from meta.load_log").fetchall() == [("load1",)]  # nothing read, nothing logged
        assert con.execute("select source_row from quarantine.excel_field_sales_open").fetchall() == [(7,)]

    assert load("load3", full_refresh=True).mode == "full"  # asked for: read anyway
    field_sales_rows[6][0] = "Berliner Armaturen GmbH"
    write_workbook(path, field_sales_rows)
    changed = load("load4")
    assert (changed.mode, changed.rows_accepted, changed.rows_quarantined) == ("full", 3, 0)
    with duckdb.connect(str(warehouse)) as con:
        assert [r[0] for r in con.execute("select load_id from meta.load_log order by started_at").fetchall()] == [
            "load1", "load3", "load4"]
        assert con.execute("select count(*) from raw.excel_field_sales").fetchone()[0] == 3
