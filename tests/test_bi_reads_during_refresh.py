"""A BI client (another process, through SQLAlchemy: the duckdb_engine dialect Superset
uses, and psycopg for PostgreSQL) reads the published mart while refreshes write the
warehouse and publish new snapshots: it never sees a lock error or a half-built table."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb

from serving.postgres import publish_to_postgres
from serving.publish import publish_snapshot

from .postgres_helpers import temporary_database, temporary_role, url

GENERATIONS = 6

# Each refresh writes generation g: customers has 100 g + 50 rows, contacts 10 g rows, and
# every row carries g. A reader that sees other counts, or two generations, saw a half-built
# or mixed mart.
BI_CLIENT = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    import sqlalchemy as sa
    from sqlalchemy.pool import NullPool

    duckdb_file, postgres_url, stop_file, out = sys.argv[1:]
    engines = {
        "duckdb": sa.create_engine(f"duckdb:///{duckdb_file}", connect_args={"read_only": True}, poolclass=NullPool),
        "postgres": sa.create_engine(postgres_url, poolclass=NullPool),
    }
    QUERY = sa.text(
        "select (select min(generation) from mart.customers), (select max(generation) from mart.customers),"
        " (select count(*) from mart.customers), (select min(generation) from mart.contacts),"
        " (select count(*) from mart.contacts)"
    )
    report = {name: {"reads": 0, "generations": [], "errors": [], "inconsistent": []} for name in engines}
    while not Path(stop_file).exists():
        for name, engine in engines.items():
            try:
                with engine.connect() as connection:  # a new connection each time, like a dashboard refresh
                    low, high, customers, contacts_generation, contacts = connection.execute(QUERY).one()
            except Exception as exc:
                report[name]["errors"].append(f"{type(exc).__name__}: {exc}"[:300])
                continue
            report[name]["reads"] += 1
            if not (low == high == contacts_generation and customers == 100 * low + 50 and contacts == 10 * low):
                report[name]["inconsistent"].append([low, high, customers, contacts_generation, contacts])
            if low not in report[name]["generations"]:
                report[name]["generations"].append(low)
    Path(out).write_text(json.dumps(report))
    """
)


def refresh(warehouse: Path, generation: int) -> None:
    """A refresh holds the warehouse's write lock while it rebuilds the mart."""
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema if not exists mart")
        con.execute(
            "create or replace table mart.customers as select ? as generation, 'CUST-' || i as customer_key "
            "from range(?) t(i)",
            [generation, 100 * generation + 50],
        )
        time.sleep(0.2)  # readers keep reading the snapshot meanwhile
        con.execute(
            "create or replace table mart.contacts as select ? as generation, 'C' || i as contact_key, "
            "'granted' as consent_email, 'denied' as consent_phone, true as has_any_consent, "
            "'N' || i as contact_name, 'c' || i || '@kunde.de' as email, null as phone from range(?) t(i)",
            [generation, 10 * generation],
        )


def test_bi_clients_read_the_published_mart_during_refreshes(tmp_path):
    warehouse, published = tmp_path / "warehouse.duckdb", tmp_path / "published"
    with temporary_role() as reader, temporary_database("smartdata_bi") as database:
        refresh(warehouse, 1)
        publish_to_postgres(publish_snapshot(warehouse, published).duckdb_path, url(database), reader)
        stop, out = tmp_path / "stop", tmp_path / "report.json"
        script = tmp_path / "bi_client.py"
        script.write_text(BI_CLIENT)
        client = subprocess.Popen(
            [sys.executable, str(script), str(published / "current" / "smartdata.duckdb"),
             url(database, user=reader).replace("postgresql://", "postgresql+psycopg://"), str(stop), str(out)]
        )
        try:
            time.sleep(2)  # the client is up and reading generation 1
            for generation in range(2, GENERATIONS + 1):
                refresh(warehouse, generation)
                snapshot = publish_snapshot(warehouse, published)
                publish_to_postgres(snapshot.duckdb_path, url(database), reader)
                time.sleep(0.3)
        finally:
            stop.touch()
            client.wait(timeout=60)
    report = json.loads(out.read_text())
    for name in ("duckdb", "postgres"):
        assert report[name]["errors"] == [], (name, report[name]["errors"][:3])
        assert report[name]["inconsistent"] == [], (name, report[name]["inconsistent"][:3])
        assert report[name]["reads"] >= 20, report[name]
        # it read across several refreshes, ending with the last one
        assert len(report[name]["generations"]) >= 3 and report[name]["generations"][-1] == GENERATIONS, report[name]
