"""Objects that meet on a third model, both ways (issue 16, H-F item 4): "devices with VLANs" and "VLANs with
no devices" meet on interfaces; the interface's device is the schema's foreign key, its VLANs the
vocabulary's paths. Offline: interface rows given by hand; and on the embedded demo end to end."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, AsyncIterator

import pytest

from netbox_tui.config import Settings
from netbox_tui.core.planner import _owners_through, build_query, model_of
from netbox_tui.session import Session

IFACES = [
    {"id": 1, "device": {"id": 10}, "untagged_vlan": {"id": 100}, "tagged_vlans": []},
    {"id": 2, "device": {"id": 11}, "untagged_vlan": None, "tagged_vlans": [{"id": 101}, {"id": 102}]},
    {"id": 3, "device": {"id": 12}, "untagged_vlan": None, "tagged_vlans": []},
]


class _Rows(list):  # type: ignore[type-arg]
    complete = True


class _Client:
    def __init__(self) -> None:
        self.asked: list[tuple[str, dict[str, Any]]] = []

    async def list_all(self, path: str, params: dict[str, Any], **_: Any) -> _Rows:
        self.asked.append((path, dict(params)))
        return _Rows(IFACES if path == "dcim/interfaces/" else [])


def _ctx() -> Any:
    return SimpleNamespace(client=_Client(), note=lambda _: None)


@pytest.mark.parametrize("target, related, owners", [
    ("dcim.device", "ipam.vlan", {10, 11}),
    ("ipam.vlan", "dcim.device", {100, 101, 102}),
])
async def test_owners_meet_on_interfaces_both_ways(target: str, related: str, owners: set[int]) -> None:
    ctx = _ctx()
    m, rm = model_of(target), model_of(related)
    got = await _owners_through(ctx, m, rm, model_of("dcim.interface"), build_query(rm, []))
    assert got == owners
    path, params = ctx.client.asked[0]
    assert path == "dcim/interfaces/" and params.get("mode")  # only interfaces whose mode carries VLANs


@pytest.fixture
async def session() -> AsyncIterator[Session]:
    s = Session.open(Settings(), demo=True)
    yield s
    await s.aclose()


async def test_vlans_with_no_devices_on_the_demo(session: Session) -> None:
    client = session.orchestrator.client
    carried = {
        v["id"]
        for r in await client.list_all("dcim/interfaces/", {}, fields=["id", "untagged_vlan", "tagged_vlans"])
        for v in ([r["untagged_vlan"]] if r.get("untagged_vlan") else []) + (r.get("tagged_vlans") or [])
    }
    vlans = {r["id"] for r in await client.list_all("ipam/vlans/", {}, fields=["id"])}
    ans = await session.orchestrator.ask("VLANs with no devices")
    assert ans.status == "ok", ans.answer
    assert ans.answer.startswith(f"{len(vlans - carried)} VLANs with no devices")
