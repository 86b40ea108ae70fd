"""The code location as Dagster's own CLI loads and runs it: steps import their domain
modules when they run, after Dagster has taken the project directory off sys.path again."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import duckdb

from sources.demo.generator import generate
from sources.registry import PROJECT_ROOT
from tests.conftest import AS_OF


def test_dagster_cli_materializes_an_extract_asset(tmp_path):
    sources = tmp_path / "sources"
    generate(sources, customers=60, seed=4, as_of=AS_OF)
    warehouse = tmp_path / "warehouse.duckdb"
    (tmp_path / "home").mkdir()
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env.update(SMARTDATA_SOURCES_DIR=str(sources), SMARTDATA_WAREHOUSE=str(warehouse),
               DAGSTER_HOME=str(tmp_path / "home"), DO_NOT_TRACK="1", DAGSTER_DISABLE_TELEMETRY="1")
    run = subprocess.run(
        # the `dagster` executable, as `make demo` runs it (`python -m dagster` would put the
        # working directory on sys.path for the whole run and hide the problem)
        [os.path.join(os.path.dirname(sys.executable), "dagster"), "asset", "materialize", "-m", "orchestration.definitions",
         "--select", "raw/erp_products,raw/excel_referrals"],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    with sqlite3.connect(sources / "erp" / "erp.sqlite") as erp:
        products = erp.execute("select count(*) from product").fetchone()[0]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from raw.erp_products").fetchone()[0] == products > 0
        loaded = dict(con.execute("select entity, status from meta.load_log").fetchall())
    assert loaded == {"erp_products": "success", "excel_referrals": "success"}
