"""Refresh benchmark (make bench): generate sample data at a named scale, run the nightly
refresh stage by stage as the `nightly_refresh` job does, then an incremental run after 1% of
the ERP and CRM rows changed, and compare against simpler tools in the same run.

    python -m benchmarks.refresh --scale S --scale M        # make bench
    python -m benchmarks.refresh --scale L                  # make bench SCALE=L
    python -m benchmarks.refresh --customers 100            # a custom size (tests)

Per stage it prints and writes (bench-results/refresh_<scale>.json) wall time, rows, rows per
second, peak memory of this process and its children (dbt), and the load average at the
start and end (the machine may be shared). Stages:

  extract                 every registry entity: read, validate against its contract, write raw/quarantine/meta
  dbt_before_resolution   dbt build of the staging and company/person record models (+ tests)
  entity_resolution       resolution.pipeline.run_resolution (Splink, keys, golden records, people)
  dbt_after_resolution    dbt build of everything else: intermediate and mart models (+ tests)
  mart_contract_checks    the pandera contract of every mart table (blocking asset checks)
  publish                 serving.publish: the read-only BI snapshot (DuckDB + Parquet), swapped in
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import logging
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from orchestration.dbt import BEFORE_RESOLUTION
from quality.mart_contracts import MART_CONTRACTS, check_mart_table
from resolution.matching import exact_baseline, prepare_features
from resolution.pipeline import RECORDS_TABLE, run_resolution
from serving.publish import publish_snapshot
from sources.demo import Volumes, generate
from sources.load import load_entity
from sources.registry import PROJECT_ROOT, load_registry

from .measure import PeakMemory, StageResult, directory_mb, load_average, measure

AS_OF = dt.date(2026, 10, 31)
DBT = str(Path(sys.executable).parent / "dbt")  # the executable the Dagster dbt resource calls
DBT_PROJECT = PROJECT_ROOT / "dbt_project"
REFRESH_STAGES = [
    "extract", "dbt_before_resolution", "entity_resolution", "dbt_after_resolution", "mart_contract_checks", "publish",
]
CHANGED_SHARE = 0.01


@dataclass(frozen=True)
class Scale:
    name: str
    customers: int
    volumes: Volumes
    full_refresh_max_s: float | None = None
    peak_memory_max_mb: float | None = None


# M: 50,000 customers give ~1.06 million order lines at the demo's 20 lines per customer;
# 2.2 leads per CRM company give ~100,000 leads; 44 field-sales sheets + 6 other workbooks = 50.
BENCH_VOLUMES = Volumes(order_lines_per_customer=20.0, leads_per_crm_company=2.2, field_sales_workbooks=44)
SCALES = {
    "S": Scale("S", 600, Volumes()),
    "M": Scale("M", 50_000, BENCH_VOLUMES, full_refresh_max_s=180),
    "L": Scale("L", 500_000, BENCH_VOLUMES, full_refresh_max_s=1200, peak_memory_max_mb=6 * 1024),
}
TARGETS = {
    "incremental_share_of_full_max": 0.25,
    "code_location_load_s_max": 5.0,
    "excel_speedup_over_openpyxl_min": 5.0,
    "dbt_overhead_over_duckdb_max": 1.5,
}


# ---------------------------------------------------------------------------- refresh stages
def dbt_vars() -> list[str]:
    return ["--vars", json.dumps({"as_of_date": AS_OF.isoformat()})]


def prepare_dbt(work: Path) -> Path:
    """Parse the project once with the benchmark's vars, outside the timed stages, as
    `make manifest` prepares the shipped manifest: each dbt call then starts from this
    partial-parse state, as the Dagster dbt assets start from the shipped one."""
    prepared = work / "dbt_target" / "prepared"
    env = {**os.environ, "DO_NOT_TRACK": "1"}
    subprocess.run([DBT, "parse", *dbt_vars(), "--project-dir", str(DBT_PROJECT),
                    "--profiles-dir", str(DBT_PROJECT), "--target-path", str(prepared), "--quiet"],
                   cwd=DBT_PROJECT, env=env, check=True)
    return prepared


def dbt_command(args: list[str], target_path: Path, prepared: Path) -> list[str]:
    """dbt as the Dagster dbt assets call it: a fresh target path per call holding the
    prepared partial-parse state (the shipped dbt_project/target stays untouched)."""
    shutil.rmtree(target_path, ignore_errors=True)
    target_path.mkdir(parents=True)
    shutil.copy(prepared / "partial_parse.msgpack", target_path / "partial_parse.msgpack")
    return [
        DBT, *args, *dbt_vars(), "--project-dir", str(DBT_PROJECT),
        "--profiles-dir", str(DBT_PROJECT), "--target-path", str(target_path), "--quiet",
    ]


def run_dbt(args: list[str], warehouse: Path, target_path: Path, prepared: Path) -> tuple[int, dict[str, object]]:
    env = {**os.environ, "SMARTDATA_WAREHOUSE": str(warehouse), "DO_NOT_TRACK": "1"}
    completed = subprocess.run(dbt_command(args, target_path, prepared), cwd=DBT_PROJECT, env=env,
                               capture_output=True, text=True)
    if completed.returncode != 0:
        raise RuntimeError(f"dbt {' '.join(args)} failed:\n{completed.stdout[-4000:]}\n{completed.stderr[-4000:]}")
    results = json.loads((target_path / "run_results.json").read_text())["results"]
    models = [r["unique_id"] for r in results if r["unique_id"].startswith("model.")]
    tests = [r for r in results if r["unique_id"].startswith(("test.", "unit_test."))]
    manifest = json.loads((target_path / "manifest.json").read_text())
    relations = [manifest["nodes"][m]["relation_name"] for m in models]
    return 0, {
        "models": len(models),
        "tests": len(tests),
        "tests_failed": sum(r["status"] in ("fail", "error") for r in tests),
        "model_seconds": round(sum(r["execution_time"] for r in results if r["unique_id"].startswith("model.")), 2),
        "test_seconds": round(sum(r["execution_time"] for r in tests), 2),
        "relations": relations,
    }


def rows_in_tables(warehouse: Path, relations: list[str]) -> int:
    """Rows in the tables a dbt stage built (views hold none of their own)."""
    names = {tuple(part.strip('"') for part in r.split(".")[-2:]) for r in relations}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute("select schema_name, table_name, estimated_size from duckdb_tables()").fetchall()
    return int(sum(size for schema, table, size in tables if (schema, table) in names))


def refresh(
    sources: Path, warehouse: Path, work: Path, prepared: Path, memory: PeakMemory, label: str
) -> list[StageResult]:
    """One nightly refresh, stage by stage, in the job's order."""
    registry = load_registry()
    truth = sources / "_truth" / "records.csv"
    run_id = uuid.uuid4().hex[:12]  # one load id for every entity, as in a Dagster run
    stages: list[StageResult] = []

    def extract() -> tuple[int, dict[str, object]]:
        per_entity = {}
        for name in registry.entities:
            started = time.perf_counter()
            report = load_entity(name, warehouse=warehouse, sources_dir=sources, registry=registry,
                                 load_id=run_id)
            # an unchanged file source is not read: its report repeats the last load's counts
            read = report.mode != "unchanged"
            per_entity[name] = {"seconds": round(time.perf_counter() - started, 2),
                                "rows_read": report.rows_read if read else 0,
                                "rows_quarantined": report.rows_quarantined if read else 0, "mode": report.mode}
        return sum(e["rows_read"] for e in per_entity.values()), {"entities": per_entity}

    def dbt_stage(selection: list[str]) -> Callable[[], tuple[int, dict[str, object]]]:
        def run() -> tuple[int, dict[str, object]]:
            return run_dbt(["build", *selection, "--indirect-selection", "cautious"], warehouse,
                           work / "dbt_target" / label, prepared)
        return run

    def resolution() -> tuple[int, dict[str, object]]:
        report = run_resolution(warehouse, run_id=run_id, truth_path=truth if truth.exists() else None)
        return report.records + report.person_records, {
            "company_records": report.records, "customers": report.customers,
            "person_records": report.person_records, "persons": report.persons,
            "matching_mode": report.matching_mode, "matching_reason": report.matching_reason,
            "records_rescored": report.records_rescored,
            "splink": report.splink_score.as_dict() if report.splink_score else None,
            "person_matching": report.person_score.as_dict() if report.person_score else None,
        }

    def contract_checks() -> tuple[int, dict[str, object]]:
        rows, failing = 0, {}
        with duckdb.connect(str(warehouse), read_only=True) as con:
            for table in MART_CONTRACTS:
                frame = con.execute(f'select * from mart."{table}"').df()
                result, failing_rows = check_mart_table(frame, table)
                if failing_rows or result.schema_problems:
                    failing[table] = failing_rows
                rows += len(frame)
        return rows, {"tables": len(MART_CONTRACTS), "failing_tables": failing}

    def publish() -> tuple[int, dict[str, object]]:
        snapshot = publish_snapshot(warehouse, work / "published" / label)
        return sum(snapshot.tables.values()), {"tables": len(snapshot.tables), "snapshot": str(snapshot.directory)}

    def dbt_rows(stage: StageResult) -> StageResult:
        stage.rows = rows_in_tables(warehouse, stage.detail.pop("relations"))
        stage.rows_per_second = round(stage.rows / stage.seconds) if stage.seconds else None
        return stage

    print(f"\n{label} refresh\n{STAGE_HEADER}", flush=True)
    for name, run in [
        ("extract", extract),
        ("dbt_before_resolution", dbt_stage(["--select", BEFORE_RESOLUTION])),
        ("entity_resolution", resolution),
        ("dbt_after_resolution", dbt_stage(["--exclude", BEFORE_RESOLUTION])),
        ("mart_contract_checks", contract_checks),
        ("publish", publish),
    ]:
        stage = measure(name, memory, run)
        stages.append(dbt_rows(stage) if name.startswith("dbt_") else stage)
        print_stage(stages[-1])
    return stages


