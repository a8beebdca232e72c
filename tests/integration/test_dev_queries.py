"""../shared/queries/dev.yaml end to end against the real NetBox, each question with a cold cache."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from netbox_tui.core.orchestrator import Orchestrator

DEV = Path(__file__).resolve().parents[3] / "shared" / "queries" / "dev.yaml"
QUERIES = yaml.safe_load(DEV.read_text())["queries"] if DEV.exists() else []

# What the `note` of some questions asks the answer to say.
NOTE_CHECKS = {
    "where is 172.16.0.5": ["Alpha"],
    "show device core-router-99": ["No device", "Closest"],
    "VLANs with their devices and interfaces": ["63 VLANs"],
}


def test_dev_yaml_is_present() -> None:
    assert QUERIES, f"{DEV} missing or empty: CI clones the project with ../shared beside it"


@pytest.mark.parametrize("case", QUERIES, ids=[q["question"] for q in QUERIES])
async def test_dev_question(nb_client, case: dict) -> None:
    expect = case["expect"]
    client = nb_client()  # no cache: every question is asked cold
    answer = await Orchestrator(client).ask(case["question"])
    assert answer.status in ("ok", "partial"), answer.answer
    table = answer.tables[0]
    assert table.object_type == expect["object_type"]
    if "total" in expect:
        assert table.total == expect["total"], answer.answer
    shown = {r["display"] for r in table.rows}
    if "display" in expect:
        assert shown == set(expect["display"])
    if "contains" in expect:
        assert set(expect["contains"]) <= shown
    assert answer.stats.api_calls <= expect["max_api_calls_cold"], answer.plan.steps
    assert len(table.rows) <= 25  # a first page, never everything
    for word in NOTE_CHECKS.get(case["question"], []):
        assert word in answer.answer


async def test_cable_trace_reaches_the_circuit(nb_client) -> None:
    answer = await Orchestrator(nb_client()).ask("what is connected to dmi01-yonkers-rtr01 GigabitEthernet0/0/0")
    far_ends = " ".join(r["far"] for r in answer.tables[0].rows)
    assert "Termination" in far_ends  # the first hop ends on a circuit termination
    assert any(p in answer.answer + far_ends for p in ("Level3", "Level 3", "CenturyLink"))


async def test_vlan_topology_is_batched(nb_client) -> None:
    """63 VLANs with their interfaces and devices: the naive pattern costs 1 + 2 x 63 = 127 calls."""
    answer = await Orchestrator(nb_client()).ask("VLANs with their devices and interfaces")
    assert answer.tables[0].total == 63
    assert answer.stats.api_calls <= 6


async def test_warm_cache_costs_no_calls(nb_client, tmp_path) -> None:
    from netbox_tui.config import DEFAULT_TTL
    from netbox_tui.netbox.cache import ResponseCache

    cache = ResponseCache(tmp_path / "c", lambda kind: DEFAULT_TTL.get(kind, 300))
    first = await Orchestrator(nb_client(cache=cache)).ask("devices at dm akron")
    again = await Orchestrator(nb_client(cache=cache)).ask("devices at dm akron")
    assert first.stats.api_calls > 0
    assert again.stats.api_calls == 0 and again.stats.cache_hits == first.stats.api_calls
    assert [r["id"] for r in again.tables[0].rows] == [r["id"] for r in first.tables[0].rows]


async def test_next_page_and_summary(nb_client) -> None:
    orch = Orchestrator(nb_client())
    answer = await orch.ask("interfaces on ncsu-coreswitch1")
    table = answer.tables[0]
    assert (table.total, len(table.rows)) == (64, 25)
    nxt = await orch.page(table, 25)
    assert len(nxt.rows) == 25 and nxt.offset == 25
    assert not {r["id"] for r in nxt.rows} & {r["id"] for r in table.rows}
    summary = await orch.summary(table)
    by_enabled = {r["value"]: r["count"] for r in summary.rows if r["dimension"] == "enabled"}
    assert sum(int(v.replace(",", "")) for v in by_enabled.values()) == 64
