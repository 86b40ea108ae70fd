"""Readers that turn one registered source entity into a DataFrame.

File sources (Excel, CSV) keep every value as text so that nothing is lost to type
guessing; dbt staging types and parses them. Every row carries provenance columns:
_record_key, _source_file, _source_sheet, _source_row.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Iterator

import pandas as pd
import sqlalchemy as sa
from python_calamine import CalamineError, CalamineWorkbook

from .errors import SourceError
from .registry import Registry, SourceEntity, SourceSystem

PROVENANCE_COLUMNS = ["_record_key", "_source_file", "_source_sheet", "_source_row"]
EXTRA_COLUMN = "_extra_columns"
HEADER_SCAN_ROWS = 25
SQL_CHUNK_ROWS = 50_000  # rows per chunk when streaming a table: bounds the memory of a load


@dataclass
class Extract:
    """What a reader produced: the rows and what it skipped (blank and totals rows)."""

    frame: pd.DataFrame
    locations: list[str]
    rows_skipped: int = 0
    skipped_reasons: dict[str, int] = field(default_factory=dict)
    unknown_columns: dict[str, list[str]] = field(default_factory=dict)
    # The header as found, per file or table (SQL: "name type"), to detect schema drift.
    headers: dict[str, list[str]] = field(default_factory=dict)
    # When the source itself last changed: newest file modification, or newest updated_at value.
    source_updated_at: dt.datetime | None = None
    # The newest change marker as the source writes it (SQL updated_at_column, HubSpot
    # hs_lastmodifieddate): the next incremental read starts after it.
    newest_change: str | None = None
    requests: int | None = None  # API requests made (HubSpot)


def _normalise_header(text: object) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


def cell_to_text(value: object) -> str | None:
    """Render a spreadsheet cell as text without losing information."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)


def _alias_index(entity: SourceEntity) -> dict[str, str]:
    index: dict[str, str] = {}
    for canonical, aliases in entity.columns.items():
        for alias in [canonical, *aliases]:
            index[_normalise_header(alias)] = canonical
    return index


def _map_header(
    header: list[object], entity: SourceEntity
) -> tuple[dict[int, str], dict[int, str]]:
    """Column positions of known columns, and of unknown (extra) columns."""
    aliases = _alias_index(entity)
    known: dict[int, str] = {}
    extra: dict[int, str] = {}
    for position, cell in enumerate(header):
        text = cell_to_text(cell)
        if text is None:
            continue
        canonical = aliases.get(_normalise_header(text))
        if canonical and canonical not in known.values():
            known[position] = canonical
        else:
            extra[position] = text.strip()
    return known, extra


def _missing_required(entity: SourceEntity, found: set[str]) -> list[str]:
    return [c for c in entity.required if c not in found]


def _describe(entity: SourceEntity, column: str) -> str:
    aliases = ", ".join(entity.columns.get(column, []))
    return f"{column!r} (header one of: {aliases})"


def read_excel(entity: SourceEntity, path: Path) -> Extract:
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as exc:
        raise SourceError(
            f"cannot open workbook: {exc}", entity=entity.name, owner=entity.owner_label,
            location=str(path),
        ) from exc
    sheet_name = entity.sheet or workbook.sheet_names[0]
    try:
        rows = workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises several types for broken sheets
        raise SourceError(
            f"cannot read sheet: {exc}", entity=entity.name, owner=entity.owner_label,
            location=str(path), sheet=sheet_name,
        ) from exc
    if not any(any(cell not in (None, "") for cell in row) for row in rows):
        raise SourceError(
            "sheet is empty", entity=entity.name, owner=entity.owner_label,
            location=str(path), sheet=sheet_name,
        )

    # The header is the first row among the top rows that names every required column
    # (title rows such as "Kundenliste Nord" come before it in many workbooks).
    header_at, best = None, (0, -1)
    for number, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        known, _ = _map_header(row, entity)
        if not _missing_required(entity, set(known.values())) and len(known) >= 2:
            header_at = number
            break
        best = max(best, (len(known), number))
    if header_at is None:
        known, _ = _map_header(rows[best[1]], entity) if best[1] >= 0 else ({}, {})
        missing = _missing_required(entity, set(known.values()))
        raise SourceError(
            f"no header row with the required column {_describe(entity, missing[0])} "
            f"in the first {HEADER_SCAN_ROWS} rows",
            entity=entity.name, owner=entity.owner_label, location=str(path),
            sheet=sheet_name, column=missing[0],
        )

    known, extra = _map_header(rows[header_at], entity)
    skip_patterns = {col: re.compile(p, re.IGNORECASE) for col, p in entity.skip_rows_matching.items()}
    records: list[dict[str, object]] = []
    skipped: dict[str, int] = {}
    for number in range(header_at + 1, len(rows)):
        row = rows[number]
        values = {name: cell_to_text(row[pos]) if pos < len(row) else None for pos, name in known.items()}
        extras = {name: cell_to_text(row[pos]) for pos, name in extra.items() if pos < len(row)}
        extras = {k: v for k, v in extras.items() if v is not None}
        if all(v is None for v in values.values()) and not extras:
            skipped["blank row"] = skipped.get("blank row", 0) + 1
            continue
        if any(values.get(col) and pattern.search(values[col]) for col, pattern in skip_patterns.items()):
            skipped["totals row"] = skipped.get("totals row", 0) + 1
            continue
        excel_row = number + 1
        values["_record_key"] = f"{path.name}:{sheet_name}:{excel_row}"
        values["_source_file"] = path.name
        values["_source_sheet"] = sheet_name
        values["_source_row"] = excel_row
        values[EXTRA_COLUMN] = json.dumps(extras, ensure_ascii=False) if extras else None
        records.append(values)
    frame = _frame(records, entity)
    return Extract(
        frame=frame, locations=[str(path)], rows_skipped=sum(skipped.values()),
        skipped_reasons=skipped,
        unknown_columns={path.name: sorted(extra.values())} if extra else {},
        headers={path.name: [t for t in (cell_to_text(c) for c in rows[header_at]) if t]},
    )


