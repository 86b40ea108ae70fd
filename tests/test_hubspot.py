"""The HubSpot connector against a live local HTTP server speaking the CRM v3 API, serving the
demo generator's CRM export: paging, incremental reads, retries, timeouts, failures, redaction."""

from __future__ import annotations

import logging
import math

import dagster as dg
import duckdb
import pandas as pd
import pytest

from orchestration.extract import build_extract_assets
from orchestration.settings import Settings
from sources.connectors.hubspot import HubSpotClient, HubSpotError
from sources.demo.generator import generate
from sources.errors import SourceError
from sources.load import load_entity
from sources.registry import load_registry
from tests.conftest import AS_OF
from tests.fake_hubspot import Fault, FakeHubSpot

TOKEN = "pat-eu1-0000aaaa-SECRET-TOKEN-do-not-log"
PAGE = 7
CRM = ["crm_companies", "crm_contacts", "crm_leads", "crm_deals", "crm_activities"]


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    sources = tmp_path_factory.mktemp("crm_export")
    generate(sources, customers=60, seed=5, as_of=AS_OF)
    return sources


@pytest.fixture
def api_registry():
    """The project registry with every CRM entity switched to the API, small pages, fast retries."""
    registry = load_registry().model_copy(deep=True)
    for name in CRM:
        registry.entities[name].kind = "hubspot"
    api = registry.systems["crm"].api
    api.page_size, api.timeout_seconds, api.max_attempts = PAGE, 0.5, 4
    api.backoff_initial_seconds, api.backoff_max_seconds = 0.01, 0.05
    return registry


@pytest.fixture
def hubspot(export, api_registry, monkeypatch):
    fake = FakeHubSpot(TOKEN)
    fake.load_demo_export(export, api_registry)
    url = fake.start()
    monkeypatch.setenv("SMARTDATA_HUBSPOT_URL", url)
    monkeypatch.setenv("SMARTDATA_HUBSPOT_TOKEN", TOKEN)
    yield fake
    fake.stop()


def raw(warehouse, entity, columns="*"):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(f'select {columns} from raw."{entity}" order by _record_key').df()


def watermark(warehouse, entity):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        row = con.execute("select watermark from meta.extract_watermarks where entity = ?", [entity]).fetchone()
    return row[0] if row else None


def test_api_rows_have_the_csv_export_raw_shape_over_many_pages(hubspot, api_registry, export, tmp_path):
    csv_registry = load_registry()
    for name in CRM:
        from_csv = load_entity(name, warehouse=tmp_path / "csv.duckdb", sources_dir=export, registry=csv_registry)
        from_api = load_entity(name, warehouse=tmp_path / "api.duckdb", sources_dir=export, registry=api_registry)
        assert from_api.rows_read == from_csv.rows_read > 0, name
        assert (from_api.rows_accepted, from_api.rows_quarantined) == (from_csv.rows_accepted, from_csv.rows_quarantined)
        columns = ", ".join(['"_record_key"', *(f'"{c}"' for c in api_registry.entities[name].columns)])
        pd.testing.assert_frame_equal(raw(tmp_path / "api.duckdb", name, columns), raw(tmp_path / "csv.duckdb", name, columns))
        api_types = raw(tmp_path / "api.duckdb", name).dtypes
        assert list(api_types.index) == list(raw(tmp_path / "csv.duckdb", name).dtypes.index)  # same raw columns
        assert raw(tmp_path / "api.duckdb", name, "distinct _source_file")["_source_file"].tolist() == [
            f"hubspot:{api_registry.entities[name].hubspot.object}"]

    pages = [r for r in hubspot.requests if r.method == "GET" and r.path == "/crm/v3/objects/companies"]
    companies = len(hubspot.objects["companies"])
    assert len(pages) == math.ceil(companies / PAGE) > 5
    assert [p.query.get("after", [None])[0] for p in pages[:3]] == [None, str(PAGE), str(2 * PAGE)]
    assert set(pages[0].query["properties"][0].split(",")) >= {"name", "zip", "erp_debtor_number", "hs_lastmodifieddate"}
    contact_pages = [r for r in hubspot.requests if r.path == "/crm/v3/objects/contacts"]
    assert contact_pages[0].query["associations"] == ["companies"]
    # contact -> company and deal -> company associations arrive in the company_id column
    contacts = raw(tmp_path / "api.duckdb", "crm_contacts")
    assert contacts["company_id"].notna().mean() > 0.9
    assert raw(tmp_path / "api.duckdb", "crm_deals")["company_id"].notna().all()


