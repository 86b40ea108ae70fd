"""Vectorised format tests for raw text values. Each returns True where a value is
acceptable; a missing value is acceptable here (requiredness is a separate rule)."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

EMAIL = r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$"
# DE 5 digits; AT and CH 4 digits; Excel drops a DE leading zero, so 4 digits pass here
# and dbt staging pads them; letters or wrong lengths fail.
POSTCODE = r"^(D-|A-|CH-)?\d{4,5}$"
GERMAN_AMOUNT = r"^-?(\d{1,3}(\.\d{3})+|\d+)(,\d{1,2})?\s*(€|EUR)?$"
PLAIN_AMOUNT = r"^-?\d+(\.\d+)?$"
GERMAN_DATE = r"^\d{1,2}\.\d{1,2}\.(\d{4}|\d{2})$"
ISO_DATE = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$"


def _text(series: pd.Series) -> pd.Series:
    return series.astype("string").str.strip()


def matches(series: pd.Series, pattern: str) -> pd.Series:
    text = _text(series)
    return (text.isna() | text.str.match(pattern, flags=re.IGNORECASE)).fillna(False).astype(bool)


def is_email(series: pd.Series) -> pd.Series:
    return matches(series, EMAIL)


def is_postcode(series: pd.Series) -> pd.Series:
    return matches(series, POSTCODE)


def is_amount(series: pd.Series) -> pd.Series:
    """German ("1.234,56 €") or plain numeric-cell ("1234.56") amounts."""
    return matches(series, GERMAN_AMOUNT) | matches(series, PLAIN_AMOUNT)


def parse_date(series: pd.Series) -> pd.Series:
    """German dd.mm.yyyy or ISO dates to Timestamps; NaT where unparseable or missing."""
    text = _text(series)
    german = pd.to_datetime(text.where(text.str.match(GERMAN_DATE, na=False)), format="%d.%m.%Y", errors="coerce")
    iso = pd.to_datetime(
        text.where(text.str.match(ISO_DATE, na=False)).str.slice(0, 10), format="%Y-%m-%d", errors="coerce"
    )
    return german.fillna(iso)


def is_date(series: pd.Series) -> pd.Series:
    text = _text(series)
    return (text.isna() | parse_date(series).notna()).astype(bool)


def not_in_future(series: pd.Series, today: dt.date | None = None) -> pd.Series:
    limit = pd.Timestamp(today or dt.date.today()) + pd.Timedelta(days=1)
    parsed = parse_date(series)
    return (parsed.isna() | (parsed < limit)).astype(bool)


def one_of(series: pd.Series, allowed: set[str]) -> pd.Series:
    text = _text(series)
    return (text.isna() | text.str.lower().isin({a.lower() for a in allowed})).astype(bool)


def first_occurrence(series: pd.Series) -> pd.Series:
    """Source keys must be unique: the first row of a key passes, repeats fail."""
    return ~series.astype("string").duplicated(keep="first") | series.isna()
