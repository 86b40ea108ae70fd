from __future__ import annotations

import datetime as dt
import json
import sqlite3

import duckdb
import pytest

from sources.errors import SourceError
from sources.readers import cell_to_text, read_csv, read_entity, read_excel, read_sql
from tests.conftest import write_workbook


def test_cell_to_text_keeps_information():
    assert cell_to_text(1067.0) == "1067"
    assert cell_to_text(12500.5) == "12500.5"
    assert cell_to_text(dt.datetime(2025, 3, 4)) == "2025-03-04"
    assert cell_to_text(dt.datetime(2025, 3, 4, 9, 30)) == "2025-03-04 09:30:00"
    assert cell_to_text("") is None
    assert cell_to_text("  Müller  ") == "  Müller  "  # trimming is staging's job


def test_excel_header_below_title_rows_and_totals_skipped(tmp_path, registry, field_sales_rows):
    path = write_workbook(tmp_path / "Aussendienst_Nord.xlsx", field_sales_rows)
    extract = read_excel(registry.entities["excel_field_sales"], path)
    frame = extract.frame
    assert list(frame["company_name"]) == ["Müller Maschinenbau GmbH", "Schäfer Antriebstechnik AG", None]
    assert list(frame["_source_row"]) == [5, 6, 7]
    assert frame.loc[0, "_record_key"] == "Aussendienst_Nord.xlsx:Kunden:5"
    assert frame.loc[0, "postcode"] == "1067"
    assert frame.loc[0, "potential_eur"] == "12.500,00 €"
    assert frame.loc[1, "potential_eur"] == "8000"
    assert frame.loc[1, "last_visit"] == "2025-03-04"
    assert frame.loc[0, "debtor_no"] == "100001"
    # an unknown column is kept, not lost
    assert json.loads(frame.loc[0, "_extra_columns"]) == {"Lieblingsfarbe": "blau"}
    assert extract.unknown_columns == {"Aussendienst_Nord.xlsx": ["Lieblingsfarbe"]}
    assert extract.skipped_reasons == {"blank row": 1, "totals row": 1}


def test_excel_other_layout_maps_to_same_columns(tmp_path, registry):
    rows = [
        ["Kunden Süd"],
        ["Kunde", "Strasse", "Postleitzahl", "Stadt", "Mail", "Potenzial EUR", "Besuch am"],
        ["Weiß & Söhne KG", "Ringstr. 1", "70173", "Stuttgart", "a@weiss.de", "1.000 €", "01.02.2025"],
    ]
    path = write_workbook(tmp_path / "Aussendienst_Sued.xlsx", rows)
    frame = read_excel(registry.entities["excel_field_sales"], path).frame
    assert frame.loc[0, "company_name"] == "Weiß & Söhne KG"
    assert frame.loc[0, "city"] == "Stuttgart"
    assert frame.loc[0, "last_visit"] == "01.02.2025"
    assert frame.loc[0, "_source_row"] == 3


def test_missing_required_column_names_file_sheet_column_and_owner(tmp_path, registry):
    path = write_workbook(tmp_path / "Aussendienst_X.xlsx", [["Straße", "PLZ", "Ort"], ["Weg 1", "12345", "Berlin"]])
    with pytest.raises(SourceError) as info:
        read_excel(registry.entities["excel_field_sales"], path)
    message = str(info.value)
    assert "Aussendienst_X.xlsx" in message and "'Kunden'" in message
    assert "company_name" in message and "Firma" in message
    assert "team:field-sales" in message
    assert info.value.column == "company_name"


def test_empty_sheet_and_unreadable_file_fail_clearly(tmp_path, registry):
    entity = registry.entities["excel_field_sales"]
    empty = write_workbook(tmp_path / "Aussendienst_Leer.xlsx", [])
    with pytest.raises(SourceError, match="sheet is empty.*Aussendienst_Leer.xlsx.*team:field-sales"):
        read_excel(entity, empty)
    broken = tmp_path / "Aussendienst_Kaputt.xlsx"
    broken.write_bytes(b"this is not a zip file")
    with pytest.raises(SourceError, match="cannot open workbook.*Aussendienst_Kaputt.xlsx.*team:field-sales"):
        read_excel(entity, broken)


def test_no_matching_file_is_an_error(tmp_path, registry):
    with pytest.raises(SourceError, match="no file matches"):
        read_entity(registry, registry.entities["excel_referrals"], tmp_path)


