"""The change log and the journal on the fixture NetBox (scripts/netbox-fixture): each answer checked against
REST queries written here by hand. The fixture holds journal entries by admin and dwight and changes by both
(scripts/seed-fixture.py, tests/data/fixture-seed.json); a change made by dwight at the start of the
test keeps "today" true whenever it runs."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, AsyncIterator

import httpx
import pytest

from fixture_env import fixture_env
from netbox_tui.core.orchestrator import Orchestrator

pytestmark = pytest.mark.integration

READ_TOKEN = "0123456789abcdef0123456789abcdef01234567"  # the demo dump's public read-only token
DEVICE = "dmi01-binghamton-rtr01"  # the device whose comments dwight edits (test_fixture_data.py does too)


@pytest.fixture
def rest(fixture_url: str):
    with httpx.Client(
        base_url=f"{fixture_url}/api/",
        headers={"Authorization": f"Token {READ_TOKEN}"},
        timeout=120,
        limits=httpx.Limits(max_keepalive_connections=0),
    ) as c:
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


def rows(c: httpx.Client, path: str, **params: Any) -> list[dict]:
    r = c.get(path, params={"limit": 1000, **params})
    r.raise_for_status()
    assert r.json()["next"] is None
    return r.json()["results"]


def device_id(c: httpx.Client, name: str) -> int:
    return rows(c, "dcim/devices/", name=name, brief=1)[0]["id"]


def today() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT00:00:00Z")


@pytest.fixture
def dwight_changed_now(fixture_url: str, rest: httpx.Client) -> str:
    """dwight sets DEVICE's comments to a timestamp now: a change of today, by dwight."""
    stamp = f"changed by test_changes_real at {datetime.now(timezone.utc).isoformat(timespec='seconds')}"
    with httpx.Client(
        base_url=f"{fixture_url}/api/",
        timeout=120,
        limits=httpx.Limits(max_keepalive_connections=0),
        headers={"Authorization": f"Token {fixture_env('NETBOX_FIXTURE_OPERATOR_TOKEN')}"},
    ) as op:
        r = op.patch(f"dcim/devices/{device_id(rest, DEVICE)}/", json={"comments": stamp})
        assert r.status_code == 200, r.text
    return stamp


def ids(answer: Any) -> set[int]:
    return {r["id"] for r in answer.tables[0].rows}


# -- the journal ----------------------------------------------------------------------------------------


async def test_notes_on_a_device_are_its_journal(orch: Orchestrator, rest: httpx.Client) -> None:
    dev = device_id(rest, "dmi01-akron-rtr01")
    want = rows(rest, "extras/journal-entries/", assigned_object_type="dcim.device", assigned_object_id=dev)
    ans = await orch.ask("notes on dmi01-akron-rtr01")
    assert ans.status == "ok" and ans.interpretation is not None
    assert ans.interpretation.model == "extras.journalentry"
    assert len(want) == 2 and ids(ans) == {e["id"] for e in want}
    assert {r["author"] for r in ans.tables[0].rows} == {"admin", "dwight"}  # names, not user ids
    assert {r["kind"] for r in ans.tables[0].rows} == {e["kind"]["label"] for e in want}


async def test_journal_by_kind_and_by_author(orch: Orchestrator, rest: httpx.Client) -> None:
    ans = await orch.ask("danger journal entries")
    want = rows(rest, "extras/journal-entries/", kind="danger")
    assert ans.status == "ok" and len(want) == 2 and ids(ans) == {e["id"] for e in want}
    ans = await orch.ask("notes by dwight")
    want = rows(rest, "extras/journal-entries/", created_by="dwight")
    assert ans.status == "ok" and want and ids(ans) == {e["id"] for e in want}
    assert {r["author"] for r in ans.tables[0].rows} == {"dwight"}


# -- the change log -------------------------------------------------------------------------------------


