"""Extract one registered source entity, validate it against its contract and write it
to the warehouse: accepted rows to raw.<entity>, rejected rows to quarantine.<entity>,
counts to meta.load_log and meta.rule_violations. One transaction per entity, so a
failure leaves what the warehouse held before untouched.

Run it without Dagster: `python -m sources.load [--warehouse PATH] [entity ...]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from quality.validate import ValidationResult, sample_failures_markdown, validate

from .errors import SourceError
from .readers import read_entity
from .registry import Registry, SourceEntity, default_sources_dir, default_warehouse_path, load_registry

QUARANTINE_COLUMNS = """
    load_id varchar, loaded_at timestamp, record_key varchar, source_file varchar,
    source_sheet varchar, source_row bigint, rules varchar, reason varchar,
    violations varchar, record varchar
"""

META_DDL = [
    "create schema if not exists raw",
    "create schema if not exists quarantine",
    "create schema if not exists meta",
    """create table if not exists meta.load_log (
        load_id varchar, entity varchar, system varchar, location varchar,
        owner varchar, steward varchar, started_at timestamp, finished_at timestamp,
        rows_read bigint, rows_accepted bigint, rows_quarantined bigint, rows_warned bigint,
        rows_skipped bigint, status varchar, message varchar)""",
    """create table if not exists meta.source_columns (
        load_id varchar, entity varchar, source_file varchar, position integer, header varchar)""",
    """create table if not exists meta.rule_violations (
        load_id varchar, entity varchar, rule varchar, severity varchar, column_name varchar,
        rows bigint, message varchar)""",
    """create table if not exists meta.field_completeness (
        load_id varchar, entity varchar, column_name varchar, is_key_field boolean,
        rows_read bigint, rows_filled bigint)""",
]


def field_completeness(frame: pd.DataFrame, entity: SourceEntity) -> pd.DataFrame:
    """Filled values per data column over all rows read (quarantined rows included); the
    registry's required and key columns are the key fields."""
    key_fields = set(entity.required) | set(entity.key)
    columns = [c for c in frame.columns if not str(c).startswith("_")]
    text = frame[columns].astype("string")
    filled = (text.notna() & text.apply(lambda s: s.str.strip().ne(""))).sum()
    return pd.DataFrame(
        {
            "column_name": columns,
            "is_key_field": [c in key_fields for c in columns],
            "rows_read": len(frame),
            "rows_filled": [int(filled[c]) for c in columns],
        }
    )


def open_quarantine_view(entity_name: str) -> str:
    """quarantine.<entity>_open: the rows the latest successful load quarantined, i.e. what
    the owner still has to fix. quarantine.<entity> keeps every load's rows (history); a row
    fixed at the source loads into raw on the next run and is no longer open."""
    return f"""create or replace view quarantine."{entity_name}_open" as
        select * from quarantine."{entity_name}"
        where load_id = (select load_id from meta.load_log
                         where entity = '{entity_name}' and status = 'success'
                         order by started_at desc limit 1)"""


@dataclass
class LoadReport:
    entity: str
    load_id: str
    locations: list[str]
    rows_read: int
    rows_accepted: int
    rows_quarantined: int
    rows_warned: int
    rows_skipped: int
    skipped_reasons: dict[str, int]
    rule_counts: pd.DataFrame
    failures_markdown: str
    unknown_columns: dict[str, list[str]] = field(default_factory=dict)
    preview: pd.DataFrame | None = None
    # per file or table: header columns added and removed since the last successful load
    schema_drift: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    source_updated_at: dt.datetime | None = None

    @property
    def error_rate(self) -> float:
        return self.rows_quarantined / self.rows_read if self.rows_read else 0.0


def _sql_select(frame: pd.DataFrame) -> str:
    """Text columns are stored as VARCHAR even when a load happens to hold only nulls."""
    parts = []
    for column, dtype in frame.dtypes.items():
        quoted = '"' + str(column).replace('"', '""') + '"'
        parts.append(f"cast({quoted} as varchar) as {quoted}" if dtype == object else quoted)
    return ", ".join(parts)


