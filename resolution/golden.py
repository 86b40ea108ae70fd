"""Golden customer records by survivorship: per attribute the system of record wins, then
recency, then completeness. Every attribute carries its provenance (source and record)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

SURVIVORSHIP_PATH = Path(__file__).resolve().parent.parent / "quality" / "survivorship.yaml"


@lru_cache(maxsize=1)
def survivorship_rules(path: Path = SURVIVORSHIP_PATH) -> dict[str, dict]:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)["attributes"]


def golden_records(records: pd.DataFrame, rules: dict[str, dict] | None = None) -> pd.DataFrame:
    """records: customer_key, source_entity, record_key, record_date and attribute columns.
    Returns one row per customer_key with each attribute, <attribute>_source and
    <attribute>_record (for a group, one provenance pair named after the group)."""
    rules = rules or survivorship_rules()
    customers = pd.DataFrame({"customer_key": sorted(records["customer_key"].unique())}).set_index("customer_key")
    completeness = records.notna().sum(axis=1)
    base = records.assign(_completeness=completeness)
    for attribute, rule in rules.items():
        # a group keeps its column names; a single attribute may be read from another column
        columns = rule.get("group", [rule.get("column", attribute)])
        required = rule.get("require", columns[:1])
        present = [c for c in columns if c in base]
        if not present:
            raise ValueError(f"survivorship attribute {attribute!r}: records have none of {columns}")
        priority = {source: rank for rank, source in enumerate(rule["sources"])}
        candidates = base[base["source_entity"].isin(priority)]
        candidates = candidates.dropna(subset=[c for c in required if c in candidates])
        candidates = candidates.assign(_priority=candidates["source_entity"].map(priority))
        winners = (
            candidates.sort_values(
                ["customer_key", "_priority", "record_date", "_completeness", "record_key"],
                ascending=[True, True, False, False, True],
                na_position="last",
            )
            .drop_duplicates("customer_key")
            .set_index("customer_key")
        )
        for column in present:
            customers[attribute if "group" not in rule else column] = winners[column]
        customers[f"{attribute}_source"] = winners["source_entity"]
        customers[f"{attribute}_record"] = winners["record_key"]
    return customers.reset_index()
