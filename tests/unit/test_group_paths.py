"""Counts per a model one hop away, found in the schema (issue 16: "VMs per cluster group", "devices per
region"): no vocabulary line and no code per model. Checked on the embedded demo against the same data
read plainly (every VM with its cluster, every cluster with its group)."""

from __future__ import annotations

from collections import Counter
from typing import AsyncIterator

import pytest

from netbox_tui.config import Settings
from netbox_tui.core.parser import Parser
from netbox_tui.session import Session


@pytest.fixture
async def session() -> AsyncIterator[Session]:
    s = Session.open(Settings(), demo=True)
    yield s
    await s.aclose()


@pytest.mark.parametrize("question, by", [
    ("virtual machines per cluster group", "cluster.group"),
    ("devices per region", "site.region"),
    ("interfaces per device type", "device.device_type"),
])
def test_the_path_comes_from_the_schema(question: str, by: str) -> None:
    intent = Parser().parse(question)
    assert intent.aggregate is not None and intent.aggregate.by == by and not intent.not_understood


def test_no_path_when_the_schema_has_several() -> None:
    """Circuits reach regions through either termination's site: no single path, so no guess."""
    intent = Parser().parse("circuits per region")
    assert intent.aggregate is None and "region" in intent.not_understood


async def _counts(session: Session, path: str, field: str, hop_path: str, hop: str) -> Counter[str]:
    client = session.orchestrator.client
    hops = {o["id"]: o.get(hop) for o in await client.list_all(hop_path, {}, fields=["id", hop])}
    tally: Counter[str] = Counter()
    for row in await client.list_all(path, {}, fields=["id", field]):
        group = hops.get(row[field]["id"]) if isinstance(row.get(field), dict) else None
        tally[group["display"] if isinstance(group, dict) else "(none)"] += 1
    return tally


@pytest.mark.parametrize("question, path, field, hop_path, hop", [
    ("virtual machines per cluster group", "virtualization/virtual-machines/", "cluster",
     "virtualization/clusters/", "group"),
    ("devices per region", "dcim/devices/", "site", "dcim/sites/", "region"),
])
async def test_counts_per_a_model_one_hop_away_match_the_data(
        session: Session, question: str, path: str, field: str, hop_path: str, hop: str) -> None:
    ans = await session.orchestrator.ask(question)
    assert ans.status == "ok", ans.answer
    got = {r["group"]: int(r["count"].replace(",", "")) for r in ans.tables[0].rows}
    assert got == dict(await _counts(session, path, field, hop_path, hop))
