"""Validate a raw frame against its contract: split it into accepted rows and quarantined
rows, each quarantined row with every rule it broke and why. Nothing is dropped."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import yaml

from .contracts import CONTRACTS

RULES_PATH = Path(__file__).with_name("rules.yaml")
SAMPLE_ROWS = 10


@dataclass(frozen=True)
class Rule:
    name: str
    severity: str  # "error" or "warn"
    message: str
    column: str | None = None  # for row-level checks that span columns


@lru_cache(maxsize=1)
def load_rules(path: Path = RULES_PATH) -> dict[str, Rule]:
    with open(path, encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    rules = {name: Rule(name=name, **spec) for name, spec in raw.items()}
    bad = [r.name for r in rules.values() if r.severity not in {"error", "warn"}]
    if bad:
        raise ValueError(f"rules with unknown severity in {path}: {bad}")
    return rules


def rule_for_check(check: str, rules: dict[str, Rule]) -> Rule:
    """Pandera's built-in check names map onto our rules; an unknown check is an error."""
    if check in rules:
        return rules[check]
    if check == "not_nullable":
        return rules["required"]
    if check.startswith(("coerce_dtype", "dtype")):
        return rules["wrong_type"]
    if check == "field_uniqueness":
        return rules["unique_key"]
    if check.startswith("isin"):
        return rules["allowed_values"]
    if check.startswith(("greater_than", "less_than", "in_range")):
        return rules["value_range"]
    return Rule(name=check, severity="error", message=f"Check {check} failed.")


@dataclass
class ValidationResult:
    accepted: pd.DataFrame
    quarantined: pd.DataFrame
    violations: pd.DataFrame  # one row per (row, rule, column)
    schema_problems: list[str]

    @property
    def rows_read(self) -> int:
        return len(self.accepted) + len(self.quarantined)

    @property
    def rows_warned(self) -> int:
        """Accepted rows that broke at least one warn rule."""
        warned = self.violations.loc[self.violations["severity"] == "warn", "row"]
        return int(warned[warned.isin(self.accepted.index)].nunique())

    def rule_counts(self) -> pd.DataFrame:
        """Rows per rule, severity and column."""
        if self.violations.empty:
            return pd.DataFrame(columns=["rule", "severity", "column", "rows", "message"])
        return (
            self.violations.groupby(["rule", "severity", "column", "message"], dropna=False)["row"]
            .nunique()
            .rename("rows")
            .reset_index()[["rule", "severity", "column", "rows", "message"]]
            .sort_values(["severity", "rows"], ascending=[True, False])
            .reset_index(drop=True)
        )


VIOLATION_COLUMNS = ["row", "record_key", "rule", "severity", "column", "value", "message"]


def validate(
    frame: pd.DataFrame, contract: str | type[pa.DataFrameModel], key_column: str = "_record_key"
) -> ValidationResult:
    """Lazy validation: every failure of every row is collected, then rows with an
    error-severity failure are quarantined and the rest accepted. `contract` is a raw
    contract's name or any contract class (mart tables name their own key column)."""
    rules = load_rules()
    if isinstance(contract, str):
        contract = CONTRACTS[contract]
    frame = frame.reset_index(drop=True)
    try:
        contract.validate(frame, lazy=True)
        failures = pd.DataFrame(columns=["column", "check", "failure_case", "index"])
    except pa.errors.SchemaErrors as exc:
        failures = exc.failure_cases

    row_failures = failures[failures["index"].notna()]
    frame_failures = failures[failures["index"].isna()]
    schema_problems = [
        f"column {row.column!r}: {row.check} ({row.failure_case})"
        for row in frame_failures.itertuples()
        if not str(row.check).startswith(("coerce_dtype", "dtype", "field_uniqueness"))
    ]

    records = []
    for failure in row_failures.itertuples():
        rule = rule_for_check(str(failure.check), rules)
        row = int(failure.index)
        records.append(
            {
                "row": row,
                "record_key": frame.at[row, key_column] if key_column in frame else None,
                "rule": rule.name,
                "severity": rule.severity,
                # a dataframe-level check reports every column of a failing row: name the one
                # the rule is about instead
                "column": rule.column if failure.schema_context == "DataFrameSchema" else failure.column,
                "value": None if pd.isna(failure.failure_case) else str(failure.failure_case)[:200],
                "message": rule.message,
            }
        )
    violations = pd.DataFrame.from_records(records, columns=VIOLATION_COLUMNS).drop_duplicates(
        subset=["row", "rule", "column"]
    )
    error_rows = set(violations.loc[violations["severity"] == "error", "row"])
    quarantined = frame.loc[sorted(error_rows)].copy()
    accepted = frame.drop(index=sorted(error_rows))
    if not quarantined.empty:
        errors = violations[violations["severity"] == "error"].groupby("row")
        quarantined["_rules"] = errors["rule"].agg(lambda r: ", ".join(sorted(set(r))))
        quarantined["_reason"] = errors.apply(
            lambda g: "; ".join(f"{c or 'row'}: {m} (value {v!r})" for c, m, v in zip(g["column"], g["message"], g["value"])),
            include_groups=False,
        )
        quarantined["_violations"] = errors.apply(
            lambda g: json.dumps(g[["rule", "column", "value"]].to_dict("records"), ensure_ascii=False, default=str),
            include_groups=False,
        )
    else:
        for column in ("_rules", "_reason", "_violations"):
            quarantined[column] = pd.Series(dtype=object)
    return ValidationResult(
        accepted=accepted, quarantined=quarantined, violations=violations, schema_problems=schema_problems
    )


def sample_failures_markdown(result: ValidationResult, limit: int = SAMPLE_ROWS) -> str:
    """A markdown table of failing rows for the steward."""
    if result.violations.empty:
        return "No rule violations."
    sample = result.violations.sort_values(["severity", "row"]).head(limit)
    lines = ["| record | rule | severity | column | value |", "|---|---|---|---|---|"]
    for v in sample.itertuples():
        value = "" if v.value is None else str(v.value).replace("|", "\\|")[:60]
        lines.append(f"| {v.record_key} | {v.rule} | {v.severity} | {v.column or ''} | {value} |")
    return "\n".join(lines)