def test_incremental_moves_only_changed_rows_and_full_refresh_finds_deletions(hubspot, api_registry, export, tmp_path):
    wh = tmp_path / "wh.duckdb"
    first = load_entity("crm_companies", warehouse=wh, sources_dir=export, registry=api_registry)
    assert first.mode == "full" and first.rows_read == len(hubspot.objects["companies"])
    mark = watermark(wh, "crm_companies")
    newest = max(pd.Timestamp(r["properties"]["hs_lastmodifieddate"]) for r in hubspot.objects["companies"].values())
    assert pd.Timestamp(mark) == newest

    ids = sorted(hubspot.objects["companies"])[:3]
    for n, record_id in enumerate(ids):
        hubspot.touch("companies", record_id, f"2026-11-0{n + 1}T08:00:00Z", name=f"Renamed {n} GmbH")
    hubspot.requests.clear()
    second = load_entity("crm_companies", warehouse=wh, sources_dir=export, registry=api_registry)
    assert (second.mode, second.since, second.rows_read) == ("incremental", mark, 3)
    search = [r for r in hubspot.requests if r.path == "/crm/v3/objects/companies/search"]
    assert search and not [r for r in hubspot.requests if r.path == "/crm/v3/objects/companies"]
    assert search[0].body["filterGroups"][0]["filters"][0]["value"] == str(newest.value // 1_000_000)
    table = raw(wh, "crm_companies").set_index("company_id")
    assert len(table) == first.rows_accepted  # merged by key, not appended
    assert [table.at[i, "company_name"] for i in ids] == ["Renamed 0 GmbH", "Renamed 1 GmbH", "Renamed 2 GmbH"]
    assert (table.drop(index=ids)["_load_id"] == first.load_id).all()  # the others did not move
    assert watermark(wh, "crm_companies") == "2026-11-03T08:00:00Z"

    # an unchanged source moves nothing
    third = load_entity("crm_companies", warehouse=wh, sources_dir=export, registry=api_registry)
    assert (third.mode, third.rows_read) == ("incremental", 0)
    assert len(raw(wh, "crm_companies")) == first.rows_accepted

    # contact -> company association of changed contacts comes from the v4 batch read
    load_entity("crm_contacts", warehouse=wh, sources_dir=export, registry=api_registry)
    contact_id = sorted(hubspot.objects["contacts"])[0]
    hubspot.objects["contacts"][contact_id]["associations"]["companies"] = [ids[1]]
    hubspot.touch("contacts", contact_id, "2026-11-05T09:00:00Z")
    changed = load_entity("crm_contacts", warehouse=wh, sources_dir=export, registry=api_registry)
    assert changed.rows_read == 1
    assert raw(wh, "crm_contacts").set_index("contact_id").at[contact_id, "company_id"] == ids[1]
    assert any(r.path == "/crm/v4/associations/contacts/companies/batch/read" for r in hubspot.requests)

    # full refresh on demand reads everything and reports a record deleted in the CRM
    del hubspot.objects["companies"][ids[2]]
    full = load_entity("crm_companies", warehouse=wh, sources_dir=export, registry=api_registry, full_refresh=True)
    assert full.mode == "full" and full.reconciliation == {"rows_deleted": 1, "rows_changed": 0, "rows_new": 0}
    assert ids[2] not in set(raw(wh, "crm_companies")["company_id"])


def test_rate_limits_and_server_errors_are_retried(hubspot, api_registry, export, tmp_path):
    answers = {1: Fault(429, {"Retry-After": "0"}), 2: Fault(503), 4: Fault(502)}
    hubspot.faults = lambda seen, number: answers.get(number)
    report = load_entity("crm_deals", warehouse=tmp_path / "wh.duckdb", sources_dir=export, registry=api_registry)
    pages = math.ceil(len(hubspot.objects["deals"]) / PAGE)
    assert report.rows_read == len(hubspot.objects["deals"])
    assert report.requests == len(hubspot.requests) == pages + 3


def test_retry_after_is_honoured_then_backoff_with_jitter_until_the_budget_names_the_endpoint(hubspot, api_registry):
    api = api_registry.systems["crm"].api.model_copy(update={"backoff_initial_seconds": 1.0, "backoff_max_seconds": 60.0})
    slept: list[float] = []
    hubspot.faults = lambda seen, number: Fault(429, {"Retry-After": "7"}) if number == 1 else Fault(500)
    with HubSpotClient(api, TOKEN, sleep=slept.append) as client, pytest.raises(HubSpotError) as failure:
        client.request("GET", "/crm/v3/objects/companies", params={"limit": 1})
    assert len(hubspot.requests) == api.max_attempts == 4
    assert slept[0] == 7.0  # the server's Retry-After
    assert 2.0 <= slept[1] <= 3.0 and 4.0 <= slept[2] <= 5.0  # exponential, with up to 1 s jitter
    message = str(failure.value)
    assert f"GET {hubspot_url(hubspot)}/crm/v3/objects/companies" in message
    assert "gave up after 4 attempts" in message and "HTTP 500" in message


def hubspot_url(fake: FakeHubSpot) -> str:
    host, port = fake._server.server_address[:2]
    return f"http://{host}:{port}"


def test_timeouts_are_retried_and_a_server_that_stays_slow_fails_clearly(hubspot, api_registry, export, tmp_path):
    wh = tmp_path / "wh.duckdb"
    hubspot.faults = lambda seen, number: Fault(delay=1.0) if number == 1 else None
    report = load_entity("crm_leads", warehouse=wh, sources_dir=export, registry=api_registry)
    assert report.rows_read == len(hubspot.objects["leads"]) and report.requests == len(hubspot.requests)

    hubspot.faults = lambda seen, number: Fault(delay=1.0)
    with pytest.raises(SourceError) as failure:
        load_entity("crm_leads", warehouse=wh, sources_dir=export, registry=api_registry, full_refresh=True)
    message = str(failure.value)
    assert "/crm/v3/objects/leads" in message and "timed out after 0.5 s" in message
    assert "team:marketing-ops" in message  # the owner
    assert len(raw(wh, "crm_leads")) == report.rows_accepted


def test_mid_extraction_failure_keeps_previous_raw_data_and_watermark(hubspot, api_registry, export, tmp_path):
    wh = tmp_path / "wh.duckdb"
    first = load_entity("crm_contacts", warehouse=wh, sources_dir=export, registry=api_registry)
    before, mark = raw(wh, "crm_contacts"), watermark(wh, "crm_contacts")
    hubspot.faults = lambda seen, number: Fault(500) if seen.query.get("after") == [str(3 * PAGE)] else None
    hubspot.requests.clear()
    with pytest.raises(SourceError, match=r"gave up after 4 attempts.*crm_contacts|crm_contacts.*gave up after 4 attempts"):
        load_entity("crm_contacts", warehouse=wh, sources_dir=export, registry=api_registry, full_refresh=True)
    assert len(hubspot.requests) == 3 + 4  # three good pages, then the retry budget on the fourth
    pd.testing.assert_frame_equal(raw(wh, "crm_contacts"), before)
    assert watermark(wh, "crm_contacts") == mark
    with duckdb.connect(str(wh), read_only=True) as con:
        assert con.execute("select status from meta.load_log order by started_at").fetchall() == [("success",), ("failed",)]
        assert con.execute("select count(*) from quarantine.crm_contacts").fetchone()[0] == first.rows_quarantined


def test_a_malformed_page_fails_at_once_without_a_partial_table(hubspot, api_registry, export, tmp_path):
    wh = tmp_path / "wh.duckdb"
    hubspot.faults = lambda seen, number: Fault(body=b'{"results": "not a list"}') if number == 2 else None
    with pytest.raises(SourceError, match="malformed page") as failure:
        load_entity("crm_companies", warehouse=wh, sources_dir=export, registry=api_registry)
    assert "GET http://127.0.0.1" in str(failure.value) and "/crm/v3/objects/companies" in str(failure.value)
    assert len(hubspot.requests) == 2  # not retried
    with duckdb.connect(str(wh), read_only=True) as con:
        assert con.execute(
            "select count(*) from information_schema.tables where table_schema = 'raw'").fetchone()[0] == 0
        assert con.execute("select count(*) from meta.extract_watermarks").fetchone()[0] == 0


def test_token_never_appears_in_logs_metadata_or_errors(hubspot, api_registry, export, tmp_path, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    settings = Settings(warehouse=tmp_path / "wh.duckdb", sources_dir=export, as_of_date=AS_OF.isoformat())
    assets = [a for a in build_extract_assets(api_registry, settings) if a.key.path[-1] in ("crm_companies", "crm_deals")]
    # companies succeed; deals meet a server that echoes the request's Authorization header back
    hubspot.faults = lambda seen, number: (
        Fault(400, body=f'{{"message": "bad request", "auth": "{seen.authorization}"}}'.encode())
        if "deals" in seen.path else None)
    result = dg.materialize(assets, raise_on_error=False)
    assert result.get_asset_materialization_events() and not result.success
    (failure,) = [e for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_FAILURE]
    assert "HTTP 400" in str(failure.event_specific_data.error) and "[redacted]" in str(failure.event_specific_data.error)
    texts = [repr(e) for e in result.all_events] + [caplog.text]
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        texts += [repr(con.execute("select * from meta.load_log").fetchall())]
    assert all(TOKEN not in text for text in texts)

    monkeypatch.delenv("SMARTDATA_HUBSPOT_TOKEN")
    with pytest.raises(SourceError, match="set the environment variable SMARTDATA_HUBSPOT_TOKEN"):
        load_entity("crm_companies", warehouse=tmp_path / "other.duckdb", sources_dir=export, registry=api_registry)
