"""Choices among parts of devices name the device (issue 16: "Port 2" eight times told nothing apart).
Checked on the embedded demo: each choice's label holds the device its object is on, read plainly."""

from __future__ import annotations

from typing import AsyncIterator

import pytest

from netbox_tui.config import Settings
from netbox_tui.session import Session


@pytest.fixture
async def session() -> AsyncIterator[Session]:
    s = Session.open(Settings(), demo=True)
    yield s
    await s.aclose()


@pytest.mark.parametrize("question, path", [
    ("front port 2", "dcim/front-ports/"),
    ("power outlet 1", "dcim/power-outlets/"),
])
async def test_a_parts_choice_names_its_device(session: Session, question: str, path: str) -> None:
    ans = await session.orchestrator.ask(question)
    assert ans.status == "needs_choice" and len(ans.choices) > 1
    owner = {
        r["id"]: r["device"]["display"]
        for r in await session.orchestrator.client.list_all(path, {}, fields=["id", "device"])
    }
    for choice in ans.choices:
        assert choice.intent is not None
        ref = next(r for c in choice.intent.conditions for r in c.resolved or [] if r.model != "dcim.device")
        assert choice.label == f"{ref.label} ({owner[ref.id]})"
    assert len({c.label for c in ans.choices}) > 1
