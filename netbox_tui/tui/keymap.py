"""Every key of the app, with an id so users can remap it (`App.set_keymap`, or keymap.toml).

The help screen (`?`) lists these in sections, k9s style; the footer shows the ones marked `show`.
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

# Result keys: only active when the question box is not being typed in.
RESULT_ACTIONS = {"next_page", "filter", "summary", "export", "refresh", "choose", "copy_row", "quit_key", "help_key",
                  "prev_table", "next_table", "focus_question"}

APP_BINDINGS: list[Binding] = [
    Binding("escape", "back", "Back", id="back", tooltip="Cancel a running question, clear the filter, or go back one view"),
    Binding("n", "next_page", "Next 25", id="next_page", tooltip="Load the next 25 rows into the table"),
    Binding("slash", "filter", "Filter", id="filter", tooltip="Filter the loaded rows; enter also searches NetBox"),
    Binding("s", "summary", "Summary", id="summary", tooltip="Counts by status, site, role… over the whole result"),
    Binding("e", "export('csv')", "Export", id="export_csv", tooltip="Export the table's loaded rows to CSV"),
    Binding("E", "export('json')", "Export JSON", id="export_json", show=False, tooltip="Export the table's loaded rows to JSON"),
    Binding("question_mark", "help_key", "Help", id="help"),
    Binding("r", "refresh", "Refresh", id="refresh", tooltip="Ask again, bypassing the cache"),
    Binding("1", "choose(1)", "Choose", id="choose_1", key_display="1-9", tooltip="Pick a numbered choice"),
    *[Binding(str(i), f"choose({i})", f"Choose {i}", id=f"choose_{i}", show=False) for i in range(2, 10)],
    Binding("left_square_bracket", "prev_table", "Prev table", id="prev_table", show=False),
    Binding("right_square_bracket", "next_table", "Next table", id="next_table", show=False),
    Binding("y", "copy_row", "Copy row", id="copy_row", show=False, tooltip="Copy the selected row as JSON"),
    Binding("f1", "help", "Help", id="help_f1", show=False),
    Binding("ctrl+p", "command_palette", "Palette", id="command_palette", show=False, priority=True),
    Binding("q", "quit_key", "Quit", id="quit"),
    Binding("colon", "focus_question", "Ask", id="focus_question", tooltip="Type a new question"),
    Binding("ctrl+c", "interrupt", "Cancel/Quit", id="interrupt", show=False, priority=True,
            tooltip="Cancel a running question; quit when nothing runs"),
]

TABLE_BINDINGS: list[Binding] = [
    Binding("enter", "app.drill", "Drill", id="drill", tooltip="Drill down on the selected row"),
]

INPUT_BINDINGS: list[Binding] = [
    Binding("enter", "submit", "Ask", id="ask"),
    Binding("up", "history_prev", "History", id="history_prev", key_display="↑↓"),
    Binding("down", "history_next", "Next in history", id="history_next", show=False),
    Binding("tab", "app.focus_next", "Results", id="focus_results", show=False),
    Binding("f1", "app.help", "Help", id="help_input"),
]

# Help sections: (title, [(binding id, description)]); descriptions say what the key does here.
HELP_SECTIONS: list[tuple[str, list[tuple[str, str]]]] = [
    ("Results", [
        ("drill", "drill down: device → interfaces, IPs, cables · site → racks, devices, VLANs, prefixes · VLAN → interfaces · prefix → free IPs · rack → devices · interface → cable trace"),
        ("next_page", "load the next 25 rows into the table"),
        ("filter", "filter the loaded rows as you type; enter searches NetBox for the rest (esc clears)"),
        ("summary", "summary view: counts by status, site, role, type over the whole result"),
        ("export_csv", "export the table (loaded rows) to CSV; the notification says where"),
        ("export_json", "export the table (loaded rows) to JSON"),
        ("refresh", "ask again, bypassing the cache"),
        ("choose_1", "pick a numbered choice (1–9): a candidate, a suggestion, a follow-up"),
        ("prev_table", "previous table of a multi-table answer"),
        ("next_table", "next table of a multi-table answer"),
        ("copy_row", "copy the selected row as JSON"),
    ]),
    ("Navigation", [
        ("back", "cancel a running question; else clear the filter; else go back one view"),
        ("focus_question", "type a new question (tab and the mouse move focus too)"),
    ]),
    ("Question", [
        ("ask", "ask the question typed in the box"),
        ("history_prev", "previous questions (kept across runs)"),
        ("history_next", "newer questions"),
    ]),
    ("General", [
        ("help", "this help (f1 too)"),
        ("command_palette", "command palette: switch NetBox profile, clear cache, theme, copy row as JSON"),
        ("interrupt", "cancel a running question; quit when nothing runs"),
        ("quit", "quit"),
    ]),
]


def all_bindings() -> dict[str, Binding]:
    return {b.id: b for b in APP_BINDINGS + TABLE_BINDINGS + INPUT_BINDINGS if b.id}


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
        if name not in known:
            warnings.append(f"keymap {path}: unknown binding id {name!r}")
        elif not isinstance(keys, str) or not keys.strip():
            warnings.append(f"keymap {path}: {name} must be a key string such as \"ctrl+n\"")
        else:
            keymap[name] = keys.strip()
    return keymap, warnings
