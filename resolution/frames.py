"""Small frame helpers: one SQL query over pandas frames in a throw-away in-memory DuckDB,
and a function applied once per distinct value."""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pandas as pd


def query(sql: str, **frames: pd.DataFrame) -> pd.DataFrame:
    with duckdb.connect() as con:
        for name, frame in frames.items():
            con.register(name, frame)
        return con.execute(sql).df()


def per_distinct_value(function: Callable[[object], object], values: pd.Series) -> pd.Series:
    """function applied once per distinct non-missing value (sources repeat the same
    spellings a lot); missing values stay None."""
    cache = {v: function(v) for v in values.dropna().unique()}
    return values.map(cache).astype(object).where(values.notna(), None)
