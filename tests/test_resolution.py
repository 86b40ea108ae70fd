"""Entity resolution: accuracy against the generator's ground truth, stable keys across
runs, steward overrides, and odd records."""

from __future__ import annotations

import shutil

import dagster as dg
import duckdb
import pandas as pd
import pytest

from resolution.matching import resolve
from resolution.pipeline import run_resolution

pytestmark = pytest.mark.xdist_group("pipeline")


def resolution_metadata(result: dg.ExecuteInProcessResult) -> dict:
    for event in result.get_asset_materialization_events():
        if event.asset_key == dg.AssetKey(["resolution", "record_customer_keys"]):
            return event.materialization.metadata
    raise AssertionError("entity resolution did not materialize")


def test_accuracy_is_reported_and_beats_exact_matching(run):
    result, *_ = run
    metadata = resolution_metadata(result)
    f1 = metadata["f1"].value
    baseline = metadata["baseline_exact_name_postcode_f1"].value
    assert f1 >= 0.97, metadata
    assert baseline < f1
    assert metadata["records"].value == sum(metadata["records_per_source"].value.values())
    assert "review_pairs_table" in metadata
    assert metadata["person_f1"].value >= 0.9
    assert metadata["persons"].value < metadata["person_records"].value


def test_people_are_linked_to_their_customer(run):
    _, con, *_ = run
    crm_without_customer = con.execute(
        "select count(*) from mart.contact_crosswalk x join staging.stg_crm__contacts c "
        "on x.source_entity = 'crm_contacts' and x.record_key = c._record_key "
        "where c.company_id in (select company_id from staging.stg_crm__companies) and x.customer_key is null"
    ).fetchone()[0]
    assert crm_without_customer == 0
    # a person known to the CRM and met again at a trade fair is one person of one customer
    shared = con.execute(
        "select count(*) from (select person_key from mart.contact_crosswalk group by 1 "
        "having count(distinct source_entity) > 1 and count(distinct customer_key) = 1)"
    ).fetchone()[0]
    assert shared > 0


def test_crosswalk_keeps_every_record_and_the_rule(run):
    _, con, *_ = run
    rules = dict(con.execute("select match_rule, count(*) from mart.customer_crosswalk group by 1").fetchall())
    assert {"erp_debtor_no", "splink"} <= set(rules)
    assert con.execute(
        "select count(*) from mart.customer_crosswalk where match_rule = 'splink' and not match_probability between 0 and 1"
    ).fetchone()[0] == 0
    # golden attributes carry provenance: the legal name of an ERP customer comes from the ERP
    wrong = con.execute(
        "select count(*) from mart.customers where has_erp_record and legal_name_source <> 'erp_customers'"
    ).fetchone()[0]
    assert wrong == 0


@pytest.fixture
def warehouse_copy(run, tmp_path):
    *_, settings = run
    target = tmp_path / "warehouse.duckdb"
    shutil.copy(settings.warehouse, target)
    return target, settings


