"""Tables and choices kept server-side between tool calls, in a bounded map (least recently used
goes first). A handle is random (a letter and 8 digits: always the same number of tokens), so a
handle from an earlier server process is all but never mistaken for one of this process: it is
unknown, and said to be."""

from __future__ import annotations

import secrets
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from typing import Any, Optional, Union

from netbox_tui.core.intent import Intent
from netbox_tui.core.results import Table
from netbox_tui.errors import NetBoxTUIError


@dataclass
class HeldTable:
    """A table and a window of its rows: [start, start + len(rows)); `complete` when the window
    holds every row (tables computed client-side), so paging never goes back to NetBox."""

    table: Table
    start: int
    rows: list[dict[str, Any]]
    complete: bool
    columns: Optional[list[str]] = None  # the columns asked for (query's `fields`), else the table's
    limit: int = 25  # rows per page
    last_shown: int = 0  # rows the last result showed (what fits the budget)

    def covers(self, offset: int) -> bool:
        return self.start <= offset < self.start + len(self.rows)

    @property
    def end(self) -> int:
        return self.start + len(self.rows)


@dataclass
class HeldChoices:
    """The candidates of an ambiguous or unknown name; each answers its question exactly."""

    options: list[tuple[str, Intent, str]] = field(default_factory=list)  # (label, intent, question)


Held = Union[HeldTable, HeldChoices]


class ExpiredHandle(NetBoxTUIError):
    kind = "expired_handle"
    title = "Handle expired"


class HandleStore:
    def __init__(self, size: int = 64) -> None:
        self.size = max(1, size)
        self._items: "OrderedDict[str, Held]" = OrderedDict()
        self._gone: deque[str] = deque(maxlen=4096)

    def __len__(self) -> int:
        return len(self._items)

    def add(self, held: Held) -> str:
        prefix = "t" if isinstance(held, HeldTable) else "c"
        handle = f"{prefix}{10_000_000 + secrets.randbelow(90_000_000)}"
        while handle in self._items:
            handle = f"{prefix}{10_000_000 + secrets.randbelow(90_000_000)}"
        self._items[handle] = held
        while len(self._items) > self.size:
            old, _ = self._items.popitem(last=False)
            self._gone.append(old)
        return handle

    def get(self, handle: str) -> Held:
        key = (handle or "").strip().strip("\"'")
        held = self._items.get(key)
        if held is None:
            if key in self._gone:
                raise ExpiredHandle(
                    f"handle {key} expired: this server keeps the last {self.size} tables and choices",
                    "Call the tool that made it again for a new handle.",
                )
            raise ExpiredHandle(
                f"handle {key!r} is unknown or expired (handles last while the server runs; it "
                f"keeps the last {self.size})",
                "Call the tool that made it again for a new handle.",
            )
        self._items.move_to_end(key)
        return held
