"""Run one SQL query over pandas frames in a throw-away in-memory DuckDB."""

from __future__ import annotations

import duckdb
import pandas as pd


def query(sql: str, **frames: pd.DataFrame) -> pd.DataFrame:
    with duckdb.connect() as con:
        for name, frame in frames.items():
            con.register(name, frame)
        return con.execute(sql).df()
