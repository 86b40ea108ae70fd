"""Paths and run settings from the environment, with the embedded demo as default."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sources.registry import PROJECT_ROOT, default_sources_dir, default_warehouse_path

DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"


@dataclass(frozen=True)
class Settings:
    warehouse: Path
    sources_dir: Path
    as_of_date: str | None  # dbt var as_of_date; None = today

    @classmethod
    def from_env(cls) -> "Settings":
        return cls(
            warehouse=default_warehouse_path().resolve(),
            sources_dir=default_sources_dir().resolve(),
            as_of_date=os.environ.get("SMARTDATA_AS_OF") or None,
        )
