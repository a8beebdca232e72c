"""Export a result table (the rows loaded, or all of them) to CSV or JSON. No Textual here.

An empty value is an empty CSV cell and a JSON null: the "—" the table shows is not data."""

from __future__ import annotations

import csv
import json
import os
import re
import time
from pathlib import Path
from typing import Any, Iterable, Literal, Optional

import platformdirs

from netbox_tui.core.columns import EMPTY
from netbox_tui.core.results import Column

_NUMBER = re.compile(r"-\d+(?:\.\d+)?")

Format = Literal["csv", "json"]


def slug(text: str) -> str:
    s = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return s[:60] or "table"


def export_dir(preferred: Optional[Path] = None) -> Path:
    """The current directory when writable, else the XDG data directory."""
    for candidate in ([preferred] if preferred else []) + [Path.cwd()]:
        if candidate is not None and os.access(candidate, os.W_OK):
            return candidate
    fallback = Path(platformdirs.user_data_dir("netbox-tui")) / "exports"
    fallback.mkdir(parents=True, exist_ok=True)
    return fallback


def export_rows(title: str, columns: list[Column], rows: Iterable[dict[str, Any]], fmt: Format,
                directory: Optional[Path] = None, stamp: Optional[str] = None) -> Path:
    folder = export_dir(directory)
    stamp = stamp or time.strftime("%Y%m%d-%H%M%S")
    path = folder / f"netbox-{slug(title)}-{stamp}.{fmt}"
    n = 1
    while path.exists():
        n += 1
        path = folder / f"netbox-{slug(title)}-{stamp}-{n}.{fmt}"
    keys = ["id"] + [c.key for c in columns if c.key != "id"]
    rows = list(rows)

    def value(r: dict[str, Any], k: str) -> Any:
        v = r.get(k)
        return None if v is None or v == EMPTY or v == "" else v

    if fmt == "csv":
        # NetBox text is user-supplied: keep spreadsheets from reading a cell as a formula.
        def safe(v: Any) -> Any:  # OWASP's list; a plain negative number stays a number
            risky = isinstance(v, str) and (
                v[:1] in ("=", "+", "@", "\t", "\r") or v[:1] == "-" and not _NUMBER.fullmatch(v)
            )
            return "'" + v if risky else v

        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["id"] + [c.title for c in columns if c.key != "id"])
            for r in rows:
                writer.writerow(["" if value(r, k) is None else safe(value(r, k)) for k in keys])
    else:
        path.write_text(
            json.dumps([{k: value(r, k) for k in keys} for r in rows], indent=2, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
    return path
