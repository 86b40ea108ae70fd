"""Extract one registered source entity, validate it against its contract and write it
to the warehouse: accepted rows to raw.<entity>, rejected rows to quarantine.<entity>,
counts to meta.load_log and meta.rule_violations. One transaction per entity, so a
failure leaves what the warehouse held before untouched.

Run it without Dagster: `python -m sources.load [--warehouse PATH] [entity ...]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from quality import contracts as contract_module
from quality.validate import RULES_PATH, ValidationResult, load_rules, sample_failures_markdown, validate

from .errors import SourceError
from .inbox import FILE_KINDS, file_sha256
from .readers import iter_entity
from .registry import (
    Registry, SourceEntity, default_sources_dir, default_warehouse_path, load_registry, warehouse_memory_limit,
)

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
    # one row per incrementally read entity, written in the same transaction as its raw load
    """create table if not exists meta.extract_watermarks (
        entity varchar, watermark varchar, last_full_load_at timestamp, last_mode varchar,
        load_id varchar, updated_at timestamp)""",
]


def field_completeness(frame: pd.DataFrame, entity: SourceEntity) -> pd.DataFrame:
    """Filled values per data column over all rows read (quarantined rows included); the
    registry's required and key columns are the key fields."""
    key_fields = set(entity.required) | set(entity.key)
    columns = [c for c in frame.columns if not str(c).startswith("_")]
    return pd.DataFrame(
        {
            "column_name": columns,
            "is_key_field": [c in key_fields for c in columns],
            "rows_read": len(frame),
            "rows_filled": [_filled(frame[c]) for c in columns],
        }
    )


def _filled(values: pd.Series) -> int:
    """Values that are neither missing nor blank text. Blankness is decided once per distinct
    value: stripping every cell of a million-row chunk is what made this slow."""
    present = values[values.notna()]
    if present.dtype != object:
        return len(present)
    blank = [v for v in present.unique() if not str(v).strip()]
    return int(len(present) - present.isin(blank).sum()) if blank else len(present)


def open_quarantine_view(entity_name: str) -> str:
    """quarantine.<entity>_open: what the owner still has to fix. quarantine.<entity> keeps
    every load's rows (history). A row is open while it was quarantined at or after the
    entity's last full read (which re-reads every row) and no later load accepted its key:
    a row fixed at the source loads into raw on the next run and leaves this view."""
    return f"""create or replace view quarantine."{entity_name}_open" as
        with last_full_read as (
            select coalesce(
                (select last_full_load_at from meta.extract_watermarks where entity = '{entity_name}'),
                (select max(started_at) from meta.load_log where entity = '{entity_name}' and status = 'success')
            ) as started_at
        ),
        latest_per_key as (
            select *, row_number() over (partition by record_key order by loaded_at desc) as recency
            from quarantine."{entity_name}"
        )
        select q.* exclude (recency)
        from latest_per_key as q
        where q.recency = 1
          and q.loaded_at >= (select started_at from last_full_read)
          and not exists (
              select 1 from raw."{entity_name}" as r
              where r._record_key = q.record_key and r._loaded_at > q.loaded_at
          )"""


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
    mode: str = "full"  # "incremental" (rows changed after `since`, merged by key) or "unchanged" (not read)
    mode_reason: str = ""
    since: str | None = None
    watermark: str | None = None  # stored for the next incremental read
    reconciliation: dict[str, int] = field(default_factory=dict)  # full read of an incremental entity
    requests: int | None = None  # API requests made

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


