"""Number fields compared ("more than 4 vcpus", "vid >= 100", "between 200 and 203") and superlatives over a
grouped count ("which rack has the most devices", "top 5 sites by device count"), on the embedded demo.
Expected answers are computed from the demo data file by plain Python, never copied from the tool."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from functools import lru_cache
from typing import Any, AsyncIterator, Optional

import pytest
from _demo import DEMO, parse

from netbox_tui.config import Settings
from netbox_tui.core import ranking
from netbox_tui.core.intent import Intent
from netbox_tui.core.orchestrator import Orchestrator
from netbox_tui.session import Session


@lru_cache(maxsize=1)
def rows() -> dict[str, list[dict[str, Any]]]:
    return json.loads(gzip.decompress(DEMO.read_bytes()))["endpoints"]  # type: ignore[no-any-return]


@pytest.fixture
async def orch() -> AsyncIterator[Orchestrator]:
    session = Session.open(Settings(), demo=True)
    yield session.orchestrator
    await session.aclose()


def _conds(intent: Intent) -> list[tuple[str, str, Any]]:
    return [(c.field, c.op, c.value) for c in intent.conditions]


# -- number fields compared -----------------------------------------------------------------------------


@pytest.mark.parametrize("question,conditions", [
    ("VMs with more than 4 vcpus", [("vcpus", "gt", 4)]),
    ("VMs with over 4 vcpus", [("vcpus", "gt", 4)]),
    ("VMs with at least 4 vcpus", [("vcpus", "gte", 4)]),
    ("VMs with fewer than 2 vcpus", [("vcpus", "lt", 2)]),
    ("VMs with 4 or more vcpus", [("vcpus", "gte", 4)]),
    ("VMs with 2 vcpus or more", [("vcpus", "gte", 2)]),
    ("VMs with 4+ vcpus", [("vcpus", "gte", 4)]),
    ("VMs with exactly 4 vcpus", [("vcpus", "eq", 4)]),
    ("VMs with vcpus of 4 or more", [("vcpus", "gte", 4)]),
    ("VMs with vcpus between 2 and 8", [("vcpus", "gte", 2), ("vcpus", "lte", 8)]),
    ("VMs with between 2 and 4 vcpus", [("vcpus", "gte", 2), ("vcpus", "lte", 4)]),
    ("VMs with memory at most 2048", [("memory", "lte", 2048)]),
    ("VLANs with vid >= 100", [("vid", "gte", 100)]),  # the symbol the tokens drop: never "vid = 100"
    ("VLANs with vid > 100", [("vid", "gt", 100)]),
    ("VLANs with vid != 100", [("vid", "ne", 100)]),
    ("VLANs with vid <> 100", [("vid", "ne", 100)]),  # "<>" holds "<": read whole, never vid < 100
    ("VLANs with vid => 100", [("vid", "gte", 100)]),  # "=>" holds ">": never vid > 100
    ("racks with a height of more than 42", [("u_height", "gt", 42)]),
    ("circuits with commit rate over 10000", [("commit_rate", "gt", 10000)]),  # not also a circuit ID
])
def test_a_number_field_compared_in_any_order(question: str, conditions: list[tuple[str, str, Any]]) -> None:
    intent = parse(question)
    assert _conds(intent) == conditions and intent.not_understood == []


def test_a_symbol_nothing_reads_leaves_the_number_said_never_an_equality() -> None:
    intent = parse("VLANs with vid ~ 100")
    assert intent.conditions == [] and intent.not_understood == ["100"]


def test_plain_values_and_lists_stay_as_they_were() -> None:
    assert _conds(parse("VLANs with VID 100 or 200")) == [("vid", "eq", [100, 200])]
    assert ("vid", "eq", 100) in _conds(parse("VLAN 100 at DM-Akron"))


async def test_number_comparisons_answer_what_the_demo_rows_say(orch: Orchestrator) -> None:
    vlans = rows()["ipam/vlans/"]
    for question, expected in [
        ("VLANs with vid >= 201", sum(1 for v in vlans if v["vid"] >= 201)),
        ("VLANs with fewer than 200 vid", sum(1 for v in vlans if v["vid"] < 200)),
        ("VLANs with a vid between 200 and 203", sum(1 for v in vlans if 200 <= v["vid"] <= 203)),
        ("racks with a height of more than 42", sum(1 for r in rows()["dcim/racks/"] if r["u_height"] > 42)),
    ]:
        ans = await orch.ask(question)
        assert ans.status == "ok", (question, ans.answer)
        assert ans.tables[0].total == expected, question
    assert 0 < sum(1 for v in vlans if v["vid"] >= 201) < len(vlans)  # the filter is what cuts the list


# -- superlatives -------------------------------------------------------------------------------------------


def _read(question: str) -> Optional[tuple[Intent, ranking.Rank]]:
    intent = parse(question)
    return (intent, intent.rank) if intent.rank is not None else None


@pytest.mark.parametrize("question,target,by,order,limit", [
    ("which rack has the most devices", "dcim.device", "rack", "desc", None),
    ("tenant with the most prefixes", "ipam.prefix", "tenant", "desc", None),
    ("which site has the fewest devices", "dcim.device", "site", "asc", None),
    ("top 5 sites by device count", "dcim.device", "site", "desc", 5),
    ("top 3 racks by number of devices", "dcim.device", "rack", "desc", 3),
    ("bottom 3 sites by device count", "dcim.device", "site", "asc", 3),
    ("cluster with the most VMs", "virtualization.virtualmachine", "cluster", "desc", None),
])
def test_a_superlative_is_a_grouped_count_ranked(
    question: str, target: str, by: str, order: str, limit: Optional[int]
) -> None:
    found = _read(question)
    assert found is not None
    intent, rank = found
    assert intent.target == target and intent.aggregate is not None and intent.aggregate.by == by
    assert (rank.order, rank.limit) == (order, limit) and intent.not_understood == []


@pytest.mark.parametrize("question", [
    "which site has the fewest circuits",  # no grouped count of circuits per site: not read, said
    "which site in Ohio has the fewest devices",  # sites with none of Ohio's devices are not listed
    "devices per rack",
])
def test_a_superlative_that_cannot_be_computed_is_not_read(question: str) -> None:
    assert _read(question) is None


def test_the_parser_puts_the_rank_on_the_intent() -> None:
    intent = parse("which rack has the most devices")
    assert intent.rank is not None and intent.rank.order == "desc" and intent.not_understood == []


def _counts(endpoint: str, key: str) -> Counter[str]:
    return Counter(str(r[key]["id"]) for r in rows()[endpoint] if r.get(key))


async def _ranked(orch: Orchestrator, question: str) -> Any:
    """As the question is asked: the parser's rank, applied by the orchestrator."""
    return await orch.ask(question)


