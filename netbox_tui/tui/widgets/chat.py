"""The chat pane: questions, answers, notes; and the question box with history on ↑/↓."""

from __future__ import annotations

from typing import Optional

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from netbox_tui.tui.history import History
from netbox_tui.tui.keymap import INPUT_BINDINGS

MAX_ENTRIES = 200
# Printable keys Textual 8.2.8 does not map to their character (keys.key_to_character), so an
# Input would not hide the app's bindings on them ("/" would show "Filter" while typing).
NAMED_PRINTABLE = {"plus": "+", "minus": "-", "slash": "/", "at": "@", "backslash": "\\", "underscore": "_"}


class TextInput(Input):
    """An Input that owns every printable key, named ones included: none of them is a shortcut."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return super().check_consume_key(
            key, character if character is not None else NAMED_PRINTABLE.get(key)
        )


class ChatLog(VerticalScroll, can_focus=False):
    """Scrollable log of the conversation. Entries are `Text`, never markup."""

    def add(self, text: Text, classes: str = "") -> None:
        entry = Static(text, classes=f"entry {classes}".strip())
        self.mount(entry)
        extra = len(self.children) - MAX_ENTRIES
        if extra > 0:
            for child in list(self.children)[:extra]:
                child.remove()
        self.call_after_refresh(self.scroll_end, animate=False)


class QuestionInput(TextInput):
    """The question box. ↑/↓ walk the history, kept across runs; ↓ past the newest moves the selected
    row of the table below while the box keeps the focus (a combobox), so typing right after ↓ still
    asks. Only tab, or enter on an empty box, puts the focus in the table, where letters are keys."""

    BINDINGS = INPUT_BINDINGS

    def __init__(self, history: History, **kwargs) -> None:
        kwargs.setdefault(
            "select_on_focus", False
        )  # coming back to the box never selects (and so replaces) what is typed
        super().__init__(**kwargs)
        self.history = history
        self.browsing_rows = False  # ↓ moved the table's selection: ↑ moves it back, enter acts on it

    def _set(self, value: Optional[str]) -> None:
        if value is not None:
            self.value = value
            self.cursor_position = len(value)

    def action_history_prev(self) -> None:
        if self.browsing_rows:
            step = getattr(self.app, "step_selection", None)
            if step is not None and step(-1):
                return
            self.browsing_rows = False  # above the first row: ↑ walks the history again
        self._set(self.history.prev(self.value))

    def action_history_next(self) -> None:
        value = self.history.next()
        if value is None:
            step = getattr(self.app, "step_selection", None)
            if step is not None and step(1):
                self.browsing_rows = True  # past the newest question: the rows below, the focus stays here
            return
        self._set(value)

    def on_focus(self) -> None:
        changed = getattr(self.app, "question_focus_changed", None)
        if changed is not None:
            self.call_after_refresh(changed)

    def on_blur(self) -> None:
        changed = getattr(self.app, "question_focus_changed", None)
        if changed is not None:
            self.call_after_refresh(changed)
