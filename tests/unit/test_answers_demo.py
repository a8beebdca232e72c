"""Whole answers on the embedded demo (the real demo NetBox's rows, served in-process): how
unknown places, look-alike names, drills and error hints are said. No network."""

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


async def test_a_rack_named_after_in_filters_devices_and_is_said_as_a_rack(orch: Orchestrator) -> None:
    ans = await orch.ask("devices in IDF117")
    cond = ans.interpretation.conditions[0]  # type: ignore[union-attr]
    assert ans.status == "ok" and cond.field == "rack" and cond.filter.startswith("rack_id=")
    assert {r["name"] for r in ans.tables[0].rows} == {"ncsu117-distswitch1", "PP:MDF"}


async def test_racks_in_a_rack_name_is_that_rack(orch: Orchestrator) -> None:
    ans = await orch.ask("racks in IDF117")
    assert ans.status == "ok" and [r["name"] for r in ans.tables[0].rows] == ["IDF117"]


async def test_an_unknown_place_offers_places_most_alike_first(orch: Orchestrator) -> None:
    ans = await orch.ask("racks at DM-Hartford")
    assert ans.status == "not_found" and "No site" in ans.answer
    assert ans.choices[0].label == "DM-Stamford"  # a site, not a device of Stamford
    ans = await orch.ask("show device dmi01-akron-sw03")
    assert ans.status == "not_found" and ans.choices[0].label == "dmi01-akron-sw01"


@pytest.mark.parametrize("question,model,related", [
    ("providers", "circuits.provider", ["circuits.circuit"]),
    ("clusters", "virtualization.cluster", ["virtualization.virtualmachine", "dcim.device"]),
])
async def test_provider_and_cluster_rows_drill_and_say_how(
    orch: Orchestrator, question: str, model: str, related: list[str]
) -> None:
    row = next(
        r for r in (await orch.ask(question)).tables[0].rows if r.get("name") in ("CenturyLink", "DO-AMS3")
    )
    ans = await orch.drill(model, row)
    assert [t.object_type for t in ans.tables] == related and ans.tables[0].total > 0
    assert ans.interpretation is not None and f"={row['id']}" in ans.interpretation.conditions[0].filter


async def test_nothing_to_drill_says_what_can_be(orch: Orchestrator) -> None:
    from netbox_tui.errors import NetBoxTUIError

    row = (await orch.ask("IP addresses")).tables[0].rows[0]
    with pytest.raises(NetBoxTUIError, match="for an IP address") as info:
        await orch.drill("ipam.ipaddress", row)
    assert "provider" in info.value.hint and "cluster" in info.value.hint


async def test_error_examples_use_this_netboxs_names(orch: Orchestrator) -> None:
    await orch.resolver.names()
    site = orch.resolver.loaded.by_model["dcim.site"][0].name  # type: ignore[union-attr]
    for question in ("trace Gi0/0/1", "what is connected to"):
        ans = await orch.ask(question)
        assert ans.status == "error" and ans.error is not None
        assert f"VLANs at {site}" in ans.error.alternatives
        assert "<site>" not in " ".join(ans.error.alternatives + [ans.error.hint, ans.answer])


async def test_error_examples_name_no_demo_object_before_names_are_read() -> None:
    from netbox_tui.core.explain import EXAMPLES

    assert all(not any(ch.isdigit() for ch in e) and "DM-" not in e for e in EXAMPLES)
