"""The VLAN topology against real NetBoxes: its calls, and its counts checked VLAN by VLAN against
NetBox's own REST counts (`interfaces?vlan_id=`: the interfaces carrying a VLAN untagged or tagged).

The demo NetBox (:8000) carries no VLAN on any interface. The scale NetBox of bench/scale_gen.py 100
(NETBOX_SCALE_URL, default http://127.0.0.1:8100: 6,300 VLANs on 48,100 interfaces) does; scripts/test
does not start it, so those tests are skipped when it does not answer."""

from __future__ import annotations

import os
from typing import Any

import httpx
import pytest

from netbox_tui.config import NetBoxProfile
from netbox_tui.core.orchestrator import Orchestrator
from netbox_tui.netbox.client import NetBoxClient

TOKEN_V1 = "0123456789abcdef0123456789abcdef01234567"  # public read-only token of the demo dump

QUESTION = "VLANs with their devices and interfaces"
SCALE_URL = os.environ.get("NETBOX_SCALE_URL", "http://127.0.0.1:8100").rstrip("/")


def _rest_count(url: str, path: str, **params: Any) -> int:
    r = httpx.get(f"{url}/api/{path}", params={**params, "limit": 1, "brief": 1},
                  headers={"Authorization": f"Token {TOKEN_V1}"}, timeout=60)
    r.raise_for_status()
    return int(r.json()["count"])


def _carried(url: str, vlan_id: int) -> int:
    return (_rest_count(url, "dcim/interfaces/", vlan_id=vlan_id)
            + _rest_count(url, "virtualization/interfaces/", vlan_id=vlan_id))


async def test_demo_topology_in_two_calls(nb_client: Any, netbox_url: str) -> None:
    answer = await Orchestrator(nb_client()).ask(QUESTION)
    table = answer.tables[0]
    assert answer.stats.api_calls == 2  # the VLANs, one GraphQL query for their interfaces
    assert table.total == _rest_count(netbox_url, "ipam/vlans/") == 63
    assert _rest_count(netbox_url, "dcim/interfaces/", mode=["access", "tagged", "tagged-all"]) == 0
    assert all(r["interfaces"] == "0" for r in table.rows)
    assert answer.answer.startswith("63 VLANs; 0 are assigned to interfaces")


@pytest.fixture(scope="module")
def scale_url() -> str:
    try:
        headers = {"Authorization": f"Token {TOKEN_V1}"}
        httpx.get(f"{SCALE_URL}/api/status/", headers=headers, timeout=5).raise_for_status()
    except httpx.HTTPError as exc:
        pytest.skip(f"no scale NetBox at {SCALE_URL} ({exc.__class__.__name__}): run bench/scale_gen.py 100")
    return SCALE_URL


@pytest.mark.parametrize("offset", [0, 6275])
async def test_scale_topology_pages_are_exact_in_two_calls(scale_url: str, offset: int) -> None:
    client = NetBoxClient(NetBoxProfile(url=scale_url, token=TOKEN_V1, timeout_read=120))
    try:
        answer = await Orchestrator(client).ask(QUESTION, offset=offset)
    finally:
        await client.aclose()
    table = answer.tables[0]
    assert answer.stats.api_calls <= 10 and answer.stats.api_calls == 2
    assert table.total == _rest_count(scale_url, "ipam/vlans/") > 250 and len(table.rows) == 25
    assert "interfaces are read for the VLANs shown only" in answer.answer
    for row in table.rows:
        assert int(row["interfaces"]) == _carried(scale_url, row["id"]), row
    assert f"{sum(int(r['interfaces']) for r in table.rows):,} interface assignments" in answer.answer
