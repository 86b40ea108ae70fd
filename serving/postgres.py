"""PostgreSQL targets: the published mart copied into PostgreSQL with a read-only role for
BI tools, and the dbt sources (raw, meta, resolution) loaded so that `dbt build --target
postgres` runs the same models there.

    python -m serving.postgres publish  [--url URL] [--reader bi_reader]   # current snapshot -> PostgreSQL
    python -m serving.postgres sources  [--url URL]                        # warehouse raw/meta/resolution -> PostgreSQL

The URL is a libpq/psycopg connection string or postgresql:// URL
(SMARTDATA_PUBLISH_POSTGRES_URL). The swap runs in one transaction: BI readers see the
previous mart until it commits, then the new one; never a half-built table.
"""

from __future__ import annotations

import argparse
import json
import os
import re
from collections.abc import Iterable
from pathlib import Path

import duckdb
import psycopg
from psycopg import sql

MART_SCHEMA = "mart"
DBT_SOURCE_SCHEMAS = ("raw", "meta", "resolution")
DEFAULT_READER_ROLE = "bi_reader"
BATCH_ROWS = 10_000

_SIMPLE_TYPES = {
    "VARCHAR": "text",
    "BOOLEAN": "boolean",
    "TINYINT": "smallint",
    "SMALLINT": "smallint",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "UTINYINT": "smallint",
    "USMALLINT": "integer",
    "UINTEGER": "bigint",
    "UBIGINT": "numeric(20, 0)",
    "HUGEINT": "numeric(38, 0)",
    "UHUGEINT": "numeric(39, 0)",
    "FLOAT": "real",
    "DOUBLE": "double precision",
    "DATE": "date",
    "TIME": "time",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP_NS": "timestamp",
    "TIMESTAMP_MS": "timestamp",
    "TIMESTAMP_S": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "INTERVAL": "interval",
    "BLOB": "bytea",
    "UUID": "uuid",
}


def postgres_type(duckdb_type: str) -> tuple[str, bool]:
    """The PostgreSQL type for a DuckDB type, and whether the value travels as JSON
    (lists, structs, maps become jsonb)."""
    upper = duckdb_type.upper()
    if upper in _SIMPLE_TYPES:
        return _SIMPLE_TYPES[upper], False
    if match := re.fullmatch(r"DECIMAL\((\d+),\s*(\d+)\)", upper):
        return f"numeric({match[1]}, {match[2]})", False
    if upper == "JSON":
        return "jsonb", False
    return "jsonb", True  # LIST, STRUCT, MAP, arrays


def _duckdb_columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[tuple[str, str]]:
    return con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = ? and table_name = ? order by ordinal_position",
        [schema, table],
    ).fetchall()


def _tables(con: duckdb.DuckDBPyConnection, schema: str) -> list[str]:
    return [
        t
        for (t,) in con.execute(
            "select table_name from information_schema.tables where table_schema = ? order by 1", [schema]
        ).fetchall()
    ]


def _copy_table(
    source: duckdb.DuckDBPyConnection, pg: psycopg.Connection, schema: str, table: str, target_schema: str
) -> int:
    columns = _duckdb_columns(source, schema, table)
    types = [postgres_type(t) for _, t in columns]
    pg.execute(
        sql.SQL("create table {}.{} ({})").format(
            sql.Identifier(target_schema),
            sql.Identifier(table),
            sql.SQL(", ").join(
                sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(pg_type)) for (name, _), (pg_type, _) in zip(columns, types)
            ),
        )
    )
    as_json = [i for i, (_, is_json) in enumerate(types) if is_json]
    select = ", ".join(f'to_json("{name}")::varchar' if i in as_json else f'"{name}"' for i, (name, _) in enumerate(columns))
    cursor = source.execute(f'select {select} from "{schema}"."{table}"')
    rows = 0
    copy_sql = sql.SQL("copy {}.{} ({}) from stdin").format(
        sql.Identifier(target_schema), sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(n) for n, _ in columns)
    )
    with pg.cursor().copy(copy_sql) as copy:
        while batch := cursor.fetchmany(BATCH_ROWS):
            for row in batch:
                copy.write_row(row)
            rows += len(batch)
    return rows


