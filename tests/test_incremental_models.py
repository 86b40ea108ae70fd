"""The large ERP staging models build incrementally: a nightly build transforms only the
rows the extract merged since the last build, and ends with the same table a full
rebuild gives (changed rows replaced, new rows added, rows gone from the source deleted)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys

import duckdb
import pytest

from orchestration.settings import DBT_PROJECT_DIR

pytestmark = pytest.mark.xdist_group("pipeline")
MODELS = "stg_erp__order_lines stg_erp__invoices"


def dbt_build(warehouse, tmp_path, *args: str) -> dict[str, int]:
    target = tmp_path / f"target_{len(list(tmp_path.glob('target_*')))}"
    env = {**os.environ, "SMARTDATA_WAREHOUSE": str(warehouse), "DO_NOT_TRACK": "1"}
    build = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "dbt"), "run", "--select", *MODELS.split(), *args,
         "--profiles-dir", ".", "--target-path", str(target), "--log-path", str(tmp_path / "logs")],
        cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True, timeout=300,
    )
    assert build.returncode == 0, build.stdout[-4000:]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return dict(con.execute(
            "select table_name, estimated_size from duckdb_tables() where table_name in ('stg_erp__order_lines', 'stg_erp__invoices')"
        ).fetchall())


def test_incremental_staging_equals_a_full_rebuild(run, tmp_path):
    *_, settings = run
    incremental, rebuilt = tmp_path / "a" / "warehouse.duckdb", tmp_path / "b" / "warehouse.duckdb"
    for copy in (incremental, rebuilt):
        copy.parent.mkdir()
        shutil.copy(settings.warehouse, copy)
    later = dt.datetime.now() + dt.timedelta(minutes=1)  # tonight's load
    for warehouse in (incremental, rebuilt):
        with duckdb.connect(str(warehouse)) as con:
            # an ERP user changed a quantity, a line was deleted, a line was added
            changed, gone = [r[0] for r in con.execute(
                "select _record_key from raw.erp_order_lines order by _record_key limit 2").fetchall()]
            con.execute("update raw.erp_order_lines set quantity = '999', _loaded_at = ? where _record_key = ?", [later, changed])
            con.execute("delete from raw.erp_order_lines where _record_key = ?", [gone])
            con.execute(
                "insert into raw.erp_order_lines select * replace ('NEW|1' as _record_key, '99' as line_no, ? as _loaded_at) "
                "from raw.erp_order_lines where _record_key = ?", [later, changed])
    # a marker on a row nobody changed: an incremental build leaves the row alone
    with duckdb.connect(str(incremental)) as con:
        untouched = con.execute(
            "select _record_key from staging.stg_erp__order_lines where _record_key not in (?, ?) order by _record_key desc limit 1",
            [changed, gone]).fetchone()[0]
        con.execute("update staging.stg_erp__order_lines set product_no = 'MARKER' where _record_key = ?", [untouched])
    dbt_build(incremental, tmp_path)
    dbt_build(rebuilt, tmp_path, "--full-refresh")

    with duckdb.connect(str(incremental), read_only=True) as a, duckdb.connect(str(rebuilt), read_only=True) as b:
        assert a.execute("select product_no from staging.stg_erp__order_lines where _record_key = ?", [untouched]).fetchone()[0] == "MARKER"
        for table in MODELS.split():
            query = f"select * from staging.{table} where _record_key <> ? order by _record_key"
            assert a.execute(query, [untouched]).fetchall() == b.execute(query, [untouched]).fetchall(), table
        assert a.execute("select quantity from staging.stg_erp__order_lines where _record_key = ?", [changed]).fetchone()[0] == 999
        assert a.execute("select count(*) from staging.stg_erp__order_lines where _record_key = ?", [gone]).fetchone()[0] == 0
        assert a.execute("select line_no from staging.stg_erp__order_lines where _record_key = 'NEW|1'").fetchone()[0] == 99
