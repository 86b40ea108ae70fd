"""Sensors and freshness checks of the code location: the Excel inbox sensor, owner alerts
for failed runs and the mart's freshness. The logic lives in sources/inbox.py and
alerting/notify.py; this module only wires it into Dagster."""


import datetime
import hashlib
import json
from collections.abc import Sequence

import dagster as dg
from dagster._core.events import DagsterEventType

from alerting.notify import FailedAsset, OwnerAlert, SmtpSettings, deliver
from sources.inbox import scan_inbox
from sources.registry import Registry

from .extract import raw_asset_key
from .settings import Settings

INBOX_SENSOR = "excel_inbox_sensor"
FAILURE_SENSOR = "notify_owners_on_run_failure"
# The mart is rebuilt every night; older than this means the nightly run did not publish.
MART_MAX_AGE = datetime.timedelta(hours=26)

inbox_refresh = dg.define_asset_job(
    "inbox_refresh",
    selection=dg.AssetSelection.all(),
    description="Started by the inbox sensor: the changed sources' extracts and everything downstream.",
)


def build_inbox_sensor(registry: Registry, settings: Settings) -> dg.SensorDefinition:
    """A new, changed or removed file of a file source starts one run of that source's
    extract and everything downstream. The cursor keeps every file's mtime, size and
    SHA-256, so each change triggers once. The first evaluation only records the inbox
    (the nightly run covers what was there before)."""

    @dg.sensor(
        name=INBOX_SENSOR,
        job=inbox_refresh,
        minimum_interval_seconds=60,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Watches the Excel workbooks and CRM exports under SMARTDATA_SOURCES_DIR.",
    )
    def excel_inbox_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
        previous = json.loads(context.cursor) if context.cursor else None
        scan = scan_inbox(settings.sources_dir, registry, previous or {})
        cursor = json.dumps(scan.files, sort_keys=True)
        if previous is None:
            return dg.SensorResult(skip_reason=f"Recorded {len(scan.files)} files in the inbox.", cursor=cursor)
        if not scan.changed_entities:
            return dg.SensorResult(skip_reason="No workbook changed.", cursor=cursor)
        if context.repository_def is None:
            raise dg.DagsterInvariantViolationError("the inbox sensor needs the code location's asset graph")
        changed = [raw_asset_key(name) for name in scan.changed_entities]
        selection = dg.AssetSelection.assets(*changed).downstream().resolve(context.repository_def.asset_graph)
        run_key = hashlib.sha256(cursor.encode()).hexdigest()[:16]  # the inbox state: one run per state
        context.log.info(f"changed: {', '.join(scan.changed_entities)}")
        return dg.SensorResult(
            run_requests=[
                dg.RunRequest(
                    run_key=run_key,
                    asset_selection=sorted(selection, key=lambda k: k.to_user_string()),
                    tags={"smartdata/trigger": "inbox", "smartdata/changed": ",".join(scan.changed_entities)[:200]},
                )
            ],
            cursor=cursor,
        )

    return excel_inbox_sensor


def _failure_message(failure) -> str:
    if failure.user_failure_data and failure.user_failure_data.description:
        return failure.user_failure_data.description  # dg.Failure: the message written for people
    return failure.error.message.strip() if failure.error else ""


def failed_assets_of_run(context: dg.RunFailureSensorContext) -> list[FailedAsset]:
    """Assets of the failed steps that were not materialized or failed a check, with their
    owners from the asset specs."""
    run_id = context.dagster_run.run_id
    errors = {event.step_key: _failure_message(event.event_specific_data) for event in context.get_step_failure_events()}
    if not errors or context.repository_def is None:
        return []
    instance = context.instance
    materialized = {
        r.event_log_entry.dagster_event.asset_key
        for r in instance.get_records_for_run(run_id, of_type=DagsterEventType.ASSET_MATERIALIZATION).records
    }
    failed_checks = {
        r.event_log_entry.dagster_event.event_specific_data.asset_key
        for r in instance.get_records_for_run(run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION).records
        if not r.event_log_entry.dagster_event.event_specific_data.passed
    }
    selected = context.dagster_run.asset_selection
    graph = context.repository_def.asset_graph
    failed: list[FailedAsset] = []
    for assets_def in graph.assets_defs:
        if not assets_def.is_executable or assets_def.node_def.name not in errors:
            continue
        keys = [k for k in assets_def.keys if not selected or k in selected]
        broken = [k for k in keys if k not in materialized or k in failed_checks] or keys
        for key in sorted(broken, key=lambda k: k.to_user_string()):
            failed.append(
                FailedAsset(
                    asset=key.to_user_string(),
                    owners=list(graph.get(key).owners) or ["team:data-platform"],
                    error=errors[assets_def.node_def.name][:2000],
                )
            )
    return failed


@dg.run_failure_sensor(
    name=FAILURE_SENSOR,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Tells the owners of the failed assets (e-mail via SMARTDATA_SMTP_*, else data/alerts.log).",
)
def notify_owners_on_run_failure(context: dg.RunFailureSensorContext) -> None:
    alert = OwnerAlert(
        run_id=context.dagster_run.run_id,
        job_name=context.dagster_run.job_name,
        failed_assets=failed_assets_of_run(context),
        run_error=context.failure_event.message or "",
    )
    channel = deliver(alert, SmtpSettings.from_env())
    context.log.info(f"alert for {', '.join(alert.owners) or 'the data platform'} sent by {channel}")


def build_mart_freshness_checks(mart_keys: Sequence[dg.AssetKey]) -> Sequence[dg.AssetChecksDefinition]:
    """Each mart table was rebuilt within the last 26 hours (the nightly run plus slack)."""
    return dg.build_last_update_freshness_checks(
        assets=list(mart_keys), lower_bound_delta=MART_MAX_AGE, severity=dg.AssetCheckSeverity.WARN
    )
