"""Stale answers when NetBox is down (issue 11, point 4), in-process against the real NetBox.

Every question is answered once with a warm on-disk cache; three hours later (the clock moved)
NetBox is unreachable, failing, stalled or rate-limiting: the expired entries answer, said as
stale with their age and why, in the answer text, plain `ask` and `--json` (`stale`,
`cached_at`); `--refresh` falls back the same way; a fresh cached answer says it came from the
cache and when.
"""

from __future__ import annotations

import json
import time
from datetime import datetime
from pathlib import Path

import pytest

from netbox_tui.netbox.cache import ResponseCache

from .harness import BY_NAME, QUESTIONS, RealNetBox, Run, problems, run_question

pytestmark = pytest.mark.integration

REASONS = {
    "reset": "NetBox unreachable",
    "500": "NetBox failing (500)",
    "stall": "NetBox did not answer in time",
    "429": "NetBox is rate-limiting",
}


async def _warm(real: RealNetBox, tmp_path: Path) -> tuple[dict[str, ResponseCache], dict[str, Run]]:
    import asyncio

    caches = {q: ResponseCache(tmp_path / f"cache{i}", lambda kind: 60) for i, q in enumerate(QUESTIONS)}
    done = await asyncio.gather(
        *(
            run_question(BY_NAME["none"], q, real, cache=caches[q], deadline=30.0, render=False)
            for q in QUESTIONS
        )
    )
    runs = {r.question: r for r in done}
    for r in done:
        assert r.answer is not None and not r.answer.stale and r.answer.status != "error", (
            r.question,
            r.crash,
        )
    return caches, runs


def _close(caches: dict[str, ResponseCache]) -> None:
    for c in caches.values():
        c.close()


def _three_hours_later(monkeypatch: pytest.MonkeyPatch) -> None:
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 3 * 3600)


@pytest.mark.parametrize("mode", sorted(REASONS))
async def test_expired_answer_is_served_when_netbox_fails(
    mode: str, real: RealNetBox, tmp_path: Path, monkeypatch
) -> None:
    import asyncio

    caches, warm = await _warm(real, tmp_path)
    _three_hours_later(monkeypatch)
    try:
        runs = await asyncio.gather(
            *(run_question(BY_NAME[mode], q, real, cache=caches[q]) for q in QUESTIONS)
        )
    finally:
        _close(caches)
    said = f"From cache, 3 h old — {REASONS[mode]}."
    for run in runs:
        a, before = run.answer, warm[run.question].answer
        assert a is not None and before is not None, run.crash
        assert a.status == before.status, (run.question, a.answer)
        assert a.answer == f"{said} {before.answer}", (run.question, a.answer)
        assert a.stale is True and a.cached_at is not None
        assert abs(datetime.fromisoformat(a.cached_at).timestamp() - (time.time() - 3 * 3600)) < 600
        assert [t.rows for t in a.tables] == [t.rows for t in before.tables]
        data = json.loads(run.json_text)
        assert data["stale"] is True and data["cached_at"] == a.cached_at
        assert said in run.plain.replace("\n", " ") or said.split(" — ")[0] in run.plain
        assert run.wall < 5.0  # the deadline (5 s) is never waited out in full: a cached answer stands ready
        assert not [p for p in problems(run) if not p.startswith("expected an error")]


async def test_refresh_falls_back_the_same_way(real: RealNetBox, tmp_path: Path, monkeypatch) -> None:
    caches, warm = await _warm(real, tmp_path)
    try:
        questions = QUESTIONS[:4]
        for (
            q
        ) in questions:  # NetBox is down right now: --refresh still has the (fresh) entries to fall back on
            run = await run_question(BY_NAME["reset"], q, real, cache=caches[q], refresh=True)
            assert run.answer is not None and run.answer.stale
            assert run.answer.answer.startswith("From cache, ") and "NetBox unreachable" in run.answer.answer
            assert run.answer.answer.endswith(warm[q].answer.answer)  # type: ignore[union-attr]
    finally:
        _close(caches)


async def test_fresh_cached_answer_says_it_came_from_the_cache(real: RealNetBox, tmp_path: Path) -> None:
    caches, warm = await _warm(real, tmp_path)
    try:
        for q in QUESTIONS[:6]:
            run = await run_question(BY_NAME["reset"], q, real, cache=caches[q])  # NetBox down: never asked
            a = run.answer
            assert a is not None and a.stats.api_calls == 0 and run.sent == []
            assert not a.stale and a.cached_at is not None
            assert a.answer.startswith(warm[q].answer.answer)  # type: ignore[union-attr]
            assert a.answer.rstrip().endswith(" old."), a.answer
            assert "From cache, " in a.answer and json.loads(run.json_text)["cached_at"] == a.cached_at
    finally:
        _close(caches)


async def test_no_cache_no_stale_answer(real: RealNetBox) -> None:
    """Without a cache (--no-cache), a failing NetBox is an error, said as what it is."""
    run = await run_question(BY_NAME["reset"], "devices at dm akron", real)
    assert run.answer is not None and run.answer.status == "error" and not run.answer.stale
    assert run.answer.error is not None and run.answer.error.kind == "unreachable"


async def test_a_page_read_from_expired_entries_says_so(
    real: RealNetBox, tmp_path: Path, monkeypatch
) -> None:
    """The next page (TUI `n`, MCP `page`) of an answer, NetBox down: expired rows, marked stale."""
    from netbox_tui.core.orchestrator import Orchestrator

    from .harness import FaultTransport, make_client

    cache = ResponseCache(tmp_path / "cache", lambda kind: 60)
    try:
        up = make_client(FaultTransport(BY_NAME["none"], real), cache, deadline=30.0)
        orch = Orchestrator(up)
        answer = await orch.ask("interfaces on dmi01-akron-sw01")
        table = answer.tables[0]
        fresh = await orch.page(table, 25)
        assert fresh.stale is None and fresh.rows
        await up.aclose()
        _three_hours_later(monkeypatch)
        down = make_client(FaultTransport(BY_NAME["reset"], real), cache, deadline=5.0)
        page = await Orchestrator(down).page(table, 25)
        await down.aclose()
    finally:
        cache.close()
    assert page.rows == fresh.rows and page.stale == "From cache, 3 h old — NetBox unreachable."
