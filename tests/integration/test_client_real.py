"""NetBoxClient against the real NetBox 4.7.3 with the demo data (scripts/netbox-dev)."""

from __future__ import annotations

import httpx
import pytest

from netbox_tui.errors import AuthError, BadFilterError, NotFoundError, UnknownFilterError, WriteRefusedError
from netbox_tui.netbox.cache import CacheMode, ResponseCache

pytestmark = pytest.mark.integration

# Public read-only tokens of the demo dump (../shared/netbox-demo/README.md).
TOKEN_V1 = "0123456789abcdef0123456789abcdef01234567"
TOKEN_V2 = "nbt_Ez6TDRTyTxrV.demoreadonlytoken0123456789abcdefghijklmn"

INTERFACES = 1586  # ../shared/netbox-demo/README.md


async def test_status_is_netbox_4_7(client):
    status = await client.status()
    assert status["netbox-version"].startswith("4.7.")
    assert client.stats.calls == 1 and client.stats.bytes > 0


@pytest.mark.parametrize("token", [TOKEN_V1, TOKEN_V2], ids=["v1", "v2"])
async def test_v1_and_v2_auth(nb_client, token):
    client = nb_client(token)
    assert client._http.headers["Authorization"].split()[0] == (
        "Bearer" if token.startswith("nbt_") else "Token"
    )
    assert (await client.status())["netbox-version"].startswith("4.7.")
    page = await client.page("dcim/sites/", limit=1, brief=True)
    assert page.count == 24


@pytest.mark.parametrize(
    "token",
    [
        "ffffffffffffffffffffffffffffffffffffffff",
        "nbt_Ez6TDRTyTxrV.wrongsecret0123456789abcdefghijklmnopqrstu",
        "nbt_nokey00000.x",
    ],
    ids=["v1", "v2-wrong-secret", "v2-unknown-key"],
)
async def test_rejected_token_is_auth_error(nb_client, token):
    client = nb_client(token)
    with pytest.raises(AuthError) as info:
        await client.page("dcim/sites/", limit=1)
    assert "403" in info.value.message and "token rejected" in info.value.message
    assert token not in str(info.value)
    assert client.stats.calls == 1  # a 403 is not retried


async def test_page_through_all_interfaces(client):
    pages = [p async for p in client.iter_pages("dcim/interfaces/", page_size=500, fields=["id", "name"])]
    assert len(pages) == 4
    assert client.stats.calls == 4  # no extra empty page
    assert [p.offset for p in pages] == [0, 500, 1000, 1500]
    assert all(p.count == INTERFACES for p in pages)
    ids = [r["id"] for p in pages for r in p.results]
    assert len(ids) == INTERFACES and len(set(ids)) == INTERFACES
    assert set(pages[0].results[0]) == {"id", "name"}  # fields= shaped the answer
    assert not pages[-1].has_next and pages[0].has_next


async def test_list_all_interfaces_brief(client):
    rows = await client.list_all("dcim/interfaces/", page_size=1000, brief=True)
    assert len(rows) == INTERFACES and len({r["id"] for r in rows}) == INTERFACES
    assert client.stats.calls == 2


@pytest.mark.parametrize(
    "path,sites", [("dcim/devices/", [1, 2]), ("dcim/devices/", [2, 3]), ("dcim/interfaces/", [2, 3])]
)
async def test_repeated_value_filter_is_the_union(client, path, sites):
    both = await client.list_all(path, {"site_id": sites}, brief=True)
    sent = client.stats.calls
    separate = [await client.list_all(path, {"site_id": s}, brief=True) for s in sites]
    union = set().union(*({r["id"] for r in rows} for rows in separate))
    assert {r["id"] for r in both} == union
    assert len(both) == sum(len(rows) for rows in separate)  # a device sits at one site
    assert union, "the demo data has objects at these sites"
    assert sent == 1  # ?site_id=a&site_id=b: one request


async def test_list_many_chunks_against_gunicorn(client):
    """600 repeated ids would be a request line far over gunicorn's 4094 bytes: the client splits it."""
    everything = await client.list_all("dcim/interfaces/", page_size=1000, fields=["id"])
    ids = sorted(r["id"] for r in everything)[:600]
    before = client.stats.calls
    rows = await client.list_many("dcim/interfaces/", None, "id", ids, fields=["id", "name"])
    assert sorted(r["id"] for r in rows) == ids
    assert client.stats.calls - before >= 2


