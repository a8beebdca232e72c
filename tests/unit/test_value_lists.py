"""Issue 16, items 3 and 5: lists of values as NetBox ORs, counts per value, words that carry
nothing — on the embedded demo (the real demo NetBox's rows, served in-process). No network."""

from __future__ import annotations

from typing import AsyncIterator

import pytest

from netbox_tui.config import Settings
from netbox_tui.core.intent import Condition, Ref
from netbox_tui.core.lists import gap_words, join_lists, many_valued
from netbox_tui.core.orchestrator import Orchestrator
from netbox_tui.core.planner import build_query
from netbox_tui.schema import load as load_schema
from netbox_tui.session import Session


@pytest.fixture
async def orch() -> AsyncIterator[Orchestrator]:
    session = Session.open(Settings(), demo=True)
    yield session.orchestrator
    await session.aclose()


# -- the joining words ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("gap,words", [
    (" and ", ["and"]), (" or ", ["or"]), (", ", []), (" vs ", ["vs"]), (" vs. ", ["vs"]),
    (", or the ", ["or", "the"]),
])
def test_words_that_join_a_list(gap: str, words: list[str]) -> None:
    assert gap_words(gap) == words


@pytest.mark.parametrize("gap", [" ", " and not ", " with ", " at "])
def test_words_that_do_not_join_a_list(gap: str) -> None:
    assert gap_words(gap) is None


def test_two_values_of_one_field_become_one_condition() -> None:
    text = "offline or failed devices"
    conds = [Condition(field="status", value="offline", text="offline", span=(0, 7)),
             Condition(field="status", value="failed", text="failed", span=(11, 17))]
    out, joined = join_lists(conds, text, {})
    assert len(out) == 1 and out[0].value == ["offline", "failed"] and out[0].text == "offline or failed"
    assert joined[0].joiners == [(7, 11)] and joined[0].said_or and not joined[0].per_value


@pytest.mark.parametrize("joiner", ["and", "or"])
def test_a_list_of_tags_is_an_or_only_when_said_so(joiner: str) -> None:
    text = f"devices tagged alpha {joiner} bravo"
    refs = [Ref(model="extras.tag", id=1, label="alpha"), Ref(model="extras.tag", id=2, label="bravo")]
    start = text.index("bravo")
    conds = [Condition(field="tag", value="alpha", model="extras.tag", resolved=[refs[0]], span=(15, 20)),
             Condition(field="tag", value="bravo", model="extras.tag", resolved=[refs[1]],
                       span=(start, start + 5))]
    many = many_valued(load_schema().model("dcim.device"))
    assert {"tag", "tag_id", "tags"} <= set(many) and many[
        "tag"
    ]  # NetBox ANDs repeated tags; has tag_id__any
    out, joined = join_lists(conds, text, many)
    if joiner == "and":
        assert len(out) == 2 and not joined  # "tagged alpha and bravo": both, never one OR list
    else:
        assert len(out) == 1 and len(joined) == 1  # "alpha or bravo": one list, sent as tag_id__any
    assert len(join_lists(conds, text, {})[0]) == 1  # the same values of a one-valued field: one list


def test_a_list_on_a_single_valued_filter_is_said_never_one_value() -> None:
    m = load_schema().model("dcim.interface")
    cond = Condition(field="vlan", model="ipam.vlan", value=["Data", "Voice"], text="VLAN Data or Voice",
                     resolved=[Ref(model="ipam.vlan", id=1, label="Data"),
                               Ref(model="ipam.vlan", id=2, label="Voice")])
    q = build_query(m, [cond])
    assert "vlan_id" not in q.params and "vlan" not in q.params
    said = "not applied: NetBox's vlan_id filter of interfaces takes one value"
    assert q.applied[0].filter.startswith(said)
    assert q.limits and "ask for one value at a time" in q.limits[0]


# -- whole answers -----------------------------------------------------------------------------------

async def test_regions_joined_by_and_are_an_or(orch: Orchestrator) -> None:
    ans = await orch.ask("devices in Ohio and Pennsylvania")
    cond = ans.interpretation.conditions[0]  # type: ignore[union-attr]
    assert ans.status == "ok" and len(ans.interpretation.conditions) == 1  # type: ignore[union-attr]
    assert cond.field == "region" and cond.value == "Ohio or Pennsylvania"
    assert cond.filter == "region_id=51&region_id=63"
    names = {r["name"] for r in ans.tables[0].rows}
    assert ans.tables[0].total == 8 and {"dmi01-akron-rtr01", "dmi01-scranton-rtr01"} <= names


async def test_statuses_joined_by_or_are_sent_repeated(orch: Orchestrator) -> None:
    ans = await orch.ask("offline or failed devices")
    cond = ans.interpretation.conditions[0]  # type: ignore[union-attr]
    assert ans.status == "ok" and not ans.interpretation.not_understood  # type: ignore[union-attr]
    assert cond.filter == "status=offline&status=failed"
    assert ans.answer.startswith("No devices where status = offline or failed")


