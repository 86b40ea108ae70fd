"""PostgreSQL as a serving target, against the live local server: the published mart with
a read-only role for BI, and the dbt models built on PostgreSQL from the same sources."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal

import psycopg
import pytest

from orchestration.settings import DBT_PROJECT_DIR
from serving.postgres import load_dbt_sources, publish_to_postgres
from serving.publish import publish_snapshot

from .postgres_helpers import temporary_database, temporary_role, url
from .test_publish import make_warehouse


def test_the_mart_is_published_to_postgres_with_a_read_only_role(tmp_path):
    snapshot = publish_snapshot(make_warehouse(tmp_path / "warehouse.duckdb", customers=4), tmp_path / "published")
    with temporary_role() as reader, temporary_database("smartdata_publish") as database:
        counts = publish_to_postgres(snapshot.duckdb_path, url(database), reader)
        assert counts == {"contacts": 3, "customers": 4}
        with psycopg.connect(url(database, user=reader)) as bi:
            assert bi.execute("select count(*) from mart.customers").fetchone() == (4,)
            assert bi.execute("select email from mart.contacts where email is not null").fetchall() == [("anna@kunde.de",)]
            with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
                bi.execute("delete from mart.customers")
            bi.rollback()
            bi.execute("set transaction read write")  # even without the read-only default:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                bi.execute("delete from mart.customers")
            bi.rollback()
            bi.execute("set transaction read write")
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                bi.execute("create table mart.mine (x int)")
        # publishing again replaces the mart in one transaction, grants included
        again = publish_snapshot(make_warehouse(tmp_path / "warehouse.duckdb", customers=6), tmp_path / "published")
        publish_to_postgres(again.duckdb_path, url(database), reader)
        with psycopg.connect(url(database, user=reader)) as bi:
            assert bi.execute("select count(*) from mart.customers").fetchone() == (6,)
            schemas = {s for (s,) in bi.execute("select nspname from pg_namespace where nspname like 'mart%'").fetchall()}
            assert schemas == {"mart"}


@pytest.mark.xdist_group("pipeline")
def test_dbt_build_on_postgres_gives_the_same_mart(run, tmp_path):
    _, con, facts, _, settings = run
    with temporary_database("smartdata_dbt") as database:
        loaded = load_dbt_sources(settings.warehouse, url(database))
        assert loaded["raw"]["crm_companies"] == con.execute("select count(*) from raw.crm_companies").fetchone()[0]
        env = {**os.environ, "SMARTDATA_PG_DATABASE": database, "DO_NOT_TRACK": "1"}
        build = subprocess.run(
            [str(os.path.join(os.path.dirname(sys.executable), "dbt")), "build", "--target", "postgres",
             "--profiles-dir", ".", "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs"),
             "--vars", '{"as_of_date": "' + settings.as_of_date + '"}'],
            cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True, timeout=300,
        )
        assert build.returncode == 0, build.stdout[-4000:]
        assert " ERROR=0 " in build.stdout and " SKIP=0 " in build.stdout
        with psycopg.connect(url(database)) as pg:
            tables = [t for (t,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'mart' and table_catalog = 'warehouse' order by 1"
            ).fetchall()]
            for table in tables:
                duck = con.execute(f"select count(*) from mart.{table}").fetchone()[0]
                assert pg.execute(f"select count(*) from mart.{table}").fetchone()[0] == duck, table
            revenue = dict(pg.execute(
                "select to_char(month, 'YYYY-MM'), sum(net_revenue) from mart.channel_pnl_monthly group by 1").fetchall())
            assert revenue == {m: Decimal(v) for m, v in facts["monthly_revenue"].items()}
            for query in [
                "select value_class, revenue_class, count(*) from mart.customer_value group by 1, 2 order by 1, 2",
                "select count(*) filter (where is_black_hole), count(*) from mart.leads",
                "select lifecycle_status, count(*) from mart.customers group by 1 order by 1",
            ]:
                assert [tuple(r) for r in pg.execute(query).fetchall()] == con.execute(query).fetchall(), query
