"""Errors that tell a steward what broke, where, and whom to call."""

from __future__ import annotations


class SourceError(Exception):
    """A source could not be read as registered. Nothing of it was written."""

    def __init__(
        self,
        message: str,
        *,
        entity: str,
        owner: str,
        location: str,
        sheet: str | None = None,
        column: str | None = None,
    ) -> None:
        self.entity = entity
        self.owner = owner
        self.location = location
        self.sheet = sheet
        self.column = column
        where = f"file/table {location}"
        if sheet:
            where += f", sheet {sheet!r}"
        if column:
            where += f", column {column!r}"
        super().__init__(f"[{entity}] {message} ({where}; {owner})")
