"""Publish the mart as a read-only snapshot for BI tools.

BI tools cannot open the warehouse while a refresh writes it (DuckDB allows one writing
process per file), so every successful run writes a new snapshot and swaps it in:

    <publish_dir>/snapshots/<id>/smartdata.duckdb   only the schema `mart`
    <publish_dir>/snapshots/<id>/parquet/<table>.parquet
    <publish_dir>/snapshots/<id>/manifest.json      tables, rows, when
    <publish_dir>/current -> snapshots/<id>         swapped atomically (os.replace)

A snapshot is built under a temporary name and only becomes `current` once complete and
verified; anything that fails before leaves the previous snapshot in place. The DuckDB file
is written in the v1.0.0 storage format so that DuckDB 1.x readers (BI drivers lag behind)
can open it. Personal data follows serving/privacy.yaml.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from sources.registry import PROJECT_ROOT

from .privacy import PrivacyPolicy, load_policy

MART_SCHEMA = "mart"
SNAPSHOT_FILE = "smartdata.duckdb"  # not mart.duckdb: the catalog name would clash with schema mart
# DuckDB >= 0.10 and every 1.x can read this format (storage version number 64).
STORAGE_COMPATIBILITY_VERSION = "v1.0.0"
KEEP_SNAPSHOTS = 3  # readers that opened an older snapshot keep their files for a while


class PublishError(RuntimeError):
    """The snapshot could not be built; the previous one stays current."""


@dataclass(frozen=True)
class Snapshot:
    directory: Path
    tables: dict[str, int]  # table -> rows
    published_at: str

    @property
    def duckdb_path(self) -> Path:
        return self.directory / SNAPSHOT_FILE

    def parquet_path(self, table: str) -> Path:
        return self.directory / "parquet" / f"{table}.parquet"


def default_publish_dir() -> Path:
    return Path(os.environ.get("SMARTDATA_PUBLISH_DIR", PROJECT_ROOT / "data" / "published"))


def current_snapshot(publish_dir: Path) -> Snapshot | None:
    link = publish_dir / "current"
    if not link.exists():
        return None
    directory = link.resolve()
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    return Snapshot(directory=directory, tables=manifest["tables"], published_at=manifest["published_at"])


def _sql_string(value: str | Path) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _mart_columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    rows = con.execute(
        "select table_name, column_name from information_schema.columns "
        "where table_catalog = 'warehouse' and table_schema = ? order by table_name, ordinal_position",
        [MART_SCHEMA],
    ).fetchall()
    tables: dict[str, list[str]] = {}
    for table, column in rows:
        tables.setdefault(table, []).append(column)
    return tables


def _write_snapshot(warehouse: Path, target: Path, policy: PrivacyPolicy) -> dict[str, int]:
    (target / "parquet").mkdir(parents=True)
    con = duckdb.connect()
    try:
        con.execute(f"attach {_sql_string(warehouse)} as warehouse (read_only)")
        tables = _mart_columns(con)
        if not tables:
            raise PublishError(f"the warehouse {warehouse} has no tables in schema {MART_SCHEMA}")
        # privacy first: an unlisted personal column stops the publish before anything is written
        projections = {table: policy.projection(table, columns) for table, columns in tables.items()}
        con.execute(
            f"attach {_sql_string(target / SNAPSHOT_FILE)} as snapshot "
            f"(storage_version {_sql_string(STORAGE_COMPATIBILITY_VERSION)})"
        )
        con.execute(f"create schema snapshot.{MART_SCHEMA}")
        rows: dict[str, int] = {}
        for table, projection in projections.items():
            con.execute(
                f'create table snapshot.{MART_SCHEMA}."{table}" as '
                f'select {", ".join(projection)} from warehouse.{MART_SCHEMA}."{table}"'
            )
            rows[table] = con.execute(f'select count(*) from snapshot.{MART_SCHEMA}."{table}"').fetchone()[0]
            con.execute(
                f'copy snapshot.{MART_SCHEMA}."{table}" to {_sql_string(target / "parquet" / f"{table}.parquet")} '
                "(format parquet, compression zstd)"
            )
        con.execute("detach snapshot")  # checkpoints: the file is complete, no WAL
    finally:
        con.close()
    return rows


def _verify(target: Path, expected: dict[str, int]) -> None:
    with duckdb.connect(str(target / SNAPSHOT_FILE), read_only=True) as con:
        schemas = {s for (s,) in con.execute("select distinct table_schema from information_schema.tables").fetchall()}
        if schemas != {MART_SCHEMA}:
            raise PublishError(f"snapshot has schemas {sorted(schemas)}, expected only {MART_SCHEMA}")
        for table, rows in expected.items():
            found = con.execute(f'select count(*) from {MART_SCHEMA}."{table}"').fetchone()[0]
            parquet = con.execute(
                f"select count(*) from read_parquet({_sql_string(target / 'parquet' / f'{table}.parquet')})"
            ).fetchone()[0]
            if found != rows or parquet != rows:
                raise PublishError(f"snapshot table {table}: {found} rows in DuckDB, {parquet} in Parquet, expected {rows}")


def publish_snapshot(
    warehouse: Path,
    publish_dir: Path,
    policy: PrivacyPolicy | None = None,
    keep: int = KEEP_SNAPSHOTS,
) -> Snapshot:
    """Copy the warehouse's mart into a new snapshot and make it `current` atomically."""
    policy = policy or load_policy()
    now = dt.datetime.now(dt.timezone.utc)
    snapshot_id = now.strftime("%Y%m%dT%H%M%S%fZ")
    snapshots = publish_dir / "snapshots"
    building = snapshots / f".building-{snapshot_id}"
    final = snapshots / snapshot_id
    try:
        rows = _write_snapshot(warehouse, building, policy)
        _verify(building, rows)
        published_at = now.isoformat(timespec="seconds")
        (building / "manifest.json").write_text(
            json.dumps(
                {
                    "published_at": published_at,
                    "schema": MART_SCHEMA,
                    "storage_compatibility_version": STORAGE_COMPATIBILITY_VERSION,
                    "tables": rows,
                },
                indent=2,
            ),
            encoding="utf-8",
        )
        os.rename(building, final)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    link_tmp = publish_dir / f".current-{snapshot_id}"
    link_tmp.symlink_to(Path("snapshots") / snapshot_id, target_is_directory=True)
    os.replace(link_tmp, publish_dir / "current")  # the swap: readers see the old or the new snapshot
    _prune(snapshots, keep=keep, current=final)
    return Snapshot(directory=final, tables=rows, published_at=published_at)


def _prune(snapshots: Path, keep: int, current: Path) -> None:
    finished = sorted(p for p in snapshots.iterdir() if p.is_dir() and not p.name.startswith("."))
    for old in finished[:-keep]:
        if old != current:
            shutil.rmtree(old, ignore_errors=True)