# ---------------------------------------------------------------------------- 1% changed
def change_sources(sources: Path, share: float = CHANGED_SHARE) -> dict[str, int]:
    """Give `share` of the ERP and CRM rows a new change date (as an overnight edit would):
    ERP rows get a new changed_at, CRM export rows a new Last Modified Date (activities, which
    have none, a changed subject)."""
    every = round(1 / share)
    changed_at = max(dt.datetime.now().replace(microsecond=0), dt.datetime.combine(AS_OF, dt.time(23, 0)))
    changed: dict[str, int] = {}
    with sqlite3.connect(sources / "erp" / "erp.sqlite") as con:
        for table in ("customer_master", "sales_order", "sales_order_line", "invoice"):
            cursor = con.execute(f"update {table} set changed_at = ? where rowid % ? = 0",
                                 [changed_at.isoformat(sep=" "), every])
            changed[f"erp.{table}"] = cursor.rowcount
    stamp = changed_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    for path in sorted((sources / "crm").glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        header, body = rows[0], rows[1:]
        column = header.index("Last Modified Date") if "Last Modified Date" in header else header.index("Subject")
        for row in body[every - 1 :: every]:
            row[column] = stamp if header[column] == "Last Modified Date" else row[column] + " (aktualisiert)"
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(body)
        changed[f"crm.{path.stem}"] = len(body[every - 1 :: every])
    return changed


# ---------------------------------------------------------------------------- comparisons
def code_location_load(warehouse: Path, sources: Path, repetitions: int = 5) -> dict[str, object]:
    """Seconds to import the Dagster code location in a fresh interpreter (the prepared
    manifest is read, dbt is not parsed), beside the floor: importing dagster and
    dagster-dbt alone on the same machine."""
    env = {**os.environ, "SMARTDATA_WAREHOUSE": str(warehouse), "SMARTDATA_SOURCES_DIR": str(sources),
           "DO_NOT_TRACK": "1", "DAGSTER_DISABLE_TELEMETRY": "1", "PYTHONWARNINGS": "ignore",
           # dagster-dbt looks for the dbt executable on PATH, as under `uv run`
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}

    def median_seconds(code: str) -> tuple[float, list[float]]:
        seconds = []
        for _ in range(repetitions):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, env=env, check=True, capture_output=True)
            seconds.append(round(time.perf_counter() - started, 2))
        return statistics.median(seconds), seconds

    median, runs = median_seconds("import orchestration.definitions")
    floor, floor_runs = median_seconds("import dagster, dagster_dbt")
    return {"median_s": median, "runs_s": runs, "import_dagster_and_dagster_dbt_median_s": floor,
            "import_dagster_and_dagster_dbt_runs_s": floor_runs, "target_s_max": TARGETS["code_location_load_s_max"],
            "target_met": median < TARGETS["code_location_load_s_max"]}