def test_csv_export_maps_hubspot_headers(tmp_path, registry):
    path = tmp_path / "companies.csv"
    path.write_text(
        "Record ID,Company name,Postal Code,City,Create Date,Extra Property\n"
        "11,Müller GmbH,01067,Dresden,2025-01-02T10:00:00Z,x\n"
        "12,,80331,München,,\n",
        encoding="utf-8",
    )
    extract = read_csv(registry.entities["crm_companies"], path)
    frame = extract.frame
    assert list(frame["company_id"]) == ["11", "12"]
    assert frame.loc[0, "postcode"] == "01067"  # text stays text: the leading zero survives
    assert frame.loc[1, "company_name"] is None
    assert list(frame["_source_row"]) == [2, 3]
    assert frame.loc[1, "domain"] is None  # a registered column the export lacks is null
    assert extract.unknown_columns == {"companies.csv": ["Extra Property"]}


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
def test_csv_from_windows_tools_keeps_umlauts(tmp_path, registry, encoding):
    path = tmp_path / "companies.csv"
    path.write_bytes("Record ID,Company name,City\n11,Müller Straßenbau GmbH,München\n".encode(encoding))
    frame = read_csv(registry.entities["crm_companies"], path).frame
    assert (frame.loc[0, "company_id"], frame.loc[0, "company_name"], frame.loc[0, "city"]) == (
        "11", "Müller Straßenbau GmbH", "München"
    )


def test_csv_missing_required_column(tmp_path, registry):
    path = tmp_path / "companies.csv"
    path.write_text("Record ID,City\n1,Berlin\n", encoding="utf-8")
    with pytest.raises(SourceError, match="company_name.*companies.csv.*team:marketing-ops"):
        read_csv(registry.entities["crm_companies"], path)


def test_sql_reader_and_missing_table(tmp_path, registry):
    db = tmp_path / "erp.sqlite"
    with sqlite3.connect(db) as con:
        con.execute("create table product (product_no text, product_name text, product_group text, standard_cost numeric)")
        con.execute("insert into product values ('P1', 'Motor', 'ANTRIEB', 12.5)")
    extract = read_sql(registry.entities["erp_products"], f"sqlite:///{db}")
    assert extract.frame.loc[0, "standard_cost"] == 12.5
    assert extract.frame.loc[0, "_record_key"] == "P1"
    with pytest.raises(SourceError, match="table not found.*customer_master.*team:finance"):
        read_sql(registry.entities["erp_customers"], f"sqlite:///{db}")


def test_a_large_csv_loads_in_chunks_like_in_one_piece(tmp_path, registry, monkeypatch):
    """Big exports are validated and written chunk by chunk; the load is the same as in one
    piece: rows and row numbers kept, a key repeated in a later chunk still quarantined,
    a cp1252 character far into the file still decoded."""
    from sources import readers
    from sources.load import load_entity

    csv_extract = readers._csv_extract

    sources = tmp_path / "sources"
    (sources / "crm").mkdir(parents=True)
    rows = [f"{i},Firma {i} GmbH,Berlin" for i in range(1, 8)] + ["3,Firma 3 GmbH,Berlin", "9,Müller GmbH,Köln"]
    (sources / "crm" / "companies.csv").write_bytes(("Record ID,Company name,City\n" + "\n".join(rows) + "\n").encode("cp1252"))
    chunks = list(readers.iter_csv(registry.entities["crm_companies"], sources / "crm" / "companies.csv", chunk_rows=4))
    assert [len(c.frame) for c in chunks] == [4, 4, 1]
    assert list(chunks[2].frame["_source_row"]) == [10]

    monkeypatch.setattr(readers, "CSV_CHUNK_ROWS", 4)
    seen_chunks = []
    monkeypatch.setattr(readers, "_csv_extract", lambda *args: seen_chunks.append(len(args[2])) or csv_extract(*args))
    report = load_entity("crm_companies", warehouse=tmp_path / "wh.duckdb", sources_dir=sources, registry=registry)
    assert seen_chunks == [4, 4, 1]
    assert (report.rows_read, report.rows_accepted, report.rows_quarantined) == (9, 8, 1)
    with duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True) as con:
        assert con.execute("select source_row, rules from quarantine.crm_companies").fetchall() == [(9, "unique_key")]
        assert con.execute("select city from raw.crm_companies where company_id = '9'").fetchone() == ("Köln",)
