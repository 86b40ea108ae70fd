from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import xlsxwriter

from sources.registry import load_registry

AS_OF = dt.date(2026, 10, 31)


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


@pytest.fixture(scope="session")
def run(tmp_path_factory):
    """The whole asset graph on 200 generated customers (tests using it share an xdist group)."""
    import dagster as dg
    import duckdb
    import json
    import pandas as pd
    from dagster_dbt import DbtCliResource

    from orchestration.dbt import build_dbt_assets, dbt_project
    from orchestration.extract import build_extract_assets
    from orchestration.quality_checks import build_mart_contract_checks
    from orchestration.resolution import build_resolution_assets
    from orchestration.settings import Settings
    from sources.demo.generator import generate

    root = tmp_path_factory.mktemp("pipeline")
    sources = root / "sources"
    generate(sources, customers=200, seed=11, as_of=AS_OF)
    settings = Settings(warehouse=root / "warehouse.duckdb", sources_dir=sources, as_of_date=AS_OF.isoformat())
    mp = pytest.MonkeyPatch()
    mp.setenv("SMARTDATA_WAREHOUSE", str(settings.warehouse))
    dbt_assets = build_dbt_assets(settings)
    try:
        result = dg.materialize(
            [
                *build_extract_assets(load_registry(), settings),
                *dbt_assets,
                build_resolution_assets(settings),
                *build_mart_contract_checks(dbt_assets, settings),
            ],
            resources={"dbt": DbtCliResource(project_dir=dbt_project)},
            raise_on_error=False,
        )
    finally:
        mp.undo()
    facts = json.loads((sources / "_truth" / "planted_facts.json").read_text())
    truth = pd.read_csv(sources / "_truth" / "records.csv", dtype=str)
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    yield result, con, facts, truth, settings
    con.close()