def excel_comparison(sources: Path) -> dict[str, object]:
    """Every cell of every sheet of every workbook into Python: python-calamine (our reader's
    engine) against pandas with openpyxl."""
    from python_calamine import CalamineWorkbook

    books = sorted((sources / "excel").glob("*.xlsx"))
    started = time.perf_counter()
    cells = 0
    for path in books:
        workbook = CalamineWorkbook.from_path(str(path))
        for sheet in workbook.sheet_names:
            rows = workbook.get_sheet_by_name(sheet).to_python()
            cells += sum(len(r) for r in rows)
    calamine_s = time.perf_counter() - started
    started = time.perf_counter()
    for path in books:
        pd.read_excel(path, sheet_name=None, header=None, dtype=object, engine="openpyxl")
    openpyxl_s = time.perf_counter() - started
    speedup = openpyxl_s / calamine_s if calamine_s else None
    return {"workbooks": len(books), "cells": cells, "calamine_s": round(calamine_s, 2),
            "pandas_openpyxl_s": round(openpyxl_s, 2), "speedup": round(speedup, 1) if speedup else None,
            "target_min": TARGETS["excel_speedup_over_openpyxl_min"],
            "target_met": bool(speedup and speedup >= TARGETS["excel_speedup_over_openpyxl_min"])}


