"""Breadth on the real demo NetBox (issue 16, task H-C): each answer checked against REST queries written
here by hand, never against the tool's own output."""

from __future__ import annotations

from collections import Counter
from typing import Any, Callable

import pytest

from netbox_tui.core.orchestrator import Orchestrator
from netbox_tui.netbox.client import NetBoxClient

pytestmark = pytest.mark.integration

Client = Callable[..., NetBoxClient]
Rest = Callable[..., Any]


def _one(rest: Rest, path: str, **params: Any) -> dict[str, Any]:
    found = rest(path, params)["results"]
    assert len(found) == 1, (path, params)
    return found[0]


def _ids(rest: Rest, path: str, **params: Any) -> set[int]:
    return {r["id"] for r in rest(path, {**params, "limit": 1000})["results"]}


async def test_hi_is_no_question(nb_client: Client) -> None:
    """'hi' was read as the region Hawaii (slug us-hi) and answered ok."""
    ans = await Orchestrator(nb_client()).ask("hi")
    assert ans.status == "error"


async def test_sites_in_each_state_are_counted_per_region(nb_client: Client, rest: Rest) -> None:
    sites = rest("dcim/sites/", {"limit": 1000})["results"]
    per_region = Counter(s["region"]["name"] for s in sites if s["region"])
    ans = await Orchestrator(nb_client()).ask("number of sites in each state")
    assert ans.status == "ok" and ans.tables[0].object_type == "dcim.region"
    assert f"New York {per_region['New York']}" in ans.answer and per_region["New York"] > 1
    assert f"North Carolina {per_region['North Carolina']}" in ans.answer


async def test_outlets_in_use_on_a_pdu(nb_client: Client, rest: Rest) -> None:
    pdu = _one(rest, "dcim/devices/", name="dmi01-yonkers-pdu01")
    used = rest("dcim/power-outlets/", {"device_id": pdu["id"], "cabled": "true"})["results"]
    free = _ids(rest, "dcim/power-outlets/", device_id=pdu["id"], cabled="false")
    assert used and free, "the demo PDU has outlets both in use and free"
    orch = Orchestrator(nb_client())
    ans = await orch.ask("which outlets on dmi01-yonkers-pdu01 are in use and by what")
    assert ans.status == "ok" and ans.tables[0].object_type == "dcim.poweroutlet"
    assert {int(r["id"]) for r in ans.tables[0].rows} == {o["id"] for o in used}
    shown = str(ans.tables[0].rows)
    for outlet in used:  # what each feeds is shown
        assert all(peer["device"]["name"] in shown for peer in outlet["link_peers"])
    ans = await orch.ask("free outlets on dmi01-yonkers-pdu01")
    assert ans.status == "ok" and {int(r["id"]) for r in ans.tables[0].rows} == free


async def test_a_makers_devices_in_a_named_rack(nb_client: Client, rest: Rest) -> None:
    """The manufacturer filtered the rack's look-up too (a rack type's maker): 'No rack matches R107'."""
    rack = _one(rest, "dcim/racks/", name="R107")
    maker = _one(rest, "dcim/manufacturers/", name="Juniper")
    expected = _ids(rest, "dcim/devices/", rack_id=rack["id"], manufacturer_id=maker["id"])
    assert expected
    ans = await Orchestrator(nb_client()).ask("juniper kit in rack R107")
    assert ans.status == "ok" and {int(r["id"]) for r in ans.tables[0].rows} == expected


async def test_vm_interfaces_per_cluster(nb_client: Client, rest: Rest) -> None:
    """It counted virtual machines "with some interfaces", not their interfaces."""
    clusters = rest("virtualization/clusters/", {"limit": 1000})["results"]
    counts = {c["name"]: rest("virtualization/interfaces/", {"cluster_id": c["id"], "limit": 1})["count"]
              for c in clusters}
    ans = await Orchestrator(nb_client()).ask("VM interfaces per cluster")
    assert ans.status == "ok" and ans.tables[0].object_type == "virtualization.cluster"
    got = {r["group"]: int(str(r["count"]).replace(",", "")) for r in ans.tables[0].rows}
    assert got == {k: v for k, v in counts.items() if v}


@pytest.mark.parametrize("question, path, params", [
    ("aggregates allocated from rfc1918", "ipam/aggregates/", {"rir": "rfc-1918"}),
    ("what feeds come off power panel 3", "dcim/power-feeds/", {"power_panel": "Panel 3"}),
])
async def test_words_after_a_plural_model_word_are_not_its_name(
        nb_client: Client, rest: Rest, question: str, path: str, params: dict[str, Any]) -> None:
    if "power_panel" in params:
        params = {"power_panel_id": _one(rest, "dcim/power-panels/", name=params["power_panel"])["id"]}
    else:
        params = {"rir_id": _one(rest, "ipam/rirs/", slug=params["rir"])["id"]}
    expected = _ids(rest, path, **params)
    assert expected
    ans = await Orchestrator(nb_client()).ask(question)
    assert ans.status == "ok", ans.answer
    assert {int(r["id"]) for r in ans.tables[0].rows} == expected


