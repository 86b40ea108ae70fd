"""The `serving/published_mart` asset: after every mart model and its blocking checks
succeeded, publish a read-only snapshot for BI tools (serving/publish.py) and, if
SMARTDATA_PUBLISH_POSTGRES_URL is set, copy it into PostgreSQL (serving/postgres.py)."""


import os
from collections.abc import Sequence
from pathlib import Path

import dagster as dg
from dagster._core.events import DagsterEventType

from .settings import Settings

PUBLISHED_MART = dg.AssetKey(["serving", "published_mart"])


def failed_error_checks(context: dg.AssetExecutionContext) -> list[str]:
    """Checks of severity ERROR that failed in this run (a blocking one already stops this
    step; a failed non-blocking one must not reach BI either)."""
    records = context.instance.get_records_for_run(
        context.run.run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION
    ).records
    failed = []
    for record in records:
        evaluation = record.event_log_entry.dagster_event.event_specific_data
        if not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR:
            failed.append(f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}")
    return sorted(failed)


def build_publish_asset(
    settings: Settings, mart_keys: Sequence[dg.AssetKey], publish_dir: Path | None = None
) -> dg.AssetsDefinition:
    @dg.asset(
        key=PUBLISHED_MART,
        deps=list(mart_keys),
        group_name="serving",
        owners=["team:data-platform"],
        kinds={"duckdb", "parquet", "postgres"},
        description="Read-only snapshot of the schema `mart` for BI tools: `data/published/current/smartdata.duckdb` "
        "(DuckDB 1.x-readable) and Parquet per table, swapped in atomically; optionally schema `mart` in "
        "PostgreSQL (SMARTDATA_PUBLISH_POSTGRES_URL) with a read-only role. A failed or blocked run keeps "
        "the last good snapshot.",
        pool="duckdb_warehouse",  # reads the warehouse: not while another step writes it
    )
    def published_mart(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        failed = failed_error_checks(context)
        if failed:
            raise dg.Failure(
                description=f"Not published, the last good snapshot stays: checks failed in this run: {', '.join(failed)}",
                allow_retries=False,
            )
        from serving.postgres import DEFAULT_READER_ROLE, publish_to_postgres  # step-time import, see extract.py
        from serving.publish import default_publish_dir, publish_snapshot

        target = publish_dir or default_publish_dir()
        snapshot = publish_snapshot(settings.warehouse, target)
        metadata: dict[str, object] = {
            "snapshot": dg.MetadataValue.path(str(target / "current" / "smartdata.duckdb")),
            "snapshot_dir": dg.MetadataValue.path(str(snapshot.directory)),
            "tables": dg.MetadataValue.json(snapshot.tables),
            "dagster/row_count": sum(snapshot.tables.values()),
        }
        postgres_url = os.environ.get("SMARTDATA_PUBLISH_POSTGRES_URL")
        if postgres_url:
            reader = os.environ.get("SMARTDATA_PUBLISH_POSTGRES_READER", DEFAULT_READER_ROLE)
            counts = publish_to_postgres(
                snapshot.duckdb_path, postgres_url, reader, os.environ.get("SMARTDATA_PUBLISH_POSTGRES_READER_PASSWORD")
            )
            metadata["postgres_tables"] = dg.MetadataValue.json(counts)
            metadata["postgres_reader_role"] = reader
        return dg.MaterializeResult(metadata=metadata)

    return published_mart