def dbt_comparison(warehouse: Path, work: Path, prepared: Path) -> dict[str, object]:
    """`dbt run --full-refresh` of every model against the same compiled SQL run directly on DuckDB as
    CREATE TABLE / CREATE VIEW statements in dbt's own order, each on a copy of the refreshed
    warehouse (same file name, so the compiled three-part names resolve)."""
    via_dbt, direct = work / "compare_dbt" / warehouse.name, work / "compare_direct" / warehouse.name
    for copy in (via_dbt, direct):
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(warehouse, copy)
    target = work / "dbt_target" / "compare"
    started = time.perf_counter()
    # --full-refresh: the incremental staging models build whole, as the direct SQL does
    _, detail = run_dbt(["run", "--full-refresh"], via_dbt, target, prepared)
    dbt_s = time.perf_counter() - started

    manifest = json.loads((target / "manifest.json").read_text())
    order = [r["unique_id"] for r in json.loads((target / "run_results.json").read_text())["results"]]
    statements = []
    for unique_id in order:  # completion order: every model after the models it reads
        node = manifest["nodes"][unique_id]
        kind = "view" if node["config"]["materialized"] == "view" else "table"
        statements.append(f"create or replace {kind} {node['relation_name']} as (\n{node['compiled_code']}\n)")
    started = time.perf_counter()
    with duckdb.connect(str(direct)) as con:
        for statement in statements:
            con.execute(statement)
    direct_s = time.perf_counter() - started
    overhead = dbt_s / direct_s if direct_s else None
    for copy in (via_dbt, direct):
        shutil.rmtree(copy.parent)
    return {"models": len(statements), "dbt_run_s": round(dbt_s, 2), "dbt_model_execution_s": detail["model_seconds"],
            "duckdb_direct_s": round(direct_s, 2), "overhead": round(overhead, 2) if overhead else None,
            "target_max": TARGETS["dbt_overhead_over_duckdb_max"],
            "target_met": bool(overhead and overhead < TARGETS["dbt_overhead_over_duckdb_max"])}


