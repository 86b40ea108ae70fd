"""A dedicated, throw-away database on the local PostgreSQL server (127.0.0.1:5432, user
postgres, trust auth) per test; the tests fail, not skip, when the server is down."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator

import psycopg
from psycopg import sql

SERVER = "host=127.0.0.1 port=5432 user=postgres"


def url(database: str, user: str = "postgres") -> str:
    return f"postgresql://{user}@127.0.0.1:5432/{database}"


@contextlib.contextmanager
def temporary_database(prefix: str) -> Iterator[str]:
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{SERVER} dbname=postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    try:
        yield name
    finally:
        with psycopg.connect(f"{SERVER} dbname=postgres", autocommit=True) as admin:
            admin.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))


@contextlib.contextmanager
def temporary_role(prefix: str = "bi_reader") -> Iterator[str]:
    """A role name unique to the test (roles are cluster-wide). Open it before the
    database: the database (and the role's grants in it) is dropped first."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    try:
        yield name
    finally:
        with psycopg.connect(f"{SERVER} dbname=postgres", autocommit=True) as admin:
            admin.execute(sql.SQL("drop role if exists {}").format(sql.Identifier(name)))
