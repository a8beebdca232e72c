"""'devices in IDF racks' on the real demo NetBox (issue 16, H-F item 4): no device filter takes a rack role,
so the racks with it are read first and the devices asked by rack. Expected from plain REST reads."""

from __future__ import annotations

from collections import Counter
from typing import Any, Callable

import pytest

from netbox_tui.core.orchestrator import Orchestrator
from netbox_tui.netbox.client import NetBoxClient

pytestmark = pytest.mark.integration

Client = Callable[..., NetBoxClient]
Rest = Callable[..., Any]


def _idf_devices(rest: Rest) -> list[dict[str, Any]]:
    racks = rest("dcim/racks/", {"limit": 1000, "fields": "id,role"})["results"]
    idf = {r["id"] for r in racks if (r["role"] or {}).get("name") == "IDF"}
    devices = rest("dcim/devices/", {"limit": 1000, "fields": "id,rack"})["results"]
    return [d for d in devices if (d["rack"] or {}).get("id") in idf]


async def test_devices_in_idf_racks(nb_client: Client, rest: Rest) -> None:
    want = {d["id"] for d in _idf_devices(rest)}
    assert want
    ans = await Orchestrator(nb_client()).ask("devices in IDF racks")
    assert ans.status == "ok", ans.answer
    assert {r["id"] for r in ans.tables[0].rows} == want


async def test_devices_per_rack_in_idf_racks(nb_client: Client, rest: Rest) -> None:
    want = Counter(d["rack"]["display"] for d in _idf_devices(rest))
    ans = await Orchestrator(nb_client()).ask("devices per rack in IDF racks")
    assert ans.status == "ok", ans.answer
    got = {r["group"]: int(r["count"]) for r in ans.tables[0].rows if r["count"] != "0"}
    assert got == dict(want)
