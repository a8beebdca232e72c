"""`netbox-tui ask`: one question, one answer, as JSON or rendered with rich. Exit 0 unless error."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

from netbox_tui.backend import open_backend
from netbox_tui.config import Settings
from netbox_tui.core.orchestrator import Orchestrator
from netbox_tui.core.progress import ProgressEvent
from netbox_tui.core.results import Answer
from netbox_tui.netbox.cache import CacheMode


def make_orchestrator(settings: Settings, client, page_size: Optional[int] = None) -> Orchestrator:
    llm = None
    if settings.llm.enabled:
        from netbox_tui.core.llm import LLMClassifier

        llm = LLMClassifier(settings.llm)
    return Orchestrator(client, page_size=page_size or settings.ui.page_size, step_timeout=settings.ui.step_timeout, llm=llm)


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
    backend = open_backend(settings, demo=demo, snapshot=snapshot, cache_mode=cache_mode)
    try:
        orch = make_orchestrator(settings, backend.client, page_size)

        def on_progress(event: ProgressEvent) -> None:
            if progress:
                print(event.line(), file=sys.stderr)

        answer = await orch.ask(question, on_progress=on_progress, offset=max(offset, 0))
    finally:
        await backend.aclose()
    if backend.client.cache.warning:
        print(f"netbox-tui: {backend.client.cache.warning}", file=sys.stderr)
    if as_json:
        print(answer.to_json())
    else:
        render(answer, backend.label)
    return 1 if answer.status == "error" else 0


def render(answer: Answer, source: str) -> None:
    """Rich rendering for a terminal: the summary, each table's first page, the choices."""
    from rich.console import Console
    from rich.table import Table as RichTable
    from rich.text import Text

    console = Console(highlight=False)
    style = {"ok": "green", "partial": "yellow", "needs_choice": "cyan", "error": "red"}[answer.status]
    console.print(Text(answer.answer, style=style))
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
            table.add_row(*(Text(str(r.get(c.key, ""))) for c in t.columns))  # Text: stored text is never markup
        console.print(table)
    for c in answer.choices:
        console.print(Text(f"  • {c.label}" + (f"  → netbox-tui ask \"{c.question}\"" if c.question else ""), style="dim"))
    s = answer.stats
    console.print(Text(f"{source} · {s.api_calls} API calls · {s.cache_hits} cached · {s.elapsed_ms} ms", style="dim"))
