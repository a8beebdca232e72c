"""A long session (the TUI, the MCP server) reads the custom fields again once the client's memo of them
has expired, so a field added in NetBox meanwhile is seen (on the embedded demo: its tenants' customer ID)."""

from __future__ import annotations

from typing import Any, AsyncIterator

import pytest

from netbox_tui.config import Settings
from netbox_tui.core import customfields
from netbox_tui.core import orchestrator as orchestrator_module
from netbox_tui.core.orchestrator import Orchestrator
from netbox_tui.netbox.client import CUSTOM_FIELDS_MEMO
from netbox_tui.session import Session


@pytest.fixture
async def orch() -> AsyncIterator[Orchestrator]:
    session = Session.open(Settings(), demo=True)
    yield session.orchestrator
    await session.aclose()


async def test_custom_fields_are_read_again_after_the_clients_memo(
        orch: Orchestrator, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1000.0]
    monkeypatch.setattr(orchestrator_module, "_now", lambda: clock[0])
    reads: list[Any] = []
    real = customfields.load

    async def counted(*args: Any, **kw: Any) -> Any:  # the orchestrator's reads, not the client's checks
        reads.append(kw)
        return await real(*args, **kw)

    monkeypatch.setattr(customfields, "load", counted)
    first = await orch.ask("tenants without a customer id")
    assert first.status == "ok" and reads, first.answer
    n = len(reads)
    clock[0] += CUSTOM_FIELDS_MEMO / 2
    assert (await orch.ask("tenants without a customer id")).status == "ok"
    assert len(reads) == n  # within the memo: the fields the orchestrator holds
    clock[0] += CUSTOM_FIELDS_MEMO
    again = await orch.ask("tenants without a customer id")
    assert again.status == "ok" and len(reads) > n  # past it: read again
    assert [r["id"] for r in again.tables[0].rows] == [r["id"] for r in first.tables[0].rows]