def ensure_meta(connection: duckdb.DuckDBPyConnection) -> None:
    for statement in META_DDL:
        connection.execute(statement)


def previous_headers(connection: duckdb.DuckDBPyConnection, entity: str) -> dict[str, list[str]]:
    """The headers of each file at the entity's last successful load."""
    ensure_meta(connection)
    rows = connection.execute(
        """select source_file, header from meta.source_columns
           where entity = ? and load_id = (
               select load_id from meta.load_log where entity = ? and status = 'success'
               order by started_at desc limit 1)
           order by source_file, position""",
        [entity, entity],
    ).fetchall()
    headers: dict[str, list[str]] = {}
    for source_file, header in rows:
        headers.setdefault(source_file, []).append(header)
    return headers


def schema_drift(before: dict[str, list[str]], now: dict[str, list[str]]) -> dict[str, dict[str, list[str]]]:
    """Columns added or removed per file since the last load (a rename shows as both)."""
    drift: dict[str, dict[str, list[str]]] = {}
    for source_file in sorted(set(before) & set(now)):
        added = sorted(set(now[source_file]) - set(before[source_file]))
        removed = sorted(set(before[source_file]) - set(now[source_file]))
        if added or removed:
            drift[source_file] = {"added": added, "removed": removed}
    return drift


def write_load(
    connection: duckdb.DuckDBPyConnection,
    entity: SourceEntity,
    system: str,
    result: ValidationResult,
    load_id: str,
    started_at: dt.datetime,
    locations: list[str],
    rows_skipped: int,
    headers: dict[str, list[str]] | None = None,
) -> None:
    loaded_at = dt.datetime.now()
    accepted = result.accepted.copy()
    accepted["_load_id"] = load_id
    accepted["_loaded_at"] = loaded_at
    quarantined = result.quarantined
    data_columns = [c for c in quarantined.columns if c not in ("_rules", "_reason", "_violations")]
    quarantine_rows = pd.DataFrame(
        {
            "load_id": load_id,
            "loaded_at": loaded_at,
            "record_key": quarantined.get("_record_key"),
            "source_file": quarantined.get("_source_file"),
            "source_sheet": quarantined.get("_source_sheet"),
            "source_row": quarantined.get("_source_row"),
            "rules": quarantined["_rules"],
            "reason": quarantined["_reason"],
            "violations": quarantined["_violations"],
            "record": quarantined[data_columns].to_json(orient="records", lines=True, force_ascii=False, date_format="iso").splitlines()
            if len(quarantined) else pd.Series(dtype=object),
        }
    )
    rule_counts = result.rule_counts().assign(load_id=load_id, entity=entity.name)
    completeness = field_completeness(
        pd.concat([result.accepted, quarantined[[c for c in quarantined.columns if c in result.accepted.columns]]]),
        entity,
    ).assign(load_id=load_id, entity=entity.name)

    connection.execute("begin transaction")
    try:
        ensure_meta(connection)
        connection.register("accepted_frame", accepted)
        connection.execute(
            f'create or replace table raw."{entity.name}" as select {_sql_select(accepted)} from accepted_frame'
        )
        connection.unregister("accepted_frame")
        connection.execute(f'create table if not exists quarantine."{entity.name}" ({QUARANTINE_COLUMNS})')
        if len(quarantine_rows):
            connection.register("quarantine_frame", quarantine_rows)
            connection.execute(f'insert into quarantine."{entity.name}" select * from quarantine_frame')
            connection.unregister("quarantine_frame")
        header_rows = [
            (load_id, entity.name, source_file, position, header)
            for source_file, columns in (headers or {}).items()
            for position, header in enumerate(columns)
        ]
        if header_rows:
            connection.executemany("insert into meta.source_columns values (?, ?, ?, ?, ?)", header_rows)
        if len(rule_counts):
            connection.register("rule_frame", rule_counts)
            connection.execute(
                "insert into meta.rule_violations select load_id, entity, rule, severity, "
                "\"column\", rows, message from rule_frame"
            )
            connection.unregister("rule_frame")
        connection.register("completeness_frame", completeness)
        connection.execute(
            "insert into meta.field_completeness select load_id, entity, column_name, is_key_field, "
            "rows_read, rows_filled from completeness_frame"
        )
        connection.unregister("completeness_frame")
        connection.execute(open_quarantine_view(entity.name))
        connection.execute(
            "insert into meta.load_log values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'success', null)",
            [
                load_id, entity.name, system, "; ".join(locations), entity.owner, entity.steward,
                started_at, dt.datetime.now(), result.rows_read, len(result.accepted),
                len(result.quarantined), result.rows_warned, rows_skipped,
            ],
        )
        connection.execute("commit")
    except Exception:
        connection.execute("rollback")
        raise