def resolution_comparison(warehouse: Path, resolution_stage: StageResult) -> dict[str, object]:
    """Splink resolution against the exact-match baseline (same normalised name and
    postcode): F1 of both against the generator's truth, and the time of each."""
    started = time.perf_counter()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        records = con.execute(f"select * from {RECORDS_TABLE}").df()
    exact_baseline(prepare_features(records))
    baseline_s = time.perf_counter() - started
    with duckdb.connect(str(warehouse), read_only=True) as con:
        row = con.execute("select f1, baseline_f1 from resolution.match_runs order by resolved_at desc limit 1").fetchone()
    return {"splink_resolution_s": resolution_stage.seconds, "exact_baseline_s": round(baseline_s, 2),
            "slowdown": round(resolution_stage.seconds / baseline_s, 1) if baseline_s else None,
            "splink_f1": round(row[0], 4) if row and row[0] is not None else None,
            "exact_baseline_f1": round(row[1], 4) if row and row[1] is not None else None}


# ---------------------------------------------------------------------------- one scale
def total_seconds(stages: list[StageResult]) -> float:
    return round(sum(s.seconds or 0 for s in stages if s.stage in REFRESH_STAGES), 2)


STAGE_HEADER = f"  {'stage':24} {'status':8} {'seconds':>9} {'rows':>12} {'rows/s':>10} {'peak MB':>8}  load start -> end"


def print_stage(s: StageResult) -> None:
    def cell(value: object) -> str:
        return "-" if value is None else str(value)

    print(f"  {s.stage:24} {s.status:8} {cell(s.seconds):>9} {cell(s.rows):>12} {cell(s.rows_per_second):>10} "
          f"{cell(s.peak_rss_mb):>8}  {s.load_avg_start} -> {s.load_avg_end}", flush=True)


