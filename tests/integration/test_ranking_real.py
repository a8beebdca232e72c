"""Number fields compared and superlatives over a grouped count on the real demo NetBox 4.7.3; each
expected answer comes from a REST query written by hand (NetBox's own `__gte`/`__lt` filters, or every
device read and counted here)."""

from __future__ import annotations

from collections import Counter
from typing import Any, Callable

import httpx
import pytest

from netbox_tui.core.orchestrator import Orchestrator

pytestmark = pytest.mark.integration

TOKEN = "0123456789abcdef0123456789abcdef01234567"  # the demo dump's public read-only token


def rest(netbox_url: str, path: str, **params: str) -> dict[str, Any]:
    with httpx.Client(base_url=f"{netbox_url}/api/", headers={"Authorization": f"Token {TOKEN}"},
                      timeout=60) as http:
        out: dict[str, Any] = http.get(path, params={"limit": "1000", **params}).json()
        return out


@pytest.mark.parametrize("question,path,params", [
    ("VLANs with vid >= 201", "ipam/vlans/", {"vid__gte": "201"}),
    ("VLANs with fewer than 200 vid", "ipam/vlans/", {"vid__lt": "200"}),
    ("VLANs with a vid between 200 and 203", "ipam/vlans/", {"vid__gte": "200", "vid__lte": "203"}),
    ("racks with a height of more than 42", "dcim/racks/", {"u_height__gt": "42"}),
    ("VMs with more than 4 vcpus", "virtualization/virtual-machines/", {"vcpus__gt": "4"}),
])
async def test_a_number_field_compared(
    nb_client: Callable[..., Any], netbox_url: str, question: str, path: str, params: dict[str, str]
) -> None:
    ans = await Orchestrator(nb_client()).ask(question)
    assert ans.status == "ok", ans.answer
    assert ans.tables[0].total == rest(netbox_url, path, **params)["count"]
    if path == "ipam/vlans/":
        assert ans.tables[0].total < rest(netbox_url, path)["count"]  # the filter was sent, not dropped


async def _ranked(client: Any, question: str) -> Any:
    """As the question is asked: read with the real NetBox's names, ranked by the orchestrator."""
    return await Orchestrator(client).ask(question)


def _devices_per(netbox_url: str, key: str) -> Counter[str]:
    devices = rest(netbox_url, "dcim/devices/")
    assert devices["count"] == len(devices["results"])  # every device in one page
    return Counter(str(d[key]["id"]) for d in devices["results"] if d.get(key))


async def test_the_rack_with_the_most_devices(nb_client: Callable[..., Any], netbox_url: str) -> None:
    per_rack = _devices_per(netbox_url, "rack")
    best = max(per_rack.values())
    winners = {k for k, v in per_rack.items() if v == best}
    ans = await _ranked(nb_client(), "which rack has the most devices")
    rows = ans.tables[0].rows
    assert ans.status == "ok" and {str(r["_value"]) for r in rows[: len(winners)]} == winners
    assert int(rows[len(winners)]["count"]) < best
    assert ans.tables[0].total == rest(netbox_url, "dcim/racks/", brief="1")["count"]


async def test_top_5_sites_by_device_count(nb_client: Callable[..., Any], netbox_url: str) -> None:
    per_site = _devices_per(netbox_url, "site")
    names = {str(s["id"]): s["name"] for s in rest(netbox_url, "dcim/sites/", brief="1")["results"]}
    expected = sorted(names, key=lambda k: (-per_site.get(k, 0), names[k].lower()))[:5]
    ans = await _ranked(nb_client(), "top 5 sites by device count")
    assert [str(r["_value"]) for r in ans.tables[0].rows] == expected
    assert [int(r["count"]) for r in ans.tables[0].rows] == [per_site[k] for k in expected]


async def test_the_newest_devices(nb_client: Callable[..., Any], netbox_url: str) -> None:
    devices = rest(netbox_url, "dcim/devices/")["results"]
    newest = sorted(devices, key=lambda d: d["created"], reverse=True)
    ans = await _ranked(nb_client(), "the 2 newest devices")
    assert [r["id"] for r in ans.tables[0].rows] == [d["id"] for d in newest[:2]]
    assert newest[1]["created"] > newest[2]["created"] or "more tie with" in ans.answer
