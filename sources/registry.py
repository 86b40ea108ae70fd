"""The source registry (sources/registry.yaml) as typed, validated objects."""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, field_validator, model_validator

REGISTRY_PATH = Path(__file__).with_name("registry.yaml")
PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Dagster accepts owners as "team:<name>" or an e-mail address; nothing else.
_OWNER = re.compile(r"^(team:[A-Za-z0-9_-]+|[^@\s]+@[^@\s]+\.[A-Za-z]{2,})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")

SourceKind = Literal["excel", "csv", "sql", "hubspot"]


class HubSpotApi(BaseModel):
    """How to reach a HubSpot-style CRM v3 API; the token is only ever read from `token_env`."""

    base_url_env: str
    default_base_url: str = "https://api.hubapi.com"
    token_env: str
    page_size: int = Field(100, gt=0, le=100)
    timeout_seconds: float = Field(30.0, gt=0)
    max_attempts: int = Field(6, ge=1)
    backoff_initial_seconds: float = Field(1.0, ge=0)
    backoff_max_seconds: float = Field(60.0, ge=0)

    def base_url(self) -> str:
        return os.environ.get(self.base_url_env) or self.default_base_url

    def token(self) -> str | None:
        return os.environ.get(self.token_env) or None


class HubSpotObject(BaseModel):
    """One CRM entity as a HubSpot object: which properties and associations fill which columns.
    The entity's first key column is the object's id."""

    object: str
    properties: dict[str, str] = Field(default_factory=dict)  # canonical column -> property
    associations: dict[str, str] = Field(default_factory=dict)  # canonical column -> object type
    modified_property: str = "hs_lastmodifieddate"


class SourceSystem(BaseModel):
    name: str
    description: str
    kind: SourceKind
    url_env: str | None = None
    default_url: str | None = None
    expected_update_hours: int = Field(26, gt=0)
    api: HubSpotApi | None = None
    # incremental entities are read whole (and deletions detected) at least this often
    full_reconciliation_days: int | None = Field(None, gt=0)

    def sql_url(self, sources_dir: Path) -> str:
        """The SQLAlchemy URL: from the environment variable, else the demo default."""
        if self.url_env and os.environ.get(self.url_env):
            return os.environ[self.url_env]
        if not self.default_url:
            raise ValueError(f"source system {self.name!r} has no URL: set {self.url_env}")
        return self.default_url.format(sources_dir=sources_dir.resolve())


class SourceEntity(BaseModel):
    name: str
    system: str
    description: str
    location: str
    owner: str
    steward: str
    contract: str
    columns: dict[str, list[str]] = Field(default_factory=dict)
    required: list[str] = Field(default_factory=list)
    key: list[str] = Field(default_factory=list)
    max_error_rate: float = Field(0.05, ge=0.0, le=1.0)
    skip_rows_matching: dict[str, str] = Field(default_factory=dict)
    sheet: str | None = None
    expected_update_hours: int | None = Field(None, gt=0)
    updated_at_column: str | None = None
    kind: SourceKind | None = None  # overrides the system's kind (e.g. hubspot instead of the csv export)
    hubspot: HubSpotObject | None = None
    incremental: bool = False  # read only rows changed since the stored watermark (sql, hubspot)

    @field_validator("owner")
    @classmethod
    def _owner_form(cls, value: str) -> str:
        if not _OWNER.match(value):
            raise ValueError(f"owner {value!r} must be 'team:<name>' or an e-mail address")
        return value

    @field_validator("steward")
    @classmethod
    def _steward_form(cls, value: str) -> str:
        if not _EMAIL.match(value):
            raise ValueError(f"steward {value!r} must be an e-mail address")
        return value

    @model_validator(mode="after")
    def _required_are_known(self) -> "SourceEntity":
        if self.columns:
            unknown = [c for c in [*self.required, *self.key] if c not in self.columns]
            if unknown:
                raise ValueError(f"{self.name}: required/key columns {unknown} are not in columns")
        return self

    @property
    def owner_label(self) -> str:
        return f"owner {self.owner} (steward {self.steward})"


class Registry(BaseModel):
    systems: dict[str, SourceSystem]
    entities: dict[str, SourceEntity]

    def system_of(self, entity: SourceEntity) -> SourceSystem:
        return self.systems[entity.system]

    def kind_of(self, entity: SourceEntity) -> SourceKind:
        return entity.kind or self.system_of(entity).kind

    def expected_update_hours(self, entity: SourceEntity) -> int:
        return entity.expected_update_hours or self.system_of(entity).expected_update_hours

    def entities_of(self, system: str) -> list[SourceEntity]:
        return [e for e in self.entities.values() if e.system == system]


def parse_registry(raw: dict) -> Registry:
    systems = {name: {"name": name, **spec} for name, spec in raw["systems"].items()}
    entities = {name: {"name": name, **spec} for name, spec in raw["entities"].items()}
    registry = Registry(systems=systems, entities=entities)
    for entity in registry.entities.values():
        if entity.system not in registry.systems:
            raise ValueError(f"{entity.name}: unknown system {entity.system!r}")
        if registry.kind_of(entity) == "hubspot":
            if entity.hubspot is None or registry.system_of(entity).api is None or not entity.key:
                raise ValueError(f"{entity.name}: kind hubspot needs a hubspot block, a key and the system's api")
        if entity.incremental and not (entity.updated_at_column or entity.hubspot):
            raise ValueError(f"{entity.name}: incremental needs updated_at_column (sql) or a hubspot block")
    return registry


@lru_cache(maxsize=4)
def load_registry(path: Path = REGISTRY_PATH) -> Registry:
    with open(path, encoding="utf-8") as handle:
        return parse_registry(yaml.safe_load(handle))


def default_sources_dir() -> Path:
    return Path(os.environ.get("SMARTDATA_SOURCES_DIR", PROJECT_ROOT / "data" / "sources"))


def default_warehouse_path() -> Path:
    return Path(os.environ.get("SMARTDATA_WAREHOUSE", PROJECT_ROOT / "data" / "warehouse.duckdb"))


# DuckDB's own default is 80% of the machine's memory. Beyond this limit the warehouse
# connections that stage big loads (and dbt, via the profile) spill to <warehouse>.tmp.
DEFAULT_WAREHOUSE_MEMORY_LIMIT = "3GB"


def warehouse_memory_limit() -> str:
    return os.environ.get("SMARTDATA_DUCKDB_MEMORY_LIMIT", DEFAULT_WAREHOUSE_MEMORY_LIMIT)
