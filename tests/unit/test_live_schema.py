"""The connected NetBox's own schema (issue 17, items 1, 2, 7), against respx: no network.

A fake NetBox "4.8.0-test" whose OpenAPI schema has devices and sites but lacks filters the shipped
4.7.3 schema has (`status`, `serial`); its schema is read once, kept on disk, used, and a filter it
lacks is refused before anything is sent. Custom-field filters pass only when the field exists.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from netbox_tui import schema as nbschema
from netbox_tui.cli import main
from netbox_tui.config import NetBoxProfile, Settings
from netbox_tui.errors import UnknownFilterError
from netbox_tui.netbox.client import NetBoxClient
from netbox_tui.netbox.live_schema import learn
from netbox_tui.schema.generate import generate
from netbox_tui.schema.live import SchemaStore, schema_key
from netbox_tui.session import Session

URL = "http://netbox.test"
TOKEN = "0123456789abcdef0123456789abcdef01234567"
VERSION = "4.8.0-test"
EMPTY = {"count": 0, "next": None, "previous": None, "results": []}


def _list_op(component: str, verbose: str, params: list[dict[str, Any]]) -> dict[str, Any]:
    ref = f"#/components/schemas/Paginated{component}List"
    return {"get": {"description": f"Get a list of {verbose} objects.", "parameters": params,
                    "responses": {"200": {"content": {"application/json": {"schema": {"$ref": ref}}}}}}}


def _param(name: str, typ: str = "string", many: bool = True, **extra: Any) -> dict[str, Any]:
    leaf = {"type": typ, **extra}
    return {"in": "query", "name": name, "schema": {"type": "array", "items": leaf} if many else leaf}


def _component(name: str, props: dict[str, Any]) -> dict[str, dict[str, Any]]:
    item = {"$ref": f"#/components/schemas/{name}"}
    return {name: {"properties": props},
            f"Paginated{name}List": {"properties": {"results": {"type": "array", "items": item}}}}


def trimmed_openapi(plugin: bool = False) -> dict[str, Any]:
    """A NetBox OpenAPI schema of two models: devices filter by name, site and site_id only."""
    status = {"type": "object", "properties": {
        "value": {"type": "string", "enum": ["active", "offline"], "x-spec-enum-id": "e1"},
        "label": {"type": "string", "enum": ["Active", "Offline"]}}}
    paths = {
        "/api/dcim/devices/": _list_op("Device", "device", [
            _param("id", "integer"), _param("name"), _param("name__ic"), _param("site_id", "integer"),
            {**_param("site"), "description": "Site (slug)"}, _param("limit", "integer", False)]),
        "/api/dcim/sites/": _list_op("Site", "site", [_param("id", "integer"), _param("name"),
                                                       _param("slug")]),
        "/api/dcim/devices/{id}/": {"get": {}},
    }
    comps = {**_component("Device", {"id": {"type": "integer"}, "name": {"type": "string"},
                                     "site": {"$ref": "#/components/schemas/BriefSite"}, "status": status,
                                     "serial": {"type": "string"}}),
             **_component("Site", {"id": {"type": "integer"}, "name": {"type": "string"},
                                   "slug": {"type": "string"}}),
             "BriefSite": {"properties": {"id": {}, "name": {}, "slug": {}}}}
    if plugin:
        paths["/api/plugins/bgp/session/"] = _list_op("BGPSession", "BGP session", [
            _param("id", "integer"), _param("name"), _param("site_id", "integer")])
        comps.update(_component("BGPSession", {"id": {"type": "integer"}, "name": {"type": "string"},
                                               "site": {"$ref": "#/components/schemas/BriefSite"}}))
    return {"openapi": "3.0.3", "info": {"version": f"{VERSION} (4.8)"}, "paths": paths,
            "components": {"schemas": comps}}


@pytest.fixture(autouse=True)
def shipped_schema_after():
    """Each test leaves the shipped schema in force, as it found it."""
    yield
    nbschema.use(None)


@pytest.fixture
def fake_netbox():
    """A NetBox reporting VERSION (plugins optional) whose /api/schema/ is `trimmed_openapi`;
    every list endpoint answers empty. `fake_netbox.sent` holds every request."""
    with respx.mock(base_url=URL, assert_all_called=False, assert_all_mocked=True) as router:
        router.plugins = {}  # type: ignore[attr-defined]
        router.sent = []  # type: ignore[attr-defined]

        def answer(request: httpx.Request) -> httpx.Response:
            router.sent.append(request)  # type: ignore[attr-defined]
            path = request.url.path
            if path == "/api/status/":
                return httpx.Response(200, json={"netbox-version": VERSION, "plugins": router.plugins})
            if path == "/api/schema/":
                return httpx.Response(200, json=trimmed_openapi(plugin=bool(router.plugins)))
            if path == "/graphql/":
                return httpx.Response(200, json={"errors": [{"message": "GraphQL is disabled here"}]})
            if path == "/api/extras/custom-fields/":
                return httpx.Response(200, json={"count": 1, "next": None, "previous": None, "results": [
                    {"id": 1, "name": "warranty", "type": {"value": "text"},
                     "object_types": ["dcim.device"]}]})
            return httpx.Response(200, json=EMPTY)

        router.route().mock(side_effect=answer)
        yield router


def _settings(tmp_path: Path) -> Settings:
    return Settings.model_validate({"netbox": {"default": {"url": URL, "token": TOKEN}},
                                    "cache": {"dir": str(tmp_path / "cache")}})


def _paths(router: Any) -> list[str]:
    return [r.url.path for r in router.sent]


# -- the generator -------------------------------------------------------------------------------------


def test_generator_reads_models_filters_choices_and_plugins() -> None:
    doc = generate(trimmed_openapi(plugin=True), None, netbox_version=VERSION,
                   plugins={"netbox_bgp": "0.20.2"})
    assert doc["netbox_version"] == VERSION
    device = doc["models"]["dcim.device"]
    assert device["path"] == "dcim/devices/" and device["label"] == "name"
    assert device["fields"]["site"] == {"t": "fk", "to": "dcim.site"}
    assert device["fields"]["status"] == {"t": "choice", "enum": "e1"}
    assert doc["choices"]["e1"] == [["active", "Active"], ["offline", "Offline"]]
    assert set(device["filters"]) == {"id", "name", "site_id", "site"}  # `limit` is paging, not a filter
    assert device["filters"]["name"]["lookups"] == ["ic"]
    assert device["filters"]["site"] == {"t": "ref", "to": "dcim.site", "key": "slug", "multi": True,
                                         "desc": "Site (slug)"}
    # A plugin's endpoint is a model like any other, named after the plugin's app.
    bgp = doc["models"]["netbox_bgp.bgpsession"]
    assert bgp["path"] == "plugins/bgp/session/" and bgp["verbose"] == "BGP session"
    assert bgp["filters"]["site_id"]["to"] == "dcim.site"
    assert "graphql" not in device  # no introspection: names are read over REST


def test_shipped_file_is_what_the_generator_makes_of_its_own_data() -> None:
    """The shipped document round-trips through Schema (what a snapshot and the store carry)."""
    shipped = nbschema.shipped()
    again = nbschema.Schema(json.loads(json.dumps(shipped.document())))
    assert again.names == shipped.names
    assert again.model("dcim.device").param_names == shipped.model("dcim.device").param_names


# -- the store ------------------------------------------------------------------------------------------


def test_store_keys_by_url_version_and_plugins(tmp_path: Path) -> None:
    store = SchemaStore(tmp_path)
    doc = generate(trimmed_openapi(), None, netbox_version=VERSION)
    assert schema_key(URL, VERSION, {}) != schema_key(URL, VERSION, {"netbox_bgp": "0.20.2"})
    assert schema_key(URL, VERSION, {}) != schema_key("http://other", VERSION, {})
    assert store.get(URL, VERSION, {}) is None
    stored = store.put(URL, VERSION, {}, doc)
    assert store.get(URL, VERSION, {}).schema.names == ["dcim.device", "dcim.site"]
    assert store.get(URL, VERSION, {"netbox_bgp": "0.20.2"}) is None
    assert store.last(URL).version == VERSION and store.last("http://other") is None
    stored.path.write_bytes(b"not gzip")  # a damaged file is read again from NetBox, not trusted
    assert store.get(URL, VERSION, {}) is None


# -- learning the schema, keeping it, using it ------------------------------------------------------------


async def test_own_schema_is_read_once_kept_and_used(fake_netbox: Any, tmp_path: Path) -> None:
    lines: list[str] = []
    session = Session.open(_settings(tmp_path))
    try:
        assert await session.learn_schema(lines.append) is None
        assert _paths(fake_netbox).count("/api/schema/") == 1
        assert any("reading the schema of NetBox 4.8.0-test" in line for line in lines)  # progress said
        assert nbschema.load().names == ["dcim.device", "dcim.site"]
        assert session.source == {"kind": "netbox", "url": URL, "version": VERSION, "schema": "own"}
    finally:
        await session.aclose()
    nbschema.use(None)
    again = Session.open(_settings(tmp_path))
    try:
        await again.learn_schema()
        assert _paths(fake_netbox).count("/api/schema/") == 1  # from disk: not read again
        assert nbschema.load().names == ["dcim.device", "dcim.site"]
    finally:
        await again.aclose()


async def test_a_filter_the_connected_netbox_lacks_is_never_sent(fake_netbox: Any, tmp_path: Path) -> None:
    """The shipped 4.7.3 schema has devices' `status` and `serial` filters; this NetBox has not."""
    assert nbschema.shipped().model("dcim.device").accepts("status")
    session = Session.open(_settings(tmp_path))
    try:
        await session.learn_schema()
        client = session.backend.client
        for name in ("status", "serial"):
            with pytest.raises(UnknownFilterError):
                await client.page("dcim/devices/", {name: "active"})
        await client.page("dcim/devices/", {"name__ic": "rtr"})  # one it has is sent
        answer = await session.orchestrator.ask("active devices")
    finally:
        await session.aclose()
    device_queries = [r.url.params for r in fake_netbox.sent if r.url.path == "/api/dcim/devices/"]
    assert device_queries and any(q.get("name__ic") == "rtr" for q in device_queries)
    sent_names = {name for q in device_queries for name in q.keys()}
    assert not sent_names & {"status", "serial"}, device_queries
    # With no status filter, "active" is no value this NetBox filters on: said, and the answer is partial
    # (with the shipped schema it would have been sent as status=active and ignored by this NetBox).
    assert answer.status == "partial" and answer.interpretation is not None
    assert answer.interpretation.not_understood == ["active"] and "active" in answer.answer


