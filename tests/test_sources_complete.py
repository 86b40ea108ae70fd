"""Every registered source is complete (README "Adding a source"): an owner, a pandera contract
whose rules are in quality/rules.yaml, a dbt source table with that owner, and a staging model."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from quality.contracts import CONTRACTS
from quality.validate import load_rules
from sources.registry import PROJECT_ROOT, Registry, SourceEntity, load_registry

STAGING = PROJECT_ROOT / "dbt_project" / "models" / "staging"


def dbt_source_tables(staging: Path = STAGING) -> dict[tuple[str, str], dict]:
    tables = {}
    for path in staging.glob("*.yml"):
        for source in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("sources", []):
            for table in source.get("tables", []):
                tables[(source["name"], table["name"])] = table
    return tables


def staging_models_reading(staging: Path = STAGING) -> dict[tuple[str, str], str]:
    found = {}
    pattern = re.compile(r"source\(\s*'(\w+)'\s*,\s*'(\w+)'\s*\)")
    for path in staging.glob("stg_*.sql"):
        for system, table in pattern.findall(path.read_text(encoding="utf-8")):
            found[(system, table)] = path.stem
    return found


def contract_rules(contract: str) -> set[str]:
    schema = CONTRACTS[contract].to_schema()
    checks = [*schema.checks, *(c for column in schema.columns.values() for c in column.checks)]
    return {check.name for check in checks}


def missing_pieces(registry: Registry, staging: Path = STAGING) -> list[str]:
    sources, models, rules = dbt_source_tables(staging), staging_models_reading(staging), load_rules()
    problems = []
    for entity in registry.entities.values():
        key = (entity.system, entity.name)
        if not entity.owner:
            problems.append(f"{entity.name}: no owner")
        if entity.contract not in CONTRACTS:
            problems.append(f"{entity.name}: contract {entity.contract!r} not in quality/contracts.py")
        else:
            unknown = sorted(contract_rules(entity.contract) - set(rules))
            if unknown:
                problems.append(f"{entity.name}: rules {unknown} of {entity.contract} not in quality/rules.yaml")
        table = sources.get(key)
        if table is None:
            problems.append(f"{entity.name}: no dbt source {entity.system}.{entity.name} in {staging}/_sources.yml")
        elif (table.get("config", {}).get("meta", {}).get("owner")) != entity.owner:
            problems.append(f"{entity.name}: dbt source meta.owner is not {entity.owner}")
        if key not in models:
            problems.append(f"{entity.name}: no staging model selects from source('{entity.system}', '{entity.name}')")
    return problems


def test_every_registered_source_has_owner_contract_rules_dbt_source_and_staging_model():
    assert missing_pieces(load_registry()) == []


def test_an_incomplete_source_is_named_with_what_it_lacks():
    registry = load_registry().model_copy(deep=True)
    registry.entities["webshop_returns"] = SourceEntity(
        name="webshop_returns", system="webshop", description="Returns.", location="webshop/returns.csv",
        owner="team:ecommerce", steward="webshop@example.com", contract="WebshopReturn",
    )
    assert missing_pieces(registry) == [
        "webshop_returns: contract 'WebshopReturn' not in quality/contracts.py",
        f"webshop_returns: no dbt source webshop.webshop_returns in {STAGING}/_sources.yml",
        "webshop_returns: no staging model selects from source('webshop', 'webshop_returns')",
    ]