async def test_bad_filter_value_is_bad_filter_error_with_netboxs_json(client):
    with pytest.raises(BadFilterError) as info:
        await client.page("dcim/sites/", {"region": "connecticut"})
    detail = info.value.detail
    assert isinstance(detail, dict) and "region" in detail
    assert "connecticut is not one of the available choices" in detail["region"][0]
    assert "region:" in info.value.message
    assert client.stats.calls == 1  # a 400 is not retried
    ok = await client.page("dcim/sites/", {"region": "us-ct"}, brief=True)  # the slug works
    assert ok.count >= 1


async def test_unknown_filter_never_reaches_netbox(client):
    with pytest.raises(UnknownFilterError):
        await client.page("dcim/devices/", {"vlan_id": 1})  # NetBox would return every device
    assert client.stats.calls == 0


async def test_missing_object_is_not_found(client):
    with pytest.raises(NotFoundError):
        await client.get("dcim/sites/999999/")


async def test_write_attempt_refused_before_it_leaves_the_client(client):
    site = await client.get("dcim/sites/1/", use_cache=False)
    calls = client.stats.calls
    with pytest.raises(WriteRefusedError):
        await client.request_json(
            "PATCH", "dcim/sites/1/", body={"description": site["description"]}, validate=False
        )
    with pytest.raises(WriteRefusedError):
        await client.request_json("DELETE", "dcim/sites/1/", validate=False)
    with pytest.raises(WriteRefusedError):  # code that goes around request_json meets the transport
        await client._http.delete("/api/dcim/sites/1/")
    with pytest.raises(WriteRefusedError):
        await client._http.post("/api/dcim/sites/", json={"name": "x", "slug": "x"})
    assert client.stats.calls == calls
    after = await client.get("dcim/sites/1/", use_cache=False)
    assert after["id"] == 1 and after["name"] == site["name"]
    assert after["last_updated"] == site["last_updated"]  # nothing touched it


async def test_transport_guard_without_the_client(netbox_url):
    """The raw request would be sent by plain httpx; through the client's transport it never is."""
    from netbox_tui.netbox.client import ReadOnlyTransport

    async with httpx.AsyncClient(
        base_url=netbox_url, transport=ReadOnlyTransport(httpx.AsyncHTTPTransport())
    ) as http:
        ok = await http.get("/api/status/", headers={"Authorization": f"Token {TOKEN_V1}"})
        assert ok.status_code == 200
        with pytest.raises(WriteRefusedError):
            await http.delete("/api/dcim/sites/1/", headers={"Authorization": f"Token {TOKEN_V1}"})


async def test_graphql_post_is_allowed(client):
    data = await client.graphql("{ site_list(filters: {id: {exact: 2}}) { id name } }")
    assert data["site_list"] == [{"id": "2", "name": "DM-Akron"}]


async def test_second_identical_call_is_a_cache_hit(nb_client, tmp_path):
    cache = ResponseCache(tmp_path / "cache", lambda kind: 300)
    client = nb_client(cache=cache)
    first = await client.page("dcim/devices/", {"site_id": 2}, limit=50, kind="device")
    before = client.stats.copy()
    second = await client.page("dcim/devices/", {"site_id": 2}, limit=50, kind="device")
    delta = client.stats.since(before)
    assert delta.calls == 0 and delta.cache_hits == 1 and delta.bytes == 0
    assert second.results == first.results and second.count == first.count == 4


async def test_refresh_and_no_cache_ask_netbox(nb_client, tmp_path):
    directory = tmp_path / "cache"
    warm = nb_client(cache=ResponseCache(directory, lambda kind: 300))
    await warm.page("dcim/sites/", limit=5, brief=True)
    warm.cache.close()
    for mode in (CacheMode.REFRESH, CacheMode.OFF):
        client = nb_client(cache=ResponseCache(directory, lambda kind: 300, mode=mode))
        await client.page("dcim/sites/", limit=5, brief=True)
        assert client.stats.calls == 1 and client.stats.cache_hits == 0, mode


async def test_cache_is_partitioned_by_token(nb_client, tmp_path):
    directory = tmp_path / "cache"
    v1 = nb_client(TOKEN_V1, cache=ResponseCache(directory, lambda kind: 300))
    await v1.page("dcim/sites/", limit=5, brief=True)
    v2 = nb_client(TOKEN_V2, cache=ResponseCache(directory, lambda kind: 300))
    await v2.page("dcim/sites/", limit=5, brief=True)
    assert v2.stats.calls == 1 and v2.stats.cache_hits == 0