def record_failure(
    warehouse: Path, entity: SourceEntity, system: str, load_id: str, started_at: dt.datetime, message: str
) -> None:
    """A failed load is logged too (the raw table is left as it was)."""
    with duckdb.connect(str(warehouse)) as connection:
        ensure_meta(connection)
        connection.execute(
            "insert into meta.load_log values (?, ?, ?, ?, ?, ?, ?, ?, null, null, null, null, null, 'failed', ?)",
            [load_id, entity.name, system, entity.location, entity.owner, entity.steward,
             started_at, dt.datetime.now(), message],
        )


def load_entity(
    entity_name: str,
    *,
    warehouse: Path | None = None,
    sources_dir: Path | None = None,
    registry: Registry | None = None,
    load_id: str | None = None,
) -> LoadReport:
    registry = registry or load_registry()
    entity = registry.entities[entity_name]
    system = registry.system_of(entity)
    warehouse = Path(warehouse or default_warehouse_path())
    sources_dir = Path(sources_dir or default_sources_dir())
    load_id = load_id or uuid.uuid4().hex[:12]
    started_at = dt.datetime.now()
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    try:
        extract = read_entity(registry, entity, sources_dir)
        result = validate(extract.frame, entity.contract)
        if result.schema_problems:
            raise SourceError(
                "does not match its contract: " + "; ".join(result.schema_problems),
                entity=entity.name, owner=entity.owner_label, location="; ".join(extract.locations),
            )
    except SourceError as exc:
        record_failure(warehouse, entity, system.name, load_id, started_at, str(exc))
        raise
    with duckdb.connect(str(warehouse)) as connection:
        drift = schema_drift(previous_headers(connection, entity.name), extract.headers)
        write_load(
            connection, entity, system.name, result, load_id, started_at, extract.locations,
            extract.rows_skipped, extract.headers,
        )
    return LoadReport(
        entity=entity.name,
        load_id=load_id,
        locations=extract.locations,
        rows_read=result.rows_read,
        rows_accepted=len(result.accepted),
        rows_quarantined=len(result.quarantined),
        rows_warned=result.rows_warned,
        rows_skipped=extract.rows_skipped,
        skipped_reasons=extract.skipped_reasons,
        rule_counts=result.rule_counts(),
        failures_markdown=sample_failures_markdown(result),
        unknown_columns=extract.unknown_columns,
        preview=result.accepted.head(5),
        schema_drift=drift,
        source_updated_at=extract.source_updated_at,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Load registered sources into the warehouse's raw schema.")
    parser.add_argument("entities", nargs="*", help="entity names (default: all in the registry)")
    parser.add_argument("--warehouse", type=Path, default=None)
    parser.add_argument("--sources-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    registry = load_registry()
    failed = 0
    for name in args.entities or list(registry.entities):
        try:
            report = load_entity(name, warehouse=args.warehouse, sources_dir=args.sources_dir, registry=registry)
        except SourceError as exc:
            failed += 1
            print(f"FAILED {exc}", file=sys.stderr)
            continue
        print(
            f"{name:24} read {report.rows_read:>8}  accepted {report.rows_accepted:>8}  "
            f"quarantined {report.rows_quarantined:>6}  warned {report.rows_warned:>6}  skipped {report.rows_skipped:>4}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
