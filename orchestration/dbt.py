"""dbt models as Dagster assets: one translator for keys, groups and owners; dbt tests
become asset checks."""


import json
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, DbtProject, dbt_assets

from .settings import DBT_PROJECT_DIR, Settings

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
dbt_project.prepare_if_dev()

DEFAULT_OWNER = "team:data-platform"


class SmartDataTranslator(DagsterDbtTranslator):
    """raw sources keep the extract assets' keys (raw/<entity>); models are keyed by their
    schema (staging/..., intermediate/..., mart/...); groups come from the model folder;
    owners from `meta.owner`."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            # raw/<entity> are the extract assets, resolution/<table> the entity-resolution step
            return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])
        schema = dbt_resource_props.get("config", {}).get("schema") or dbt_resource_props.get("schema")
        return dg.AssetKey([schema, dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "dbt"

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> list[str]:
        meta = {**dbt_resource_props.get("config", {}).get("meta", {}), **dbt_resource_props.get("meta", {})}
        owner = meta.get("owner", DEFAULT_OWNER)
        return owner if isinstance(owner, list) else [owner]


translator = SmartDataTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


def dbt_vars(settings: Settings) -> list[str]:
    return ["--vars", json.dumps({"as_of_date": settings.as_of_date})] if settings.as_of_date else []


# Entity resolution (Python) sits between the company records and everything keyed by
# customer, so the dbt graph runs as two assets definitions around it.
BEFORE_RESOLUTION = "+int_company_records +int_person_records"


def _dbt_stage(settings: Settings, name: str, **selection: str) -> dg.AssetsDefinition:
    @dbt_assets(
        manifest=dbt_project.manifest_path,
        project=dbt_project,
        dagster_dbt_translator=translator,
        name=name,
        pool="duckdb_warehouse",
        **selection,
    )
    def _stage(context: dg.AssetExecutionContext, dbt: DbtCliResource):
        # cautious: a test runs only when all the models it reads are in this stage
        yield from dbt.cli(["build", "--indirect-selection", "cautious", *dbt_vars(settings)], context=context).stream()

    return _stage


def build_dbt_assets(settings: Settings) -> list[dg.AssetsDefinition]:
    return [
        _dbt_stage(settings, "dbt_before_resolution", select=BEFORE_RESOLUTION),
        _dbt_stage(settings, "dbt_after_resolution", exclude=BEFORE_RESOLUTION),
    ]
