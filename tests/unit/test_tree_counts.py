"""Counts per a group that is a tree (issue 16: "sites per region" said 72 sites when there are 24): NetBox's
count on a region holds every descendant's, so each group's own count is its count less its children's.
Checked on the embedded demo against the same objects tallied plainly, one by one."""

from __future__ import annotations

from collections import Counter
from typing import AsyncIterator

import pytest

from netbox_tui.config import Settings
from netbox_tui.core.planner import own_counts
from netbox_tui.session import Session


@pytest.fixture
async def session() -> AsyncIterator[Session]:
    s = Session.open(Settings(), demo=True)
    yield s
    await s.aclose()


def test_a_groups_own_count_is_its_count_less_its_childrens() -> None:
    world = {"id": 1, "parent": None, "n": 5}
    land = {"id": 2, "parent": {"id": 1}, "n": 4}
    town = {"id": 3, "parent": {"id": 2}, "n": 3}
    got = [n for _, n in own_counts([world, land, town], "n", tree=True)]
    assert got == [1, 1, 3] and sum(got) == 5


def test_flat_groups_keep_netboxs_counts() -> None:
    rows = [{"id": 1, "parent": None, "n": 2}, {"id": 2, "parent": {"id": 1}, "n": 3}]
    assert [n for _, n in own_counts(rows, "n", tree=False)] == [2, 3]


async def _tally(session: Session, path: str, field: str) -> Counter[str]:
    tally: Counter[str] = Counter()
    for row in await session.orchestrator.client.list_all(path, {}, fields=["id", field]):
        group = row.get(field)
        tally[group["display"] if isinstance(group, dict) else "(none)"] += 1
    return tally


@pytest.mark.parametrize("question, path, field", [
    ("how many sites per region", "dcim/sites/", "region"),
    ("devices per location", "dcim/devices/", "location"),
    ("racks per location", "dcim/racks/", "location"),
    ("tenants per tenant group", "tenancy/tenants/", "group"),
])
async def test_counts_per_a_tree_count_each_object_once(
        session: Session, question: str, path: str, field: str) -> None:
    ans = await session.orchestrator.ask(question)
    assert ans.status == "ok", ans.answer
    got = {r["group"]: int(r["count"].replace(",", "")) for r in ans.tables[0].rows if r["count"] != "0"}
    want = await _tally(session, path, field)
    assert got == dict(want)
    assert ans.answer.startswith(f"{sum(want.values())} ")
