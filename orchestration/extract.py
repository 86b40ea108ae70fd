"""Extract assets generated from the source registry: one asset per source entity, with
its contract as a blocking asset check."""

import datetime
from typing import TYPE_CHECKING

import dagster as dg
from pydantic import Field

from sources.errors import SourceError
from sources.registry import Registry, SourceEntity, SourceSystem

from .settings import Settings

if TYPE_CHECKING:
    from sources.load import LoadReport

KIND_TAGS = {"excel": "excel", "csv": "csv", "sql": "sql", "hubspot": "hubspot"}


class ExtractConfig(dg.Config):
    """Run config of an extract asset."""

    full_refresh: bool = Field(
        default=False, description="Read an incremental entity whole (replaces raw, finds deleted rows)."
    )

# A source that is briefly unreachable (ERP connection, file share) is retried with backoff;
# a bad file or table (SourceError) is not: retrying cannot fix it.
TRANSIENT_SOURCE_RETRIES = dg.RetryPolicy(max_retries=3, delay=10, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS)


def raw_asset_key(entity_name: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", entity_name])


def _contract_check_result(entity: SourceEntity, report: "LoadReport") -> dg.AssetCheckResult:
    passed = report.error_rate <= entity.max_error_rate
    return dg.AssetCheckResult(
        check_name="contract",
        passed=passed,
        severity=dg.AssetCheckSeverity.ERROR,
        description=(
            f"{report.rows_quarantined} of {report.rows_read} rows quarantined "
            f"({report.error_rate:.1%}; limit {entity.max_error_rate:.0%}). "
            f"Owner {entity.owner}, steward {entity.steward}."
        ),
        metadata={
            "rows_read": report.rows_read,
            "rows_quarantined": report.rows_quarantined,
            "rows_warned": report.rows_warned,
            "error_rate": dg.MetadataValue.float(round(report.error_rate, 4)),
            "max_error_rate": dg.MetadataValue.float(entity.max_error_rate),
            "owner": entity.owner,
            "steward": entity.steward,
            "rule_counts": dg.MetadataValue.md(
                report.rule_counts.to_markdown(index=False) if len(report.rule_counts) else "No violations."
            ),
            "sample_failures": dg.MetadataValue.md(report.failures_markdown),
        },
    )


def _schema_drift_check_result(entity: SourceEntity, report: "LoadReport") -> dg.AssetCheckResult:
    changes = [
        f"{source}: added {', '.join(d['added']) or '-'}; removed {', '.join(d['removed']) or '-'}"
        for source, d in report.schema_drift.items()
    ]
    return dg.AssetCheckResult(
        check_name="schema_drift",
        passed=not changes,
        severity=dg.AssetCheckSeverity.WARN,
        description=(
            "Header unchanged since the last load."
            if not changes
            else "Columns changed since the last load: " + " | ".join(changes) + f". Owner {entity.owner}, steward {entity.steward}."
        ),
        metadata={
            "drift": dg.MetadataValue.json(report.schema_drift),
            "unknown_columns": dg.MetadataValue.json(report.unknown_columns),
            "owner": entity.owner,
            "steward": entity.steward,
        },
    )


def build_extract_asset(
    entity: SourceEntity, system: SourceSystem, settings: Settings, registry: Registry | None = None
) -> dg.AssetsDefinition:
    key = raw_asset_key(entity.name)
    registry_kind = registry.kind_of(entity) if registry else system.kind

    @dg.asset(
        key=key,
        name=None,
        group_name=f"source_{system.name}",
        owners=[entity.owner],
        kinds={KIND_TAGS[registry_kind], "pandas", "duckdb"},
        description=f"{entity.description}\n\nLocation: `{entity.location}`. Contract: `{entity.contract}`. "
        f"Steward: {entity.steward}.",
        metadata={"location": entity.location, "contract": entity.contract, "steward": entity.steward},
        tags={"source_system": system.name},
        check_specs=[
            dg.AssetCheckSpec(
                "contract",
                asset=key,
                blocking=True,
                description=f"Rows breaking error rules of {entity.contract} stay under "
                f"{entity.max_error_rate:.0%} (they are quarantined, never dropped).",
            ),
            dg.AssetCheckSpec(
                "schema_drift",
                asset=key,
                description="The source's columns (and, for SQL, their types) are as at the last load: "
                "a renamed, missing or new column is named here with the owner. A new optional column "
                "still loads (kept in _extra_columns).",
            ),
        ],
        pool="duckdb_warehouse",
        retry_policy=TRANSIENT_SOURCE_RETRIES,
    )
    def extract(context: dg.AssetExecutionContext, config: ExtractConfig) -> dg.MaterializeResult:
        # Imported when the step runs, not when Dagster loads the code location: pandas,
        # DuckDB, pandera and Splink are most of the load time (tests/test_definitions.py).
        from sources.load import load_entity

        try:
            report = load_entity(
                entity.name,
                warehouse=settings.warehouse,
                sources_dir=settings.sources_dir,
                registry=registry,
                load_id=context.run.run_id[:12],
                full_refresh=config.full_refresh,
            )
        except SourceError as exc:
            # Fails this asset only; the raw table keeps the last good load.
            raise dg.Failure(
                description=str(exc), metadata={"owner": entity.owner, "steward": entity.steward}, allow_retries=False
            ) from exc
        metadata: dict[str, object] = {
            "rows_read": report.rows_read,
            "rows_accepted": report.rows_accepted,
            "rows_quarantined": report.rows_quarantined,
            "rows_warned": report.rows_warned,
            "rows_skipped": dg.MetadataValue.json(report.skipped_reasons or {}),
            "dagster/row_count": report.rows_accepted,
            "sources": dg.MetadataValue.md("\n".join(f"- `{loc}`" for loc in report.locations)),
            "quarantine_table": f"quarantine.{entity.name}",
            "owner": entity.owner,
            "steward": entity.steward,
            "extract_mode": f"{report.mode}: {report.mode_reason}",
        }
        if report.watermark is not None:
            metadata["watermark"] = report.watermark
        if report.reconciliation:
            metadata["reconciliation"] = dg.MetadataValue.json(report.reconciliation)
        if report.requests is not None:
            metadata["api_requests"] = report.requests
        if report.source_updated_at is not None:
            # freshness checks judge the source's own age, not when we last read it
            updated = report.source_updated_at
            if updated.tzinfo is None:
                updated = updated.replace(tzinfo=datetime.timezone.utc)
            metadata["dagster/last_updated_timestamp"] = dg.MetadataValue.timestamp(updated)
        if report.unknown_columns:
            metadata["unknown_columns"] = dg.MetadataValue.json(report.unknown_columns)
        if report.preview is not None and len(report.preview):
            metadata["preview"] = dg.MetadataValue.md(report.preview.drop(columns=["_extra_columns"], errors="ignore").to_markdown(index=False))
        return dg.MaterializeResult(
            metadata=metadata,
            check_results=[_contract_check_result(entity, report), _schema_drift_check_result(entity, report)],
        )

    return extract


def build_extract_assets(registry: Registry, settings: Settings) -> list[dg.AssetsDefinition]:
    return [build_extract_asset(e, registry.system_of(e), settings, registry) for e in registry.entities.values()]


def build_source_freshness_checks(registry: Registry) -> list[dg.AssetChecksDefinition]:
    """One freshness check per source entity, with the registry's expected update interval."""
    by_interval: dict[int, list[dg.AssetKey]] = {}
    for entity in registry.entities.values():
        by_interval.setdefault(registry.expected_update_hours(entity), []).append(raw_asset_key(entity.name))
    return [
        check
        for hours, keys in sorted(by_interval.items())
        for check in dg.build_last_update_freshness_checks(
            assets=keys, lower_bound_delta=datetime.timedelta(hours=hours), severity=dg.AssetCheckSeverity.WARN
        )
    ]