def _quarantine_rows(result: ValidationResult, load_id: str, loaded_at: dt.datetime) -> pd.DataFrame:
    quarantined = result.quarantined
    data_columns = [c for c in quarantined.columns if c not in ("_rules", "_reason", "_violations")]
    return pd.DataFrame(
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


def _quarantine_repeated_keys(result: ValidationResult, writer: "_LoadWriter") -> ValidationResult:
    """A key already loaded from an earlier chunk of the same read breaks unique_key too
    (the contract sees one chunk at a time). The earlier keys are looked up in the staged
    rows in DuckDB: a Python set of ten million keys pinned most of the memory every chunk
    had used (L: 7 GB for the ERP order lines)."""
    if not len(result.accepted) or not writer.staged:
        return result
    keys = result.accepted["_record_key"].astype(str)
    con = writer.connection
    con.register("chunk_keys", pd.DataFrame({"key": keys.to_numpy()}))
    loaded = {row[0] for row in con.execute(
        f"select distinct key from chunk_keys where key in (select _record_key from {writer.accepted_table})"
    ).fetchall()}
    con.unregister("chunk_keys")
    if not loaded:
        return result
    repeated = keys.isin(loaded)
    rule = load_rules()["unique_key"]
    moved = result.accepted[repeated].copy()
    moved["_rules"] = rule.name
    moved["_reason"] = [f"_record_key: {rule.message} (value {k!r})" for k in moved["_record_key"]]
    moved["_violations"] = [
        json.dumps([{"rule": rule.name, "column": "_record_key", "value": k}], ensure_ascii=False) for k in moved["_record_key"]
    ]
    extra = pd.DataFrame({
        "row": moved.index, "record_key": moved["_record_key"], "rule": rule.name, "severity": rule.severity,
        "column": "_record_key", "value": moved["_record_key"], "message": rule.message,
    })
    return ValidationResult(
        accepted=result.accepted[~repeated],
        quarantined=pd.concat([result.quarantined, moved]),
        violations=pd.concat([result.violations, extra], ignore_index=True),
        schema_problems=result.schema_problems,
    )


def source_fingerprint(registry: Registry, entity: SourceEntity, sources_dir: Path) -> str | None:
    """For file sources: a hash of every file's content, the entity's registration and the
    contract code and rules that judge it. The same fingerprint as at the last load means
    reading again would load the same rows with the same verdicts, so the load is skipped."""
    if registry.kind_of(entity) not in FILE_KINDS:
        return None
    paths = sorted(p for p in sources_dir.glob(entity.location) if p.is_file())
    if not paths:
        return None  # the read reports the missing file
    digest = hashlib.sha256(entity.model_dump_json().encode())
    for path in (RULES_PATH, Path(contract_module.__file__)):
        digest.update(path.read_bytes())
    for path in paths:
        digest.update(f"{path.relative_to(sources_dir).as_posix()}\0{file_sha256(path)}\0".encode())
    return digest.hexdigest()


def unchanged_load(
    connection: duckdb.DuckDBPyConnection, entity: SourceEntity, fingerprint: str, load_id: str
) -> LoadReport | None:
    """The report of the last load when the entity's files are as they were then. It
    repeats that load's counts, so the contract check gives the same verdict (a file that
    failed its contract keeps failing until it is fixed)."""
    state = connection.execute(
        "select load_id from meta.extract_watermarks where entity = ? and watermark = ?", [entity.name, fingerprint]
    ).fetchone()
    if state is None or not _table_exists(connection, "raw", entity.name):
        return None
    last = connection.execute(
        """select location, rows_read, rows_accepted, rows_quarantined, rows_warned, rows_skipped, started_at
           from meta.load_log where entity = ? and load_id = ? and status = 'success'""",
        [entity.name, state[0]],
    ).fetchone()
    if last is None:
        return None
    rule_counts = connection.execute(
        """select rule, severity, column_name as "column", rows, message from meta.rule_violations
           where entity = ? and load_id = ? order by severity, rows desc""",
        [entity.name, state[0]],
    ).df()
    return LoadReport(
        entity=entity.name, load_id=load_id, locations=last[0].split("; ") if last[0] else [],
        rows_read=last[1], rows_accepted=last[2], rows_quarantined=last[3], rows_warned=last[4],
        rows_skipped=last[5], skipped_reasons={}, rule_counts=rule_counts,
        failures_markdown=f"Files unchanged since load {state[0]}; its rejected rows are in quarantine.{entity.name}_open.",
        mode="unchanged", mode_reason=f"files, registration and contract identical to load {state[0]} ({last[6]:%Y-%m-%d %H:%M})",
    )


@dataclass(frozen=True)
class ExtractPlan:
    """How this load reads the entity: `full` (whole source, replaces raw) or `incremental`
    (rows changed after `since`, merged by key into raw)."""

    mode: str
    since: str | None
    reason: str
    tracks_watermark: bool
    last_full_load_at: dt.datetime | None = None


def _later(a: str | None, b: str | None) -> str | None:
    if a is None or b is None:
        return a or b
    try:
        return a if pd.Timestamp(a) >= pd.Timestamp(b) else b
    except (ValueError, TypeError):
        return max(a, b)


def _table_exists(connection: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(connection.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?", [schema, table]
    ).fetchone()[0])


def plan_extract(
    connection: duckdb.DuckDBPyConnection, registry: Registry, entity: SourceEntity, full_refresh: bool, now: dt.datetime
) -> ExtractPlan:
    """Incremental after the stored watermark, unless a full read is asked for, due (periodic
    reconciliation, which also finds deleted rows) or there is nothing to build on."""
    tracks = entity.incremental and registry.kind_of(entity) in ("sql", "hubspot")
    if not tracks:
        return ExtractPlan("full", None, "whole source", False)
    if full_refresh:
        return ExtractPlan("full", None, "full refresh requested", True)
    state = connection.execute(
        "select watermark, last_full_load_at from meta.extract_watermarks where entity = ?", [entity.name]
    ).fetchone()
    if state is None or state[0] is None or not _table_exists(connection, "raw", entity.name):
        return ExtractPlan("full", None, "first load (no watermark yet)", True)
    days = registry.system_of(entity).full_reconciliation_days
    if days and (state[1] is None or now - state[1] >= dt.timedelta(days=days)):
        return ExtractPlan("full", None, f"periodic full reconciliation (every {days} days)", True)
    return ExtractPlan("incremental", state[0], f"rows changed after {state[0]}", True, state[1])


class _LoadWriter:
    """Stages one load chunk by chunk in scratch tables meta._stage_<entity>_* (committed as
    they go: rows appended inside an open transaction stay in memory, 7 GB for the L
    benchmark's ten million order lines). Raw, quarantine and meta change only in the
    caller's final transaction (write_raw, write_quarantine); the stage is dropped after
    success or failure."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, entity: SourceEntity, load_id: str) -> None:
        self.connection, self.entity, self.load_id = connection, entity, load_id
        self.loaded_at = dt.datetime.now()
        self.rows_read = self.rows_accepted = self.rows_quarantined = self.rows_warned = 0
        self.rule_counts: list[pd.DataFrame] = []
        self.failures_markdown = "No rule violations."
        self.preview: pd.DataFrame | None = None
        self.completeness: list[pd.DataFrame] = []
        self.staged = False
        stage = f"_stage_{entity.name}"
        self.accepted_table = f'meta."{stage}_accepted"'
        self.keys_table = f'meta."{stage}_keys"'
        self.quarantine_table = f'meta."{stage}_quarantine"'
        self.drop_stage()
        connection.execute(f"create table {self.keys_table} (_record_key varchar)")
        connection.execute(f"create table {self.quarantine_table} ({QUARANTINE_COLUMNS})")

    def drop_stage(self) -> None:
        for table in (self.accepted_table, self.keys_table, self.quarantine_table):
            self.connection.execute(f"drop table if exists {table}")

    def write_quarantine(self) -> None:
        """Inside the load transaction: this load's rejected rows join quarantine.<entity>."""
        self.connection.execute(f'create table if not exists quarantine."{self.entity.name}" ({QUARANTINE_COLUMNS})')
        self.connection.execute(f'insert into quarantine."{self.entity.name}" select * from {self.quarantine_table}')

    def add(self, result: ValidationResult) -> None:
        accepted = result.accepted.copy()
        accepted["_load_id"] = self.load_id
        accepted["_loaded_at"] = self.loaded_at
        con = self.connection
        con.register("accepted_frame", accepted)
        if self.staged:
            con.execute(f"insert into {self.accepted_table} by name select {_sql_select(accepted)} from accepted_frame")
        else:
            con.execute(f"create table {self.accepted_table} as select {_sql_select(accepted)} from accepted_frame")
            self.staged = True
        con.unregister("accepted_frame")
        keys = pd.DataFrame({"_record_key": pd.concat(
            [result.accepted.get("_record_key", pd.Series(dtype=object)),
             result.quarantined.get("_record_key", pd.Series(dtype=object))]).astype(str)})
        con.register("keys_frame", keys)
        con.execute(f"insert into {self.keys_table} select _record_key from keys_frame")
        con.unregister("keys_frame")
        quarantine_rows = _quarantine_rows(result, self.load_id, self.loaded_at)
        if len(quarantine_rows):
            con.register("quarantine_frame", quarantine_rows)
            con.execute(f"insert into {self.quarantine_table} select * from quarantine_frame")
            con.unregister("quarantine_frame")
        self.completeness.append(field_completeness(result.accepted, self.entity))
        if len(result.quarantined):
            self.completeness.append(field_completeness(
                result.quarantined[[c for c in result.quarantined if c in result.accepted]], self.entity))
        self.rows_read += result.rows_read
        self.rows_accepted += len(result.accepted)
        self.rows_quarantined += len(result.quarantined)
        self.rows_warned += result.rows_warned
        if len(result.violations):
            self.rule_counts.append(result.rule_counts())
            if self.failures_markdown == "No rule violations.":
                self.failures_markdown = sample_failures_markdown(result)
        if self.preview is None:
            self.preview = result.accepted.head(5)

    def total_rule_counts(self) -> pd.DataFrame:
        if not self.rule_counts:
            return pd.DataFrame(columns=["rule", "severity", "column", "rows", "message"])
        return (
            pd.concat(self.rule_counts).groupby(["rule", "severity", "column", "message"], dropna=False)["rows"].sum()
            .reset_index()[["rule", "severity", "column", "rows", "message"]]
            .sort_values(["severity", "rows"], ascending=[True, False]).reset_index(drop=True)
        )

    def total_completeness(self) -> pd.DataFrame:
        if not self.completeness:
            return pd.DataFrame(columns=["column_name", "is_key_field", "rows_read", "rows_filled"])
        return (
            pd.concat(self.completeness)
            .groupby(["column_name", "is_key_field"], as_index=False)[["rows_read", "rows_filled"]]
            .sum()
        )

    def reconcile(self) -> dict[str, int]:
        """Before a full read replaces raw: rows gone from the source, rows changed and new."""
        con, raw = self.connection, f'raw."{self.entity.name}"'
        if not _table_exists(con, "raw", self.entity.name):
            return {}
        raw_columns = {r[0] for r in con.execute(f"select column_name from (describe {raw})").fetchall()}
        stage_columns = [r[0] for r in con.execute(f"select column_name from (describe {self.accepted_table})").fetchall()]
        data = [c for c in stage_columns if c in raw_columns and c not in ("_load_id", "_loaded_at")]
        differs = " or ".join(
            f'cast(s."{c}" as varchar) is distinct from cast(r."{c}" as varchar)' for c in data
        ) or "false"
        deleted = con.execute(
            f"select count(*) from {raw} where _record_key not in (select _record_key from {self.keys_table})"
        ).fetchone()[0]
        changed = con.execute(
            f"select count(*) from {self.accepted_table} s join {raw} r using (_record_key) where {differs}"
        ).fetchone()[0]
        new = con.execute(
            f"select count(*) from {self.accepted_table} where _record_key not in (select _record_key from {raw})"
        ).fetchone()[0]
        return {"rows_deleted": int(deleted), "rows_changed": int(changed), "rows_new": int(new)}

    def write_raw(self, mode: str) -> None:
        con, raw = self.connection, f'raw."{self.entity.name}"'
        if not self.staged:  # nothing read at all: an empty incremental read changes nothing
            return
        if mode == "incremental" and _table_exists(con, "raw", self.entity.name):
            raw_columns = {r[0] for r in con.execute(f"select column_name from (describe {raw})").fetchall()}
            for name, type_ in con.execute(f"select column_name, column_type from (describe {self.accepted_table})").fetchall():
                if name not in raw_columns:  # a new source column: keep it (schema_drift names it)
                    con.execute(f'alter table {raw} add column "{name}" {type_}')
            con.execute(f"delete from {raw} where _record_key in (select _record_key from {self.keys_table})")
            con.execute(f"insert into {raw} by name select * from {self.accepted_table}")
        else:
            con.execute(f"create or replace table {raw} as select * from {self.accepted_table}")


def _rollback_if_open(connection: duckdb.DuckDBPyConnection) -> None:
    try:
        connection.execute("rollback")
    except duckdb.TransactionException:
        pass  # the failure came while staging, before the load transaction began


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
    full_refresh: bool = False,
) -> LoadReport:
    """Read, validate and write one entity in one warehouse transaction: a read or contract
    failure part-way (a database that goes away, a malformed API page) leaves raw, quarantine,
    meta and the watermark as they were. File sources identical to their last load are not
    read again (unless full_refresh)."""
    registry = registry or load_registry()
    entity = registry.entities[entity_name]
    system = registry.system_of(entity)
    warehouse = Path(warehouse or default_warehouse_path())
    sources_dir = Path(sources_dir or default_sources_dir())
    load_id = load_id or uuid.uuid4().hex[:12]
    started_at = dt.datetime.now()
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    try:
        # the load is staged in the transaction: past the limit DuckDB spills instead of
        # holding ten million order lines in memory (L benchmark: 7.2 GB without it)
        with duckdb.connect(str(warehouse), config={"memory_limit": warehouse_memory_limit()}) as connection:
            ensure_meta(connection)
            fingerprint = source_fingerprint(registry, entity, sources_dir)
            if fingerprint is not None and not full_refresh:
                unchanged = unchanged_load(connection, entity, fingerprint, load_id)
                if unchanged is not None:
                    # freshness is judged by the files' own age, as on a read
                    unchanged.source_updated_at = max(
                        dt.datetime.fromtimestamp(p.stat().st_mtime, tz=dt.timezone.utc)
                        for p in sources_dir.glob(entity.location) if p.is_file()
                    )
                    return unchanged
            plan = plan_extract(connection, registry, entity, full_refresh, started_at)
            before = previous_headers(connection, entity.name)
            previous_watermark = plan.since
            writer = _LoadWriter(connection, entity, load_id)
            try:
                locations: list[str] = []
                headers: dict[str, list[str]] = {}
                skipped: dict[str, int] = {}
                unknown: dict[str, list[str]] = {}
                rows_skipped, updated_at, newest, requests = 0, None, previous_watermark, None
                for extract in iter_entity(registry, entity, sources_dir, plan.since):
                    result = validate(extract.frame, entity.contract)
                    if result.schema_problems:
                        raise SourceError(
                            "does not match its contract: " + "; ".join(result.schema_problems),
                            entity=entity.name, owner=entity.owner_label, location="; ".join(extract.locations),
                        )
                    writer.add(_quarantine_repeated_keys(result, writer))
                    locations += [loc for loc in extract.locations if loc not in locations]
                    headers.update(extract.headers)
                    unknown.update(extract.unknown_columns)
                    rows_skipped += extract.rows_skipped
                    for reason, count in extract.skipped_reasons.items():
                        skipped[reason] = skipped.get(reason, 0) + count
                    if extract.source_updated_at is not None:
                        updated_at = max(filter(None, [updated_at, extract.source_updated_at]))
                    newest = _later(newest, extract.newest_change)
                    requests = extract.requests if extract.requests is not None else requests
                connection.execute("begin transaction")
                reconciliation = writer.reconcile() if plan.mode == "full" and plan.tracks_watermark else {}
                writer.write_raw(plan.mode)
                writer.write_quarantine()
                header_rows = [
                    (load_id, entity.name, source_file, position, header)
                    for source_file, columns in headers.items()
                    for position, header in enumerate(columns)
                ]
                if header_rows:
                    connection.executemany("insert into meta.source_columns values (?, ?, ?, ?, ?)", header_rows)
                rule_counts = writer.total_rule_counts()
                if len(rule_counts):
                    connection.register("rule_frame", rule_counts.assign(load_id=load_id, entity=entity.name))
                    connection.execute(
                        "insert into meta.rule_violations select load_id, entity, rule, severity, "
                        "\"column\", rows, message from rule_frame"
                    )
                    connection.unregister("rule_frame")
                completeness = writer.total_completeness().assign(load_id=load_id, entity=entity.name)
                connection.register("completeness_frame", completeness)
                connection.execute(
                    "insert into meta.field_completeness select load_id, entity, column_name, is_key_field, "
                    "rows_read, rows_filled from completeness_frame"
                )
                connection.unregister("completeness_frame")
                if plan.tracks_watermark or fingerprint is not None:
                    # SQL/API: the newest change read; files: the fingerprint of what was read
                    connection.execute("delete from meta.extract_watermarks where entity = ?", [entity.name])
                    connection.execute(
                        "insert into meta.extract_watermarks values (?, ?, ?, ?, ?, ?)",
                        [entity.name, fingerprint or newest, started_at if plan.mode == "full" else plan.last_full_load_at,
                         plan.mode, load_id, dt.datetime.now()],
                    )
                connection.execute(
                    "insert into meta.load_log values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'success', null)",
                    [
                        load_id, entity.name, system.name, "; ".join(locations), entity.owner, entity.steward,
                        started_at, dt.datetime.now(), writer.rows_read, writer.rows_accepted,
                        writer.rows_quarantined, writer.rows_warned, rows_skipped,
                    ],
                )
                if _table_exists(connection, "raw", entity.name):
                    connection.execute(open_quarantine_view(entity.name))
                connection.execute("commit")
            except BaseException:
                _rollback_if_open(connection)
                raise
            finally:
                writer.drop_stage()
    except SourceError as exc:
        record_failure(warehouse, entity, system.name, load_id, started_at, str(exc))
        raise
    return LoadReport(
        entity=entity.name,
        load_id=load_id,
        locations=locations,
        rows_read=writer.rows_read,
        rows_accepted=writer.rows_accepted,
        rows_quarantined=writer.rows_quarantined,
        rows_warned=writer.rows_warned,
        rows_skipped=rows_skipped,
        skipped_reasons=skipped,
        rule_counts=rule_counts,
        failures_markdown=writer.failures_markdown,
        unknown_columns=unknown,
        preview=writer.preview,
        schema_drift=schema_drift(before, headers),
        source_updated_at=updated_at,
        mode=plan.mode,
        mode_reason=plan.reason,
        since=plan.since,
        watermark=newest if plan.tracks_watermark else None,
        reconciliation=reconciliation,
        requests=requests,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Load registered sources into the warehouse's raw schema.")
    parser.add_argument("entities", nargs="*", help="entity names (default: all in the registry)")
    parser.add_argument("--warehouse", type=Path, default=None)
    parser.add_argument("--sources-dir", type=Path, default=None)
    parser.add_argument("--full-refresh", action="store_true", help="read incremental entities whole")
    args = parser.parse_args(argv)
    registry = load_registry()
    failed = 0
    for name in args.entities or list(registry.entities):
        try:
            report = load_entity(name, warehouse=args.warehouse, sources_dir=args.sources_dir, registry=registry,
                                 full_refresh=args.full_refresh)
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
