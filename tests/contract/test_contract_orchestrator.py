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
    pytest.skip(
        "netbox_tui.core.orchestrator does not exist yet: nothing to compare", allow_module_level=True
    )

REPO = Path(__file__).resolve().parents[2]
DEV_QUERIES = Path(os.environ.get("NETBOX_TUI_DEV_QUERIES", REPO / "tests" / "data" / "queries" / "dev.yaml"))


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


Signature = tuple[Any, ...]


async def _signature(client: NetBoxClient, requests: list[str], question: str) -> Signature:
    """What must be the same on both backends: status, answer text, requests, each table's
    title, total, row ids and display."""
    requests.clear()
    answer = await Orchestrator(client).ask(question)
    tables = tuple(
        (t.title, t.total, tuple(r.get("id") for r in t.rows), tuple(r.get("display") for r in t.rows))
        for t in answer.tables
    )
    return (answer.status, answer.answer, tuple(sorted(requests)), tables)


@pytest.mark.parametrize("question", ALL)
async def test_same_answer(question: str, real_client: NetBoxClient, snap_client: NetBoxClient) -> None:
    real_requests, snap_requests = _recorder(real_client), _recorder(snap_client)
    real = await _signature(real_client, real_requests, question)
    snap = await _signature(snap_client, snap_requests, question)
    assert snap[0] == real[0], "status"
    assert snap[1] == real[1], "answer text"
    assert snap[2] == real[2], "requests"
    assert snap[3] == real[3], "tables"

