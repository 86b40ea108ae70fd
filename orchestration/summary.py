"""Print where the mart is, rows per mart table and rows quarantined per source."""

from __future__ import annotations

import sys

import duckdb

from .settings import Settings


def summarise(settings: Settings) -> str:
    lines = [f"Smart-data mart: {settings.warehouse} (schema `mart`)", ""]
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        tables = con.execute(
            "select table_name from information_schema.tables where table_schema = 'mart' order by 1"
        ).fetchall()
        lines.append("Mart tables (rows):")
        for (table,) in tables:
            rows = con.execute(f'select count(*) from mart."{table}"').fetchone()[0]
            lines.append(f"  {table:32} {rows:>10,}")
        lines += ["", "Sources, last load (read / accepted / quarantined / warned; owner):"]
        loads = con.execute(
            """select entity, status, rows_read, rows_accepted, rows_quarantined, rows_warned, owner, message
               from meta.load_log qualify row_number() over (partition by entity order by started_at desc) = 1
               order by entity"""
        ).fetchall()
        for entity, status, read, accepted, quarantined, warned, owner, message in loads:
            if status == "success":
                lines.append(f"  {entity:24} {read:>9,} {accepted:>9,} {quarantined:>7,} {warned:>7,}  {owner}")
            else:
                lines.append(f"  {entity:24} FAILED: {message}")
        runs = con.execute(
            "select records, customers, review_pairs, f1, baseline_f1 from resolution.match_runs "
            "order by resolved_at desc limit 1"
        ).fetchall() if con.execute(
            "select count(*) from information_schema.tables where table_schema = 'resolution' and table_name = 'match_runs'"
        ).fetchone()[0] else []
        if runs:
            records, customers, review, f1, baseline = runs[0]
            lines += ["", f"Entity resolution: {records:,} company records -> {customers:,} customers; "
                      f"{review} uncertain pairs to review"
                      + (f"; pairwise F1 {f1:.3f} vs {baseline:.3f} for exact name+postcode (ground truth)" if f1 is not None else "")]
    from serving.publish import current_snapshot, default_publish_dir

    snapshot = current_snapshot(default_publish_dir())
    if snapshot is not None:
        lines += ["", f"For BI tools (read-only, swapped atomically): {default_publish_dir() / 'current' / 'smartdata.duckdb'}"
                  f" and Parquet in {default_publish_dir() / 'current' / 'parquet'} (published {snapshot.published_at})"]
    lines += [
        "",
        "Quarantined rows still to fix: quarantine.<entity>_open (rules, reason, file, sheet, row);",
        "every load's quarantined rows: quarantine.<entity>; quality over time: mart.data_quality_loads.",
        "Open the Dagster UI:  make ui   (dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000)",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    try:
        print(summarise(Settings.from_env()))
    except duckdb.Error as exc:
        print(f"cannot read the warehouse: {exc}", file=sys.stderr)
        raise SystemExit(1)
