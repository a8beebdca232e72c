"""Tables computed client-side (a recipe's rows, a summary, a summary line's members), kept by key
so they page from memory; the oldest go first past a bound (long TUI sessions)."""

from __future__ import annotations

from typing import Any

from netbox_tui.errors import NetBoxTUIError

LOCAL_TABLES = 64  # client-side tables kept for paging (the TUI's back stack holds at most 30 views)


class LocalTables:
    def __init__(self, size: int = LOCAL_TABLES) -> None:
        self.size = size
        self._rows: dict[str, list[dict[str, Any]]] = {}
        self._serial = 0  # makes each table's key unique

    def __contains__(self, key: object) -> bool:
        return key in self._rows

    def __len__(self) -> int:
        return len(self._rows)

    def clear(self) -> None:
        self._rows.clear()

    def fresh_key(self, key: str) -> str:
        """A key of its own: a later answer of the same recipe must not replace an older table's rows."""
        self._serial += 1
        return f"{key}#{self._serial}"

    def keep(self, tables: dict[str, list[dict[str, Any]]]) -> None:
        for key, rows in tables.items():
            self._rows.pop(key, None)
            self._rows[key] = rows
        while len(self._rows) > self.size:
            self._rows.pop(next(iter(self._rows)))

    def get(self, key: str) -> list[dict[str, Any]]:
        rows = self._rows.get(key)
        if rows is None:
            raise NetBoxTUIError(
                "this table has expired (only the latest tables are kept in memory)",
                "Ask the question again.",
            )
        return rows

    def rows(self, key: str) -> list[dict[str, Any]]:
        """A copy of a table's rows, empty when it expired."""
        return list(self._rows.get(key, []))