def _frame(records: list[dict[str, object]], entity: SourceEntity) -> pd.DataFrame:
    columns = [*entity.columns, *PROVENANCE_COLUMNS, EXTRA_COLUMN]
    frame = pd.DataFrame.from_records(records, columns=columns)
    text_columns = [c for c in columns if c != "_source_row"]
    frame[text_columns] = frame[text_columns].astype(object)
    frame["_source_row"] = frame["_source_row"].astype("Int64")
    return frame


# Exports from German Windows tools are often Windows-1252 rather than UTF-8; a BOM is common.
CSV_ENCODINGS = ("utf-8-sig", "cp1252")


# Rows per chunk of a CSV export: a million-row export is validated and written in chunks,
# so memory stays flat (L scale: 3.5 million CRM activities).
CSV_CHUNK_ROWS = 250_000


def csv_encoding(path: Path) -> str:
    """The first of CSV_ENCODINGS the whole file decodes in, decided before reading so
    that a chunked read never fails half-way."""
    for encoding in CSV_ENCODINGS[:-1]:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with open(path, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    decoder.decode(block)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    return CSV_ENCODINGS[-1]


def read_csv(entity: SourceEntity, path: Path) -> Extract:
    """The whole file as one extract (see iter_csv)."""
    return combine(list(iter_csv(entity, path)))


def iter_csv(entity: SourceEntity, path: Path, chunk_rows: int | None = None) -> Iterator[Extract]:
    chunk_rows = chunk_rows or CSV_CHUNK_ROWS
    try:
        encoding = csv_encoding(path)
        first = True
        for raw in pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding, chunksize=chunk_rows):
            yield _csv_extract(entity, path, raw, first)
            first = False
        if first:  # a header without rows: an empty load, not an error
            yield _csv_extract(entity, path, pd.read_csv(path, dtype=str, nrows=0, encoding=encoding), True)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise SourceError(
            f"cannot read CSV: {exc}", entity=entity.name, owner=entity.owner_label,
            location=str(path),
        ) from exc


def _csv_extract(entity: SourceEntity, path: Path, raw: pd.DataFrame, first_chunk: bool) -> Extract:
    known, extra = _map_header(list(raw.columns), entity)
    missing = _missing_required(entity, set(known.values()))
    if missing:
        raise SourceError(
            f"required column {_describe(entity, missing[0])} not in the header",
            entity=entity.name, owner=entity.owner_label, location=str(path), column=missing[0],
        )
    frame = pd.DataFrame(index=raw.index)
    for canonical in entity.columns:
        positions = [p for p, name in known.items() if name == canonical]
        frame[canonical] = raw.iloc[:, positions[0]] if positions else None
    frame = frame.replace({"": None}).astype(object)
    key_columns = entity.key or [next(iter(entity.columns))]
    keys = [frame[c].fillna("").astype(str) for c in key_columns]
    frame["_record_key"] = keys[0].str.cat(keys[1:], sep=":") if len(keys) > 1 else keys[0]
    frame["_source_file"] = path.name
    frame["_source_sheet"] = None
    frame["_source_row"] = pd.array(raw.index + 2, dtype="Int64")  # header is line 1
    if extra:
        extras = raw.iloc[:, list(extra)].replace({"": None})
        extras.columns = list(extra.values())
        frame[EXTRA_COLUMN] = [
            json.dumps({k: v for k, v in rec.items() if v is not None}, ensure_ascii=False)
            for rec in extras.to_dict("records")
        ]
    else:
        frame[EXTRA_COLUMN] = None
    return Extract(
        frame=frame, locations=[str(path)],
        unknown_columns={path.name: sorted(extra.values())} if extra and first_chunk else {},
        headers={path.name: [str(c) for c in raw.columns]},
        source_updated_at=dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.timezone.utc),
    )


