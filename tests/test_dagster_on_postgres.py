"""The team setup from the README: Dagster's run, event-log and schedule storage in
PostgreSQL (dagster-postgres), against the live local server."""

from __future__ import annotations

import dagster as dg
import psycopg
import yaml

from .postgres_helpers import temporary_database, url


def test_a_dagster_instance_on_postgres_records_runs_and_materializations(tmp_path, monkeypatch):
    with temporary_database("smartdata_dagster") as database:
        # the storage block as the README shows it; the URL names the psycopg2 driver, which
        # dagster-postgres is written for (SQLAlchemy 2.1 would otherwise pick psycopg 3)
        monkeypatch.setenv("DAGSTER_PG_URL", f"postgresql+psycopg2://postgres@127.0.0.1:5432/{database}")
        (tmp_path / "dagster.yaml").write_text(yaml.safe_dump({
            "storage": {"postgres": {"postgres_url": {"env": "DAGSTER_PG_URL"}}},
            "telemetry": {"enabled": False},
        }))
        instance = dg.DagsterInstance.from_config(str(tmp_path))
        try:
            @dg.asset(owners=["team:data-platform"])
            def heartbeat() -> int:
                return 42

            result = dg.materialize([heartbeat], instance=instance)
            assert result.success
            assert instance.get_run_by_id(result.run_id).is_success
            assert instance.get_latest_materialization_event(dg.AssetKey("heartbeat")).run_id == result.run_id
        finally:
            instance.dispose()
        with psycopg.connect(url(database)) as pg:
            assert pg.execute("select status from runs where run_id = %s", [result.run_id]).fetchone() == ("SUCCESS",)
            assert pg.execute(
                "select count(*) from event_logs where run_id = %s and dagster_event_type = 'ASSET_MATERIALIZATION'",
                [result.run_id],
            ).fetchone() == (1,)
