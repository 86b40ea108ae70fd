"""The inbox of file sources: which workbooks and exports under the sources root changed
since the last look. Plain Python; the Dagster sensor (orchestration/sensors.py) keeps the
returned state as its cursor."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .registry import Registry

FILE_KINDS = ("excel", "csv")

# relative path -> [mtime_ns, size, sha256]; a file is only re-hashed when mtime or size moved
FileStates = dict[str, list]


@dataclass(frozen=True)
class InboxScan:
    files: FileStates
    changed_entities: list[str]  # entities with a new, changed or removed file, sorted


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_entities(registry: Registry) -> dict[str, str]:
    """Entity name -> its glob (relative to the sources root) for every file source."""
    return {
        entity.name: entity.location
        for entity in registry.entities.values()
        if registry.system_of(entity).kind in FILE_KINDS
    }


def scan_inbox(sources_dir: Path, registry: Registry, previous: FileStates) -> InboxScan:
    """The current state of every registered file and the entities whose files changed in
    content (a touched but identical file is no change)."""
    files: FileStates = {}
    changed: set[str] = set()
    for entity, pattern in file_entities(registry).items():
        seen: set[str] = set()
        for path in sorted(sources_dir.glob(pattern)):
            if not path.is_file():
                continue
            relative = path.relative_to(sources_dir).as_posix()
            stat = path.stat()
            before = previous.get(relative)
            if before and before[0] == stat.st_mtime_ns and before[1] == stat.st_size:
                state = before
            else:
                state = [stat.st_mtime_ns, stat.st_size, file_sha256(path)]
            files[relative] = state
            seen.add(relative)
            if before is None or before[2] != state[2]:
                changed.add(entity)
        removed = {p for p in previous if Path(p).match(pattern) and p not in seen}
        if removed:
            changed.add(entity)
    return InboxScan(files=files, changed_entities=sorted(changed))