def _replace_schema(
    source_db: Path, pg: psycopg.Connection, schema: str, tables: Iterable[str] | None = None, source_schema: str | None = None
) -> dict[str, int]:
    """Inside the caller's transaction: build `<schema>__next`, drop `<schema>`, rename."""
    staging = f"{schema}__next"
    counts: dict[str, int] = {}
    with duckdb.connect(str(source_db), read_only=True) as source:
        pg.execute(sql.SQL("drop schema if exists {} cascade").format(sql.Identifier(staging)))
        pg.execute(sql.SQL("create schema {}").format(sql.Identifier(staging)))
        for table in tables or _tables(source, source_schema or schema):
            counts[table] = _copy_table(source, pg, source_schema or schema, table, staging)
    pg.execute(sql.SQL("drop schema if exists {} cascade").format(sql.Identifier(schema)))
    pg.execute(sql.SQL("alter schema {} rename to {}").format(sql.Identifier(staging), sql.Identifier(schema)))
    return counts


def ensure_reader_role(pg: psycopg.Connection, role: str, password: str | None = None) -> None:
    """A login role that can read and nothing else (its transactions are read-only)."""
    exists = pg.execute("select 1 from pg_roles where rolname = %s", [role]).fetchone()
    if not exists:
        pg.execute(sql.SQL("create role {} login").format(sql.Identifier(role)))
    if password:
        pg.execute(sql.SQL("alter role {} password {}").format(sql.Identifier(role), sql.Literal(password)))
    pg.execute(sql.SQL("alter role {} set default_transaction_read_only = on").format(sql.Identifier(role)))
    database = pg.execute("select current_database()").fetchone()[0]
    pg.execute(sql.SQL("grant connect on database {} to {}").format(sql.Identifier(database), sql.Identifier(role)))


def publish_to_postgres(
    snapshot_db: Path, url: str, reader_role: str = DEFAULT_READER_ROLE, reader_password: str | None = None
) -> dict[str, int]:
    """Copy the snapshot's mart schema into PostgreSQL schema `mart` in one transaction and
    grant the reader role SELECT on it. Returns rows per table."""
    with psycopg.connect(url) as pg:  # one transaction; committed on leaving the block
        pg.execute("set local lock_timeout = '60s'")  # waits for running BI queries, not forever
        ensure_reader_role(pg, reader_role, reader_password)
        counts = _replace_schema(snapshot_db, pg, MART_SCHEMA)
        role = sql.Identifier(reader_role)
        pg.execute(sql.SQL("grant usage on schema {} to {}").format(sql.Identifier(MART_SCHEMA), role))
        pg.execute(sql.SQL("grant select on all tables in schema {} to {}").format(sql.Identifier(MART_SCHEMA), role))
    return counts


def load_dbt_sources(warehouse: Path, url: str, schemas: Iterable[str] = DBT_SOURCE_SCHEMAS) -> dict[str, dict[str, int]]:
    """The dbt sources (what the extract and resolution steps wrote to the warehouse) copied
    into PostgreSQL under the same schema names, for `dbt build --target postgres`."""
    result = {}
    with psycopg.connect(url) as pg:
        for schema in schemas:
            result[schema] = _replace_schema(warehouse, pg, schema)
    return result


def main(argv: list[str] | None = None) -> None:
    from orchestration.settings import Settings

    from .publish import current_snapshot, default_publish_dir

    parser = argparse.ArgumentParser(prog="python -m serving.postgres")
    parser.add_argument("what", choices=["publish", "sources"])
    parser.add_argument("--url", default=os.environ.get("SMARTDATA_PUBLISH_POSTGRES_URL"))
    parser.add_argument("--reader", default=os.environ.get("SMARTDATA_PUBLISH_POSTGRES_READER", DEFAULT_READER_ROLE))
    args = parser.parse_args(argv)
    if not args.url:
        parser.error("set SMARTDATA_PUBLISH_POSTGRES_URL or pass --url")
    if args.what == "sources":
        print(json.dumps(load_dbt_sources(Settings.from_env().warehouse, args.url), indent=2))
        return
    snapshot = current_snapshot(default_publish_dir())
    if snapshot is None:
        parser.error("nothing published yet: run the nightly_refresh job first")
    print(json.dumps(publish_to_postgres(snapshot.duckdb_path, args.url, args.reader), indent=2))


if __name__ == "__main__":
    main()
