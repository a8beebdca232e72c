"""Column widths for a table that must fit the terminal (80 columns included): what matters keeps its
width, the rest is ellipsized. One rule for the TUI's tables and plain `ask`; no Textual here."""

from __future__ import annotations

from dataclasses import dataclass

CELL_PADDING = 2  # DataTable's cell_padding=1, on each side
FLOOR = 6  # a cut column still shows a few letters and its "…"
KEY_FLOOR = 16  # the name and the connection are cut only when nothing else is left to cut


@dataclass(frozen=True)
class FitColumn:
    natural: int  # the widest cell or title, after any cap on free text
    key: bool = False  # the name, its context, the connection: cut last


def fit_widths(columns: list[FitColumn], room: int, *, padding: int = CELL_PADDING, floor: int = FLOOR,
               key_floor: int = KEY_FLOOR) -> list[int]:
    """Widths that fit `room` cells: the widest of the other columns loses a cell at a time (on a tie
    the later one, the less important), then the key columns do, never under their floors. If even
    that does not fit, the table scrolls sideways (its name column is pinned)."""
    widths = [c.natural for c in columns]

    def excess() -> int:
        return sum(w + padding for w in widths) - room

    for keys, least in ((False, floor), (True, key_floor)):
        group = [i for i, c in enumerate(columns) if c.key == keys]
        while excess() > 0:
            cuttable = [i for i in group if widths[i] > min(columns[i].natural, least)]
            if not cuttable:
                break
            widest = max(cuttable, key=lambda i: (widths[i], i))
            widths[widest] -= 1
    return widths
