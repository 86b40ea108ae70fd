"""The ERP connector against real PostgreSQL (127.0.0.1:5432) and MariaDB (127.0.0.1:3306)
servers: the demo ERP tables are copied into a database created for the test and dropped after.
These tests fail, not skip, when a server is unreachable (.ci/ensure-services starts them)."""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid

import dagster as dg
import duckdb
import pandas as pd
import pytest
import sqlalchemy as sa

from orchestration.extract import build_extract_assets
from orchestration.settings import Settings
from sources import readers
from sources.demo.generator import generate
from sources.errors import SourceError
from sources.load import load_entity
from sources.registry import load_registry
from tests.conftest import AS_OF

SERVERS = {
    "postgresql": ("postgresql+psycopg://postgres@127.0.0.1:5432/postgres", "postgresql+psycopg://postgres@127.0.0.1:5432/{db}"),
    "mariadb": ("mysql+pymysql://root@127.0.0.1:3306/", "mysql+pymysql://root@127.0.0.1:3306/{db}?charset=utf8mb4"),
}
ERP = [e.name for e in load_registry().entities_of("erp")]
INCREMENTAL = ["erp_sales_orders", "erp_order_lines", "erp_invoices"]


@pytest.fixture(scope="module")
def erp_export(tmp_path_factory):
    sources = tmp_path_factory.mktemp("erp_export")
    generate(sources, customers=60, seed=9, as_of=AS_OF)
    return sources


def _server_type(column_type: sa.types.TypeEngine, is_key: bool) -> sa.types.TypeEngine:
    """SQLite's declared types as a real ERP database would have them."""
    name = type(column_type).__name__.upper()
    if "INT" in name:
        return sa.Integer()
    if "NUMERIC" in name or "DECIMAL" in name or "REAL" in name or "FLOAT" in name:
        return sa.Numeric(18, 4)
    return sa.String(64) if is_key else sa.String(255)


def copy_erp(sqlite_path, url: str) -> None:
    source = sa.create_engine(f"sqlite:///{sqlite_path}")
    target = sa.create_engine(url)
    metadata = sa.MetaData()
    metadata.reflect(source)
    copied = sa.MetaData()
    for table in metadata.sorted_tables:
        sa.Table(table.name, copied, *[
            sa.Column(c.name, _server_type(c.type, c.primary_key), primary_key=c.primary_key, nullable=c.nullable)
            for c in table.columns
        ])
    copied.create_all(target)
    with source.connect() as src, target.begin() as dst:
        for table in metadata.sorted_tables:
            rows = [dict(r._mapping) for r in src.execute(sa.select(table))]
            for start in range(0, len(rows), 5000):
                dst.execute(copied.tables[table.name].insert(), rows[start:start + 5000])
    source.dispose()
    target.dispose()


@pytest.fixture(scope="module", params=sorted(SERVERS))
def server(request, erp_export):
    """A fresh database on the server holding a copy of the demo ERP; dropped afterwards."""
    admin_url, url_template = SERVERS[request.param]
    db = f"smartdata_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
    with admin.connect() as con:  # fails (does not skip) when the server is down
        con.execute(sa.text(f"create database {db}"))
    url = url_template.format(db=db)
    try:
        copy_erp(erp_export / "erp" / "erp.sqlite", url)
        yield request.param, url
    finally:
        with admin.connect() as con:
            if request.param == "postgresql":
                con.execute(sa.text(f"drop database {db} with (force)"))
            else:
                con.execute(sa.text(f"drop database {db}"))
        admin.dispose()


def raw(warehouse, entity):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(f'select * exclude (_load_id, _loaded_at) from raw."{entity}" order by _record_key').df()


def execute(url: str, sql: str, **params) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as con:
        con.execute(sa.text(sql), params)
    engine.dispose()


def test_erp_from_the_server_loads_exactly_as_from_sqlite(server, erp_export, tmp_path, monkeypatch):
    name, url = server
    monkeypatch.setattr(readers, "SQL_CHUNK_ROWS", 500)  # several chunks per big table
    sqlite_url = f"sqlite:///{erp_export / 'erp' / 'erp.sqlite'}"
    for entity in ERP:
        monkeypatch.setenv("SMARTDATA_ERP_URL", sqlite_url)
        a = load_entity(entity, warehouse=tmp_path / "sqlite.duckdb", sources_dir=erp_export)
        monkeypatch.setenv("SMARTDATA_ERP_URL", url)
        b = load_entity(entity, warehouse=tmp_path / f"{name}.duckdb", sources_dir=erp_export)
        assert (b.rows_read, b.rows_accepted, b.rows_quarantined) == (a.rows_read, a.rows_accepted, a.rows_quarantined)
        assert b.rows_read > 0 and b.locations[0].startswith(url.split("://")[0])
        expected, got = raw(tmp_path / "sqlite.duckdb", entity), raw(tmp_path / f"{name}.duckdb", entity)
        got["_source_file"] = expected["_source_file"]
        pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    lines = raw(tmp_path / f"{name}.duckdb", "erp_order_lines")
    assert len(lines) > 500 and lines["unit_price"].dtype == float  # streamed in chunks, DECIMAL as float


