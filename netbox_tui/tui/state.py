"""What the result area shows, as plain data: a stack of views, each with its tables and loaded rows.

No Textual here. Widgets render a `ViewState`; going back re-shows a stored view, so nothing
already loaded is fetched again.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any, Literal, Optional

from netbox_tui.core.columns import EMPTY
from netbox_tui.core.results import Answer, Choice, Column, Table, plural

ViewKind = Literal["welcome", "answer", "drill", "summary"]
_ids = itertools.count(1)

# Columns that say what a row belongs to: shown before the row's own name, pinned with it.
CONTEXT_KEYS = {"device", "virtual_machine", "circuit", "power_panel", "vid", "dimension"}
KEEP_KEYS = {"count"}  # a summary's counts stay a column even when they are all alike
# Where a row leads: kept as wide as the name when a small terminal cuts the other columns.
CONNECTION_KEYS = {"link_peers", "connected_endpoints", "near", "far"}
_NOTE_WORDS = {"enabled": "enabled", "mgmt_only": "mgmt only", "dimension": "by"}


def _word(c: Column) -> str:
    """A column's title as a word in a sentence: "Device" -> "device", "VRF" stays."""
    if c.key in _NOTE_WORDS:
        return _NOTE_WORDS[c.key]
    t = c.title
    return t if t[1:2].isupper() else t[:1].lower() + t[1:]


def row_key(row: dict[str, Any], index: int, used: set[str]) -> str:
    """A DataTable row key: the NetBox id, or the index when there is none (or it repeats)."""
    rid = row.get("id")
    key = str(rid) if rid is not None else f"#{index}"
    if key in used:
        key = f"{key}#{index}"
    used.add(key)
    return key


@dataclass
class TableState:
    """One result table: the latest page's metadata (query, total) and every row loaded so far."""

    table: Table
    rows: list[dict[str, Any]]
    filter: str = ""  # client-side, over loaded rows
    search: Optional[str] = None  # server-side (NetBox `q`), applied with enter in the filter box
    before_search: Optional[tuple[Table, list[dict[str, Any]]]] = None  # restored when the search is cleared

    @classmethod
    def of(cls, table: Table) -> "TableState":
        return cls(table=table, rows=list(table.rows))

    @property
    def start(self) -> int:
        return self.table.offset if self.rows else 0

    @property
    def total(self) -> int:
        return max(self.table.total, self.start + len(self.rows))

    @property
    def has_more(self) -> bool:
        return self.table.query is not None and self.start + len(self.rows) < self.table.total

    @property
    def next_offset(self) -> int:
        return self.start + len(self.rows)

    def append(self, page: Table) -> int:
        """Add the next page's rows; returns how many were new."""
        seen = {r.get("id") for r in self.rows if r.get("id") is not None}
        new = [r for r in page.rows if r.get("id") is None or r.get("id") not in seen]
        self.rows.extend(new)
        offset = self.table.offset
        self.table = page.model_copy(update={"rows": [], "offset": offset})
        return len(new)

    def apply_search(self, page: Table, search: str) -> None:
        if self.before_search is None:
            self.before_search = (self.table, self.rows)
        self.table = page.model_copy(update={"rows": []})
        self.rows = list(page.rows)
        self.search = search
        self.filter = ""

    def clear_search(self) -> bool:
        if self.before_search is None:
            return False
        self.table, self.rows = self.before_search
        self.before_search = None
        self.search = None
        return True

    def keyed_rows(self) -> list[tuple[str, dict[str, Any]]]:
        used: set[str] = set()
        return [(row_key(r, i, used), r) for i, r in enumerate(self.rows)]

    def visible(self) -> list[tuple[str, dict[str, Any]]]:
        rows = self.keyed_rows()
        if not self.filter:
            return rows
        needle = self.filter.lower()
        keys = [c.key for c in self.table.columns] + ["display"]
        return [(k, r) for k, r in rows if any(needle in str(r.get(c, "")).lower() for c in keys)]

    def span(self) -> str:
        """The loaded range, as every line that states it says it: "rows 1–50 of 180"."""
        return f"rows {self.start + 1:,}–{self.start + len(self.rows):,} of {self.total:,}"

    def header(self) -> str:
        t = self.table
        title = t.title + (f" matching “{self.search}”" if self.search else "")
        if not self.rows:
            return f"{title} — no rows" if self.total == 0 else f"{title} — {plural(self.total, 'row')}"
        span = self.span()
        if self.filter:
            n = len(self.visible())
            match = "row matches" if len(self.rows) == 1 and n == 1 else "rows match"
            return f"{title} — {n:,} of {len(self.rows):,} loaded {match} “{self.filter}” ({span})"
        return f"{title} — {span}" + (" (partial)" if t.partial else "")

    def constants(self) -> list[tuple[Column, str]]:
        """Columns holding one and the same value on every loaded row (at least two rows), other
        than the name: "device ncsu-coreswitch1" on a device's interfaces. The table leaves them
        out and says them once. Columns empty on every row are `empties()`."""
        if len(self.rows) < 2:
            return []
        cols = self.table.columns
        label = self.label_index(cols)
        out: list[tuple[Column, str]] = []
        for i, c in enumerate(cols):
            if i == label or c.key in KEEP_KEYS:
                continue
            first = self.rows[0].get(c.key)
            if first in (None, "", EMPTY) or not all(r.get(c.key) == first for r in self.rows[1:]):
                continue
            out.append((c, str(first)))
        return out

    def empties(self) -> list[Column]:
        """Columns with no value on any loaded row (at least two rows): at 80 columns they took the
        room of the ones with values, so the table leaves them out and its header names them."""
        if len(self.rows) < 2:
            return []
        cols = self.table.columns
        label = self.label_index(cols)
        return [c for i, c in enumerate(cols) if i != label and c.key not in KEEP_KEYS
                and all(r.get(c.key) in (None, "", EMPTY) for r in self.rows)]

    def shown_columns(self) -> list[Column]:
        dropped = {c.key for c, _ in self.constants()} | {c.key for c in self.empties()}
        return [c for c in self.table.columns if c.key not in dropped]

    def key_columns(self) -> set[str]:
        """What a narrow table cuts last: the name, what the row belongs to, where it connects."""
        cols = self.shown_columns()
        return {c.key for c in cols[: self.pinned()]} | (CONNECTION_KEYS & {c.key for c in cols})

    @staticmethod
    def label_index(cols: list[Column]) -> int:
        """The name column: the first one, or the second after a context column (interfaces: device, name)."""
        if len(cols) > 1 and cols[0].key in CONTEXT_KEYS:
            return 1
        return 0

    def pinned(self) -> int:
        """How many shown columns stay put when the table scrolls right: up to the name column."""
        cols = self.shown_columns()
        return min(len(cols), self.label_index(cols) + 1) if cols else 0

    def constants_note(self) -> str:
        """ "every row: device ncsu-coreswitch1 · type SFP+ (10GE)" """
        title = self.table.title
        parts = [
            f"{_word(c)} {v}" for c, v in self.constants() if v not in title
        ]  # the title says it already
        note = ("every row: " + " · ".join(parts)) if parts else ""
        empty = ", ".join(_word(c) for c in self.empties())
        return " · ".join(filter(None, [note, f"empty: {empty}" if empty else ""]))

    def tab_label(self) -> str:
        """Short, for a tab: "Interfaces (14)" for "Interfaces of dmi01-akron-rtr01"."""
        title = self.table.title
        for sep in (" of ", " on ", " in ", " at "):
            if sep in title:
                title = title.split(sep, 1)[0]
                break
        return f"{title} ({self.total:,})"


