"""Publishing the mart for BI tools: a read-only snapshot (DuckDB file with only the mart
schema in a format DuckDB 1.x reads, plus Parquet), swapped in atomically, personal data by
serving/privacy.yaml; a failed or blocked run keeps the last good snapshot."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.publish import PUBLISHED_MART, build_publish_asset
from orchestration.settings import Settings
from serving.privacy import PersonalDataError
from serving.publish import PublishError, current_snapshot, publish_snapshot


def make_warehouse(path: Path, customers: int = 3) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema if not exists mart; create schema if not exists raw")
        con.execute("create or replace table raw.crm_contacts as select 'secret' as email")
        con.execute(
            "create or replace table mart.customers as select 'CUST-' || i as customer_key, 'Hauptstr. ' || i as street, "
            "'+49 30 ' || i as phone from range(?) t(i)",
            [customers],
        )
        con.execute(
            """create or replace table mart.contacts as select * from (values
                 ('C1', 'granted', 'denied',  true,  'Anna Berg', 'anna@kunde.de', '+49301'),
                 ('C2', 'denied',  'granted', true,  'Ben Kurz',  'ben@kunde.de',  '+49302'),
                 ('C3', 'unknown', 'unknown', false, 'Cem Ay',    'cem@kunde.de',  '+49303'))
               as t(contact_key, consent_email, consent_phone, has_any_consent, contact_name, email, phone)"""
        )
    return path


def storage_version_number(duckdb_file: Path) -> int:
    header = duckdb_file.read_bytes()[:20]
    assert header[8:12] == b"DUCK"
    return struct.unpack("<Q", header[12:20])[0]


def test_snapshot_has_only_the_mart_in_a_format_duckdb_1_reads(tmp_path):
    warehouse = make_warehouse(tmp_path / "warehouse.duckdb")
    snapshot = publish_snapshot(warehouse, tmp_path / "published")
    current = tmp_path / "published" / "current"
    assert current.is_symlink() and current.resolve() == snapshot.directory
    assert snapshot.tables == {"contacts": 3, "customers": 3}
    # 64 = the storage format of DuckDB 0.10 to 1.1, which every 1.x reader opens
    assert storage_version_number(current / "smartdata.duckdb") == 64
    with duckdb.connect(str(current / "smartdata.duckdb"), read_only=True) as con:
        schemas = con.execute("select distinct table_schema from information_schema.tables").fetchall()
        assert schemas == [("mart",)]  # raw (with e-mail addresses) is not published
        assert con.execute("select count(*) from mart.customers").fetchone()[0] == 3
    parquet = duckdb.sql(f"select count(*) from read_parquet('{current / 'parquet' / 'customers.parquet'}')").fetchall()
    assert parquet == [(3,)]
    manifest = json.loads((current / "manifest.json").read_text())
    assert manifest["tables"] == {"contacts": 3, "customers": 3}
    assert manifest["storage_compatibility_version"] == "v1.0.0"


def test_contact_data_without_consent_is_not_published(tmp_path):
    snapshot = publish_snapshot(make_warehouse(tmp_path / "warehouse.duckdb"), tmp_path / "published")
    with duckdb.connect(str(snapshot.duckdb_path), read_only=True) as con:
        rows = con.execute("select contact_key, contact_name, email, phone from mart.contacts order by 1").fetchall()
    assert rows == [
        ("C1", "Anna Berg", "anna@kunde.de", None),
        ("C2", "Ben Kurz", None, "+49302"),
        ("C3", None, None, None),
    ]
    parquet = duckdb.sql(f"select count(email), count(phone) from read_parquet('{snapshot.parquet_path('contacts')}')").fetchall()
    assert parquet == [(1, 1)]
    # company data that looks personal (the billing street, the switchboard) stays
    with duckdb.connect(str(snapshot.duckdb_path), read_only=True) as con:
        assert con.execute("select count(street), count(phone) from mart.customers").fetchone() == (3, 3)


def test_a_failed_publish_keeps_the_last_good_snapshot(tmp_path):
    warehouse = make_warehouse(tmp_path / "warehouse.duckdb")
    published = tmp_path / "published"
    good = publish_snapshot(warehouse, published)
    with duckdb.connect(str(warehouse)) as con:  # a new mart column with personal data nobody declared
        con.execute("create table mart.lead_contacts as select 'L1' as lead_key, 'x@kunde.de' as contact_email")
    with pytest.raises(PersonalDataError, match=r"mart\.lead_contacts\.contact_email"):
        publish_snapshot(warehouse, published)
    assert current_snapshot(published).directory == good.directory
    assert [p.name for p in (published / "snapshots").iterdir()] == [good.directory.name]  # no half-built leftovers
    with duckdb.connect(str(warehouse)) as con:
        con.execute("drop schema mart cascade")
    with pytest.raises(PublishError, match="no tables in schema mart"):
        publish_snapshot(warehouse, published)
    assert current_snapshot(published).tables == {"contacts": 3, "customers": 3}


def test_old_snapshots_are_pruned(tmp_path):
    warehouse = make_warehouse(tmp_path / "warehouse.duckdb")
    snapshots = [publish_snapshot(warehouse, tmp_path / "published", keep=2) for _ in range(4)]
    kept = sorted(p.name for p in (tmp_path / "published" / "snapshots").iterdir())
    assert kept == [s.directory.name for s in snapshots[-2:]]


def _mart_with_check(passed: bool):
    mart_key = dg.AssetKey(["mart", "customers"])

    @dg.asset(key=mart_key, check_specs=[dg.AssetCheckSpec("not_null_customer_key", asset=mart_key, blocking=True)])
    def customers():
        yield dg.MaterializeResult(check_results=[dg.AssetCheckResult(check_name="not_null_customer_key", passed=passed)])

    return mart_key, customers


@pytest.mark.parametrize("check_passes", [True, False])
def test_publish_runs_only_after_every_blocking_check_passed(tmp_path, check_passes):
    warehouse = make_warehouse(tmp_path / "warehouse.duckdb", customers=5)
    published = tmp_path / "published"
    first = publish_snapshot(make_warehouse(tmp_path / "yesterday.duckdb", customers=2), published)
    mart_key, customers = _mart_with_check(check_passes)
    settings = Settings(warehouse=warehouse, sources_dir=tmp_path, as_of_date=None)
    publish = build_publish_asset(settings, [mart_key], publish_dir=published)
    result = dg.materialize([customers, publish], raise_on_error=False)
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    if check_passes:
        assert result.success and PUBLISHED_MART in materialized
        assert current_snapshot(published).tables["customers"] == 5
    else:
        assert not result.success and PUBLISHED_MART not in materialized
        assert current_snapshot(published).directory == first.directory  # yesterday's mart stays
        assert current_snapshot(published).tables["customers"] == 2


@pytest.mark.xdist_group("pipeline")
def test_the_real_mart_publishes_with_every_table_and_consent_respected(run, tmp_path):
    _, con, _, _, settings = run
    snapshot = publish_snapshot(settings.warehouse, tmp_path / "published")
    expected = dict(con.execute(
        "select table_name, estimated_size from duckdb_tables() where schema_name = 'mart' and database_name = 'warehouse'"
    ).fetchall())
    assert set(snapshot.tables) == set(expected) and len(expected) >= 14
    for table, rows in snapshot.tables.items():
        assert con.execute(f'select count(*) from mart."{table}"').fetchone()[0] == rows, table
    with duckdb.connect(str(snapshot.duckdb_path), read_only=True) as published:
        leaked = published.execute(
            "select count(*) from mart.contacts where (email is not null and consent_email <> 'granted') "
            "or (phone is not null and consent_phone <> 'granted') or (contact_name is not null and not has_any_consent)"
        ).fetchone()[0]
        assert leaked == 0
        assert published.execute("select count(email) from mart.contacts").fetchone()[0] == con.execute(
            "select count(email) from mart.contacts where consent_email = 'granted'").fetchone()[0] > 0
