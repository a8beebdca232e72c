"""Every query of queries.py answers the same on the real NetBox and on a snapshot of it."""

from __future__ import annotations

from typing import Any

import pytest

from netbox_tui.errors import NetBoxError
from netbox_tui.netbox.client import NetBoxClient

from .conftest import SNAPSHOT_URL, normalise
from .queries import QUERIES, Q


async def _ask(client: NetBoxClient, query: Q) -> tuple[str, Any]:
    try:
        data = await client.request_json(
            "GET", query.path, query.params, use_cache=False, validate=query.validate
        )
    except NetBoxError as exc:
        return type(exc).__name__, exc.detail
    return "ok", data


def _rows(data: Any) -> list[Any]:
    if isinstance(data, dict) and "results" in data:
        return data["results"]
    return data if isinstance(data, list) else [data]


@pytest.mark.parametrize("query", QUERIES, ids=[x.id for x in QUERIES])
async def test_same_answer(
    query: Q, real_client: NetBoxClient, snap_client: NetBoxClient, netbox_url: str
) -> None:
    real_kind, real = await _ask(real_client, query)
    snap_kind, snap = await _ask(snap_client, query)
    real, snap = normalise(real, netbox_url), normalise(snap, SNAPSHOT_URL)

    expected = {"ok": "ok", "400": "BadFilterError", "404": "NotFoundError", "html404": "NotFoundError"}[
        query.expect
    ]
    assert real_kind == expected, f"the real NetBox answered {real_kind}: {real!r:.300}"
    assert snap_kind == real_kind, f"snapshot: {snap_kind} {snap!r:.300}"
    if query.expect != "ok":
        assert snap == real  # the same error body ({"field": [message]}, {"detail": …} or None for HTML)
        if query.expect in ("400", "404"):
            assert real, "NetBox's error body was empty"
        return

    if query.path == "status/":
        assert snap["netbox-version"] == real["netbox-version"]
        assert snap == {k: real[k] for k in snap}
        return

    if isinstance(real, dict) and "results" in real:
        assert snap["count"] == real["count"]
        assert snap["next"] == real["next"]
        assert snap["previous"] == real["previous"]
    real_rows, snap_rows = _rows(real), _rows(snap)
    if not query.empty:
        assert real_rows, "the query matched nothing on the real NetBox: it would not test anything"
    def ids(rows: list) -> list:
        return [r.get("id") if isinstance(r, dict) else r for r in rows]

    def displays(rows: list) -> list:
        return [r.get("display") if isinstance(r, dict) else None for r in rows]

    def keys(rows: list) -> list:
        return [list(r) if isinstance(r, dict) else None for r in rows]

    assert ids(snap_rows) == ids(real_rows)
    assert displays(snap_rows) == displays(real_rows)
    assert keys(snap_rows) == keys(real_rows)
    assert snap == real
