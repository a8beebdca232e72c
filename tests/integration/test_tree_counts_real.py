"""Counts per a group that is a tree, on the real demo NetBox (issue 16: "sites per region" said 72 sites in
14 regions when there are 24: NetBox's site_count on a region holds every descendant region's sites).
Expected counts come from every object read plainly by REST, tallied by its own group."""

from __future__ import annotations

from collections import Counter
from typing import Any, Callable

import pytest

from netbox_tui.core.orchestrator import Orchestrator
from netbox_tui.netbox.client import NetBoxClient

pytestmark = pytest.mark.integration

Client = Callable[..., NetBoxClient]
Rest = Callable[..., Any]


def _tally(rest: Rest, path: str, field: str) -> Counter[str]:
    body = rest(path, {"limit": 1000, "fields": f"id,{field}"})
    assert body["count"] == len(body["results"])
    return Counter((r[field] or {}).get("display", "(none)") for r in body["results"])


@pytest.mark.parametrize("question, path, field", [
    ("how many sites per state", "dcim/sites/", "region"),
    ("sites per region", "dcim/sites/", "region"),
    ("devices per location", "dcim/devices/", "location"),
    ("tenants per tenant group", "tenancy/tenants/", "group"),
])
async def test_each_object_counts_once_in_a_tree(
        nb_client: Client, rest: Rest, question: str, path: str, field: str) -> None:
    want = _tally(rest, path, field)
    ans = await Orchestrator(nb_client()).ask(question)
    assert ans.status == "ok", ans.answer
    got = {r["group"]: int(r["count"].replace(",", "")) for r in ans.tables[0].rows if r["count"] != "0"}
    assert got == dict(want)
    assert ans.answer.startswith(f"{sum(want.values())} ")
