"""The privacy policy of the published mart (serving/privacy.yaml) as SQL projections."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

POLICY_PATH = Path(__file__).with_name("privacy.yaml")
PERSONAL_COLUMN = re.compile(r"(^|_)(e_?mail|phone|mobile|fax|street|contact_name|first_name|last_name|full_name)$", re.I)
CONSENT_COLUMN = re.compile(r"^consent_", re.I)  # consent_email is the consent status, not the address


class PersonalDataError(ValueError):
    """A published column looks personal but the privacy policy does not cover it."""


@dataclass(frozen=True)
class PrivacyPolicy:
    consent_gated: dict[str, dict[str, str]]
    company_data: dict[str, list[str]]

    def projection(self, table: str, columns: list[str]) -> list[str]:
        """SQL select expressions for publishing `table`: consent-gated columns are NULL
        without consent; an unlisted personal-looking column raises PersonalDataError."""
        gated = self.consent_gated.get(table, {})
        unknown = [c for c in gated if c not in columns]
        if unknown:
            raise PersonalDataError(f"serving/privacy.yaml names mart.{table} columns {unknown} that do not exist")
        expressions = []
        for column in columns:
            quoted = f'"{column}"'
            if column in gated:
                expressions.append(f"case when coalesce(({gated[column]}), false) then {quoted} end as {quoted}")
            elif PERSONAL_COLUMN.search(column) and not CONSENT_COLUMN.match(column) and column not in self.company_data.get(table, []):
                raise PersonalDataError(
                    f"mart.{table}.{column} looks like personal data but serving/privacy.yaml does not say "
                    "whether it is consent-gated or company data; not published (owner team:data-platform)"
                )
            else:
                expressions.append(quoted)
        return expressions


@lru_cache(maxsize=2)
def load_policy(path: Path = POLICY_PATH) -> PrivacyPolicy:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return PrivacyPolicy(consent_gated=raw.get("consent_gated") or {}, company_data=raw.get("company_data") or {})
