"""Drill-down from a row: one request per related table, whatever the row."""

from __future__ import annotations

import pytest

from netbox_tui.core.orchestrator import Orchestrator
from netbox_tui.errors import NetBoxTUIError


@pytest.mark.parametrize(
    "question,display,titles,max_calls",
    [
        (
            "devices at dm akron",
            "dmi01-akron-rtr01",
            [
                "Interfaces of dmi01-akron-rtr01",
                "IP addresses of dmi01-akron-rtr01",
                "Cables of dmi01-akron-rtr01",
            ],
            3,
        ),
        (
            "sites in New York",
            "DM-Albany",
            [
                "Racks of DM-Albany",
                "Devices of DM-Albany",
                "VLANs of DM-Albany",
                "Prefixes of DM-Albany",
                "Circuits of DM-Albany",
            ],
            5,
        ),
        ("list all VLANs", "Data (100)", ["Interfaces of Data (100)", "VM interfaces of Data (100)"], 2),
        ("virtual machines in cluster DO-AMS3", "vm1", ["VM interfaces of vm1", "IP addresses of vm1"], 2),
        ("circuits from Level 3", "DEOW4921", ["Circuit terminations of DEOW4921"], 1),
    ],
)
async def test_drill(nb_client, question: str, display: str, titles: list[str], max_calls: int) -> None:
    orch = Orchestrator(nb_client())
    table = (await orch.ask(question)).tables[0]
    row = next(r for r in table.rows if r["display"] == display)
    drilled = await orch.drill(table.object_type, row)
    assert drilled.status == "ok"
    assert [t.title for t in drilled.tables] == titles
    assert drilled.stats.api_calls <= max_calls
    for t in drilled.tables:
        assert len(t.rows) == min(t.total, 25)


async def test_drill_device_counts_match_netbox(nb_client) -> None:
    orch = Orchestrator(nb_client())
    table = (await orch.ask("devices at dm akron")).tables[0]
    rtr = next(r for r in table.rows if r["display"] == "dmi01-akron-rtr01")
    interfaces = (await orch.drill("dcim.device", rtr)).tables[0]
    direct = await nb_client().page("dcim/interfaces/", {"device_id": rtr["id"]}, limit=1)
    assert interfaces.total == direct.count == 14
    more = await orch.page(interfaces, 10, limit=10)
    assert [r["id"] for r in more.rows] == [
        r["id"]
        for r in (
            await nb_client().page("dcim/interfaces/", {"device_id": rtr["id"]}, limit=10, offset=10)
        ).results
    ]


async def test_interface_drill_is_a_cable_trace(nb_client) -> None:
    orch = Orchestrator(nb_client())
    table = (await orch.ask("interfaces on dmi01-yonkers-rtr01")).tables[0]
    gi = next(r for r in table.rows if r["name"] == "GigabitEthernet0/0/0")
    trace = await orch.drill("dcim.interface", gi)
    assert trace.tables[0].title == "Cable path from dmi01-yonkers-rtr01 GigabitEthernet0/0/0"


async def test_nothing_to_drill_says_so(nb_client) -> None:
    with pytest.raises(NetBoxTUIError, match="nothing to drill"):
        await Orchestrator(nb_client()).drill("ipam.aggregate", {"id": 1, "display": "10.0.0.0/8"})
