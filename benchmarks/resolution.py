"""Entity-resolution benchmark: generate N customers, load and stage them, then time the
matching step and score it against the generator's ground truth (Splink vs exact match).

    python -m benchmarks.resolution --customers 50000 [--seed 42] [--out bench-results]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from resolution.pipeline import run_resolution
from sources.demo.generator import generate
from sources.load import load_entity
from sources.registry import PROJECT_ROOT, load_registry

COMPANY_ENTITIES = [
    "erp_customers", "crm_companies", "excel_field_sales", "excel_christmas_cards",
    "excel_trade_fair", "excel_service_visits", "excel_referrals", "crm_contacts",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "bench-results")
    args = parser.parse_args(argv)

    work = PROJECT_ROOT / "data" / "bench" / f"resolution_{args.customers}_{args.seed}"
    sources, warehouse = work / "sources", work / "warehouse.duckdb"
    warehouse.unlink(missing_ok=True)
    timings: dict[str, float] = {}

    started = time.perf_counter()
    generate(sources, customers=args.customers, seed=args.seed, as_of=dt.date(2026, 10, 31))
    timings["generate_s"] = time.perf_counter() - started

    started = time.perf_counter()
    registry = load_registry()
    for entity in COMPANY_ENTITIES:
        load_entity(entity, warehouse=warehouse, sources_dir=sources, registry=registry)
    timings["extract_s"] = time.perf_counter() - started

    started = time.perf_counter()
    env = {**os.environ, "SMARTDATA_WAREHOUSE": str(warehouse), "DO_NOT_TRACK": "1"}
    dbt = [sys.executable, "-m", "dbt.cli.main"]
    project = PROJECT_ROOT / "dbt_project"
    for command in (["seed"], ["run", "--select", "+int_company_records +int_person_records"]):
        subprocess.run([*dbt, *command, "--profiles-dir", str(project), "--quiet"], cwd=project, env=env, check=True)
    timings["dbt_staging_s"] = time.perf_counter() - started

    started = time.perf_counter()
    report = run_resolution(warehouse, run_id="bench", truth_path=sources / "_truth" / "records.csv")
    timings["matching_s"] = time.perf_counter() - started

    result = {
        "benchmark": "entity_resolution",
        "customers": args.customers,
        "seed": args.seed,
        "records": report.records,
        "customers_found": report.customers,
        "splink": report.splink_score.as_dict() if report.splink_score else None,
        "exact_name_postcode": report.baseline_score.as_dict() if report.baseline_score else None,
        "person_records": report.person_records,
        "persons": report.persons,
        "person_matching": report.person_score.as_dict() if report.person_score else None,
        "review_pairs": len(report.review_pairs),
        "timings": {k: round(v, 1) for k, v in timings.items()},
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "targets": {"matching_s_max": 120, "f1_min": 0.95},
    }
    result["targets_met"] = bool(
        timings["matching_s"] <= 120 and report.splink_score and report.splink_score.f1 >= 0.95
    )
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"resolution_{args.customers}.json"
    path.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    print(f"written to {path}")
    return 0 if result["targets_met"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