def _keys(warehouse) -> dict[str, str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return dict(con.execute("select record_id, customer_key from resolution.record_customer_keys").fetchall())


def _erp_customer_and_crm_twin(con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, pd.DataFrame]:
    """An ERP customer with an address and a new CRM record of it: name with a typo and
    without legal form, no debtor number or VAT ID."""
    anchor = con.execute(
        "select * from intermediate.int_company_records where source_entity = 'erp_customers' "
        "and street is not null order by record_key limit 1"
    ).df()
    twin = anchor.assign(
        source_entity="crm_companies", source_system="crm", source_priority=2, record_key="NEW-1",
        company_name=anchor["company_name"].str.replace(r"\s+\S+$", "", regex=True) + "x",
        debtor_no=None, vat_id=None,
    )
    return anchor, twin


def test_keys_are_stable_when_records_are_added(warehouse_copy, tmp_path):
    warehouse, settings = warehouse_copy
    no_decisions = tmp_path / "decisions.csv"
    before = _keys(warehouse)
    with duckdb.connect(str(warehouse)) as con:
        # tonight the CRM has a new record of that customer (typo, no legal form) and a new company
        anchor, twin = _erp_customer_and_crm_twin(con)
        newcomer = anchor.assign(
            source_entity="crm_companies", source_system="crm", source_priority=2, record_key="NEW-2",
            company_name="Zyxwvut Quantenoptik GmbH", street="Neuer Weg 1", postcode="99999",
            city="Nirgendwo", debtor_no=None, vat_id=None, email_domain=None, phone=None,
        )
        con.register("added", pd.concat([twin, newcomer]))
        con.execute("insert into intermediate.int_company_records by name select * from added")
    run_resolution(warehouse, run_id="second", decisions_path=no_decisions)
    after = _keys(warehouse)
    assert {k: after[k] for k in before} == before  # nobody was renumbered
    anchor_id = f"erp_customers|{anchor.loc[0, 'record_key']}"
    assert after["crm_companies|NEW-1"] == before[anchor_id]
    assert after["crm_companies|NEW-2"] not in before.values()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        events = con.execute(
            "select event, count(*) from resolution.customer_key_events where run_id = 'second' group by 1"
        ).fetchall()
    assert events == [("new", 1)]


def test_steward_decisions_are_honoured(warehouse_copy, tmp_path):
    warehouse, _ = warehouse_copy
    before = _keys(warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        pair = con.execute(
            """select min(record_id), max(record_id) from resolution.record_customer_keys
               group by customer_key having count(*) = 2 order by customer_key limit 1"""
        ).fetchone()
        apart = con.execute(
            """select a.record_id, b.record_id from resolution.record_customer_keys a
               join resolution.record_customer_keys b on a.customer_key < b.customer_key
               where a.source_entity = 'excel_trade_fair' and b.source_entity = 'crm_companies' limit 1"""
        ).fetchone()
    decisions = tmp_path / "decisions.csv"
    pd.DataFrame(
        [
            {"record_a": pair[0], "record_b": pair[1], "decision": "no_match", "decided_by": "steward@example.com", "decided_at": "2026-11-01", "reason": "different plants"},
            {"record_a": apart[0], "record_b": apart[1], "decision": "match", "decided_by": "steward@example.com", "decided_at": "2026-11-01", "reason": "same company"},
        ]
    ).to_csv(decisions, index=False)
    run_resolution(warehouse, run_id="steward", decisions_path=decisions)
    after = _keys(warehouse)
    assert after[pair[0]] != after[pair[1]]
    assert after[apart[0]] == after[apart[1]]
    # the larger part keeps its key; the split is recorded
    assert before[pair[0]] in {after[pair[0]], after[pair[1]]}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        kinds = {row[0] for row in con.execute("select event from resolution.customer_key_events where run_id = 'steward'").fetchall()}
    assert {"split", "merge"} <= kinds


def test_odd_records_get_their_own_key_and_never_crash():
    base = {
        "source_entity": "crm_companies", "street": None, "postcode": None, "city": None, "country": None,
        "vat_id": None, "debtor_no": None, "email_domain": None, "phone": None,
    }
    rows = [
        {**base, "record_key": "empty", "company_name": None},
        {**base, "record_key": "blank", "company_name": "   "},
        {**base, "record_key": "long", "company_name": "Müller " * 2000, "street": "Weg " * 3000},
        {**base, "record_key": "cjk", "company_name": "株式会社 東京精密", "city": "東京"},
        {**base, "record_key": "cyrillic", "company_name": "ООО Ромашка", "postcode": "ABCDE"},
    ]
    rows += [
        {**base, "record_key": f"m{i}", "company_name": f"Muster {i} GmbH", "postcode": f"{10000 + i}", "city": "Berlin", "street": f"Hauptstraße {i}"}
        for i in range(20)
    ]
    result = resolve(pd.DataFrame(rows))
    clusters = result.clusters.set_index("record_key")
    assert len(clusters) == len(rows)
    odd = ["empty", "blank", "long", "cjk", "cyrillic"]
    assert clusters.loc[odd, "cluster_id"].nunique() == len(odd)
    assert (clusters.loc[odd, "link_rule"] == "no_match_own_record").all()
    assert result.stats["records_without_name"] == 2


def test_incremental_matching_agrees_with_a_full_rematch(warehouse_copy, tmp_path):
    """A nightly run scores only pairs involving new or changed records with the stored
    model; on the same changes a full re-match (training again) gives the same customers."""
    warehouse, _ = warehouse_copy
    no_decisions = tmp_path / "decisions.csv"
    with duckdb.connect(str(warehouse)) as con:
        anchor, twin = _erp_customer_and_crm_twin(con)
        con.register("added", twin)
        con.execute("insert into intermediate.int_company_records by name select * from added")
        # a CRM record renamed and moved: it must leave its customer
        moved = con.execute(
            """select r.record_key from intermediate.int_company_records r
               join resolution.record_customer_keys k on k.record_id = r.source_entity || '|' || r.record_key
               where r.source_entity = 'crm_companies' and k.customer_key in (
                   select customer_key from resolution.record_customer_keys group by 1 having count(*) >= 3)
               order by r.record_key limit 1"""
        ).fetchone()[0]
        con.execute(
            "update intermediate.int_company_records set company_name = 'Zyxwvut Quantenoptik GmbH', "
            "street = 'Neuer Weg 1', postcode = '99999', city = 'Nirgendwo', email_domain = null, phone = null, "
            "vat_id = null, debtor_no = null where source_entity = 'crm_companies' and record_key = ?", [moved]
        )
        con.execute(
            "delete from intermediate.int_company_records where source_entity = 'excel_trade_fair' "
            "and record_key in (select record_key from intermediate.int_company_records "
            "where source_entity = 'excel_trade_fair' order by record_key limit 2)"
        )
        records = con.execute("select count(*) from intermediate.int_company_records").fetchone()[0]
    full_copy = tmp_path / "full" / "warehouse.duckdb"
    full_copy.parent.mkdir()
    shutil.copy(warehouse, full_copy)

    incremental = run_resolution(warehouse, run_id="incremental", decisions_path=no_decisions)
    full = run_resolution(full_copy, run_id="full", decisions_path=no_decisions, full_rematch=True)

    assert (incremental.matching_mode, full.matching_mode) == ("incremental", "full")
    assert incremental.records_rescored == 2 and full.records_rescored == records  # the twin and the moved record
    incremental_keys, full_keys = _keys(warehouse), _keys(full_copy)
    assert len(incremental_keys) == records and incremental_keys == full_keys
    assert incremental_keys["crm_companies|NEW-1"] == incremental_keys[f"erp_customers|{anchor.loc[0, 'record_key']}"]
    moved_key = incremental_keys[f"crm_companies|{moved}"]
    assert sum(key == moved_key for key in incremental_keys.values()) == 1
    with duckdb.connect(str(warehouse), read_only=True) as con:
        logged = con.execute(
            "select matching_mode, records_rescored from resolution.match_runs where run_id = 'incremental'"
        ).fetchone()
    assert logged == ("incremental", 2)