def _normalise_sql_chunk(frame: pd.DataFrame) -> pd.DataFrame:
    """The same raw shape from every database: DECIMAL as float (as SQLite returns NUMERIC),
    dates and timestamps as ISO text (as the demo's SQLite stores them)."""
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_datetime64_any_dtype(series):
            frame[column] = series.map(lambda v: None if pd.isna(v) else v.isoformat(sep=" ")).astype(object)
            continue
        if series.dtype != object:
            continue
        sample = series.dropna()
        if sample.empty:
            continue
        first = sample.iloc[0]
        if isinstance(first, Decimal):
            frame[column] = pd.to_numeric(series.map(lambda v: None if v is None else float(v)), errors="coerce")
        elif isinstance(first, (dt.datetime, dt.date)):
            frame[column] = series.map(
                lambda v: v.isoformat(sep=" ") if isinstance(v, dt.datetime) else (v.isoformat() if v is not None else None)
            )
    return frame


def _sql_source_error(entity: SourceEntity, location: str, exc: Exception) -> SourceError:
    if isinstance(exc, sa.exc.NoSuchTableError):
        return SourceError("table not found", entity=entity.name, owner=entity.owner_label, location=location)
    detail = str(exc.orig if getattr(exc, "orig", None) is not None else exc).splitlines()[0][:300]
    return SourceError(
        f"database error: {type(exc).__name__}: {detail}",
        entity=entity.name, owner=entity.owner_label, location=location,
    )


def iter_sql(
    entity: SourceEntity, url: str, since: str | None = None, chunk_size: int | None = None
) -> Iterator[Extract]:
    """Stream one table (or its rows changed after `since`) over SQLAlchemy in chunks of
    `chunk_size` rows with a server-side cursor: memory stays bounded by the chunk size.
    Works with SQLite, PostgreSQL (psycopg) and MariaDB/MySQL (pymysql)."""
    safe_url = sa.engine.make_url(url).render_as_string(hide_password=True)
    location = f"{safe_url} table {entity.location}"
    chunk_size = chunk_size or SQL_CHUNK_ROWS
    engine = None
    try:
        connect_args = {} if url.startswith("sqlite") else {"connect_timeout": 10}
        engine = sa.create_engine(url, connect_args=connect_args, poolclass=sa.pool.NullPool)
        with engine.connect() as connection:
            table = sa.Table(entity.location, sa.MetaData(), autoload_with=connection)
            headers = {entity.location: [f"{c.name} {c.type}" for c in table.columns]}
            missing = _missing_required(entity, {c.name for c in table.columns})
            if missing:
                raise SourceError(
                    f"required column {missing[0]!r} not in the table", entity=entity.name,
                    owner=entity.owner_label, location=location, column=missing[0],
                )
            query = sa.select(table)
            if since is not None:
                query = query.where(table.c[entity.updated_at_column] > _bind_like(table.c[entity.updated_at_column], since))
            streaming = connection.execution_options(stream_results=True, max_row_buffer=chunk_size)
            produced = False
            for chunk in pd.read_sql(query, streaming, chunksize=chunk_size):
                produced = True
                yield _sql_extract(entity, _normalise_sql_chunk(chunk), location, headers)
            if not produced:
                empty = pd.DataFrame({c.name: pd.Series(dtype=object) for c in table.columns})
                yield _sql_extract(entity, empty, location, headers)
    except SourceError:
        raise
    except sa.exc.SQLAlchemyError as exc:
        raise _sql_source_error(entity, location, exc) from None
    finally:
        if engine is not None:
            engine.dispose()


def _bind_like(column: sa.Column, value: str) -> sa.BindParameter:
    """The watermark (stored as text) bound with the column's own type."""
    try:
        python_type = column.type.python_type
    except NotImplementedError:
        python_type = str
    if python_type in (dt.datetime, dt.date):
        stamp = pd.Timestamp(value).to_pydatetime()
        return sa.literal(stamp if python_type is dt.datetime else stamp.date(), type_=column.type)
    return sa.literal(value, type_=column.type)


