"""`netbox-tui ask`: one question, one answer, as JSON or rendered with rich.

Exit codes: 0 ok, partial or needs_choice; 3 not_found (a named object does not exist); 1 error.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Optional

from netbox_tui.config import Settings
from netbox_tui.core.conversation import Conversation
from netbox_tui.core.fit import FitColumn, fit_widths
from netbox_tui.core.progress import ProgressEvent
from netbox_tui.core.refine import Refinement
from netbox_tui.core.results import Answer, Column, Table
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
    refine: bool = False,
    wide: bool = False,
) -> int:
    session = Session.open(settings, demo=demo, snapshot=snapshot, cache_mode=cache_mode, page_size=page_size)
    try:
        # The connected NetBox's own schema before the question is read (once per version and plugins).
        note = await session.learn_schema(lambda line: print(f"netbox-tui: {line}", file=sys.stderr))
        if note:
            print(f"netbox-tui: {note}", file=sys.stderr)

        def on_progress(event: ProgressEvent) -> None:
            if progress:
                print(event.line(), file=sys.stderr)

        # The last answer of this user and NetBox, kept beside the cache: `--refine` reads the question
        # as a follow-up of it ("only the routers"), so a script or a shell session can chain.
        last = last_answer_path(settings, session.label)
        conv = Conversation.load(session.orchestrator, last) if refine else Conversation(session.orchestrator)
        if refine and conv.current is None:
            print("netbox-tui: --refine: no earlier answer kept; answering the question on its own",
                  file=sys.stderr)
        refinement = None
        if offset and not refine:  # a later page of a question: not an answer to refine
            answer = await session.orchestrator.ask(question, on_progress=on_progress, offset=offset)
        else:
            if offset:
                print("netbox-tui: --offset is not applied to a follow-up (--refine)", file=sys.stderr)
            answer = await conv.ask(question, on_progress=on_progress)
            refinement = conv.current.refinement if conv.current is not None else None
            if answer.status != "error":
                try:
                    conv.save(last)
                except OSError as exc:
                    print(f"netbox-tui: the answer was not kept for --refine ({exc.strerror or exc})",
                          file=sys.stderr)
    finally:
        await session.aclose()
    if session.cache_warning:
        print(f"netbox-tui: {session.cache_warning}", file=sys.stderr)
    if as_json:
        print(with_refinement(with_source(answer.to_json(), session.source), refinement))
    else:
        render(answer, session.source_line, wide=wide, page_size=page_size)
    return EXIT.get(answer.status, 1)


def with_refinement(answer_json: str, refinement: Optional[Refinement]) -> str:
    """The answer's JSON with `refinement` (what a follow-up changed of the last answer) added."""
    if refinement is None:
        return answer_json
    import json

    data = json.loads(answer_json)
    data["refinement"] = {**refinement.model_dump(exclude_defaults=False), "line": refinement.line()}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def with_source(answer_json: str, source: dict[str, str]) -> str:
    """The answer's JSON with `source` (where it came from) added."""
    import json

    data = json.loads(answer_json)
    data["source"] = source
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _fit(naturals: list[int], room: int) -> list[int]:
    """Widths within `room` by the TUI's rule: the other columns are cut first (to 4 cells), the name
    (the first column) last and never under 24, so one long column does not push the rest off screen."""
    return fit_widths([FitColumn(n, key=i == 0) for i, n in enumerate(naturals)], room, padding=0, floor=4,
                      key_floor=24)


def _narrow_columns(t: Table) -> tuple[list[Column], str]:
    """The columns worth a terminal's width: one holding the same value on every row, or none on
    any, is said once under the table instead (`--wide` keeps them all)."""
    if not t.rows:
        return list(t.columns), ""
    same: list[str] = []
    empty: list[str] = []
    kept: list[Column] = []
    for i, c in enumerate(t.columns):
        values = {str(r.get(c.key, "") or "—") for r in t.rows}
        if i == 0 or c.key in ("name", "display", "count") or len(values) > 1:
            kept.append(c)
        elif values == {"—"}:
            empty.append(c.title)  # one row too: an empty column is said, not given room
        elif len(t.rows) < 2:
            kept.append(c)  # one row's value is not "every row"
        else:
            same.append(f"{c.title} {values.pop()}")
    parts = ["every row: " + " · ".join(same)] if same else []
    parts += [f"empty: {', '.join(empty)}"] if empty else []
    return kept, " · ".join(parts)


