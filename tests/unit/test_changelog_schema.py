"""The change log's model comes from NetBox's schema (issue 17, item 6 follow-up), offline.

The generator keeps, of NetBox's `core` app, only the change log: the other core models would turn the
`object_type` filters of extras and tenancy into references. The shipped schema's `core.objectchange`
takes every filter the tool sends, the client refuses one it lacks, and the emulator answers a snapshot
holding a change log with those filters (none is saved: the embedded demo says it holds none).
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from netbox_tui import schema as nbschema
from netbox_tui.config import NetBoxProfile
from netbox_tui.errors import UnknownFilterError
from netbox_tui.netbox.client import NetBoxClient
from netbox_tui.netbox.emulator import SnapshotTransport
from netbox_tui.netbox.snapshot import snapshot_endpoints
from netbox_tui.schema.generate import generate

URL = "http://netbox.test"
CHANGES = "core/object-changes/"


def _list(component: str, description: str, params: list[str]) -> dict[str, Any]:
    ref = f"#/components/schemas/Paginated{component}List"
    return {"get": {"description": description,
                    "parameters": [{"in": "query", "name": n, "schema": {"type": "string"}} for n in params],
                    "responses": {"200": {"content": {"application/json": {"schema": {"$ref": ref}}}}}}}


def _component(name: str, props: dict[str, Any]) -> dict[str, Any]:
    item = {"$ref": f"#/components/schemas/{name}"}
    return {name: {"properties": props},
            f"Paginated{name}List": {"properties": {"results": {"type": "array", "items": item}}}}


def test_the_generator_keeps_of_core_only_the_change_log() -> None:
    text = {"type": "string"}
    doc = {
        "info": {"version": "4.7.3"},
        "paths": {
            "/api/core/object-changes/": _list(
                "ObjectChange", "Retrieve a list of recent changes.", ["user_name", "time_after"]
            ),
            "/api/core/object-types/": _list("ObjectType", "Read-only list of ObjectTypes.", ["model"]),
            "/api/core/jobs/": _list("Job", "Retrieve a list of job results", ["name"]),
            "/api/tenancy/contact-assignments/": _list(
                "ContactAssignment", "Get a list of contact assignment objects.", ["object_type", "object_id"]
            ),
        },
        "components": {
            "schemas": {
                **_component("ObjectChange", {"id": {"type": "integer"}, "user_name": text}),
                **_component("ObjectType", {"id": {"type": "integer"}, "model": text}),
                **_component("Job", {"id": {"type": "integer"}, "name": text}),
                **_component("ContactAssignment", {"id": {"type": "integer"}, "object_type": text}),
            }
        },
    }
    models = generate(doc)["models"]
    assert sorted(models) == ["core.objectchange", "tenancy.contactassignment"]
    assert models["core.objectchange"]["path"] == CHANGES
    assert sorted(models["core.objectchange"]["filters"]) == ["time_after", "user_name"]
    # with core.objecttype a model, `object_type` would be a reference to it, not "app_label.model" text
    assert models["tenancy.contactassignment"]["filters"]["object_type"]["t"] == "str"


def test_the_shipped_change_log_takes_the_filters_the_tool_sends() -> None:
    model = nbschema.load().model("core.objectchange")
    sent = {"user_name", "action", "changed_object_type", "changed_object_id", "related_object_type",
            "related_object_id", "time_after", "time_before"}
    assert model.path == CHANGES and sent <= set(model.filters)
    assert [c.value for c in model.choices("action")] == ["create", "update", "delete"]
    assert CHANGES not in snapshot_endpoints()  # no GraphQL list: no snapshot saves the change log


async def test_the_client_refuses_a_change_log_filter_the_schema_lacks() -> None:
    client = NetBoxClient(NetBoxProfile(url=URL), transport=SnapshotTransport({"endpoints": {}}))
    try:
        with pytest.raises(UnknownFilterError, match="user_nam"):
            await client.request_json("GET", CHANGES, [("user_nam", "dwight")])
    finally:
        await client.aclose()


def _change(pk: int, time: str, user: str, action: str, kind: str, obj: int) -> dict[str, Any]:
    return {"id": pk, "display": f"change {pk}", "time": time, "user_name": user,
            "action": {"value": action, "label": action.title()}, "changed_object_type": kind,
            "changed_object_id": obj, "prechange_data": None, "postchange_data": {"name": "x"}}


ROWS = [
    _change(1, "2026-12-07T09:00:00.000000Z", "dwight", "create", "ipam.vlan", 4),
    _change(2, "2026-12-08T09:00:00.000000Z", "admin", "update", "dcim.device", 19),
    _change(3, "2026-12-09T09:00:00.000000Z", "dwight", "delete", "dcim.device", 19),
]


def _ask(query: str) -> httpx.Response:
    transport = SnapshotTransport({"endpoints": {CHANGES: ROWS}})
    return transport.handle(httpx.Request("GET", f"{URL}/api/{CHANGES}?{query}"))


@pytest.mark.parametrize("query,want", [
    ("time_after=2026-12-08T00:00:00Z", [2, 3]),
    ("time_before=2026-12-08T09:00:00Z", [1, 2]),  # inclusive, as NetBox's range filter
    ("changed_object_type=DCIM.Device&changed_object_id=19&action=delete", [3]),
    ("user_name=dwight&time_after=2026-12-07T00:00:00Z&limit=1000&ordering=-time", [3, 1]),
    ("related_object_type=dcim.device&related_object_id=19", []),  # REST rows carry no related object
])
def test_the_emulator_answers_a_change_log_with_the_tools_filters(query: str, want: list[int]) -> None:
    got = _ask(query)
    assert got.status_code == 200 and [r["id"] for r in got.json()["results"]] == want


def test_the_emulator_refuses_what_netbox_refuses() -> None:
    assert _ask("time_after=monday").json() == {"time_after": ["Enter a valid date/time."]}
    assert _ask("action=renamed").status_code == 400
