"""Every key of the app, with an id so users can remap it (`App.set_keymap`, or keymap.toml).

The help screen (`?`) lists these in sections, k9s style, with their ids; the footer shows the
ones marked `show` that act where the focus is.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import platformdirs
from textual.binding import Binding

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

# Keys that are letters on a table (k9s style) are typed text in the question box: Textual drops a
# binding whose key an Input consumes, so while typing only the chords (ctrl+…) of these act.
# Each action has one binding id, its letter and its chord together (`n,ctrl+n`): remapping the
# id remaps both. Letter-only keys (q ? : 1–9) are never active while typing.
RESULT_ACTIONS = {"choose", "quit_key", "prev_table", "next_table", "focus_question"}

APP_BINDINGS: list[Binding] = [
    Binding(
        "escape",
        "back",
        "Back",
        id="back",
        tooltip="Cancel a running question, clear the filter or the typed text, or go back one view",
    ),
    Binding(
        "ctrl+o",
        "app.drill",
        "Drill",
        id="open_row",
        tooltip="Drill down on the selected row (enter on the table)",
    ),
    Binding(
        "n,ctrl+n",
        "next_page",
        "Next",
        id="next_page",
        tooltip="Load the next page of rows (ui.page_size) into the table",
    ),
    Binding(
        "slash,ctrl+f",
        "filter",
        "Filter",
        id="filter",
        tooltip="Filter the loaded rows; enter also searches NetBox",
    ),
    Binding(
        "s,ctrl+g",
        "summary",
        "Summary",
        id="summary",
        tooltip="Counts by status, site, role… over the whole result",
    ),
    Binding(
        "e,ctrl+s",
        "export",
        "Export",
        id="export",
        tooltip="Export the table to CSV or JSON: loaded rows or all rows",
    ),
    Binding("y,ctrl+y", "copy", "Copy", id="copy", show=False, tooltip="Copy a cell or the row (OSC 52)"),
    Binding(
        "r,ctrl+r", "refresh", "Refresh", id="refresh", show=False, tooltip="Ask again, bypassing the cache"
    ),
    Binding("question_mark", "help", "Help", id="help"),
    Binding("f1", "help", "Help", id="help_f1"),  # the footer shows ? on a table, f1 while typing
    Binding("1", "choose(1)", "Choose", id="choose_1", key_display="1-9", tooltip="Pick a numbered choice"),
    *[Binding(str(i), f"choose({i})", f"Choose {i}", id=f"choose_{i}", show=False) for i in range(2, 10)],
    Binding("left_square_bracket", "prev_table", "Prev table", id="prev_table", show=False),
    Binding("right_square_bracket", "next_table", "Next table", id="next_table", show=False),
    Binding(
        "ctrl+l",
        "toggle_history",
        "History",
        id="toggle_history",
        show=False,
        tooltip="Show or hide the history panel",
    ),
    Binding("ctrl+p", "command_palette", "Palette", id="command_palette", show=False, priority=True),
    Binding("q", "quit_key", "Quit", id="quit", tooltip="Quit (asks first)"),
    Binding("colon", "focus_question", "Ask", id="focus_question", show=False, tooltip="Type a new question"),
    Binding(
        "ctrl+c",
        "interrupt",
        "Cancel/Quit",
        id="interrupt",
        show=False,
        priority=True,
        tooltip="Cancel a running question; quit when nothing runs",
    ),
]

TABLE_BINDINGS: list[Binding] = [
    Binding("enter", "app.drill", "Drill", id="drill", tooltip="Drill down on the selected row"),
    Binding("j", "cursor_down", "Down", id="row_down", show=False),
    Binding("k", "cursor_up", "Up", id="row_up", show=False),
    Binding("g", "scroll_top", "Top", id="row_first", show=False),
    Binding("G", "scroll_bottom", "Bottom", id="row_last", show=False),
]

INPUT_BINDINGS: list[Binding] = [
    Binding("enter", "submit", "Ask", id="ask", show=False),
    Binding("up", "history_prev", "History", id="history_prev", show=False),
    Binding("down", "history_next", "Rows", id="history_next", show=False,
            tooltip="Newer question; past the newest: the next row (typing still asks)"),
    Binding("tab", "app.enter_results", "Results", id="focus_results", show=False),
]

# Help sections: (title, [(binding id, description)]); descriptions say what the key does here.
HELP_SECTIONS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Results",
        [
            (
                "drill",
                "drill down: device → interfaces, IPs, cables · site → racks, devices, VLANs, "
                "prefixes · VLAN → interfaces · prefix → free IPs · rack → devices · interface → "
                "cable trace · summary line → its rows",
            ),
            ("open_row", "the same from the question box: drill down on the selected row"),
            ("next_page", "load the next page of rows into the table (ui.page_size a page)"),
            ("filter", "filter the loaded rows as you type; enter searches NetBox for the rest (esc clears)"),
            (
                "summary",
                "summary view: counts by status, site, role, type over the whole result; enter "
                "on a line lists its rows",
            ),
            (
                "export",
                "export to CSV or JSON: the loaded rows or all rows (fetched 1,000 at a time); "
                "says where the file went",
            ),
            ("copy", "copy a cell or the whole row (OSC 52: works over SSH; tmux needs set-clipboard on)"),
            ("refresh", "ask again, bypassing the cache"),
            ("choose_1", "pick a numbered choice (1–9); in the question box type its number and enter"),
            ("prev_table", "previous table of a multi-table answer"),
            ("next_table", "next table of a multi-table answer"),
            ("row_down", "next row (↓ too)"),
            ("row_up", "previous row (↑ too; from the first row back to the question box)"),
            ("row_first", "first row"),
            ("row_last", "last row"),
        ],
    ),
    (
        "Navigation",
        [
            (
                "back",
                "cancel a running question; else clear the typed text or the filter; else go back one view",
            ),
            ("focus_question", "type a new question (on a table any other letter starts one too)"),
            ("focus_results", "into the table, where the keys are letters (enter on an empty box too)"),
            ("toggle_history", "show or hide the history panel"),
        ],
    ),
    (
        "Question box",
        [
            (
                "ask",
                "ask the question typed in the box (a number alone picks that choice); empty: the "
                "row or choice ↓ selected, else into the table",
            ),
            ("history_prev", "previous questions (kept across runs); after ↓ on the rows, the row above"),
            (
                "history_next",
                "newer questions; past the newest, the next row: the box keeps the focus, "
                "ctrl+o or enter on the empty box drills it",
            ),
        ],
    ),
    (
        "General",
        [
            ("help", "this help (f1 too, also while typing)"),
            ("command_palette", "command palette: switch NetBox profile, clear cache, theme, maximize"),
            ("interrupt", "cancel a running question; quit when nothing runs"),
            ("quit", "quit, after asking (ctrl+q quits at once)"),
        ],
    ),
]


# The small dialogs: what they pick is also a numbered option (1–9), so these only open and close.
DIALOG_BINDINGS: list[Binding] = [
    Binding("escape", "dismiss_dialog", "Cancel", id="dialog_cancel"),
    *[Binding(str(i), f"pick({i})", f"Pick {i}", id=f"dialog_pick_{i}", show=False) for i in range(1, 10)],
]

QUIT_BINDINGS: list[Binding] = [
    Binding("y,q", "confirm_quit", "Quit", id="quit_confirm"),
    Binding("n,escape", "dismiss_dialog", "Stay", id="quit_cancel"),
]

HELP_BINDINGS: list[Binding] = [
    Binding("escape", "dismiss", "Close", id="help_close"),
    Binding("question_mark", "dismiss", "Close", show=False, id="help_close_q"),
    Binding("q", "dismiss", "Close", show=False, id="help_close_quit"),
]


# Ids of earlier versions, still read from keymap.toml (with a warning to rename them).
RENAMED = {"export_csv": "export", "export_json": "export", "copy_row": "copy", "help_input": "help_f1"}


def all_bindings() -> dict[str, Binding]:
    every = APP_BINDINGS + TABLE_BINDINGS + INPUT_BINDINGS + DIALOG_BINDINGS + QUIT_BINDINGS + HELP_BINDINGS
    return {b.id: b for b in every if b.id}


def default_keymap_path() -> Path:
    return Path(platformdirs.user_config_dir("netbox-tui")) / "keymap.toml"


def load_keymap(path: Optional[Path] = None) -> tuple[dict[str, str], list[str]]:
    """`id = "keys"` lines from keymap.toml; returns (keymap, warnings). A missing file is no keymap."""
    path = path or default_keymap_path()
    if not path.exists():
        return {}, []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return {}, [f"keymap {path}: ignored ({exc})"]
    known = all_bindings()
    keymap: dict[str, str] = {}
    warnings: list[str] = []
    for name, keys in (data.get("keymap", data) or {}).items():
        if name in RENAMED:
            warnings.append(f"keymap {path}: {name} is now called {RENAMED[name]} (used as such)")
            name = RENAMED[name]
        if name not in known:
            warnings.append(f"keymap {path}: unknown binding id {name!r}")
        elif not isinstance(keys, str) or not keys.strip():
            warnings.append(f"keymap {path}: {name} must be a key string such as \"ctrl+n\"")
        else:
            keymap[name] = keys.strip()
    return keymap, warnings
