"""Bad data never reaches the mart: a source over its error-rate limit blocks the models
downstream (the last good mart stays), and a mart that breaks its contract fails a blocking
check that names the rule, the rows and the owner."""

from __future__ import annotations

import shutil
import sqlite3

import dagster as dg
import duckdb
import pytest
from dagster_dbt import DbtCliResource

from orchestration.dbt import build_dbt_assets, dbt_project
from orchestration.extract import build_extract_assets
from orchestration.quality_checks import CHECK_NAME, build_mart_contract_checks
from orchestration.settings import Settings
from sources.registry import load_registry

pytestmark = pytest.mark.xdist_group("pipeline")

PNL = dg.AssetKey(["mart", "channel_pnl_monthly"])


@pytest.fixture
def copied(run, tmp_path):
    *_, settings = run
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(settings.warehouse, warehouse)
    sources = tmp_path / "sources"
    shutil.copytree(settings.sources_dir / "erp", sources / "erp")
    return Settings(warehouse=warehouse, sources_dir=sources, as_of_date=settings.as_of_date)


def _mart_state(warehouse) -> tuple:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("select count(*), sum(cost_of_goods), sum(net_revenue) from mart.channel_pnl_monthly").fetchone()


def test_a_source_over_its_error_limit_blocks_the_mart(copied, monkeypatch):
    before = _mart_state(copied.warehouse)
    with sqlite3.connect(copied.sources_dir / "erp" / "erp.sqlite") as erp:
        # erp_products allows no bad rows (max_error_rate 0): one negative cost is too many
        erp.execute("update product set standard_cost = -1 where product_no = (select min(product_no) from product)")
    monkeypatch.setenv("SMARTDATA_WAREHOUSE", str(copied.warehouse))
    result = dg.materialize(
        [*build_extract_assets(load_registry(), copied), *build_dbt_assets(copied)],
        # the nightly job's view of this source: it and everything downstream of it
        selection=dg.AssetSelection.assets(dg.AssetKey(["raw", "erp_products"])).downstream(),
        resources={"dbt": DbtCliResource(project_dir=dbt_project)},
        raise_on_error=False,
    )
    contract = [e for e in result.get_asset_check_evaluations() if e.check_name == "contract"]
    assert len(contract) == 1 and not contract[0].passed
    assert contract[0].metadata["owner"].value == "team:product-management"
    assert "non_negative" in contract[0].metadata["rule_counts"].value
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    assert materialized == {dg.AssetKey(["raw", "erp_products"])}  # the mart was not rebuilt
    started = {e.step_key for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_START}
    assert started == {"raw__erp_products"}  # the dbt step downstream never started
    assert _mart_state(copied.warehouse) == before
    with duckdb.connect(str(copied.warehouse), read_only=True) as con:
        (quarantined,) = con.execute("select count(*) from quarantine.erp_products_open").fetchone()
    assert quarantined == 1


def test_a_mart_that_breaks_its_contract_fails_a_blocking_check(copied, monkeypatch):
    with duckdb.connect(str(copied.warehouse)) as con:
        con.execute(
            "update mart.customer_value set total_score = 150 where customer_key in "
            "(select customer_key from mart.customer_value order by customer_key limit 3)"
        )
        con.execute(
            "insert into mart.channel_pnl_monthly select * from mart.channel_pnl_monthly limit 1"
        )
    dbt_assets = build_dbt_assets(copied)
    checks = build_mart_contract_checks(dbt_assets, copied)
    keys = [dg.AssetCheckKey(dg.AssetKey(["mart", name]), CHECK_NAME) for name in ("customer_value", "channel_pnl_monthly", "customers")]
    result = dg.materialize(
        [*dbt_assets, *checks],
        selection=dg.AssetSelection.checks(*keys),
        resources={"dbt": DbtCliResource(project_dir=dbt_project)},
        raise_on_error=False,
    )
    evaluations = {e.asset_key.path[-1]: e for e in result.get_asset_check_evaluations()}
    assert evaluations["customers"].passed
    value = evaluations["customer_value"]
    assert not value.passed and value.metadata["failing_rows"].value == 3
    assert "value_range" in value.metadata["rule_counts"].value
    assert "total_score" in value.metadata["sample_failures"].value
    assert value.metadata["owner"].value.startswith("team:")
    pnl = evaluations["channel_pnl_monthly"]
    assert not pnl.passed and "unique_key" in pnl.metadata["rule_counts"].value
    assert all(e.blocking for e in evaluations.values())
