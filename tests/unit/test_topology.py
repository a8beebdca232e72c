"""The VLAN topology (core/recipes.py plan_vlan_topology), offline on the embedded demo data with
VLANs put on some interfaces (the demo has none): the interfaces carrying each VLAN come from one
GraphQL query, answered by the snapshot emulator as NetBox answers it; totals over every VLAN up
to TOPOLOGY_ALL, over the page shown (and said) past it; the REST fallback counts the same."""

from __future__ import annotations

import copy
import gzip
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from netbox_tui.backend import demo_snapshot_path
from netbox_tui.config import NetBoxProfile
from netbox_tui.core import recipes
from netbox_tui.core.orchestrator import Orchestrator
from netbox_tui.netbox.client import NetBoxClient
from netbox_tui.netbox.emulator import SnapshotTransport

QUESTION = "VLANs with their devices and interfaces"
URL = "http://topology.snapshot.invalid"


def _ref(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in ("id", "url", "display", "name") if k in row}


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    """The demo snapshot with VLANs on interfaces: VLAN 1 untagged on 3 ports of device 1 (one of
    them also tagged with it: counted once), VLAN 2 tagged on 2 ports of device 2 and on a VM port."""
    d = json.loads(gzip.decompress(demo_snapshot_path().read_bytes()))
    d = copy.deepcopy(d)
    vlans = {v["id"]: v for v in d["endpoints"]["ipam/vlans/"]}
    ifaces = d["endpoints"]["dcim/interfaces/"]
    on1 = [i for i in ifaces if i["device"]["id"] == 1][:3]
    on2 = [i for i in ifaces if i["device"]["id"] == 2][:2]
    for i in on1:
        i.update(mode={"value": "access", "label": "Access"}, untagged_vlan=_ref(vlans[1]))
    on1[0].update(mode={"value": "tagged", "label": "Tagged"}, tagged_vlans=[_ref(vlans[1])])
    for i in on2:
        i.update(mode={"value": "tagged", "label": "Tagged"}, tagged_vlans=[_ref(vlans[2])])
    vm = d["endpoints"]["virtualization/interfaces/"][0]
    vm.update(mode={"value": "tagged", "label": "Tagged"}, tagged_vlans=[_ref(vlans[2])])
    return d


@pytest.fixture
async def client(data: dict[str, Any]) -> AsyncIterator[NetBoxClient]:
    c = NetBoxClient(NetBoxProfile(url=URL), transport=SnapshotTransport(data))
    yield c
    await c.aclose()


def _counts(table: Any) -> dict[int, tuple[str, str, str]]:
    return {r["id"]: (r["interfaces"], r["devices"], r["device_names"]) for r in table.rows}


def graphql(data: dict[str, Any], query: str) -> dict[str, Any]:
    body = json.dumps({"query": query}).encode()
    return SnapshotTransport(data).handle(httpx.Request("POST", URL + "/graphql/", content=body)).json()


def test_emulator_answers_the_carriers_query(data: dict[str, Any]) -> None:
    got = graphql(data, recipes.carriers_query([2, 1, 999999]))["data"]["vlan_list"]
    assert [v["id"] for v in got] == ["1", "2"]  # NetBox's ordering, an unknown id skipped
    one, two = got
    assert len(one["interfaces_as_untagged"]) == 3 and len(one["interfaces_as_tagged"]) == 1
    assert {i["device"]["id"] for i in two["interfaces_as_tagged"]} == {"2"}
    assert two["vminterfaces_as_tagged"][0]["virtual_machine"]["name"] == "vm1"
    carried, capped = recipes.carriers_from_graphql(got)
    assert (len(carried[1]), len(carried[2]), capped) == (3, 3, [])


def test_emulator_id_lookups_and_errors(data: dict[str, Any]) -> None:
    ids = lambda q: [r["id"] for r in graphql(data, q)["data"]["vlan_list"]]  # noqa: E731
    assert ids('{ vlan_list(filters: {id: {in_list: [3, "1"]}}) { id } }') == ["1", "3"]
    assert ids("{ vlan_list(filters: {id: {exact: 3}}) { id } }") == ["3"]
    assert ids("{ vlan_list(filters: {id: {in_list: []}}) { id } }") == []
    bad = graphql(data, '{ vlan_list(filters: {id: {in_list: ["x"]}}) { id } }')
    assert bad["data"] is None and bad["errors"][0]["message"] == "Field 'id' expected a number but got 'x'."
    other = graphql(data, "{ vlan_list(filters: {id: {gt: 3}}) { id } }")
    assert other["data"] is None and "does not implement" in other["errors"][0]["message"]


