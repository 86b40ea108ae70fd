"""The Dagster UI as a steward sees it, in headless Chromium (Debian's chromium and
chromium-driver, installed by .ci/ensure-services): the asset graph shows the source
groups, the marts and their owners, and an asset check page opens. Screenshots are saved
under the test's tmp folder. A missing browser fails the test."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from orchestration.settings import DBT_PROJECT_DIR

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
PROJECT = DBT_PROJECT_DIR.parent
LOCATION = "__repository__@smartdata"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def webserver(tmp_path_factory):
    home = tmp_path_factory.mktemp("dagster_home")
    shutil.copy(PROJECT / "dagster.yaml", home / "dagster.yaml")
    port = _free_port()
    bin_dir = Path(sys.executable).parent
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "SMARTDATA_SOURCES_DIR": str(home / "sources"),
        "SMARTDATA_WAREHOUSE": str(home / "warehouse.duckdb"),
        "SMARTDATA_PUBLISH_DIR": str(home / "published"),
        "DO_NOT_TRACK": "1",
        "DAGSTER_DISABLE_TELEMETRY": "1",
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    server = subprocess.Popen(
        [str(bin_dir / "dagster-webserver"), "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)],
        cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/server_info", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"dagster-webserver did not come up on {base}") from None
                time.sleep(0.5)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    # no skip: without the browser this test fails and says what is missing
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not Path(path).exists()]
    assert not missing, f"missing {missing}: run .ci/ensure-services (Debian packages chromium, chromium-driver)"
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1800,4200"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def _open(driver, url: str, text: str, timeout: float = 45) -> None:
    driver.get(url)
    WebDriverWait(driver, timeout).until(ec.text_to_be_present_in_element((By.TAG_NAME, "body"), text))
    for button in driver.find_elements(By.XPATH, "//button[normalize-space()='Skip']"):  # the newsletter dialog
        button.click()


@pytest.fixture(scope="module")
def mart_owners() -> dict[str, str]:
    """Every mart and its owner as the code location defines them."""
    from orchestration.definitions import defs

    graph = defs.get_repository_def().asset_graph
    return {
        key.path[-1]: graph.get(key).owners[0].removeprefix("team:")
        for key in graph.get_all_asset_keys()
        if key.path[0] == "mart"
    }


def test_asset_graph_shows_source_groups_marts_and_owners(webserver, browser, tmp_path, mart_owners):
    # the graph's node facets are a UI preference in local storage: show owners and checks
    browser.get(f"{webserver}/server_info")
    browser.execute_script("localStorage.setItem('asset-node-facets', JSON.stringify(['owner', 'checks', 'kind-tag']))")

    _open(browser, f"{webserver}/asset-groups", "source_excel")
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "svg"))
    browser.save_screenshot(str(tmp_path / "asset_graph.png"))
    groups = browser.find_element(By.TAG_NAME, "body").text
    for group in ("source_excel", "source_crm", "source_erp", "entity_resolution", "marts", "serving"):
        assert group in groups, group

    _open(browser, f"{webserver}/locations/{LOCATION}/asset-groups/marts", "customer_value")
    WebDriverWait(browser, 30).until(
        lambda d: all(owner in d.find_element(By.TAG_NAME, "body").text for owner in mart_owners.values())
    )
    browser.save_screenshot(str(tmp_path / "marts_with_owners.png"))
    page = browser.find_element(By.TAG_NAME, "body").text
    assert "published_mart" in page
    lines = page.splitlines()
    assert len(mart_owners) >= 14
    for mart, owner in mart_owners.items():  # every mart node: its name, then "Owner", then the owner
        node = lines.index(mart)
        assert lines[node + 1: node + 3] == ["Owner", owner], lines[node: node + 4]

    _open(browser, f"{webserver}/assets/raw/crm_companies?view=checks", "contract")
    WebDriverWait(browser, 30).until(ec.text_to_be_present_in_element((By.TAG_NAME, "body"), "schema_drift"))
    browser.save_screenshot(str(tmp_path / "asset_checks.png"))
    checks = browser.find_element(By.TAG_NAME, "body").text
    assert {"contract", "schema_drift", "freshness_check"} <= set(checks.split())
    assert "This is a blocking asset check." in checks  # the contract check's page is open

    for name in ("asset_graph.png", "marts_with_owners.png", "asset_checks.png"):
        assert (tmp_path / name).stat().st_size > 10_000, name