def run_scale(
    scale: Scale, seed: int, work_root: Path, out: Path, comparisons: bool, load_repetitions: int = 5
) -> dict[str, object]:
    work = work_root / f"refresh_{scale.name}"
    shutil.rmtree(work, ignore_errors=True)
    sources, warehouse = work / "sources", work / "warehouse.duckdb"
    result: dict[str, object] = {
        "benchmark": "refresh", "scale": scale.name, "customers": scale.customers, "seed": seed,
        "volumes": scale.volumes.__dict__, "cpu_count": os.cpu_count(),
        "started_at": dt.datetime.now().isoformat(timespec="seconds"), "load_avg_start": load_average(),
    }
    with PeakMemory() as memory:
        print(f"\nscale {scale.name}: {scale.customers:,} customers\n{STAGE_HEADER}", flush=True)
        generation = measure("generate", memory, lambda: _generate(sources, scale, seed))
        print_stage(generation)

        prepared = prepare_dbt(work)
        full = refresh(sources, warehouse, work, prepared, memory, "full")
        changes = change_sources(sources)
        print(f"\nchanged {CHANGED_SHARE:.0%} of the ERP and CRM rows: {changes}")
        incremental = refresh(sources, warehouse, work, prepared, memory, "incremental")

        full_s, incremental_s = total_seconds(full), total_seconds(incremental)
        peak_mb = max(s.peak_rss_mb or 0 for s in [*full, *incremental])
        result.update(
            generation=generation.as_dict(),
            source_mb=directory_mb(sources),
            full_refresh={"seconds": full_s, "peak_rss_mb": peak_mb, "stages": [s.as_dict() for s in full]},
            changed_rows=changes,
            incremental_refresh={"seconds": incremental_s, "share_of_full": round(incremental_s / full_s, 3),
                                 "stages": [s.as_dict() for s in incremental]},
        )
        missing = [s.stage for s in full if s.status == "missing"]
        targets: dict[str, object] = {
            "missing_stages": missing,
            "incremental_share_of_full": {"value": round(incremental_s / full_s, 3),
                                          "max": TARGETS["incremental_share_of_full_max"],
                                          "met": incremental_s / full_s <= TARGETS["incremental_share_of_full_max"]},
        }
        if scale.full_refresh_max_s:
            targets["full_refresh_s"] = {"value": full_s, "max": scale.full_refresh_max_s,
                                         "met": full_s <= scale.full_refresh_max_s}
        if scale.peak_memory_max_mb:
            targets["peak_rss_mb"] = {"value": peak_mb, "max": scale.peak_memory_max_mb,
                                      "met": peak_mb < scale.peak_memory_max_mb}
        targets["generation_faster_than_refresh"] = {"generate_s": generation.seconds, "refresh_s": full_s,
                                                     "met": (generation.seconds or 0) < full_s}
        result["code_location_load"] = code_location_load(warehouse, sources, load_repetitions)
        targets["code_location_load_s"] = {"value": result["code_location_load"]["median_s"],
                                           "max": TARGETS["code_location_load_s_max"],
                                           "met": result["code_location_load"]["target_met"]}
        if comparisons:
            result["comparisons"] = {
                "excel_calamine_vs_pandas_openpyxl": excel_comparison(sources),
                "dbt_vs_duckdb_direct": dbt_comparison(warehouse, work, prepared),
                "resolution_vs_exact_baseline": resolution_comparison(warehouse, full[2]),
            }
    result["targets"] = targets
    result["load_avg_end"] = load_average()
    result["finished_at"] = dt.datetime.now().isoformat(timespec="seconds")
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"refresh_{scale.name}.json"
    path.write_text(json.dumps(result, indent=2))
    print(f"\nfull refresh {full_s} s, incremental {incremental_s} s ({incremental_s / full_s:.0%} of full), "
          f"peak {peak_mb} MB, code location {result['code_location_load']['median_s']} s")
    if comparisons:
        print(json.dumps(result["comparisons"], indent=2))
    print(f"written to {path}")
    return result


def _generate(sources: Path, scale: Scale, seed: int) -> tuple[int, dict[str, object]]:
    summary = generate(sources, scale.customers, seed, AS_OF, scale.volumes).as_dict()
    rows = sum(v for k, v in summary.items() if k.startswith(("erp_", "crm_", "excel_", "webshop_")) and k != "excel_files")
    return rows, summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", action="append", choices=sorted(SCALES), help="S, M or L (repeatable; default S and M)")
    parser.add_argument("--customers", type=int, help="a custom scale with this many customers (demo volumes)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--no-comparisons", action="store_true", help="skip the Excel/dbt/resolution comparisons")
    parser.add_argument("--load-repetitions", type=int, default=5, help="code-location imports timed (median)")
    parser.add_argument("--work", type=Path, default=PROJECT_ROOT / "data" / "bench", help="where data is generated")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "bench-results", help="where the JSON goes")
    args = parser.parse_args(argv)
    logging.getLogger("splink").setLevel(logging.ERROR)  # training notes, not results
    scales = [Scale(f"custom{args.customers}", args.customers, Volumes())] if args.customers else [
        SCALES[name] for name in (args.scale or ["S", "M"])
    ]
    for scale in scales:
        run_scale(scale, args.seed, args.work, args.out, comparisons=not args.no_comparisons,
                  load_repetitions=args.load_repetitions)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