def test_incremental_reads_only_changed_rows_and_reconciliation_finds_deletes(server, erp_export, tmp_path, monkeypatch):
    name, url = server
    monkeypatch.setenv("SMARTDATA_ERP_URL", url)
    wh = tmp_path / "wh.duckdb"
    first = {e: load_entity(e, warehouse=wh, sources_dir=erp_export) for e in INCREMENTAL}
    assert {r.mode for r in first.values()} == {"full"}
    orders = raw(wh, "erp_sales_orders")
    changed_orders = orders["order_no"].iloc[:2].tolist()
    stamp = "2026-11-02 10:00:00"
    try:
        for order_no in changed_orders:
            execute(url, "update sales_order set channel_code = 'EDI', changed_at = :s where order_no = :o", s=stamp, o=order_no)
            execute(url, "update sales_order_line set quantity = quantity + 1, changed_at = :s where order_no = :o and line_no = 10",
                    s=stamp, o=order_no)
        execute(url, "insert into invoice (invoice_no, doc_type, order_no, debtor_no, invoice_date, due_date, net_amount, changed_at) "
                     "values ('RE-NEW-1', 'INV', :o, :d, '2026-11-02', '2026-12-02', 123.45, :s)",
                o=changed_orders[0], d=orders["debtor_no"].iloc[0], s=stamp)

        second = {e: load_entity(e, warehouse=wh, sources_dir=erp_export) for e in INCREMENTAL}
        assert {e: (r.mode, r.rows_read) for e, r in second.items()} == {
            "erp_sales_orders": ("incremental", 2), "erp_order_lines": ("incremental", 2), "erp_invoices": ("incremental", 1)}
        assert second["erp_sales_orders"].since == first["erp_sales_orders"].watermark
        after = raw(wh, "erp_sales_orders").set_index("order_no")
        assert len(after) == len(orders) and (after.loc[changed_orders, "channel_code"] == "EDI").all()
        assert len(raw(wh, "erp_invoices")) == first["erp_invoices"].rows_accepted + 1
        assert second["erp_invoices"].watermark.startswith("2026-11-02")
        assert [load_entity(e, warehouse=wh, sources_dir=erp_export).rows_read for e in INCREMENTAL] == [0, 0, 0]

        # rows deleted, or changed without a new changed_at, show up in the periodic full reconciliation
        execute(url, "delete from invoice where invoice_no = 'RE-NEW-1'")
        execute(url, "update sales_order set sales_rep = 'someone.else@example.com' where order_no = :o", o=changed_orders[1])
        assert load_entity("erp_sales_orders", warehouse=wh, sources_dir=erp_export).rows_read == 0  # invisible to incremental
        with duckdb.connect(str(wh)) as con:
            con.execute("update meta.extract_watermarks set last_full_load_at = last_full_load_at - interval 8 day")
        orders_full = load_entity("erp_sales_orders", warehouse=wh, sources_dir=erp_export)
        invoices_full = load_entity("erp_invoices", warehouse=wh, sources_dir=erp_export)
        assert orders_full.mode == "full" and "every 7 days" in orders_full.mode_reason
        assert orders_full.reconciliation == {"rows_deleted": 0, "rows_changed": 1, "rows_new": 0}
        assert invoices_full.reconciliation == {"rows_deleted": 1, "rows_changed": 0, "rows_new": 0}
        assert "RE-NEW-1" not in set(raw(wh, "erp_invoices")["invoice_no"])
        assert raw(wh, "erp_sales_orders").set_index("order_no").at[changed_orders[1], "sales_rep"] == "someone.else@example.com"
    finally:  # the module's database is shared by the tests after this one
        execute(url, "delete from invoice where invoice_no = 'RE-NEW-1'")


