"""The connected NetBox's own schema on the real NetBox 4.7.3 (issue 17, items 1 and 7).

Its /api/schema/ is read (once, about 10 s), generated with the same generator as the shipped file,
kept on disk and used; for stock 4.7.3 it equals the shipped schema exactly. The fixture NetBox
(NETBOX_FIXTURE_URL) with the netbox-bgp plugin: its plugin's models are known from its own schema.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from netbox_tui import schema as nbschema
from netbox_tui.config import NetBoxProfile
from netbox_tui.netbox.client import NetBoxClient
from netbox_tui.netbox.live_schema import learn
from netbox_tui.schema.live import SchemaStore

TOKEN = "0123456789abcdef0123456789abcdef01234567"


@pytest.fixture(autouse=True)
def shipped_schema_after():
    yield
    nbschema.use(None)


async def test_own_schema_of_stock_4_7_3_is_read_kept_and_equals_the_shipped_one(netbox_url: str,
                                                                                  tmp_path: Path) -> None:
    store = SchemaStore(tmp_path)
    client = NetBoxClient(NetBoxProfile(url=netbox_url, token=TOKEN))
    lines: list[str] = []
    try:
        plain = await learn(client, store)
        assert plain.origin == "shipped-same" and plain.version == "4.7.3"  # stock 4.7.3: nothing to read
        read = await learn(client, store, report=lines.append, force=True)
        kept = await learn(client, store)  # now on disk for this URL, version and plugin set
    finally:
        await client.aclose()
    assert read.origin == "own" and kept.origin == "own" and any("reading the schema" in x for x in lines)
    assert any("schema read in" in x for x in lines)
    assert read.schema.document() == nbschema.shipped().document()  # the generator is the shipped file's
    assert kept.schema.document() == read.schema.document()
    assert len(list(tmp_path.glob("*.json.gz"))) == 1


def _ask(url: str, question: str, cache_home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NETBOX_URL": url, "NETBOX_TOKEN": TOKEN, "XDG_CACHE_HOME": str(cache_home)}
    return subprocess.run([sys.executable, "-m", "netbox_tui", "ask", question, "--json"],
                          capture_output=True, text=True, env=env, timeout=180)


def test_ask_json_names_the_netbox_it_answered_from(netbox_url: str, tmp_path: Path) -> None:
    out = _ask(netbox_url, "devices at dm akron", tmp_path)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["source"] == {"kind": "netbox", "url": netbox_url, "version": "4.7.3", "schema": "shipped"}


def _fixture_plugins(url: str) -> dict[str, Any]:
    resp = httpx.get(f"{url}/api/status/", headers={"Authorization": f"Token {TOKEN}"}, timeout=10)
    return resp.json().get("plugins") or {}


def test_plugin_models_of_the_fixture_netbox_are_known_from_its_schema(tmp_path: Path) -> None:
    url = os.environ.get("NETBOX_FIXTURE_URL", "").rstrip("/")
    if not url:
        pytest.skip("NETBOX_FIXTURE_URL is not set (scripts/test starts the fixture NetBox)")
    if "netbox_bgp" not in _fixture_plugins(url):
        pytest.skip(f"netbox-bgp is not installed in the fixture NetBox at {url}")
    out = _ask(url, "BGP sessions", tmp_path)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["source"]["schema"] == "own" and data["status"] == "ok", data
    table = data["tables"][0]
    direct = httpx.get(f"{url}/api/plugins/bgp/session/?limit=1", headers={"Authorization": f"Token {TOKEN}"},
                       timeout=30).json()["count"]
    assert table["object_type"] == "netbox_bgp.bgpsession" and table["total"] == direct
    assert direct == 5  # tests/data/fixture-seed.json: the five sessions netbox-bgp holds
    active = json.loads(_ask(url, "active BGP sessions at DM-Stamford", tmp_path).stdout)
    filters = [c["filter"] for c in active["interpretation"]["conditions"]]
    assert active["status"] == "ok" and active["tables"][0]["total"] == 1, active
    assert sorted(filters) == ["site_id=11", "status=active"]  # the plugin's own filters, from its schema
    again = _ask(url, "BGP sessions", tmp_path)  # the schema is kept: not read again
    assert "reading the schema" not in again.stderr
    assert json.loads(again.stdout)["tables"][0]["total"] == table["total"]


async def test_custom_field_filters_of_the_fixture_netbox(tmp_path: Path) -> None:
    """cf_ filters pass only for a custom field the model has there (fixture-data.md: support_tier,
    warranty_end on devices), with a lookup of its type; others are refused before anything is sent."""
    from netbox_tui.errors import UnknownFilterError

    url = os.environ.get("NETBOX_FIXTURE_URL", "").rstrip("/")
    if not url:
        pytest.skip("NETBOX_FIXTURE_URL is not set (scripts/test starts the fixture NetBox)")
    client = NetBoxClient(NetBoxProfile(url=url, token=TOKEN))
    try:
        fields = (await client.custom_fields()).get("dcim.device", {})
        if "support_tier" not in fields:
            pytest.skip(f"the fixture NetBox at {url} has no custom fields seeded yet")
        gold = await client.page("dcim/devices/", {"cf_support_tier": "gold"}, limit=1)
        every = await client.page("dcim/devices/", {}, limit=1)
        assert 0 < gold.count < every.count  # NetBox applied it
        await client.page("dcim/devices/", {"cf_warranty_end__lt": "2030-01-01"}, limit=1)
        calls = client.stats.calls
        for params in ({"cf_no_such_field": "x"}, {"cf_warranty_end__ic": "20"}):
            with pytest.raises(UnknownFilterError):
                await client.page("dcim/devices/", params, limit=1)
        assert client.stats.calls == calls  # refused: nothing sent (the custom fields were read once)
    finally:
        await client.aclose()
