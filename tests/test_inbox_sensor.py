"""The Excel inbox sensor: a new, changed or removed workbook starts one run of its extract
and everything downstream, once per change."""

from __future__ import annotations

import os

import dagster as dg
import pytest

from orchestration.definitions import defs
from orchestration.sensors import build_inbox_sensor
from orchestration.settings import Settings
from sources.inbox import scan_inbox
from sources.registry import load_registry

from .conftest import write_workbook

FIELD_SALES = ["Firma", "PLZ", "Ort"]


@pytest.fixture
def inbox(tmp_path):
    sources = tmp_path / "sources"
    write_workbook(sources / "excel" / "Aussendienst_Nord.xlsx", [FIELD_SALES, ["Müller GmbH", "01067", "Dresden"]])
    write_workbook(sources / "excel" / "Messe_Hannover.xlsx", [["Unternehmen", "Nachname"], ["Schäfer AG", "Meier"]])
    (sources / "crm").mkdir()
    (sources / "crm" / "companies.csv").write_text("Record ID,Company name\n1,Müller GmbH\n", encoding="utf-8")
    settings = Settings(warehouse=tmp_path / "warehouse.duckdb", sources_dir=sources, as_of_date=None)
    return sources, build_inbox_sensor(load_registry(), settings)


def evaluate(sensor, cursor):
    context = dg.build_sensor_context(cursor=cursor, repository_def=defs.get_repository_def())
    return sensor.evaluate_tick(context)


def selected(result) -> set[str]:
    assert len(result.run_requests) == 1
    return {key.to_user_string() for key in result.run_requests[0].asset_selection}


def test_a_changed_workbook_triggers_its_extract_and_everything_downstream_once(inbox):
    sources, sensor = inbox
    first = evaluate(sensor, None)
    assert first.run_requests == [] and first.cursor  # the inbox as it was is recorded, not run
    assert evaluate(sensor, first.cursor).run_requests == []

    write_workbook(sources / "excel" / "Aussendienst_Nord.xlsx", [FIELD_SALES, ["Müller GmbH", "01069", "Dresden"]])
    changed = evaluate(sensor, first.cursor)
    assets = selected(changed)
    assert {"raw/excel_field_sales", "staging/stg_excel__field_sales", "resolution/record_customer_keys",
            "mart/customers", "serving/published_mart"} <= assets
    assert not any(a.startswith("raw/") and a != "raw/excel_field_sales" for a in assets)
    assert changed.run_requests[0].tags["smartdata/changed"] == "excel_field_sales"
    assert sensor.job_name == "inbox_refresh"
    # the same state again: no second run
    assert evaluate(sensor, changed.cursor).run_requests == []


def test_touching_without_change_is_no_change_but_new_and_removed_files_are(inbox):
    sources, sensor = inbox
    cursor = evaluate(sensor, None).cursor
    workbook = sources / "excel" / "Aussendienst_Nord.xlsx"
    os.utime(workbook, ns=(workbook.stat().st_atime_ns, workbook.stat().st_mtime_ns + 5_000_000_000))
    touched = evaluate(sensor, cursor)
    assert touched.run_requests == []

    write_workbook(sources / "excel" / "Aussendienst_Sued.xlsx", [FIELD_SALES, ["Bauer KG", "80331", "München"]])
    (sources / "excel" / "Messe_Hannover.xlsx").unlink()
    result = evaluate(sensor, touched.cursor)
    assert result.run_requests[0].tags["smartdata/changed"] == "excel_field_sales,excel_trade_fair"
    assert {"raw/excel_field_sales", "raw/excel_trade_fair"} <= selected(result)


def test_a_changed_crm_export_is_in_the_inbox_too(inbox, registry):
    sources, _ = inbox
    before = scan_inbox(sources, registry, {})
    (sources / "crm" / "companies.csv").write_text("Record ID,Company name\n1,Müller GmbH & Co. KG\n", encoding="utf-8")
    after = scan_inbox(sources, registry, before.files)
    assert after.changed_entities == ["crm_companies"]
    assert set(before.files) == {"excel/Aussendienst_Nord.xlsx", "excel/Messe_Hannover.xlsx", "crm/companies.csv"}


def test_the_sensors_and_the_schedule_run_by_default():
    sensors = {s.name: s for s in defs.sensors}
    assert {"excel_inbox_sensor", "notify_owners_on_run_failure", "freshness_checks_sensor"} <= set(sensors)
    assert all(s.default_status == dg.DefaultSensorStatus.RUNNING for s in sensors.values())
    assert [s.default_status for s in defs.schedules] == [dg.DefaultScheduleStatus.RUNNING]
