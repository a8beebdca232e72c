"""Tags in questions on the fixture NetBox (scripts/netbox-fixture: tags critical, pci-scope, uplink,
lab on devices, interfaces, VLANs and prefixes; scripts/seed-fixture.py). Each answer is checked
against a REST query written here by hand."""

from __future__ import annotations

from typing import Any, AsyncIterator

import httpx
import pytest

from netbox_tui.core.orchestrator import Orchestrator

pytestmark = pytest.mark.integration

READ_TOKEN = "0123456789abcdef0123456789abcdef01234567"  # the demo dump's public read-only token


@pytest.fixture
def rest(fixture_url: str):
    with httpx.Client(base_url=f"{fixture_url}/api/", headers={"Authorization": f"Token {READ_TOKEN}"},
                      timeout=120) as c:
        yield c


@pytest.fixture
async def orch(fixture_url: str) -> AsyncIterator[Orchestrator]:
    from netbox_tui.config import NetBoxProfile
    from netbox_tui.netbox.client import NetBoxClient

    client = NetBoxClient(NetBoxProfile(url=fixture_url, token=READ_TOKEN))
    try:
        yield Orchestrator(client)
    finally:
        await client.aclose()


def ids(c: httpx.Client, path: str, **params: Any) -> set[int]:
    resp = c.get(path, params={**params, "limit": 1000, "brief": 1})
    resp.raise_for_status()
    return {r["id"] for r in resp.json()["results"]}


@pytest.mark.parametrize("question,path,tag", [
    ("devices tagged critical", "dcim/devices/", "critical"),
    ("critical devices", "dcim/devices/", "critical"),
    ("devices with tag pci scope", "dcim/devices/", "pci-scope"),
    ("interfaces tagged uplink", "dcim/interfaces/", "uplink"),  # not the 802.1Q mode "tagged"
    ("uplink interfaces", "dcim/interfaces/", "uplink"),  # not the interface word "uplink"
    ("VLANs with tag pci-scope", "ipam/vlans/", "pci-scope"),
    ("VLANs tagged lab", "ipam/vlans/", "lab"),
    ("prefixes tagged critical", "ipam/prefixes/", "critical"),
])
async def test_tagged_objects_match_rest(
        orch: Orchestrator, rest: httpx.Client, question: str, path: str, tag: str) -> None:
    expected = ids(rest, path, tag=tag)
    ans = await orch.ask(question)
    assert expected and ans.status == "ok", ans.answer
    assert {r["id"] for r in ans.tables[0].rows} == expected and ans.tables[0].total == len(expected)
    assert ans.interpretation is not None and ans.interpretation.not_understood == []
    assert [c.field for c in ans.interpretation.conditions] == ["tag"]


async def test_a_tag_with_a_site_and_a_count(orch: Orchestrator, rest: httpx.Client) -> None:
    expected = ids(rest, "dcim/devices/", tag="critical", site="dm-akron")
    ans = await orch.ask("how many devices at DM-Akron tagged critical")
    assert ans.status == "ok" and ans.tables[0].total == len(expected) == 1


async def test_a_tag_does_not_narrow_the_lookup_of_the_named_device(
        orch: Orchestrator, rest: httpx.Client) -> None:
    device = rest.get("dcim/devices/", params={"name": "dmi01-akron-rtr01"}).json()["results"][0]["id"]
    expected = ids(rest, "dcim/interfaces/", tag="uplink", device_id=device)
    ans = await orch.ask("interfaces tagged uplink on dmi01-akron-rtr01")  # the device has no tag uplink
    assert ans.status == "ok" and {r["id"] for r in ans.tables[0].rows} == expected and len(expected) == 1


async def test_either_tag_and_not_a_tag_match_rest(orch: Orchestrator, rest: httpx.Client) -> None:
    either = ids(rest, "dcim/devices/", tag__any=["critical", "pci-scope"])
    union = ids(rest, "dcim/devices/", tag="critical") | ids(rest, "dcim/devices/", tag="pci-scope")
    assert either == union and len(either) > len(ids(rest, "dcim/devices/", tag="critical"))
    ans = await orch.ask("devices tagged critical or pci-scope")
    assert ans.status == "ok" and {r["id"] for r in ans.tables[0].rows} == either
    ans = await orch.ask("devices not tagged critical")
    assert ans.status == "ok" and ans.tables[0].total == len(ids(rest, "dcim/devices/", tag__n="critical"))


async def test_devices_per_tag_counts_match_rest(orch: Orchestrator, rest: httpx.Client) -> None:
    ans = await orch.ask("devices per tag")
    counts = {r["group"]: r["count"] for r in ans.tables[0].rows}
    for tag in ("critical", "pci-scope"):
        assert int(counts[tag]) == len(ids(rest, "dcim/devices/", tag=tag))


async def test_an_unknown_tag_is_not_found_with_the_closest_tags(
        orch: Orchestrator, rest: httpx.Client) -> None:
    tags = {t["name"] for t in rest.get("extras/tags/", params={"limit": 1000}).json()["results"]}
    ans = await orch.ask("devices tagged critcal-infra")
    assert ans.status == "not_found" and "No tag" in ans.answer
    assert ans.choices and {c.label for c in ans.choices} <= tags and ans.choices[0].label == "critical"
    ans = await orch.ask("devices tagged bogus")
    assert ans.status == "not_found" and ans.tables == [] or ans.tables[0].total == 0
