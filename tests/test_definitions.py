"""The code location as a steward sees it: every asset owned, grouped and checked."""

from __future__ import annotations

import os
import subprocess
import sys

import dagster as dg
import pytest

from orchestration.definitions import defs, nightly_schedule
from sources.registry import PROJECT_ROOT, load_registry


@pytest.fixture(scope="module")
def asset_graph():
    return defs.get_repository_def().asset_graph


def test_every_registered_entity_is_an_asset_with_owner_and_contract_check(asset_graph):
    registry = load_registry()
    check_keys = {key for key in asset_graph.asset_check_keys}
    for entity in registry.entities.values():
        key = dg.AssetKey(["raw", entity.name])
        node = asset_graph.get(key)
        assert node.owners == [entity.owner]
        assert node.group_name == f"source_{entity.system}"
        assert dg.AssetCheckKey(key, "contract") in check_keys


def test_dbt_graph_is_continuous_from_raw_to_mart(asset_graph):
    keys = {k.to_user_string() for k in asset_graph.get_all_asset_keys()}
    marts = {k for k in keys if k.startswith("mart/")}
    assert {"mart/customers", "mart/leads", "mart/customer_value", "mart/channel_pnl_monthly"} <= marts
    # every staging model depends on a raw extract asset, not on a dangling external asset
    for key in keys:
        if key.startswith("staging/"):
            parents = {p.to_user_string() for p in asset_graph.get(dg.AssetKey(key.split("/"))).parent_keys}
            assert parents and all(p.startswith(("raw/", "reference/")) for p in parents), (key, parents)
            assert all(asset_graph.get(dg.AssetKey(p.split("/"))).is_materializable for p in parents)


def test_every_dbt_model_has_an_owner_and_group(asset_graph):
    for key in asset_graph.get_all_asset_keys():
        node = asset_graph.get(key)
        if key.path[0] in {"staging", "intermediate", "mart"}:
            assert node.owners, key
            assert node.group_name in {"staging", "intermediate", "marts"}, (key, node.group_name)
        if key.path[0] == "mart":
            assert node.owners != ["team:data-platform"] or key.path[1].startswith("int_"), key


def test_dbt_tests_are_asset_checks(asset_graph):
    mart_checks = [c for c in asset_graph.asset_check_keys if c.asset_key.path[0] == "mart"]
    assert len(mart_checks) >= 10


def test_nightly_schedule_runs_by_default():
    assert nightly_schedule.cron_schedule == "0 2 * * *"
    assert nightly_schedule.execution_timezone == "Europe/Berlin"
    assert nightly_schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    assert nightly_schedule.job_name == "nightly_refresh"


def test_entity_resolution_sits_between_the_dbt_stages(asset_graph):
    keys = dg.AssetKey
    resolution = asset_graph.get(keys(["resolution", "record_customer_keys"]))
    assert resolution.parent_keys == {keys(["intermediate", "int_company_records"])}
    assert resolution.owners == ["team:data-platform"]
    crosswalk = asset_graph.get(keys(["intermediate", "int_customer_crosswalk"]))
    assert keys(["resolution", "record_customer_keys"]) in crosswalk.parent_keys
    customers = asset_graph.get(keys(["mart", "customers"]))
    assert keys(["resolution", "golden_customers"]) in customers.parent_keys


def test_every_source_has_a_freshness_check_and_the_sensor_runs(asset_graph):
    from orchestration.definitions import freshness_sensor

    registry = load_registry()
    freshness = {k.asset_key for k in asset_graph.asset_check_keys if k.name == "freshness_check" and k.asset_key.path[0] == "raw"}
    assert freshness == {dg.AssetKey(["raw", name]) for name in registry.entities}
    assert freshness_sensor.default_status == dg.DefaultSensorStatus.RUNNING
    assert registry.expected_update_hours(registry.entities["crm_leads"]) == 26
    assert registry.expected_update_hours(registry.entities["excel_christmas_cards"]) == 8784


