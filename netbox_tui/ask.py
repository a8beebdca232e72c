"""`netbox-tui ask`: one question, one answer, as JSON or rendered with rich.

Exit codes: 0 ok, partial or needs_choice; 3 not_found (a named object does not exist); 1 error.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Optional

from netbox_tui.config import Settings
from netbox_tui.core.progress import ProgressEvent
from netbox_tui.core.results import Answer
from netbox_tui.netbox.cache import CacheMode
from netbox_tui.session import Session

EXIT = {"ok": 0, "partial": 0, "needs_choice": 0, "not_found": 3, "error": 1}


async def run_ask(
    settings: Settings,
    question: str,
    *,
    as_json: bool,
    demo: bool,
    snapshot: Optional[Path],
    cache_mode: CacheMode,
    page_size: Optional[int],
    offset: int,
    progress: bool,
) -> int:
    session = Session.open(settings, demo=demo, snapshot=snapshot, cache_mode=cache_mode, page_size=page_size)
    try:
        def on_progress(event: ProgressEvent) -> None:
            if progress:
                print(event.line(), file=sys.stderr)

        answer = await session.orchestrator.ask(question, on_progress=on_progress, offset=max(offset, 0))
    finally:
        await session.aclose()
    if session.cache_warning:
        print(f"netbox-tui: {session.cache_warning}", file=sys.stderr)
    if as_json:
        print(answer.to_json())
    else:
        render(answer, session.label)
    return EXIT.get(answer.status, 1)


def render(answer: Answer, source: str) -> None:
    """Rich rendering for a terminal: the summary, how the question was read, each table's first
    page, the choices. Every string is printed as Text, never as markup."""
    from rich.console import Console
    from rich.table import Table as RichTable
    from rich.text import Text

    class _Quiet(Console):
        def on_broken_pipe(self) -> None:  # `| head` closed the pipe: stop writing, exit quietly (rich would exit 1)
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise SystemExit(0)

    console = _Quiet(highlight=False)
    style = {"ok": "green", "partial": "yellow", "needs_choice": "cyan", "not_found": "yellow", "error": "red"}[answer.status]
    if answer.stale:
        style = "yellow"  # an expired cached answer (NetBox unreachable or failing): its text says how old
    console.print(Text(answer.answer, style=style))
    if answer.interpretation is not None:
        console.print(Text("read as: " + answer.interpretation.line(), style="dim"))
        if answer.interpretation.not_understood:
            console.print(Text("not understood: " + ", ".join(answer.interpretation.not_understood), style="yellow"))
    if answer.error:
        for label, items in (("Likely causes", answer.error.causes), ("Next steps", answer.error.next_steps), ("Try instead", answer.error.alternatives)):
            if items:
                console.print(Text(f"{label}: " + "; ".join(items), style="dim"))
    for t in answer.tables:
        if not t.rows and t.total == 0:
            continue
        shown = f"rows {t.offset + 1}–{t.offset + len(t.rows)} of {t.total:,}" if t.rows else f"{t.total:,} rows"
        table = RichTable(title=Text(f"{t.title} — {shown}"), title_justify="left", show_lines=False)
        for c in t.columns:
            table.add_column(Text(c.title), overflow="fold")
        for r in t.rows:
            table.add_row(*(Text(str(r.get(c.key, ""))) for c in t.columns))
        console.print(table)
    for c in answer.choices:
        console.print(Text(f"  • {c.label}" + (f"  → netbox-tui ask {shlex.quote(c.question)}" if c.question else ""), style="dim"))
    s = answer.stats
    console.print(Text(f"{source} · {s.api_calls} API call{'s' if s.api_calls != 1 else ''} · {s.cache_hits} cached · {s.elapsed_ms} ms", style="dim"))
