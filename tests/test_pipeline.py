"""End to end: generate sources, materialize the whole asset graph into a temporary
warehouse, and check the mart against the generator's ground truth."""

from __future__ import annotations

from decimal import Decimal

import dagster as dg
import pytest

from quality.mart_contracts import MART_CONTRACTS
from sources.registry import load_registry

pytestmark = pytest.mark.xdist_group("pipeline")


def query(con, sql, *params):
    return con.execute(sql, list(params)).fetchall()


def customer_of_debtor(con, debtor_no: str) -> str:
    (key,) = query(con, "select customer_key from mart.customers where debtor_no = ?", debtor_no)[0]
    return key


def test_run_succeeds_and_every_blocking_check_passes(run):
    result, *_ = run
    assert result.success
    evaluations = result.get_asset_check_evaluations()
    failed = [
        (e.asset_key.to_user_string(), e.check_name)
        for e in evaluations
        if not e.passed and e.severity == dg.AssetCheckSeverity.ERROR
    ]
    assert failed == []
    contract_checks = [e for e in evaluations if e.check_name == "contract"]
    assert len(contract_checks) == len(load_registry().entities)
    mart_checks = {e.asset_key.path[-1]: e.passed for e in evaluations if e.check_name == "pandera_contract"}
    assert len(mart_checks) == len(MART_CONTRACTS) and all(mart_checks.values())
    assert len(evaluations) > 100  # dbt tests arrive as asset checks


def test_conservation_per_entity(run):
    _, con, *_ = run
    for entity, read, accepted, quarantined in query(
        con, "select entity, rows_read, rows_accepted, rows_quarantined from meta.load_log where status = 'success'"
    ):
        assert read == accepted + quarantined, entity
        assert query(con, f'select count(*) from raw."{entity}"')[0][0] == accepted
        assert query(con, f'select count(*) from quarantine."{entity}"')[0][0] == quarantined
    assert query(con, "select sum(rows_quarantined) from meta.load_log")[0][0] > 0  # the dirt was caught
    # the data-quality mart shows the same numbers, with owner and the rules that fired
    mart = query(
        con,
        "select entity, rows_read, rows_accepted, rows_quarantined, owner from mart.data_quality_loads order by entity",
    )
    log = query(
        con,
        "select entity, rows_read, rows_accepted, rows_quarantined, owner from meta.load_log order by entity",
    )
    assert mart == log and len(mart) == len(load_registry().entities)
    assert query(con, "select count(*) from mart.data_quality_loads where rows_quarantined > 0 and rule_summary is null")[0][0] == 0


def test_revenue_reconciles_with_the_erp_to_the_cent(run):
    _, con, facts, *_ = run
    mart = {
        month: Decimal(str(value)).quantize(Decimal("0.01"))
        for month, value in query(
            con, "select strftime(month, '%Y-%m'), sum(net_revenue) from mart.channel_pnl_monthly group by 1"
        )
    }
    expected = {month: Decimal(value) for month, value in facts["monthly_revenue"].items()}
    assert mart == expected


def test_planted_value_facts(run):
    _, con, facts, *_ = run
    key_account = facts["revenue_a_value_c"]
    row = query(
        con,
        "select revenue_class, value_class, classes_disagree, score_explanation from mart.customer_value where customer_key = ?",
        customer_of_debtor(con, key_account["debtor_no"]),
    )[0]
    assert row[:3] == ("A", "C", True)
    assert row[3]  # a plain-language explanation
    champion = facts["hidden_champion"]
    revenue_class, value_class = query(
        con,
        "select revenue_class, value_class from mart.customer_value where customer_key = ?",
        customer_of_debtor(con, champion["debtor_no"]),
    )[0]
    assert revenue_class == "C" and value_class in {"A", "B"}


def test_planted_lifecycle_facts(run):
    _, con, facts, *_ = run
    for fact, status in [("lost_customer", "lost"), ("at_risk_customer", "at_risk"), ("revenue_a_value_c", "active")]:
        key = customer_of_debtor(con, facts[fact]["debtor_no"])
        assert query(con, "select lifecycle_status from mart.customers where customer_key = ?", key)[0][0] == status, fact
    prospect_keys = query(
        con,
        "select distinct customer_key from mart.customer_crosswalk where source_entity = 'crm_companies' and record_key in "
        f"({','.join('?' * len(facts['prospect']['crm_record_ids']))})",
        *facts["prospect"]["crm_record_ids"],
    )
    assert len(prospect_keys) == 1
    assert query(con, "select lifecycle_status from mart.customers where customer_key = ?", prospect_keys[0][0])[0][0] == "prospect"


def test_black_holes_and_contact_pressure(run):
    _, con, facts, *_ = run
    assert query(con, "select count(*) from mart.leads where is_black_hole")[0][0] == facts["black_hole_leads_total"]
    over = facts["over_contacted"]["crm_record_id"]
    flagged = query(
        con,
        "select p.is_over_contacted from mart.contact_pressure p join mart.customer_crosswalk x using (customer_key) "
        "where x.source_entity = 'crm_companies' and x.record_key = ?",
        over,
    )
    assert flagged == [(True,)]


def test_five_spellings_become_one_customer(run):
    _, con, facts, truth, _ = run
    company = facts["five_spellings"]["true_company_id"]
    records = truth[(truth.true_company_id == company) & truth.source_entity.isin(["erp_customers", "crm_companies", "excel_field_sales", "excel_christmas_cards", "excel_trade_fair"])]
    con.register("truth_records", records)
    keys = query(
        con,
        "select distinct x.customer_key from mart.customer_crosswalk x join truth_records t "
        "on x.source_entity = t.source_entity and x.record_key = t.record_key",
    )
    assert len(keys) == 1


def test_every_company_record_is_in_the_crosswalk(run):
    _, con, *_ = run
    missing = query(
        con,
        "select count(*) from intermediate.int_company_records r left join mart.customer_crosswalk x "
        "using (source_entity, record_key) where x.customer_key is null",
    )[0][0]
    assert missing == 0
    assert query(con, "select count(*) from mart.customers")[0][0] == query(
        con, "select count(distinct customer_key) from mart.customer_crosswalk"
    )[0][0]


def test_every_mart_column_has_a_comment_for_bi(run):
    _, con, *_ = run
    columns, commented = query(
        con, "select count(*), count(comment) from duckdb_columns() where schema_name = 'mart'"
    )[0]
    assert columns > 250 and commented == columns
