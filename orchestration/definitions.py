"""The code location Dagster loads (workspace.yaml)."""


import os

import dagster as dg
from dagster_dbt import DbtCliResource

from sources.registry import load_registry

from .dbt import build_dbt_assets, dbt_project
from .extract import build_extract_assets, build_source_freshness_checks
from .publish import build_publish_asset
from .quality_checks import build_mart_contract_checks
from .resolution import build_resolution_assets
from .sensors import build_inbox_sensor, build_mart_freshness_checks, inbox_refresh, notify_owners_on_run_failure
from .settings import Settings

settings = Settings.from_env()
os.environ.setdefault("SMARTDATA_WAREHOUSE", str(settings.warehouse))  # the dbt profile reads it

extract_assets = build_extract_assets(load_registry(), settings)
source_freshness_checks = build_source_freshness_checks(load_registry())
dbt_models = build_dbt_assets(settings)
mart_contract_checks = build_mart_contract_checks(dbt_models, settings)
resolution_assets = build_resolution_assets(settings)
mart_keys = sorted((k for stage in dbt_models for k in stage.keys if k.path[0] == "mart"), key=str)
mart_freshness_checks = build_mart_freshness_checks(mart_keys)
freshness_sensor = dg.build_sensor_for_freshness_checks(
    freshness_checks=[*source_freshness_checks, *mart_freshness_checks], default_status=dg.DefaultSensorStatus.RUNNING
)
published_mart = build_publish_asset(settings, mart_keys)
inbox_sensor = build_inbox_sensor(load_registry(), settings)

# meta.load_log, meta.rule_violations and meta.field_completeness are written by every
# extract asset as a side effect; they appear in the graph as external assets feeding the
# data-quality marts.
load_bookkeeping = [
    dg.AssetSpec(
        ["meta", table],
        description=f"meta.{table}: written by every extract asset (sources/load.py).",
        group_name="data_quality",
        owners=["team:data-platform"],
        kinds={"duckdb"},
    )
    for table in ("load_log", "rule_violations", "field_completeness")
]

nightly_refresh = dg.define_asset_job(
    "nightly_refresh",
    selection=dg.AssetSelection.all(),
    description="Full refresh: extract every source, validate, and rebuild the mart with dbt.",
)

nightly_schedule = dg.ScheduleDefinition(
    name="nightly_refresh_0200_berlin",
    job=nightly_refresh,
    cron_schedule="0 2 * * *",
    execution_timezone="Europe/Berlin",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)

defs = dg.Definitions(
    assets=[*extract_assets, *dbt_models, resolution_assets, *load_bookkeeping, published_mart],
    jobs=[nightly_refresh, inbox_refresh],
    schedules=[nightly_schedule],
    asset_checks=[*source_freshness_checks, *mart_contract_checks, *mart_freshness_checks],
    sensors=[freshness_sensor, inbox_sensor, notify_owners_on_run_failure],
    resources={"dbt": DbtCliResource(project_dir=dbt_project)},
    # DuckDB allows one writing process per file: run every step in one process, in order.
    executor=dg.in_process_executor,
)