def next_steps(answer: Answer, page_size: Optional[int] = None) -> list[tuple[str, str]]:
    """The answer's follow-ups as commands a shell runs: the TUI's actions (filter, summary,
    export) mean nothing after a one-shot command, so only what `ask` itself can do is offered."""
    steps: list[tuple[str, str]] = []
    main = answer.tables[0] if answer.tables else None
    ask = f"netbox-tui ask {shlex.quote(answer.question)}"
    for c in answer.choices:
        if c.question:
            steps.append((c.label, f"netbox-tui ask {shlex.quote(c.question)}"))
        elif c.kind == "next_page" and main is not None:
            size = f" --page-size {page_size}" if page_size else ""
            steps.append((f"the next {min(main.limit or 25, main.total - main.offset - len(main.rows))} rows",
                          f"{ask} --offset {main.offset + len(main.rows)}{size}"))
        elif c.kind == "drill_down" and main is not None and main.rows:
            first = main.rows[0]
            name = str(first.get("name") or "")
            # a bare name is looked up among every kind: offered only when it is what the row shows
            # ("Data (100)", a VLAN's display, would be read as other words)
            if name and first.get("display", name) == name:
                steps.append(("one of them in full", f"netbox-tui ask {shlex.quote(name)}"))
    return steps


def last_answer_path(settings: Settings, source: str) -> Path:
    """One file per NetBox (ids differ between NetBoxes), beside the cache directory."""
    import hashlib

    key = hashlib.sha256(source.encode()).hexdigest()[:12]
    return settings.cache.directory().parent / f"last-answer-{key}.json"


def render(answer: Answer, source: str, *, wide: bool = False, page_size: Optional[int] = None) -> None:
    """Rich rendering for a terminal: the summary, how the question was read, each table's first
    page, the next steps as commands. Every string is printed as Text, never as markup. Cells are
    cut with "…" to fit the terminal (the name column last); `wide` prints them whole."""
    from rich.console import Console
    from rich.table import Table as RichTable
    from rich.text import Text

    class _Quiet(Console):
        def on_broken_pipe(
            self,
        ) -> None:  # `| head` closed the pipe: stop writing, exit quietly (rich would exit 1)
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise SystemExit(0)

    console = _Quiet(highlight=False)
    style = {
        "ok": "green",
        "partial": "yellow",
        "needs_choice": "cyan",
        "not_found": "yellow",
        "error": "red",
    }[answer.status]
    if answer.stale:
        style = "yellow"  # an expired cached answer (NetBox unreachable or failing): its text says how old
    console.print(Text(answer.answer, style=style))
    if answer.interpretation is not None:
        console.print(Text("read as: " + answer.interpretation.line(), style="dim"))
        if answer.interpretation.not_understood:
            console.print(
                Text("not understood: " + ", ".join(answer.interpretation.not_understood), style="yellow")
            )
    if answer.error:
        for label, items in (
            ("Likely causes", answer.error.causes),
            ("Next steps", answer.error.next_steps),
            ("Try instead", answer.error.alternatives),
        ):
            if items:
                console.print(Text(f"{label}: " + "; ".join(items), style="dim"))
    for t in answer.tables:
        if not t.rows and t.total == 0:
            continue
        shown = (
            f"rows {t.offset + 1}–{t.offset + len(t.rows)} of {t.total:,}" if t.rows else f"{t.total:,} rows"
        )
        table = RichTable(title=Text(f"{t.title} — {shown}"), title_justify="left", show_lines=False)
        columns, note = (t.columns, "") if wide else _narrow_columns(t)
        naturals = [max([len(c.title)] + [len(str(r.get(c.key, ""))) for r in t.rows]) for c in columns]
        natural = sum(naturals) + 3 * len(columns) + 1  # with borders and padding
        room = console.width - (natural - sum(naturals))
        widths = naturals if wide else _fit(naturals, room)
        for c, w in zip(columns, widths):
            table.add_column(Text(c.title), width=w, no_wrap=True, overflow="ellipsis")
        for r in t.rows:
            table.add_row(*(Text(str(r.get(c.key, ""))) for c in columns))
        if wide:
            console.width = max(console.width, natural)  # nothing cut; `less -S` scrolls
        console.print(table)
        if note:
            console.print(Text(note, style="dim"))
        if not wide and natural > console.width:
            console.print(Text("cells cut with … to fit the terminal: --wide shows them whole",
                               style="dim"))
    for label, command in next_steps(answer, page_size):
        # soft_wrap: the terminal, not rich, wraps a long command, so it copies as one line
        console.print(Text(f"  • {label}: {command}", style="dim"), soft_wrap=True)
    s = answer.stats
    console.print(
        Text(
            f"{source} · {s.api_calls} API call{'s' if s.api_calls != 1 else ''} · {s.cache_hits} "
            f"cached · {s.elapsed_ms} ms",
            style="dim",
        )
    )