async def test_custom_field_filters_pass_only_when_the_field_exists(fake_netbox: Any, tmp_path: Path) -> None:
    session = Session.open(_settings(tmp_path))
    try:
        await session.learn_schema()
        client = session.backend.client
        await client.page("dcim/devices/", {"cf_warranty": "gold"})
        await client.page("dcim/devices/", {"cf_warranty__ic": "gol"})
        for params in ({"cf_nothere": "1"}, {"cf_warranty__gte": "3"}):
            with pytest.raises(UnknownFilterError):
                await client.page("dcim/devices/", params)
        with pytest.raises(UnknownFilterError):  # the field is a device's, not a site's
            await client.page("dcim/sites/", {"cf_warranty": "gold"})
    finally:
        await session.aclose()
    sent = [r.url.query.decode() for r in fake_netbox.sent if r.url.path.startswith("/api/dcim/")]
    assert sum("cf_warranty=gold" in q for q in sent) == 1
    assert sum("cf_warranty__ic=gol" in q for q in sent) == 1
    assert not any("cf_nothere" in q or "__gte" in q for q in sent)
    assert _paths(fake_netbox).count("/api/extras/custom-fields/") == 1  # read once, then cached


async def test_plugin_models_are_known_from_the_live_schema(fake_netbox: Any, tmp_path: Path) -> None:
    fake_netbox.plugins = {"netbox_bgp": "0.20.2"}
    session = Session.open(_settings(tmp_path))
    try:
        await session.learn_schema()
        model = nbschema.load().by_path("/api/plugins/bgp/session/")
        assert model is not None and model.name == "netbox_bgp.bgpsession"
        await session.backend.client.page("plugins/bgp/session/", {"site_id": 3})
    finally:
        await session.aclose()
    assert any(r.url.path == "/api/plugins/bgp/session/" for r in fake_netbox.sent)