def test_keys_repeated_across_chunks_are_quarantined(tmp_path, monkeypatch):
    db = tmp_path / "erp.sqlite"
    with sqlite3.connect(db) as con:  # no primary key: the same product twice, far apart
        con.execute("create table product (product_no text, product_name text, product_group text, standard_cost numeric)")
        con.executemany("insert into product values (?, ?, 'ANTRIEB', 10)", [(f"P{i:03d}", f"Teil {i}") for i in range(10)])
        con.execute("insert into product values ('P001', 'Teil 1 again', 'ANTRIEB', 11)")
    monkeypatch.setenv("SMARTDATA_ERP_URL", f"sqlite:///{db}")
    monkeypatch.setattr(readers, "SQL_CHUNK_ROWS", 4)
    chunks = list(readers.iter_sql(load_registry().entities["erp_products"], f"sqlite:///{db}"))
    assert [len(c.frame) for c in chunks] == [4, 4, 3]
    report = load_entity("erp_products", warehouse=tmp_path / "wh.duckdb", sources_dir=tmp_path)
    assert (report.rows_read, report.rows_accepted, report.rows_quarantined) == (11, 10, 1)
    with duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True) as con:
        assert con.execute("select record_key, rules from quarantine.erp_products").fetchall() == [("P001", "unique_key")]


BROKEN = {
    "postgresql": ("postgresql+psycopg://postgres:s3cret-pw@127.0.0.1:1/erp", "connection"),  # nothing listens
    "mariadb": ("mysql+pymysql://root:s3cret-pw@127.0.0.1:3306/test", "Access denied"),  # wrong password
}


@pytest.mark.parametrize("server_name", sorted(BROKEN))
def test_unreachable_erp_fails_only_the_erp_assets_and_keeps_raw(server_name, erp_export, tmp_path, monkeypatch):
    settings = Settings(warehouse=tmp_path / "wh.duckdb", sources_dir=erp_export, as_of_date=AS_OF.isoformat())
    registry = load_registry()
    assets = [a for a in build_extract_assets(registry, settings) if a.key.path[-1] in (*ERP, "crm_companies")]
    monkeypatch.setenv("SMARTDATA_ERP_URL", f"sqlite:///{erp_export / 'erp' / 'erp.sqlite'}")
    assert dg.materialize(assets).success
    before = {e: raw(settings.warehouse, e) for e in ERP}

    bad_url, expected = BROKEN[server_name]
    monkeypatch.setenv("SMARTDATA_ERP_URL", bad_url)
    with pytest.raises(SourceError) as failure:
        load_entity("erp_sales_orders", warehouse=settings.warehouse, sources_dir=erp_export)
    message = str(failure.value)
    assert message.startswith("[erp_sales_orders] database error") and expected in message
    assert "owner team:sales-operations" in message and "table sales_order" in message
    assert "s3cret-pw" not in message and "***" in message

    result = dg.materialize(assets, raise_on_error=False)
    failed = {e.step_key.split("__")[-1] for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_FAILURE}
    assert failed == set(ERP)
    assert {m.asset_key.path[-1] for m in result.get_asset_materialization_events()} == {"crm_companies"}
    for entity in ERP:
        pd.testing.assert_frame_equal(raw(settings.warehouse, entity), before[entity])
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        failures = con.execute("select entity, owner, message from meta.load_log where status = 'failed'").fetchall()
    assert {f[0] for f in failures} == set(ERP)
    assert all(f[2].startswith(f"[{f[0]}] database error") and "s3cret-pw" not in f[2] for f in failures)


def test_watermark_survives_only_successful_loads(erp_export, tmp_path, monkeypatch):
    monkeypatch.setenv("SMARTDATA_ERP_URL", f"sqlite:///{erp_export / 'erp' / 'erp.sqlite'}")
    wh = tmp_path / "wh.duckdb"
    report = load_entity("erp_invoices", warehouse=wh, sources_dir=erp_export)
    monkeypatch.setenv("SMARTDATA_ERP_URL", "mysql+pymysql://root:x@127.0.0.1:1/erp")
    with pytest.raises(SourceError):
        load_entity("erp_invoices", warehouse=wh, sources_dir=erp_export, full_refresh=True)
    with duckdb.connect(str(wh), read_only=True) as con:
        mark, mode, load_id = con.execute(
            "select watermark, last_mode, load_id from meta.extract_watermarks where entity = 'erp_invoices'").fetchone()
    assert (mark, mode, load_id) == (report.watermark, "full", report.load_id)
    assert dt.datetime.fromisoformat(mark) <= dt.datetime.combine(AS_OF, dt.time(23, 59, 59))
