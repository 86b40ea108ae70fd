"""The entity-resolution step as Dagster assets: resolution/record_customer_keys and
resolution/golden_customers, with the steward's view in metadata."""

from pathlib import Path
from typing import TYPE_CHECKING

import dagster as dg
from pydantic import Field

from .settings import Settings

if TYPE_CHECKING:
    import pandas as pd

RECORD_KEYS = dg.AssetKey(["resolution", "record_customer_keys"])
GOLDEN = dg.AssetKey(["resolution", "golden_customers"])
SOURCE_COUNTS = dg.AssetKey(["resolution", "match_run_sources"])
COMPANY_RECORDS = dg.AssetKey(["intermediate", "int_company_records"])
REVIEW_ROWS = 25


def _markdown(frame: "pd.DataFrame") -> str:
    return frame.to_markdown(index=False) if len(frame) else "None."


class ResolutionConfig(dg.Config):
    """Run config of the entity-resolution step."""

    full_rematch: bool = Field(
        default=False,
        description="Train the Splink model again and score every pair, even when few records changed "
        "(otherwise done every full_rematch_days, see resolution/config.yaml).",
    )


def build_resolution_assets(settings: Settings) -> dg.AssetsDefinition:
    @dg.multi_asset(
        specs=[
            dg.AssetSpec(
                RECORD_KEYS,
                deps=[COMPANY_RECORDS],
                group_name="entity_resolution",
                owners=["team:data-platform"],
                kinds={"splink", "duckdb"},
                description="Every company record of every source with its stable customer key and how it was "
                "linked (deterministic rule, Splink probability, steward decision, or its own record); "
                "also writes resolution.person_keys (people matched within their customer).",
            ),
            dg.AssetSpec(
                GOLDEN,
                deps=[COMPANY_RECORDS],
                group_name="entity_resolution",
                owners=["team:data-platform"],
                kinds={"python", "duckdb"},
                description="One golden record per customer: each attribute from its system of record "
                "(quality/survivorship.yaml) with its source and record.",
            ),
            dg.AssetSpec(
                SOURCE_COUNTS,
                deps=[COMPANY_RECORDS],
                group_name="entity_resolution",
                owners=["team:data-platform"],
                kinds={"duckdb"},
                description="Append-only, per run and source entity: records, the customers they resolve to and "
                "the duplicates merged within the source (feeds the data-quality mart).",
            ),
        ],
        check_specs=[
            dg.AssetCheckSpec(
                "every_record_has_a_customer",
                asset=RECORD_KEYS,
                blocking=True,
                description="No company record is left without a customer key.",
            )
        ],
        pool="duckdb_warehouse",
    )
    def entity_resolution(context: dg.AssetExecutionContext, config: ResolutionConfig):
        # step-time imports (pandas, DuckDB, Splink), see orchestration/extract.py
        from resolution.normalise import config as resolution_settings
        from resolution.pipeline import DECISIONS_PATH, run_resolution

        thresholds = resolution_settings()["matching"]
        truth = settings.sources_dir / "_truth" / "records.csv"
        report = run_resolution(
            settings.warehouse,
            run_id=context.run.run_id[:12],
            truth_path=truth if truth.exists() else None,
            decisions_path=Path(DECISIONS_PATH),
            full_rematch=config.full_rematch,
        )
        review = report.review_pairs.head(REVIEW_ROWS)[
            ["record_id_l", "name_l", "postcode_l", "record_id_r", "name_r", "postcode_r", "match_probability"]
        ]
        metadata = {
            "records": report.records,
            "customers": report.customers,
            "records_per_source": dg.MetadataValue.json(report.records_per_source),
            "merged_records_per_source": dg.MetadataValue.json(report.merged_records_per_source),
            "link_rules": dg.MetadataValue.json(report.link_rules),
            "key_events": dg.MetadataValue.json(report.key_events),
            "records_without_name": report.records_without_name,
            "matching_mode": f"{report.matching_mode}: {report.matching_reason}",
            "records_rescored": report.records_rescored,
            "person_records": report.person_records,
            "persons": report.persons,
            "review_pairs": len(report.review_pairs),
            "review_pairs_table": dg.MetadataValue.md(
                f"Pairs with match probability between {thresholds['review_threshold']} and "
                f"{thresholds['match_threshold']} (not merged). Force a decision in "
                f"`quality/steward_decisions.csv` (record ids as shown).\n\n" + _markdown(review)
            ),
        }
        if report.splink_score and report.baseline_score:
            metadata["f1"] = dg.MetadataValue.float(round(report.splink_score.f1, 4))
            metadata["precision"] = dg.MetadataValue.float(round(report.splink_score.precision, 4))
            metadata["recall"] = dg.MetadataValue.float(round(report.splink_score.recall, 4))
            metadata["baseline_exact_name_postcode_f1"] = dg.MetadataValue.float(round(report.baseline_score.f1, 4))
        if report.person_score:
            metadata["person_f1"] = dg.MetadataValue.float(round(report.person_score.f1, 4))
        yield dg.MaterializeResult(asset_key=RECORD_KEYS, metadata=metadata)
        yield dg.MaterializeResult(asset_key=GOLDEN, metadata={"dagster/row_count": report.customers})
        yield dg.MaterializeResult(
            asset_key=SOURCE_COUNTS,
            metadata={"duplicates_merged_per_source": dg.MetadataValue.json(report.duplicates_merged_per_source)},
        )
        yield dg.AssetCheckResult(
            asset_key=RECORD_KEYS,
            check_name="every_record_has_a_customer",
            passed=report.records == sum(report.records_per_source.values()),
            metadata={"records": report.records, "customers": report.customers},
        )

    return entity_resolution
