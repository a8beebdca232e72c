"""The MCP tools at or below netbox-mcp-server's requests (issue 19, item 5), on the embedded demo (no
network): a device named exactly needs no look-up, a site named exactly is one request, free IPs are the
prefix and NetBox's available-ips; a table of one object is one line of its set fields."""

from __future__ import annotations

import ipaddress
from typing import AsyncIterator

import pytest

from netbox_tui.config import Settings
from netbox_tui.core.budget import get_encoder
from netbox_tui.mcp.render import Block, Reply, render
from netbox_tui.mcp.service import Tools
from netbox_tui.session import Session

ENC = get_encoder("gpt-4o-mini")


@pytest.fixture
async def tools() -> AsyncIterator[Tools]:
    session = Session.open(Settings(), demo=True)
    yield Tools(session)
    await session.aclose()


async def test_a_device_named_exactly_is_sent_as_its_name_in_one_request(tools: Tools) -> None:
    got = await tools.call("query", {"model": "dcim.interface", "fields": ["id", "type"], "limit": 1000,
                                     "conditions": [{"field": "device", "value": "dmi01-akron-sw01"}]})
    assert not got.is_error and got.meta["netbox_calls"] == 1, got.text
    assert "sent: device=dmi01-akron-sw01" in got.text and "device = dmi01-akron-sw01" in got.text


async def test_a_name_netbox_refuses_is_looked_up_and_said(tools: Tools) -> None:
    other_case = await tools.call("query", {"model": "dcim.interface", "limit": 1000,
                                            "conditions": [{"field": "device", "value": "DMI01-AKRON-SW01"}]})
    assert not other_case.is_error and "sent: device_id=" in other_case.text
    assert "dmi01-akron-sw01" in other_case.text
    unknown = await tools.call("query", {"model": "dcim.interface",
                                         "conditions": [{"field": "device", "value": "dmi01-akron-sw03"}]})
    assert "No device matches “dmi01-akron-sw03”" in unknown.text and "dmi01-akron-sw01" in unknown.text


async def test_a_site_named_exactly_for_rack_utilisation_is_one_request(tools: Tools) -> None:
    got = await tools.call("rack_utilisation", {"site_or_rack": "MDF"})
    # the name, then racks, racked devices and their types' heights: the peer's agent's four
    assert not got.is_error and got.meta["netbox_calls"] <= 4, got.text
    assert "sent: site_id=21" in got.text and "56 of 1236 rack units used" in got.text


async def test_free_ips_of_a_small_prefix_are_netbox_s_own_list(tools: Tools) -> None:
    got = await tools.call("free_ips", {"prefix": "10.112.129.0/24"})
    assert not got.is_error and got.meta["netbox_calls"] == 2, got.text  # the prefix, its available-ips
    assert got.text.startswith("254 free IP addresses in 10.112.129.0/24")
    assert "10.112.129.1|10.112.129.254|254" in got.text
    prefix = (await tools.orch.client.page("ipam/prefixes/", {"prefix": "10.112.129.0/24"}, limit=5)).results
    free = await tools.orch.client.get(f"ipam/prefixes/{prefix[0]['id']}/available-ips/", {"limit": 0})
    net = ipaddress.ip_network("10.112.129.0/24")
    assert len(free) == 254 and all(ipaddress.ip_interface(f["address"]).ip in net for f in free)


def test_one_object_is_one_line_of_its_set_fields() -> None:
    row = {"id": 80, "prefix": "172.16.0.0/24", "status": "Active", "scope": "—", "vrf": "Alpha (65000:100)",
           "used": "30"}
    block = Block(title="Prefix 172.16.0.0/24", model="ipam.prefix", columns=list(row), rows=[row], offset=0,
                  total=1)
    text = render(Reply(summary="one prefix.", blocks=[block]), 2000, ENC)
    lines = text.splitlines()
    assert lines[1] == "## Prefix 172.16.0.0/24 (ipam.prefix) rows 1–1 of 1"
    # no empty scope, no prefix the title already says
    assert lines[2] == "id=80|status=Active|vrf=Alpha (65000:100)|used=30"
    two = Block(title="Prefixes", model="ipam.prefix", columns=list(row), rows=[row, dict(row, id=81)],
                offset=0, total=2)
    assert "id|prefix|status|scope|vrf|used" in render(Reply(summary="two.", blocks=[two]), 2000, ENC)