async def test_unreadable_schema_falls_back_to_the_shipped_one_and_says_so(tmp_path: Path) -> None:
    with respx.mock(base_url=URL, assert_all_called=False) as router:
        router.get("/api/status/").respond(200, json={"netbox-version": VERSION, "plugins": {}})
        router.get("/api/schema/").respond(403, json={"detail": "You do not have permission."})
        session = Session.open(_settings(tmp_path))
        try:
            note = await session.learn_schema()
        finally:
            await session.aclose()
    assert note and "could not be read" in note and "4.7.3" in note
    assert nbschema.load() is nbschema.shipped()
    assert session.source["schema"] == "fallback"


async def test_status_unreachable_uses_the_schema_last_read_from_that_url(fake_netbox: Any,
                                                                          tmp_path: Path) -> None:
    client = NetBoxClient(NetBoxProfile(url=URL, token=TOKEN))
    store = SchemaStore(tmp_path / "schemas")
    try:
        first = await learn(client, store)
        assert first.origin == "own"
        fake_netbox.routes.clear()
        fake_netbox.route().mock(side_effect=httpx.ConnectError("down"))
        down = await learn(client, store)
    finally:
        await client.aclose()
    assert down.origin == "own" and down.schema.names == first.schema.names and down.note is None


async def test_background_read_answers_with_the_shipped_schema_meanwhile(fake_netbox: Any,
                                                                          tmp_path: Path) -> None:
    session = Session.open(_settings(tmp_path))
    try:
        note = await session.learn_schema(read=False)
        assert note and "background" in note and nbschema.load() is nbschema.shipped()
        assert "/api/schema/" not in _paths(fake_netbox)
        assert await session.read_schema() is None
        assert nbschema.load().names == ["dcim.device", "dcim.site"]
    finally:
        await session.aclose()


