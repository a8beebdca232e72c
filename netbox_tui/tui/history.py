"""Question history for the input (↑/↓), kept across runs in the XDG data directory."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Optional

import platformdirs

APP = "netbox-tui"
MAX_ENTRIES = 500


def default_history_path() -> Path:
    return Path(platformdirs.user_data_dir(APP)) / "history.jsonl"


class History:
    """Oldest first. Navigation starts past the newest entry; `prev`/`next` walk it."""

    def __init__(self, path: Optional[Path]) -> None:
        self.path = path
        self.entries: list[str] = self._load()
        self._pos = len(self.entries)
        self._draft = ""

    def _load(self) -> list[str]:
        if self.path is None:
            return []
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except OSError:
            return []
        out: list[str] = []
        for line in lines:
            try:
                value = json.loads(line)
            except ValueError:
                continue
            if isinstance(value, str) and value.strip():
                out.append(value)
        return out[-MAX_ENTRIES:]

    def add(self, question: str) -> None:
        question = question.strip()
        self._pos = len(self.entries)
        if not question:
            return
        if self.entries and self.entries[-1] == question:
            self._pos = len(self.entries)
            return
        self.entries.append(question)
        self.entries = self.entries[-MAX_ENTRIES:]
        self._pos = len(self.entries)
        self._save()

    def _save(self) -> None:
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(
                "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in self.entries), encoding="utf-8"
            )
            os.replace(tmp, self.path)
        except OSError:
            pass  # history is a convenience: never fail a question because of it

    def prev(self, current: str) -> Optional[str]:
        if not self.entries or self._pos == 0:
            return None
        if self._pos == len(self.entries):
            self._draft = current
        self._pos -= 1
        return self.entries[self._pos]

    def next(self) -> Optional[str]:
        if self._pos >= len(self.entries):
            return None
        self._pos += 1
        return self._draft if self._pos == len(self.entries) else self.entries[self._pos]
