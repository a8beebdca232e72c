"""A condition the target's endpoint cannot take, met through its one field pointing to a model whose
endpoint can (issue 16, H-F item 4: "devices in IDF racks": no device filter takes a rack role, a device's
rack does). Checked on the embedded demo against every rack and device read plainly."""

from __future__ import annotations

from typing import AsyncIterator

import pytest

from netbox_tui.config import Settings
from netbox_tui.core.intent import Condition, Ref
from netbox_tui.core.planner import _hop_field, model_of
from netbox_tui.session import Session


@pytest.fixture
async def session() -> AsyncIterator[Session]:
    s = Session.open(Settings(), demo=True)
    yield s
    await s.aclose()


def _role(model: str, field: str = "role") -> Condition:
    return Condition(field=field, value="IDF", text="IDF", model=model,
                     resolved=[Ref(model=model, id=4, label="IDF")])


def test_a_rack_role_on_devices_goes_through_their_rack() -> None:
    hop = _hop_field(model_of("dcim.device"), _role("dcim.rackrole", "rackrole"))
    assert hop is not None and hop.name == "rack" and hop.to == "dcim.rack"


def test_no_hop_where_the_endpoint_takes_it_itself_or_for_an_exclusion() -> None:
    assert _hop_field(model_of("dcim.device"), _role("dcim.devicerole")) is None
    excluded = _role("dcim.rackrole", "rackrole").model_copy(update={"op": "ne"})
    assert _hop_field(model_of("dcim.device"), excluded) is None  # devices in no rack would be lost


async def test_devices_in_idf_racks(session: Session) -> None:
    client = session.orchestrator.client
    racks = {r["id"] for r in await client.list_all("dcim/racks/", {}, fields=["id", "role"])
             if (r.get("role") or {}).get("display") == "IDF"}
    devices = {d["id"] for d in await client.list_all("dcim/devices/", {}, fields=["id", "rack"])
               if (d.get("rack") or {}).get("id") in racks}
    assert racks and devices
    ans = await session.orchestrator.ask("devices in IDF racks")
    assert ans.status == "ok", ans.answer
    assert ans.answer.startswith(f"{len(devices)} devices")
    assert {r["id"] for r in ans.tables[0].rows} == devices
