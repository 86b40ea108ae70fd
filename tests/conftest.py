from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import xlsxwriter

from sources.registry import load_registry


@pytest.fixture(scope="session")
def registry():
    return load_registry()


def write_workbook(path: Path, rows: list[list[object]], sheet: str = "Kunden") -> Path:
    """Write rows (None = empty cell); datetime.date values become real date cells."""
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path))
    worksheet = workbook.add_worksheet(sheet)
    date_format = workbook.add_format({"num_format": "dd.mm.yyyy"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, dt.date):
                worksheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_format)
            else:
                worksheet.write(r, c, value)
    workbook.close()
    return path


@pytest.fixture
def field_sales_rows() -> list[list[object]]:
    return [
        ["Kundenliste Außendienst Nord"],
        ["Stand: 31.10.2026"],
        [],
        ["Firma", "Straße", "PLZ", "Ort", "E-Mail", "Umsatzpotenzial", "Letzter Besuch", "Kundennr.", "Lieblingsfarbe"],
        ["Müller Maschinenbau GmbH", "Hauptstr. 5", 1067, "Dresden", "info@mueller.de", "12.500,00 €", "31.12.2024", "100001", "blau"],
        ["Schäfer Antriebstechnik AG", "Industriestraße 2", "80331", "München", "kein-mail", 8000, dt.date(2025, 3, 4), None, None],
        [None, "Weg 1", "12345", "Berlin", None, None, None, None, None],
        [],
        ["Summe", None, None, None, None, 20500, None, None, None],
    ]