async def test_the_rack_with_the_most_devices_names_every_tied_winner(orch: Orchestrator) -> None:
    per_rack = _counts("dcim/devices/", "rack")
    best = max(per_rack.values())
    winners = {k for k, v in per_rack.items() if v == best}
    ans = await _ranked(orch, "which rack has the most devices")
    table = ans.tables[0]
    assert ans.status == "ok" and table.total == len(rows()["dcim/racks/"])  # every rack, zeros too
    assert {str(r["_value"]) for r in table.rows[: len(winners)]} == winners
    assert int(table.rows[len(winners)]["count"]) < best
    assert ans.answer.startswith(f"{len(winners)} tie for the most devices, {best} each")


async def test_top_5_sites_by_device_count(orch: Orchestrator) -> None:
    per_site = _counts("dcim/devices/", "site")
    names = {str(s["id"]): s["name"] for s in rows()["dcim/sites/"]}
    expected = sorted(names, key=lambda k: (-per_site.get(k, 0), names[k].lower()))[:5]
    ans = await _ranked(orch, "top 5 sites by device count")
    assert [str(r["_value"]) for r in ans.tables[0].rows] == expected
    assert [int(r["count"]) for r in ans.tables[0].rows] == [per_site[k] for k in expected]
    assert ans.answer.startswith(f"Top 5 of {len(names)} sites by devices: {names[expected[0]]}")