def _sql_extract(entity: SourceEntity, frame: pd.DataFrame, location: str, headers: dict[str, list[str]]) -> Extract:
    key_columns = entity.key or [frame.columns[0]]
    if len(frame):
        keys = [frame[c].astype(str) for c in key_columns]
        frame["_record_key"] = keys[0].str.cat(keys[1:], sep=":") if len(keys) > 1 else keys[0]
    else:
        frame["_record_key"] = pd.Series(dtype=object)
    frame["_source_file"] = entity.location
    frame["_source_sheet"] = None
    frame["_source_row"] = pd.array([None] * len(frame), dtype="Int64")
    frame[EXTRA_COLUMN] = None
    updated_at, newest = None, None
    if entity.updated_at_column and entity.updated_at_column in frame and len(frame):
        values = frame[entity.updated_at_column].dropna()
        if len(values):
            newest = str(values.max())
            stamp = pd.to_datetime(values, errors="coerce").max()
            updated_at = None if pd.isna(stamp) else stamp.to_pydatetime()
    return Extract(
        frame=frame, locations=[location], headers=headers, source_updated_at=updated_at, newest_change=newest,
    )


def read_sql(entity: SourceEntity, url: str, chunk_size: int | None = None) -> Extract:
    """A whole table in one frame (for small tables and tests; loads stream with iter_sql)."""
    return combine(list(iter_sql(entity, url, chunk_size=chunk_size)))


def read_api(entity: SourceEntity, system: SourceSystem, since: str | None = None) -> Extract:
    """A CRM entity over the HubSpot API, in the CSV export's raw shape (provenance: the
    object's endpoint as file, the key as record key, no row number)."""
    from .connectors.hubspot import read_hubspot

    if system.api is None:
        raise SourceError("no api block for the system", entity=entity.name, owner=entity.owner_label,
                          location=system.name)
    result = read_hubspot(entity, system.api, since)
    frame = result.frame
    frame["_record_key"] = frame[entity.key].fillna("").astype(str).agg(":".join, axis=1) if len(frame) else None
    frame["_source_file"] = f"hubspot:{entity.hubspot.object}"
    frame["_source_sheet"] = None
    frame["_source_row"] = pd.array([None] * len(frame), dtype="Int64")
    frame[EXTRA_COLUMN] = None
    frame = frame.astype({c: object for c in frame.columns if c != "_source_row"})
    updated = None
    if result.newest_modified:
        stamp = pd.Timestamp(result.newest_modified)
        updated = (stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp).to_pydatetime()
    return Extract(
        frame=frame, locations=[result.location],
        headers={f"hubspot:{entity.hubspot.object}": sorted(entity.hubspot.properties.values())},
        source_updated_at=updated, newest_change=result.newest_modified, requests=result.requests,
    )


def combine(parts: list[Extract]) -> Extract:
    skipped: dict[str, int] = {}
    unknown: dict[str, list[str]] = {}
    headers: dict[str, list[str]] = {}
    for part in parts:
        headers.update(part.headers)
        for reason, count in part.skipped_reasons.items():
            skipped[reason] = skipped.get(reason, 0) + count
        unknown.update(part.unknown_columns)
    updated = [p.source_updated_at for p in parts if p.source_updated_at is not None]
    changes = [p.newest_change for p in parts if p.newest_change is not None]
    return Extract(
        frame=pd.concat([p.frame for p in parts], ignore_index=True),
        locations=list(dict.fromkeys(loc for p in parts for loc in p.locations)),
        rows_skipped=sum(p.rows_skipped for p in parts),
        skipped_reasons=skipped,
        unknown_columns=unknown,
        headers=headers,
        source_updated_at=max(updated) if updated else None,
        newest_change=max(changes) if changes else None,
    )


def iter_entity(
    registry: Registry, entity: SourceEntity, sources_dir: Path, since: str | None = None
) -> Iterator[Extract]:
    """The entity's rows as one or more chunks (SQL streams; files and the API come whole).
    `since`: only rows changed after this watermark (SQL and HubSpot entities)."""
    system = registry.system_of(entity)
    kind = registry.kind_of(entity)
    if kind == "sql":
        yield from iter_sql(entity, system.sql_url(sources_dir), since)
        return
    if kind == "hubspot":
        yield read_api(entity, system, since)
        return
    paths = sorted(sources_dir.glob(entity.location))
    if not paths:
        raise SourceError(
            "no file matches the registered location", entity=entity.name,
            owner=entity.owner_label, location=str(sources_dir / entity.location),
        )
    # file by file, a large CSV in chunks: never every file of an entity in memory at once
    for path in paths:
        if kind == "excel":
            extract = read_excel(entity, path)
            extract.source_updated_at = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.timezone.utc)
            yield extract
        else:
            yield from iter_csv(entity, path)


def read_entity(registry: Registry, entity: SourceEntity, sources_dir: Path) -> Extract:
    """Every file (or the whole table) of one source entity in one frame."""
    return combine(list(iter_entity(registry, entity, sources_dir)))
