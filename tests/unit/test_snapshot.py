"""The snapshot emulator on the shipped demo snapshot, through the normal client (no server).

tests/contract/ checks the same behaviours against the real NetBox; these run anywhere.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from netbox_tui.backend import DEMO_URL, demo_snapshot_path, open_backend
from netbox_tui.config import NetBoxProfile, Settings
from netbox_tui.errors import (
    BadFilterError,
    NotFoundError,
    UnknownFilterError,
    WriteRefusedError,
)
from netbox_tui.netbox.client import NetBoxClient
from netbox_tui.netbox.emulator import SnapshotTransport
from netbox_tui.netbox.snapshot import ENDPOINTS, load_snapshot

BASE = "http://snapshot.test"


@pytest.fixture(scope="module")
def demo() -> dict[str, Any]:
    return load_snapshot(demo_snapshot_path())


@pytest.fixture
def transport(demo: dict[str, Any]) -> SnapshotTransport:
    return SnapshotTransport(demo)


@pytest.fixture
async def client(transport: SnapshotTransport) -> AsyncIterator[NetBoxClient]:
    c = NetBoxClient(NetBoxProfile(url=BASE), transport=transport)
    yield c
    await c.aclose()


def counts(demo: dict[str, Any], path: str) -> int:
    return len(demo["endpoints"][path])


# -- the shipped file ----------------------------------------------------------------------------


def test_demo_snapshot_holds_every_endpoint(demo: dict[str, Any]) -> None:
    assert demo["netbox_version"].startswith("4.7")
    assert set(demo["endpoints"]) == set(ENDPOINTS)
    # the public demo data set (../shared/netbox-demo/README.md)
    assert counts(demo, "dcim/devices/") == 72
    assert counts(demo, "dcim/interfaces/") == 1586
    assert counts(demo, "ipam/vlans/") == 63
    assert counts(demo, "dcim/sites/") == 24
    assert len(demo["traces"]) > 50


def test_open_backend_demo_labels_the_snapshot() -> None:
    backend = open_backend(Settings(), demo=True)
    assert backend.client.base_url == DEMO_URL
    meta = backend.snapshot_meta
    assert meta and meta["taken_at"] and meta["netbox_version"]
    # the app says it shows the demo snapshot, of which NetBox and of when
    assert "demo" in backend.label and meta["netbox_version"] in backend.label
    assert meta["taken_at"][:10] in backend.label


# -- paging ----------------------------------------------------------------------------------------


async def test_default_page_and_links(client: NetBoxClient) -> None:
    data = await client.get("dcim/interfaces/", {"device_id": 96})
    assert data["count"] == 64 and len(data["results"]) == 50  # PAGINATE_COUNT
    assert data["next"] == f"{BASE}/api/dcim/interfaces/?device_id=96&limit=50&offset=50"
    assert data["previous"] is None


@pytest.mark.parametrize(
    "limit, offset, n, nxt, prev",
    [
        (10, 0, 10, "limit=10&offset=10", None),
        (10, 10, 10, "limit=10&offset=20", "limit=10"),
        (10, 65, 7, None, "limit=10&offset=55"),
        (10, 72, 0, None, "limit=10&offset=62"),
        (10, 500, 0, None, "limit=10&offset=490"),
        (30, 20, 30, "limit=30&offset=50", "limit=30"),
    ],
)
async def test_paging_math(
    client: NetBoxClient, limit: int, offset: int, n: int, nxt: str | None, prev: str | None
) -> None:
    data = await client.get("dcim/devices/", {"limit": limit, "offset": offset, "fields": "id"})
    assert data["count"] == 72
    assert len(data["results"]) == n
    link = f"{BASE}/api/dcim/devices/?fields=id&"
    assert data["next"] == (link + nxt if nxt else None)
    assert data["previous"] == (link + prev if prev else None)


@pytest.mark.parametrize(
    "limit, expected", [("0", 1000), ("5000", 1000), ("abc", 50), ("-3", 50), ("999", 999)]
)
async def test_limit_cap_and_fallbacks(client: NetBoxClient, limit: str, expected: int) -> None:
    data = await client.get("dcim/interfaces/", {"limit": limit, "fields": "id"})
    assert len(data["results"]) == expected
    assert f"limit={expected}&offset={expected}" in data["next"]


async def test_pages_cover_everything_once(client: NetBoxClient, demo: dict[str, Any]) -> None:
    rows = await client.list_all("dcim/interfaces/", page_size=300, fields=["id"])
    assert len(rows) == 1586 and len({r["id"] for r in rows}) == 1586


async def test_cursor_paging(client: NetBoxClient) -> None:
    data = await client.get("dcim/devices/", {"start": 50, "limit": 10, "fields": "id"})
    ids = [r["id"] for r in data["results"]]
    assert ids == sorted(ids) and ids[0] >= 50 and len(ids) == 10
    assert data["count"] is None and data["previous"] is None
    assert data["next"] == f"{BASE}/api/dcim/devices/?fields=id&limit=10&start={ids[-1] + 1}"
    with pytest.raises(BadFilterError) as info:
        await client.get("dcim/devices/", {"start": 0, "offset": 5})
    assert info.value.detail == ["'start' and 'offset' are mutually exclusive."]


# -- default ordering ----------------------------------------------------------------------------


async def test_devices_natural_order_nulls_last(client: NetBoxClient) -> None:
    rows = await client.list_all("dcim/devices/", fields=["id", "name"])
    names = [r["name"] for r in rows]
    assert names[:2] == ["dmi01-akron-pdu01", "dmi01-akron-rtr01"]
    # ICU natural collation: '-' before digits, numbers by value, case-insensitive
    assert (
        names.index("ncsu-coreswitch1")
        < names.index("ncsu117-distswitch1")
        < names.index("ncsu128-distswitch1")
    )
    assert names.index("ncsu128-distswitch1") < names.index("PP:B117")
    assert names[-1] is None and names.index(None) > names.index("PP:MDF")


async def test_interfaces_by_device_then_natural_name(client: NetBoxClient) -> None:
    rows = await client.list_all("dcim/interfaces/", {"device": "dmi01-yonkers-rtr01"}, fields=["id", "name"])
    assert [r["name"] for r in rows[:3]] == [
        "GigabitEthernet0/0/0",
        "GigabitEthernet0/0/1",
        "GigabitEthernet0/1/0",
    ]


async def test_prefixes_global_first_then_by_network(client: NetBoxClient) -> None:
    rows = await client.list_all("ipam/prefixes/", fields=["id", "prefix", "vrf"])
    assert rows[0]["prefix"] == "10.112.0.0/15" and rows[0]["vrf"] is None
    vrf_ids = [r["vrf"]["id"] if r["vrf"] else 0 for r in rows]
    assert vrf_ids == sorted(vrf_ids)


# -- shaping ---------------------------------------------------------------------------------------


async def test_brief_fields_omit(client: NetBoxClient) -> None:
    brief = await client.page("dcim/devices/", limit=2, brief=True)
    assert list(brief.results[0]) == ["id", "url", "display", "name", "description"]
    assert brief.results[0]["url"].startswith(f"{BASE}/api/dcim/devices/")  # links point at this backend
    shaped = await client.page("dcim/devices/", limit=2, fields=["name", "id", "bogus"])
    assert list(shaped.results[0]) == ["id", "name"]  # the serializer's order; unknown names dropped
    omitted = await client.page("dcim/devices/", limit=2, omit=["config_context", "comments"])
    assert "config_context" not in omitted.results[0] and "site" in omitted.results[0]
    zero = await client.get("dcim/devices/", {"brief": "0", "limit": 1})
    assert list(zero["results"][0]) == ["id", "url", "display", "name", "description"]  # any value is on


async def test_detail_special_and_status(client: NetBoxClient) -> None:
    device = await client.get("dcim/devices/13/")
    assert device["name"] == "dmi01-yonkers-rtr01"
    status = await client.status()
    assert status["netbox-version"].startswith("4.7")
    iface = (
        await client.page("dcim/interfaces/", {"device_id": 13, "name": "GigabitEthernet0/0/0"})
    ).results[0]
    trace = await client.get(f"dcim/interfaces/{iface['id']}/trace/")
    near, cable, far = trace[0]
    assert near[0]["id"] == iface["id"] and cable["id"] == iface["cable"]["id"]
    assert far[0]["url"].startswith(f"{BASE}/api/circuits/circuit-terminations/")
    uncabled = (await client.page("dcim/interfaces/", {"device_id": 13, "cabled": "false"}, limit=1)).results[
        0
    ]
    assert await client.get(f"dcim/interfaces/{uncabled['id']}/trace/") == []
    free = await client.get("ipam/prefixes/8/available-ips/", {"limit": 3})
    assert free == [{"family": 4, "address": f"10.112.129.{i}/24", "vrf": None} for i in (1, 2, 3)]
    assert len(await client.get("ipam/prefixes/8/available-ips/")) == 50
    assert len(await client.get("ipam/prefixes/8/available-ips/", {"limit": 0})) == 254


# -- filters ---------------------------------------------------------------------------------------


async def test_region_tree_repeated_values_and_lookups(client: NetBoxClient) -> None:
    ny = await client.page("dcim/sites/", {"region": "us-ny"}, limit=100)
    us = await client.page("dcim/sites/", {"region": "us"}, limit=100)  # descendants of us
    assert ny.count == 10 and us.count == 24
    both = await client.page("dcim/devices/", {"site": ["dm-akron", "dm-albany"]}, limit=100)
    assert both.count == 8
    assert {r["site"]["slug"] for r in both.results} == {"dm-akron", "dm-albany"}
    ic = await client.page("dcim/devices/", {"name__ic": "AKRON"}, limit=100)
    assert ic.count == 3
    vids = await client.page("ipam/vlans/", {"vid__gt": 200}, limit=100)
    assert vids.count and all(r["vid"] > 200 for r in vids.results)
    q = await client.page("ipam/prefixes/", {"q": "10.112.129.7"}, limit=100)
    assert [r["prefix"] for r in q.results] == [
        "10.112.0.0/15",
        "10.112.128.0/17",
        "10.112.128.0/22",
        "10.112.129.0/24",
    ]


async def test_invalid_value_is_400_like_netbox(client: NetBoxClient) -> None:
    with pytest.raises(BadFilterError) as info:
        await client.page("dcim/devices/", {"region": "connecticut"})
    assert info.value.detail == {
        "region": ["Select a valid choice. connecticut is not one of the available choices."]
    }
    with pytest.raises(BadFilterError) as info:
        await client.page("dcim/devices/", {"site_id": "abc"})
    assert info.value.detail == {"site_id": ["\u201cabc\u201d is not a valid value."]}


async def test_unknown_id_is_404_like_netbox(client: NetBoxClient) -> None:
    with pytest.raises(NotFoundError) as info:
        await client.get("dcim/interfaces/99999/")
    assert info.value.detail == {"detail": "No Interface matches the given query."}
    with pytest.raises(NotFoundError) as info:
        await client.request_json("GET", "dcim/nonexistent/", validate=False)
    assert "does not exist" in info.value.message  # an HTML 404, as NetBox sends for unknown URLs


async def test_unimplemented_filter_is_a_loud_400(client: NetBoxClient) -> None:
    """A filter NetBox accepts but the emulator does not implement is never silently ignored."""
    assert client.registry.get("dcim/devices/").accepts("mac_address")
    with pytest.raises(BadFilterError) as info:
        await client.page("dcim/devices/", {"mac_address": "00:11:22:33:44:55"})
    assert info.value.detail == {
        "detail": "snapshot backend does not implement filter 'mac_address' on dcim/devices/"
    }


async def test_filter_netbox_does_not_know_is_refused_by_the_client(
    client: NetBoxClient, transport: SnapshotTransport
) -> None:
    with pytest.raises(UnknownFilterError):
        await client.page("dcim/devices/", {"vlan_id": 1})
    assert transport.requests == 0


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
async def test_writes_are_refused_before_the_transport(
    client: NetBoxClient, transport: SnapshotTransport, method: str
) -> None:
    with pytest.raises(WriteRefusedError):
        await client.request_json(method, "dcim/devices/", body={"name": "x"})
    with pytest.raises(WriteRefusedError):
        await client.request_json(method, "dcim/devices/1/", body={"name": "x"})
    assert transport.requests == 0


async def test_graphql_answers_and_refuses_loudly(client: NetBoxClient) -> None:
    """The GraphQL netbox-tui sends is answered (tests/unit/test_snapshot_graphql.py has the rest);
    anything else is an error the client raises, never a partial answer."""
    data = await client.graphql("{ site_list { id name } }")
    assert data["site_list"][0] == {"id": "24", "name": "Butler Communications"}
    with pytest.raises(BadFilterError) as info:
        await client.graphql("{ site_list { id } } fragment F on SiteType { id }")
    assert "does not implement fragments" in info.value.message


async def test_missing_trailing_slash_redirects(transport: SnapshotTransport) -> None:
    response = transport.handle(httpx.Request("GET", f"{BASE}/api/dcim/devices?limit=3"))
    assert response.status_code == 301
    assert response.headers["Location"] == f"{BASE}/api/dcim/devices/?limit=3"


async def test_endpoint_not_in_snapshot_is_loud(client: NetBoxClient) -> None:
    """Component templates are not saved (snapshot.snapshot_endpoints): a loud 400, not "none"."""
    with pytest.raises(BadFilterError) as info:
        await client.page("dcim/interface-templates/")
    assert "not in this snapshot" in info.value.message


async def test_empty_table_is_saved_empty(client: NetBoxClient) -> None:
    page = await client.page("wireless/wireless-lans/")
    assert page.count == 0 and page.results == []
