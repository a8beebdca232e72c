"""A pattern over what conditions find (issue 16, item 5): "free IPs in Akron's data prefix" is the free
addresses of the one prefix the site and role find, never the list of prefixes; several found are a list
that says free IPs are per prefix. On the embedded demo: DM-Akron has one Access - Data prefix,
10.112.129.0/24, with no addresses; DM-Scranton has several prefixes."""

from __future__ import annotations

from typing import AsyncIterator

import pytest

from netbox_tui.config import Settings
from netbox_tui.core.orchestrator import Orchestrator
from netbox_tui.session import Session


@pytest.fixture
async def orch() -> AsyncIterator[Orchestrator]:
    session = Session.open(Settings(), demo=True)
    yield session.orchestrator
    await session.aclose()


@pytest.mark.parametrize("question", ["free IPs in Akron's data prefix",
                                      "available ips in the access data prefix at DM-Akron"])
async def test_one_prefix_found_by_conditions_answers_its_free_ips(orch: Orchestrator, question: str) -> None:
    found, named = await orch.ask(question), await orch.ask("free IPs in 10.112.129.0/24")
    assert found.status == "ok", found.answer
    assert found.answer.startswith("254 free IP addresses in 10.112.129.0/24")
    assert found.tables[0].rows == named.tables[0].rows
    assert found.interpretation is not None
    shown = {(c.field, c.value) for c in found.interpretation.conditions}
    assert ("prefix", "10.112.129.0/24") in shown and ("site", "DM-Akron") in shown  # found by, and named


async def test_several_prefixes_found_are_listed_and_say_free_ips_are_per_prefix(orch: Orchestrator) -> None:
    ans = await orch.ask("free ips in prefixes at DM-Scranton")
    every = await orch.ask("prefixes at DM-Scranton")
    assert ans.answer.startswith(f"Free IPs are per prefix and {every.tables[0].total} match")
    assert [r["id"] for r in ans.tables[0].rows] == [r["id"] for r in every.tables[0].rows]
    assert any(c.kind == "drill_down" for c in ans.choices)