async def test_what_changed_on_a_device_today(
    orch: Orchestrator, rest: httpx.Client, dwight_changed_now: str
) -> None:
    dev = device_id(rest, DEVICE)
    own = rows(
        rest,
        "core/object-changes/",
        changed_object_type="dcim.device",
        changed_object_id=dev,
        time_after=today(),
    )
    related = rows(
        rest,
        "core/object-changes/",
        related_object_type="dcim.device",
        related_object_id=dev,
        time_after=today(),
    )
    ans = await orch.ask(f"what changed on {DEVICE} today")
    assert ans.status == "ok" and ans.interpretation.model == "core.objectchange"  # type: ignore[union-attr]
    want = {r["id"] for r in own + related}  # every run adds changes: past a page, the page is a part
    assert ids(ans) <= want and len(ids(ans)) == min(len(want), 25) and ans.tables[0].total == len(want) >= 1
    first = ans.tables[0].rows[0]
    assert (first["user"], first["action"]) == ("dwight", "Updated")  # the newest first: the change just made
    assert first["fields"].startswith("comments: ") and f"→ “{dwight_changed_now[:30]}" in first["fields"]
    time_cond = ans.interpretation.conditions[0]  # type: ignore[union-attr]
    assert time_cond.filter == f"time_after={today()}" and time_cond.text == "today"


async def test_changes_on_a_device_include_its_interfaces(orch: Orchestrator, rest: httpx.Client) -> None:
    dev = device_id(rest, "dmi01-nashua-sw01")
    related = rows(rest, "core/object-changes/", related_object_type="dcim.device", related_object_id=dev)
    own = rows(rest, "core/object-changes/", changed_object_type="dcim.device", changed_object_id=dev)
    assert related and own  # the interface's change relates to the device, the device's own does not
    ans = await orch.ask("who changed dmi01-nashua-sw01")
    assert ans.status == "ok" and ids(ans) == {r["id"] for r in own + related}
    iface = next(r for r in ans.tables[0].rows if r["id"] == related[0]["id"])
    assert iface["object"].endswith("(of dmi01-nashua-sw01)") and iface["user"] == "dwight"
    assert "badge reader lobby" in iface["fields"]


async def test_what_did_dwight_change_this_week(
    orch: Orchestrator, rest: httpx.Client, dwight_changed_now: str
) -> None:
    now = datetime.now(timezone.utc)
    monday = (now - timedelta(days=now.weekday())).strftime("%Y-%m-%dT00:00:00Z")
    want = rows(rest, "core/object-changes/", user_name="dwight", time_after=monday, ordering="-time")
    ans = await orch.ask("what did dwight change this week")
    assert ans.status == "ok" and ans.tables[0].total == len(want) > 0
    assert {r["user"] for r in ans.tables[0].rows} == {"dwight"}
    assert ans.interpretation is not None
    assert [c.filter for c in ans.interpretation.conditions] == [f"time_after={monday}", "user_name=dwight"]


async def test_was_anything_deleted_today(orch: Orchestrator, rest: httpx.Client) -> None:
    want = rows(rest, "core/object-changes/", action="delete", time_after=today())
    ans = await orch.ask("was anything deleted today")
    assert ans.status == "ok" and ids(ans) == {r["id"] for r in want}
    assert all(r["action"] == "Deleted" for r in ans.tables[0].rows)


async def test_vlans_added_since_a_weekday(orch: Orchestrator, rest: httpx.Client) -> None:
    now = datetime.now(timezone.utc)
    monday = (now - timedelta(days=now.weekday())).strftime("%Y-%m-%dT00:00:00Z")
    want = rows(
        rest, "core/object-changes/", action="create", changed_object_type="ipam.vlan", time_after=monday
    )
    ans = await orch.ask("VLANs added since Monday")
    assert ans.status == "ok" and ids(ans) == {r["id"] for r in want}
    filters = {c.filter for c in ans.interpretation.conditions}  # type: ignore[union-attr]
    assert filters == {f"time_after={monday}", "action=create", "changed_object_type=ipam.vlan"}


async def test_what_a_ports_description_was_before(orch: Orchestrator, rest: httpx.Client) -> None:
    port = rows(rest, "dcim/interfaces/", device="dmi01-nashua-sw01", name="GigabitEthernet1/0/10", brief=1)[
        0
    ]
    want = rows(
        rest, "core/object-changes/", changed_object_type="dcim.interface", changed_object_id=port["id"]
    )
    ans = await orch.ask("what was dmi01-nashua-sw01 Gi1/0/10's description before")
    changed = [
        r
        for r in want
        if r["prechange_data"]
        and r["prechange_data"].get("description") != (r["postchange_data"] or {}).get("description")
    ]
    assert ans.status == "ok" and changed and ids(ans) == {r["id"] for r in changed}
    assert "description: — → “badge reader lobby”" in ans.answer  # the latest change of that field, said