# -- snapshots carry their schema; the source is always said ---------------------------------------------


def test_a_snapshot_answers_with_the_schema_it_carries(tmp_path: Path) -> None:
    from netbox_tui.backend import demo_snapshot_path
    from netbox_tui.netbox.snapshot import load_snapshot, write_snapshot

    data = load_snapshot(demo_snapshot_path())
    doc = nbschema.shipped().document()
    data["schema"] = {**doc, "models": {k: v for k, v in doc["models"].items() if k != "dcim.powerfeed"}}
    path = tmp_path / "lab.nbsnap"
    write_snapshot(path, data)
    session = Session.open(Settings(), snapshot=path)
    assert "dcim.powerfeed" not in nbschema.load().names and "dcim.device" in nbschema.load().names
    assert session.source["kind"] == "snapshot" and session.source["schema"] == "snapshot"
    assert session.source_line.startswith(f"snapshot of {data['url']} taken {data['taken_at'][:10]}")
    Session.open(Settings(), demo=True)  # the demo carries none: the shipped one
    assert nbschema.load() is nbschema.shipped()


def test_ask_json_says_the_source(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "VLANs at DM-Akron", "--json", "--demo"]) == 0
    out = json.loads(capsys.readouterr().out)
    source = out["source"]
    assert source["kind"] == "demo" and source["version"] == "4.7.3"
    assert source["taken_at"] and "url" not in source


@pytest.mark.parametrize("with_file", [False, True])
def test_an_unknown_profile_is_a_config_error(with_file: bool, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--profile", "prod", "ask", "devices", "--json"]
    if with_file:
        cfg = tmp_path / "config.toml"
        cfg.write_text('[netbox.lab]\nurl = "http://127.0.0.1:8000"\n', encoding="utf-8")
        args = ["--config", str(cfg), *args]
    assert main(args) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "error" and out["error"]["kind"] == "config"
    assert "'prod'" in out["error"]["message"]


async def test_mcp_query_refuses_a_filter_the_connected_netbox_lacks(fake_netbox: Any,
                                                                     tmp_path: Path) -> None:
    from netbox_tui.mcp.service import Tools

    session = Session.open(_settings(tmp_path))
    tools = Tools(session)
    try:
        refused = await tools.call("query", {"model": "dcim.device",
                                             "conditions": [{"field": "status", "value": "active"}]})
        taken = await tools.call("query", {"model": "dcim.device",
                                           "conditions": [{"field": "name", "op": "ic", "value": "rtr"}]})
    finally:
        await session.aclose()
    assert refused.is_error and "status" in refused.text, refused.text
    assert not taken.is_error, taken.text
    assert taken.meta["source"] == {"kind": "netbox", "url": URL, "version": VERSION, "schema": "own"}
    sent = [r.url.params for r in fake_netbox.sent if r.url.path == "/api/dcim/devices/"]
    assert sent and not any("status" in q for q in sent) and any(q.get("name__ic") == "rtr" for q in sent)


async def test_snapshot_save_writes_the_schema_of_the_netbox_it_reads(tmp_path: Path) -> None:
    import io

    from netbox_tui.backend import demo_snapshot_path, open_backend
    from netbox_tui.netbox.snapshot import describe_snapshot, load_snapshot
    from netbox_tui.netbox.snapshot_save import run_save

    client = open_backend(Settings(), demo=True).client  # a NetBox 4.7.3 (the demo data) through the client
    target = tmp_path / "copy.nbsnap"
    assert await run_save(Settings(), target, stream=io.StringIO(), client=client) == 0
    saved = load_snapshot(target)
    assert saved["schema"] == nbschema.shipped().document()  # stock 4.7.3: the shipped schema is its own
    demo = load_snapshot(demo_snapshot_path())
    def fields(doc: dict[str, Any]) -> list[tuple[str, list[str]]]:  # its custom fields, carried
        return [(f["name"], f["object_types"]) for f in doc["endpoints"]["extras/custom-fields/"]]

    assert fields(saved) == fields(demo) == [("cust_id", ["tenancy.tenant"])]
    assert "carries the schema of that NetBox: 129 models" in describe_snapshot(target)