def test_every_mart_table_has_a_blocking_pandera_contract_check(asset_graph):
    from orchestration.quality_checks import CHECK_NAME

    marts = {key for key in asset_graph.get_all_asset_keys() if key.path[0] == "mart"}
    checked = {c.asset_key for c in asset_graph.asset_check_keys if c.name == CHECK_NAME}
    assert marts and checked == marts
    assert all(asset_graph.get_check_spec(dg.AssetCheckKey(key, CHECK_NAME)).blocking for key in marts)


def test_every_mart_table_has_a_contract():
    """The check factory does not import pandera at load time, so this is where a mart
    table without a contract in quality/mart_contracts.py is caught."""
    from orchestration.definitions import dbt_models
    from orchestration.quality_checks import mart_tables_by_key
    from quality.mart_contracts import MART_CONTRACTS

    tables = {table for table, _ in mart_tables_by_key(dbt_models).values()}
    assert len(tables) >= 18
    assert sorted(tables - set(MART_CONTRACTS)) == []


def test_loading_the_code_location_imports_no_data_libraries():
    """Dagster loads the code location in every webserver, daemon and run process: pandas,
    DuckDB, pandera, Splink and the database drivers are imported by the steps that use
    them (loading in under 5 s is measured by `make bench`)."""
    code = (
        "import sys, orchestration.definitions as d; assert d.defs; "
        "print(','.join(sorted(m for m in ('pandas', 'duckdb', 'pandera', 'splink', 'sqlalchemy', 'psycopg', "
        "'phonenumbers', 'numpy') if m in sys.modules)))"
    )
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    loaded = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == ""


def test_every_mart_model_is_documented_owned_and_keyed():
    """A BI user finds a description, an owner and a primary-key test on every mart model,
    and a description on every column (persist_docs writes them as comments)."""
    import json

    from orchestration.dbt import dbt_project

    manifest = json.loads(dbt_project.manifest_path.read_text())
    models = {
        uid: node for uid, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["fqn"][1] == "marts"
    }
    keyed = {
        node["attached_node"] for node in manifest["nodes"].values()
        if node["resource_type"] == "test" and node.get("test_metadata", {}).get("name") == "unique"
    }
    problems = []
    for uid, node in models.items():
        if not node["description"].strip():
            problems.append(f"{node['name']}: no description")
        if not node["config"].get("meta", {}).get("owner"):
            problems.append(f"{node['name']}: no owner")
        if uid not in keyed:
            problems.append(f"{node['name']}: no primary-key (unique) test")
        problems += [f"{node['name']}.{c}: no description" for c, col in node["columns"].items() if not col["description"].strip()]
    assert len(models) >= 15 and problems == []


def test_marts_have_freshness_checks_and_publish_waits_for_every_mart(asset_graph):
    marts = {k for k in asset_graph.get_all_asset_keys() if k.path[0] == "mart"}
    fresh = {k.asset_key for k in asset_graph.asset_check_keys if k.name == "freshness_check" and k.asset_key.path[0] == "mart"}
    assert fresh == marts
    publish = asset_graph.get(dg.AssetKey(["serving", "published_mart"]))
    assert publish.parent_keys == marts
    assert publish.pools == {"duckdb_warehouse"}  # reads the warehouse: never while a step writes it
    assert publish.owners == ["team:data-platform"]


def test_extracts_retry_transient_failures(asset_graph):
    extract = asset_graph.get(dg.AssetKey(["raw", "erp_customers"])).assets_def
    policy = extract.op.retry_policy
    assert policy.max_retries == 3 and policy.backoff == dg.Backoff.EXPONENTIAL


def test_the_instance_retries_crashed_runs_once_and_limits_the_warehouse_pool(tmp_path):
    import shutil

    from sources.registry import PROJECT_ROOT

    shutil.copy(PROJECT_ROOT / "dagster.yaml", tmp_path / "dagster.yaml")
    instance = dg.DagsterInstance.from_config(str(tmp_path))
    try:
        assert instance.run_retries_enabled and instance.run_retries_max_retries == 1
        assert not instance.run_retries_retry_on_asset_or_op_failure  # failed steps have their own policy
        assert instance.get_concurrency_config().pool_config.default_pool_limit == 1
    finally:
        instance.dispose()