def test_nested_lists_are_cut_at_max_page_size_and_the_answer_says_so(data: dict[str, Any]) -> None:
    d = copy.deepcopy(data)
    vlan = _ref(next(v for v in d["endpoints"]["ipam/vlans/"] if v["id"] == 3))
    for i in d["endpoints"]["dcim/interfaces/"]:
        i.update(mode={"value": "access", "label": "Access"}, untagged_vlan=vlan)
    assert len(d["endpoints"]["dcim/interfaces/"]) > 1000
    got = graphql(d, recipes.carriers_query([3]))["data"]["vlan_list"][0]
    assert len(got["interfaces_as_untagged"]) == 1000
    assert recipes.carriers_from_graphql([got])[1] == [3]


async def test_every_vlan_and_its_carriers_in_two_calls(client: NetBoxClient) -> None:
    answer = await Orchestrator(client).ask(QUESTION)
    table = answer.tables[0]
    assert answer.status == "ok" and answer.stats.api_calls == 2
    assert (table.total, len(table.rows)) == (63, 25)
    counts = _counts(table)
    assert counts[1] == ("3", "1", "dmi01-akron-rtr01")  # the port with VLAN 1 untagged and tagged: once
    assert counts[2] == ("3", "2", "dmi01-albany-rtr01, vm1")
    assert counts[3] == ("0", "0", "—")
    assert answer.answer.startswith(
        "63 VLANs; 2 are assigned to interfaces (6 interface assignments, 3 devices or VMs)")
    assert table.query is not None and table.query.local_key  # every row read: pages from memory
    assert any(c.kind == "next_page" for c in answer.choices)


async def test_rest_fallback_counts_the_same(client: NetBoxClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from netbox_tui.errors import BadFilterError

    async def refused(*_: Any, **__: Any) -> Any:
        raise BadFilterError("GraphQL error: no", "")

    by_graphql = await Orchestrator(client).ask(QUESTION)
    monkeypatch.setattr(client, "graphql", refused)
    by_rest = await Orchestrator(client).ask(QUESTION)
    assert _counts(by_rest.tables[0]) == _counts(by_graphql.tables[0])
    assert by_rest.answer.split(";")[:2] == by_graphql.answer.split(";")[:2]
    assert "read over REST instead" in by_rest.answer


async def test_past_the_bound_only_the_page_is_read_and_said(client: NetBoxClient,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(recipes, "TOPOLOGY_ALL", 30)
    orch = Orchestrator(client)
    first = await orch.ask(QUESTION)
    table = first.tables[0]
    assert first.stats.api_calls == 2 and (table.total, len(table.rows)) == (63, 25)
    assert _counts(table)[2] == ("3", "2", "dmi01-albany-rtr01, vm1")
    assert first.answer.startswith(
        "63 VLANs; rows 1–25 of 63. Of these 25, 2 are assigned to interfaces "
        "(6 interface assignments, 3 devices or VMs): interfaces are read for the VLANs shown only")
    assert (
        "the next pages list the VLANs alone (ask again with offset 25 for their interfaces" in first.answer
    )
    assert table.query is not None and table.query.path == "ipam/vlans/"
    assert any(c.kind == "next_page" for c in first.choices)
    nxt = await orch.page(table, 25)  # the VLANs themselves, over REST: no interface column claimed
    assert (nxt.offset, len(nxt.rows), nxt.total) == (25, 25, 63) and "interfaces" not in nxt.rows[0]
    last = await orch.ask(QUESTION, offset=50)  # past the first read: the page itself, then its carriers
    rows = last.tables[0].rows
    assert (last.tables[0].offset, len(rows), last.tables[0].total) == (50, 13, 63)
    assert last.stats.api_calls == 2  # the page (its count says it is past the bound), its carriers
    assert "Of these 13, 0 are assigned" in last.answer
    assert "No interface carries any of these VLANs" in last.answer
