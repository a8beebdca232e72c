"""Tags in questions (issue 17 item 5), offline: the parser with a name index, and whole answers on
the embedded demo, whose sites carry the tags Alpha…Zulu. Expected rows are read from the demo
snapshot's own site rows, not written here."""

from __future__ import annotations

import gzip
import json
from typing import AsyncIterator

import pytest
from _demo import DEMO

from netbox_tui.config import Settings
from netbox_tui.core.names import Named, NameIndex
from netbox_tui.core.orchestrator import Orchestrator
from netbox_tui.core.parser import Parser
from netbox_tui.session import Session

TAGS = [Named("extras.tag", 1, "critical", "critical"), Named("extras.tag", 2, "pci-scope", "pci-scope"),
        Named("extras.tag", 3, "uplink", "uplink"), Named("dcim.site", 9, "DM-Akron", "dm-akron")]


@pytest.fixture(scope="module")
def parser() -> Parser:
    return Parser(NameIndex(TAGS, source="graphql"))


def _tag_condition(intent) -> tuple[str, str, list[int]]:  # type: ignore[no-untyped-def]
    cond = next(c for c in intent.conditions if c.model == "extras.tag")
    return cond.field, cond.value, [r.id for r in cond.resolved]


@pytest.mark.parametrize("question,model,tag_id", [
    ("devices tagged critical", "dcim.device", 1),
    ("devices with tag critical", "dcim.device", 1),
    ("critical devices", "dcim.device", 1),
    ("VLANs with tag pci-scope", "ipam.vlan", 2),
    ("devices with tag pci scope", "dcim.device", 2),
    ("prefixes tagged critical", "ipam.prefix", 1),
    ("interfaces tagged uplink", "dcim.interface", 3),  # "tagged" is no port mode here
    ("uplink interfaces", "dcim.interface", 3),  # "uplink" is also an interface word
])
def test_a_tag_filters_any_model_and_every_word_is_read(
        parser: Parser, question: str, model: str, tag_id: int) -> None:
    intent = parser.parse(question)
    assert intent.target == model and intent.not_understood == []
    assert _tag_condition(intent) == ("tag", intent.conditions[-1].value, [tag_id])
    assert [c.field for c in intent.conditions] == ["tag"]


def test_a_tag_with_other_conditions(parser: Parser) -> None:
    intent = parser.parse("devices at DM-Akron tagged critical")
    assert [(c.field, [r.id for r in c.resolved]) for c in intent.conditions] == [("site", [9]), ("tag", [1])]


def test_an_unknown_tag_is_a_tag_condition_left_to_resolve_never_dropped(parser: Parser) -> None:
    for question, name in (("devices tagged bogus", "bogus"), ("devices with tag blue moon", "blue moon"),
                           ("interfaces tagged bogus", "bogus"), ("devices tagged core-2024", "core-2024")):
        intent = parser.parse(question)
        assert intent.not_understood == [], question
        assert _tag_condition(intent) == ("tag", name, []), question
        assert all(c.field != "mode" for c in intent.conditions), question


def test_tags_of_a_device_name_the_device_not_a_tag(parser: Parser) -> None:
    intent = parser.parse("tags of dmi01-akron-rtr01")
    assert all(c.model != "extras.tag" for c in intent.conditions)


def test_tagged_before_ports_is_still_the_port_mode(parser: Parser) -> None:
    intent = parser.parse("tagged interfaces")
    assert [(c.field, c.value) for c in intent.conditions] == [("mode", "tagged")]


def test_a_word_that_may_be_a_tag_loads_the_names(parser: Parser) -> None:
    assert parser.needs_names("uplink interfaces") and parser.needs_names("interfaces tagged uplink")
    assert not parser.needs_names("trunk ports") and not parser.needs_names("tagged interfaces")


# -- whole answers on the embedded demo ---------------------------------------------------------------

def _demo_sites_tagged(tag: str) -> set[str]:
    sites = json.loads(gzip.decompress(DEMO.read_bytes()))["endpoints"]["dcim/sites/"]
    return {s["name"] for s in sites if any(t["name"] == tag for t in s.get("tags") or [])}


@pytest.fixture
async def orch() -> AsyncIterator[Orchestrator]:
    session = Session.open(Settings(), demo=True)
    yield session.orchestrator
    await session.aclose()


@pytest.mark.parametrize("question,tag", [("sites tagged Alpha", "Alpha"), ("Zulu sites", "Zulu"),
                                          ("sites with tag golf", "Golf")])
async def test_sites_by_tag_on_the_demo(orch: Orchestrator, question: str, tag: str) -> None:
    ans = await orch.ask(question)
    expected = _demo_sites_tagged(tag)
    assert expected and ans.status == "ok"
    assert {r["name"] for r in ans.tables[0].rows} == expected and ans.tables[0].total == len(expected)
    assert ans.interpretation is not None and ans.interpretation.conditions[0].filter.startswith("tag_id=")


async def test_an_unknown_tag_is_not_found_with_the_closest_tags(orch: Orchestrator) -> None:
    ans = await orch.ask("sites tagged Alpah")  # a typo: guessed and said
    assert ans.status == "ok" and {r["name"] for r in ans.tables[0].rows} == _demo_sites_tagged("Alpha")
    assert any("Alpha" in g for g in ans.interpretation.guesses)  # type: ignore[union-attr]
    ans = await orch.ask("sites tagged purple")
    assert ans.status == "not_found" and "No tag" in ans.answer
    assert ans.choices and all(c.label in {t for t in _all_demo_tags()} for c in ans.choices)


def _all_demo_tags() -> set[str]:
    return {t["name"] for t in json.loads(gzip.decompress(DEMO.read_bytes()))["endpoints"]["extras/tags/"]}


async def test_sites_per_tag_counts_each_tag(orch: Orchestrator) -> None:
    ans = await orch.ask("how many sites tagged Quebec")
    assert ans.status == "ok" and ans.tables[0].total == len(_demo_sites_tagged("Quebec"))


async def test_either_of_two_tags_and_not_a_tag(orch: Orchestrator) -> None:
    ans = await orch.ask("sites tagged Alpha or Bravo")  # NetBox ANDs repeated tag_id: `__any` is sent
    either = _demo_sites_tagged("Alpha") | _demo_sites_tagged("Bravo")
    assert ans.status == "ok" and {r["name"] for r in ans.tables[0].rows} == either
    assert ans.interpretation.conditions[0].filter.startswith("tag_id__any=")  # type: ignore[union-attr]
    ans = await orch.ask("how many sites not tagged Quebec")
    sites = json.loads(gzip.decompress(DEMO.read_bytes()))["endpoints"]["dcim/sites/"]
    assert ans.status == "ok" and ans.tables[0].total == len(sites) - len(_demo_sites_tagged("Quebec"))
