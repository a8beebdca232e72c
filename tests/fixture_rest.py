"""Plain REST reads on the fixture NetBox: the hand-written side of tests/integration/fixture/."""

from __future__ import annotations

from typing import Any, Iterable

import httpx

Pairs = Iterable[tuple[str, Any]]


def rows(c: httpx.Client, path: str, params: Pairs = (), **kw: Any) -> list[dict[str, Any]]:
    """Every object of `path` matching the parameters (pairs, or keywords; a list value repeats the
    parameter): one page of up to 1000; the test fails if there would be more rather than compare a part."""
    pairs = [*params, *((k, v) for k, vs in kw.items() for v in (vs if isinstance(vs, list) else [vs]))]
    resp = c.get(path, params=[*pairs, ("limit", 1000)])
    resp.raise_for_status()
    body = resp.json()
    assert body["next"] is None, f"{path} has more than 1000 matches: narrow the query"
    return body["results"]


def ids(c: httpx.Client, path: str, params: Pairs = (), **kw: Any) -> set[int]:
    """The ids of `rows` (brief objects)."""
    return {r["id"] for r in rows(c, path, params, brief=1, **kw)}


def count(c: httpx.Client, path: str, **kw: Any) -> int:
    """How many objects of `path` match (NetBox's own count)."""
    resp = c.get(path, params={**kw, "limit": 1, "brief": 1})
    resp.raise_for_status()
    return int(resp.json()["count"])