@dataclass
class ViewState:
    """One entry of the view stack (the breadcrumb)."""

    kind: ViewKind
    label: str  # breadcrumb text
    answer: Optional[Answer] = None
    tables: list[TableState] = field(default_factory=list)
    active: int = 0  # the table keys act on
    # How to fetch this view again for `r`:
    # ("ask", question) | ("drill", object_type, row) | ("summary", TableState)
    source: tuple[Any, ...] = ()
    turn: Optional[int] = None  # the conversation's turn shown here: going back makes it current again
    id: int = field(default_factory=lambda: next(_ids))

    @classmethod
    def from_answer(
        cls, answer: Answer, *, kind: ViewKind = "answer", label: str = "", source: tuple[Any, ...] = ()
    ) -> "ViewState":
        tables = [TableState.of(t) for t in answer.tables]  # empty ones too: "no IP addresses" is an answer
        return cls(kind=kind, label=label or answer.question, answer=answer, tables=tables,
                   source=source or ("ask", answer.question))

    @property
    def table(self) -> Optional[TableState]:
        if not self.tables:
            return None
        return self.tables[min(self.active, len(self.tables) - 1)]

    def numbered_choices(self) -> list[Choice]:
        """Choices picked with 1–9: candidates, suggestions and follow-up questions."""
        if self.answer is None:
            return []
        kinds = (
            ("candidate", "suggestion") if self.kind == "drill" else ("candidate", "suggestion", "drill_down")
        )
        # a drill view already shows its related tables (each pages with n): no follow-up questions for them
        return [c for c in self.answer.choices if (c.question or c.intent is not None) and c.kind in kinds][
            :9
        ]


def breadcrumb(stack: list[ViewState], width: int = 0) -> str:
    parts = [v.label for v in stack]
    text = " › ".join(parts)
    if width and len(text) > width:
        while len(parts) > 1 and len(" › ".join(["…"] + parts)) > width:
            parts = parts[1:]
        text = " › ".join(["…"] + parts)
    return text