async def test_fewest_counts_groups_with_none(orch: Orchestrator) -> None:
    per_site = _counts("dcim/devices/", "site")
    empty = {str(s["id"]) for s in rows()["dcim/sites/"] if per_site.get(str(s["id"]), 0) == 0}
    ans = await _ranked(orch, "which site has the fewest devices")
    assert empty and {str(r["_value"]) for r in ans.tables[0].rows[: len(empty)]} == empty
    assert f"{len(empty)} tie for the fewest devices, 0 each" in ans.answer


async def test_objects_with_no_group_are_never_the_winner(orch: Orchestrator) -> None:
    prefixes = rows()["ipam/prefixes/"]
    per_tenant = _counts("ipam/prefixes/", "tenant")
    best_id, best = per_tenant.most_common(1)[0]
    unset = sum(1 for p in prefixes if not p.get("tenant"))
    ans = await _ranked(orch, "tenant with the most prefixes")
    assert all(r.get("_value") is not None for r in ans.tables[0].rows)
    assert str(ans.tables[0].rows[0]["_value"]) == best_id and int(ans.tables[0].rows[0]["count"]) == best
    assert f"Not ranked: {unset} prefixes with no tenant" in ans.answer


async def test_an_answer_that_is_no_grouped_count_is_said_not_ranked(orch: Orchestrator) -> None:
    ans = await orch.ask("devices at DM-Akron")
    out = await ranking.apply(orch, ans, ranking.Rank(order="desc", text="the most"))
    assert out.status == "partial" and "“the most”" in out.answer and out.tables == ans.tables


# -- rows ordered by a field ---------------------------------------------------------------------------------


@pytest.mark.parametrize("question,target,by,order,limit", [
    ("the biggest VM by memory", "virtualization.virtualmachine", "memory", "desc", 1),
    ("the 3 largest VMs by memory", "virtualization.virtualmachine", "memory", "desc", 3),
    ("the VM with the most memory", "virtualization.virtualmachine", "memory", "desc", 1),
    ("newest devices", "dcim.device", "created", "desc", None),
    ("devices most recently added", "dcim.device", "created", "desc", None),
    ("the 2 newest devices", "dcim.device", "created", "desc", 2),
    ("oldest VLANs", "ipam.vlan", "created", "asc", None),
])
def test_a_superlative_on_a_field_orders_the_rows(
    question: str, target: str, by: str, order: str, limit: Optional[int]
) -> None:
    found = _read(question)
    assert found is not None
    intent, rank = found
    assert intent.target == target and intent.aggregate is None and by in intent.attributes
    assert (rank.by, rank.order, rank.limit) == (by, order, limit) and intent.not_understood == []


def test_a_size_netbox_cannot_order_by_is_not_read() -> None:
    assert _read("largest prefix at DM-Akron") is None  # `ordering=mask_length` is ignored by NetBox


async def test_the_newest_devices_by_creation_time(orch: Orchestrator) -> None:
    devices = sorted(rows()["dcim/devices/"], key=lambda d: d["created"], reverse=True)
    ans = await _ranked(orch, "the 2 newest devices")
    assert [r["id"] for r in ans.tables[0].rows] == [d["id"] for d in devices[:2]]
    tied = [d for d in devices[2:] if d["created"] == devices[1]["created"]]
    assert (f"{len(tied)} more tie with" in ans.answer) == bool(tied)
    akron = [d for d in devices if d["site"]["name"] == "DM-Akron"]
    ans = await _ranked(orch, "the newest device at DM-Akron")
    assert [r["id"] for r in ans.tables[0].rows] == [akron[0]["id"]]
    assert akron[0]["created"] > akron[1]["created"]  # a single winner, no tie
