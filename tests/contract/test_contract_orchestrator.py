"""Every question of ../shared/queries/dev.yaml answers the same on the real NetBox and on a
snapshot of it: status, answer text, every table's total, row ids and display, and the very same
requests (the executor's batched look-ups included)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from netbox_tui.netbox.client import NetBoxClient

from .questions import EXTRA_QUESTIONS

yaml = pytest.importorskip("yaml", reason="PyYAML (in the [test] extras) reads dev.yaml")

try:
    from netbox_tui.core.orchestrator import Orchestrator
except ModuleNotFoundError as exc:  # only a missing module skips; a broken one fails
    if exc.name != "netbox_tui.core.orchestrator":
        raise
    pytest.skip("netbox_tui.core.orchestrator does not exist yet: nothing to compare", allow_module_level=True)

REPO = Path(__file__).resolve().parents[2]
DEV_QUERIES = Path(os.environ.get("NETBOX_TUI_DEV_QUERIES", REPO.parent / "shared" / "queries" / "dev.yaml"))


def _questions() -> list[str]:
    if not DEV_QUERIES.exists():
        return []
    data = yaml.safe_load(DEV_QUERIES.read_text(encoding="utf-8"))
    return [item["question"] for item in data["queries"]]


QUESTIONS = _questions()
ALL = [pytest.param(q, id=f"dev: {q}") for q in QUESTIONS] + [pytest.param(q, id=q) for q in EXTRA_QUESTIONS]


def _recorder(client: NetBoxClient) -> list[str]:
    """Every request the client sends, as `METHOD path?query` (the host left out)."""
    seen: list[str] = []

    async def hook(request: Any) -> None:
        query = request.url.query.decode()
        seen.append(f"{request.method} {request.url.path}" + (f"?{query}" if query else ""))

    client._http.event_hooks["request"].append(hook)
    return seen


def test_dev_questions_are_there() -> None:
    if not QUESTIONS:
        pytest.skip(f"no dev questions at {DEV_QUERIES} (set NETBOX_TUI_DEV_QUERIES)")
    assert len(QUESTIONS) >= 20


@pytest.mark.parametrize("question", ALL)
async def test_same_answer(question: str, real_client: NetBoxClient, snap_client: NetBoxClient) -> None:
    real_requests, snap_requests = _recorder(real_client), _recorder(snap_client)
    real = await Orchestrator(real_client).ask(question)
    snap = await Orchestrator(snap_client).ask(question)

    assert snap.status == real.status
    assert snap.answer == real.answer
    assert sorted(snap_requests) == sorted(real_requests)
    assert [t.title for t in snap.tables] == [t.title for t in real.tables]
    for mine, theirs in zip(snap.tables, real.tables):
        assert mine.total == theirs.total, mine.title
        assert [r.get("id") for r in mine.rows] == [r.get("id") for r in theirs.rows], mine.title
        assert [r.get("display") for r in mine.rows] == [r.get("display") for r in theirs.rows], mine.title