async def test_the_vid_of_a_vlan_named_before_its_model_word(nb_client: Client, rest: Rest) -> None:
    site = _one(rest, "dcim/sites/", name="JBB Branch 104")
    vlan = _one(rest, "ipam/vlans/", site_id=site["id"], name="Admin")
    ans = await Orchestrator(nb_client()).ask("vid of the admin vlan at jbb branch 104")
    assert ans.status == "ok" and str(vlan["vid"]) in ans.answer
    assert [int(r["id"]) for r in ans.tables[0].rows] == [vlan["id"]]


async def test_a_providers_nickname_before_circuits(nb_client: Client, rest: Rest) -> None:
    provider = _one(rest, "circuits/providers/", name="Level 3")
    region = _one(rest, "dcim/regions/", name="Connecticut")
    expected = _ids(rest, "circuits/circuits/", provider_id=provider["id"], region_id=region["id"])
    assert expected
    ans = await Orchestrator(nb_client()).ask("lvl3 circuits landing in connecticut")
    assert ans.status == "ok" and {int(r["id"]) for r in ans.tables[0].rows} == expected
    assert "Level 3" in ans.answer  # the guess is said


@pytest.mark.parametrize("question, device", [
    ("camden sw01 interfaces", "dmi01-camden-sw01"),  # sw01 at the site camden names, not a choice of 13
    ("interfaces on ncsu coreswitch2", "ncsu-coreswitch2"),  # a hostname typed with a space for its dash
])
async def test_a_device_named_loosely(nb_client: Client, rest: Rest, question: str, device: str) -> None:
    dev = _one(rest, "dcim/devices/", name=device)
    expected = rest("dcim/interfaces/", {"device_id": dev["id"], "limit": 1})["count"]
    ans = await Orchestrator(nb_client()).ask(question)
    assert ans.status == "ok" and ans.tables[0].total == expected
    assert device in ans.answer


@pytest.mark.parametrize("question, path, device, name", [
    ("front port 2 on PP:B128", "dcim/front-ports/", "PP:B128", "Port 2"),
    ("is outlet 1 on dmi01-yonkers-pdu01 cabled", "dcim/power-outlets/", "dmi01-yonkers-pdu01", "Outlet 1"),
])
async def test_a_part_named_by_its_number_on_one_device(
        nb_client: Client, rest: Rest, question: str, path: str, device: str, name: str) -> None:
    dev = _one(rest, "dcim/devices/", name=device)
    part = _one(rest, path, device_id=dev["id"], name=name)
    assert rest(path, {"name": name, "limit": 1})["count"] > 1  # named alike on other devices
    ans = await Orchestrator(nb_client()).ask(question)
    assert ans.status == "ok", ans.answer
    assert [int(r["id"]) for r in ans.tables[0].rows] == [part["id"]]
    if "cabled" in question:  # the cable is said, not a "cabled" field that no object has
        assert part["cable"] and f"#{part['cable']['id']}" in ans.answer


async def test_devices_that_dont_have_a_platform(nb_client: Client, rest: Rest) -> None:
    expected = _ids(rest, "dcim/devices/", platform_id="null")
    assert expected and len(expected) < rest("dcim/devices/", {"limit": 1})["count"]
    ans = await Orchestrator(nb_client()).ask("which devices don't have a platform")
    assert ans.status == "ok" and ans.tables[0].total == len(expected)


async def test_reserved_ips_in_the_global_table(nb_client: Client, rest: Rest) -> None:
    expected = _ids(rest, "ipam/ip-addresses/", status="reserved", vrf_id="null")
    assert expected
    ans = await Orchestrator(nb_client()).ask("reserved IPs in the global table")
    assert ans.status == "ok" and {int(r["id"]) for r in ans.tables[0].rows} == expected


async def test_a_name_with_a_kind_after_it_is_only_that_kind(nb_client: Client, rest: Rest) -> None:
    """'what does <pdu> feed' was answered ok with the PDU's summary, "feed" dropped."""
    assert _one(rest, "dcim/devices/", name="dmi01-yonkers-pdu01")
    assert not rest("dcim/power-feeds/", {"name": "dmi01-yonkers-pdu01"})["results"]
    ans = await Orchestrator(nb_client()).ask("what does dmi01-yonkers-pdu01 feed")
    assert ans.status != "ok"


async def test_a_loose_hostname_after_its_site_is_that_sites_device(nb_client: Client, rest: Rest) -> None:
    """"akron rtr01": "rtr01" alone names 13 routers; the site the question names keeps the one there."""
    site = _one(rest, "dcim/sites/", name="DM-Akron")
    [device] = [d for d in rest("dcim/devices/", {"site_id": site["id"], "limit": 1000})["results"]
                if "rtr01" in (d["name"] or "")]
    ans = await Orchestrator(nb_client()).ask("interfaces on akron rtr01")
    assert ans.status == "ok", ans.answer
    assert {r["id"] for r in ans.tables[0].rows} == _ids(rest, "dcim/interfaces/", device_id=device["id"])
