"""A broken source fails its own asset, names file, sheet, column and owner, and costs
neither the other sources nor the data already in the warehouse."""

from __future__ import annotations

import datetime as dt

import dagster as dg
import duckdb
import pytest

from orchestration.extract import build_extract_assets
from orchestration.settings import Settings
from sources.demo.generator import generate
from sources.registry import load_registry
from tests.conftest import write_workbook


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad_input") / "sources"
    generate(root, customers=80, seed=3, as_of=dt.date(2026, 10, 31))
    return root


def test_broken_workbook_fails_only_its_asset(tmp_path, sources):
    settings = Settings(warehouse=tmp_path / "wh.duckdb", sources_dir=sources, as_of_date=None)
    assets = build_extract_assets(load_registry(), settings)
    first = dg.materialize(assets)
    assert first.success
    # freshness is judged by the source's own age: file modification time, or the newest
    # changed_at of an ERP table
    stamps = {
        e.asset_key.path[1]: e.materialization.metadata.get("dagster/last_updated_timestamp")
        for e in first.get_asset_materialization_events()
    }
    mtime = max(p.stat().st_mtime for p in (sources / "excel").glob("Aussendienst_*.xlsx"))
    assert abs(stamps["excel_field_sales"].value - mtime) < 1
    assert stamps["erp_invoices"] is not None and stamps["erp_products"] is None
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        before = con.execute("select count(*) from raw.excel_field_sales").fetchone()[0]
    assert before > 0

    # the field-sales rep renamed the company column of one workbook
    broken = sorted((sources / "excel").glob("Aussendienst_*.xlsx"))[0]
    original = broken.read_bytes()
    try:
        write_workbook(broken, [["Kundenliste"], ["Name der Firma", "PLZ", "Ort"], ["Müller GmbH", "12345", "Berlin"]])
        second = dg.materialize(assets, raise_on_error=False)
    finally:
        broken.write_bytes(original)

    assert not second.success
    failures = [e for e in second.all_events if e.event_type == dg.DagsterEventType.STEP_FAILURE]
    assert [e.step_key for e in failures] == ["raw__excel_field_sales"]
    message = failures[0].step_failure_data.error.message
    for needle in (broken.name, "sheet 'Kunden'", "company_name", "team:field-sales"):
        assert needle in message
    succeeded = {e.asset_key.path[1] for e in second.get_asset_materialization_events()}
    assert "crm_companies" in succeeded and "erp_invoices" in succeeded
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        assert con.execute("select count(*) from raw.excel_field_sales").fetchone()[0] == before
        status, = con.execute(
            "select status from meta.load_log where entity = 'excel_field_sales' order by started_at desc limit 1"
        ).fetchone()
        assert status == "failed"