async def test_sites_said_loosely_are_one_or_and_said_as_read(orch: Orchestrator) -> None:
    ans = await orch.ask("devices at the Akron and Camden sites")
    cond = ans.interpretation.conditions[0]  # type: ignore[union-attr]
    assert ans.status == "ok" and cond.value == "DM-Akron or DM-Camden"
    assert cond.filter == "site_id=2&site_id=6"
    guesses = ans.interpretation.guesses  # type: ignore[union-attr]
    assert "“Akron and Camden sites” as DM-Akron or DM-Camden" in guesses
    assert {r["site"] for r in ans.tables[0].rows} == {"DM-Akron", "DM-Camden"} and ans.tables[0].total == 8


async def test_three_sites_with_commas(orch: Orchestrator) -> None:
    ans = await orch.ask("devices at DM-Akron, DM-Camden or DM-Nashua")
    cond = ans.interpretation.conditions[0]  # type: ignore[union-attr]
    assert ans.status == "ok" and cond.filter == "site_id=2&site_id=6&site_id=7" and ans.tables[0].total == 12


async def test_a_negated_list_excludes_every_value(orch: Orchestrator) -> None:
    ans = await orch.ask("devices not at DM-Akron or DM-Camden")
    cond = ans.interpretation.conditions[0]  # type: ignore[union-attr]
    assert ans.status == "ok" and cond.filter == "site_id__n=2&site_id__n=6" and ans.tables[0].total == 72 - 8


async def test_or_between_different_fields_is_still_said(orch: Orchestrator) -> None:
    ans = await orch.ask("disabled or trunk ports on dmi01-akron-sw01")
    assert ans.status == "partial" and "or" in ans.interpretation.not_understood  # type: ignore[union-attr]


async def test_a_count_per_value_counts_each_value_even_zero(orch: Orchestrator) -> None:
    ans = await orch.ask("how many active vs planned devices")
    assert ans.status == "ok" and ans.intent is not None and ans.intent.aggregate is not None
    assert ans.intent.aggregate.op == "group" and ans.intent.aggregate.by == "status"
    cond = ans.interpretation.conditions[0]  # type: ignore[union-attr]
    assert cond.filter == "status=active&status=planned"
    assert {r["group"]: r["count"] for r in ans.tables[0].rows} == {"Active": "72", "Planned": "0"}


async def test_access_vs_trunk_ports_are_counted_per_mode(orch: Orchestrator) -> None:
    ans = await orch.ask("access vs trunk ports on dmi01-akron-sw01")
    assert ans.status == "ok" and ans.intent is not None and ans.intent.aggregate is not None
    assert ans.intent.aggregate.by == "mode"
    filters = [c.filter for c in ans.interpretation.conditions]  # type: ignore[union-attr]
    assert "mode=access&mode=tagged" in filters and "device_id=14" in filters
    assert [r["group"] for r in ans.tables[0].rows] == ["Access", "Tagged"]  # the demo seeds no modes: both 0


@pytest.mark.parametrize("question", [
    "devices in a tabular format", "devices for me real quick",
    "show me the devices in tabular format please",
])
async def test_words_about_the_form_carry_nothing(orch: Orchestrator, question: str) -> None:
    ans = await orch.ask(question)
    assert ans.status == "ok" and not ans.interpretation.conditions  # type: ignore[union-attr]
    assert ans.tables[0].total == 72


@pytest.mark.parametrize("question,word", [("firewalls at DM-Akron", "firewalls"),
                                           ("firewall devices", "firewall")])
async def test_a_kind_no_role_has_is_said_with_the_roles(orch: Orchestrator, question: str,
                                                         word: str) -> None:
    ans = await orch.ask(question)
    assert ans.status == "not_found" and ans.answer.startswith(f"No device role matches “{word}”")
    assert ans.intent is not None and ans.intent.target == "dcim.device" and not ans.intent.not_understood
    assert ans.choices  # each one the same question with an existing role
    for choice in ans.choices:
        role = choice.intent.condition("role") if choice.intent is not None else None
        assert role is not None and [r.model for r in role.resolved] == ["dcim.devicerole"]
        assert role.resolved[0].label == choice.label
    assert not ans.tables or not ans.tables[0].rows  # never the site, nor every device


async def test_a_kind_that_is_a_role_still_lists_it(orch: Orchestrator) -> None:
    ans = await orch.ask("routers at DM-Akron")
    assert ans.status == "ok" and [r["name"] for r in ans.tables[0].rows] == ["dmi01-akron-rtr01"]


async def test_a_count_over_a_list_of_what_rows_do_not_carry_is_one_count(orch: Orchestrator) -> None:
    ans = await orch.ask("how many devices in Ohio or Pennsylvania")  # a device has no region field
    cond = ans.interpretation.conditions[0]  # type: ignore[union-attr]
    assert ans.status == "ok" and cond.filter == "region_id=51&region_id=63"
    assert ans.answer.startswith("8 devices in Ohio or Pennsylvania")


async def test_numbers_after_a_number_field_are_a_list(orch: Orchestrator) -> None:
    ans = await orch.ask("VLANs with VID 100 or 200")
    cond = ans.interpretation.conditions[0]  # type: ignore[union-attr]
    assert ans.status == "ok" and cond.filter == "vid=100&vid=200"
    assert {r["vid"] for r in ans.tables[0].rows} == {"100", "200"}
