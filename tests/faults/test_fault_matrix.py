"""Every fault mode x every question, in-process (harness.FaultTransport in front of the real NetBox).

For each run: no traceback, no hang (HARD_BOUND), valid `--json`, a message and hint that fit the
fault, no control sequence from NetBox in `--json`, plain `ask` (piped and on a tty), the log or
the CSV/JSON export, nothing but reads sent, the token in no output, and an event loop that never
stalls. Modes that must not change the answer (delay, every third request reset, 429/503 to the
first two, a 20 MB body, escape sequences everywhere) are compared with the fault-free answer.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netbox_tui.tui.export import export_rows

from .harness import FORBIDDEN, MODES, QUESTIONS, TOKEN, RealNetBox, Run, problems, run_mode, trap_logs

pytestmark = pytest.mark.integration


def _export_problems(run: Run, folder: Path) -> list[str]:
    """The answer's tables through the TUI's CSV and JSON export: no control sequence, no token."""
    out: list[str] = []
    if run.answer is None:
        return out
    for i, t in enumerate(run.answer.tables):
        if not t.rows:
            continue
        for fmt in ("csv", "json"):
            path = export_rows(
                t.title, t.columns, t.rows, fmt, folder, stamp=f"{run.mode}-{abs(hash(run.question))}-{i}"
            )
            text = path.read_text(encoding="utf-8")
            if fmt == "json":
                json.loads(text)
            if FORBIDDEN.search(text) or "pwned" in text:
                out.append(f"control sequence in the {fmt} export of {t.title!r}")
            if TOKEN in text:
                out.append(f"the token in the {fmt} export")
    return out


def _report(runs: list[Run], found: dict[str, list[str]]) -> str:
    lines = []
    for r in runs:
        if found.get(r.question):
            a = r.answer
            lines.append(
                f"[{r.mode}] {r.question!r} ({r.wall:.1f} s) -> {a.status if a else 'no answer'}: "
                f"{(a.answer if a else r.crash)[:200]!r}"
            )
            lines += [f"    - {p}" for p in found[r.question]]
    return "\n".join(lines)


async def test_fault_free_baseline_is_sound(baseline: dict[str, Run], tmp_path: Path) -> None:
    found = {q: problems(r) + _export_problems(r, tmp_path) for q, r in baseline.items()}
    assert not any(found.values()), _report(list(baseline.values()), found)
    assert {r.answer.status for r in baseline.values() if r.answer} <= {"ok", "needs_choice", "not_found"}
    assert all(r.answer is not None and r.answer.status != "error" for r in baseline.values())


@pytest.mark.parametrize("mode", [m for m in MODES if m.name != "none"], ids=lambda m: m.name)
async def test_fault_mode(mode, real: RealNetBox, baseline: dict[str, Run], tmp_path: Path) -> None:
    with trap_logs() as logs:
        runs = await run_mode(mode, QUESTIONS, real, parallel=len(QUESTIONS))
    assert len(runs) == len(QUESTIONS)
    found = {
        r.question: problems(r, baseline.get(r.question), logs=logs) + _export_problems(r, tmp_path)
        for r in runs
    }
    assert not logs.tracebacks(), logs.tracebacks()
    assert not any(found.values()), _report(runs, found)
