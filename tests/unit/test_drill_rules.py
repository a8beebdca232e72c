"""Where a row leads is vocab.toml's [drill] table, and every place that decides it asks that table:
the drill itself (core/drill.py), the planner's choices and a named object's related tables, the
TUI's hint and enter key, and the MCP tools for a port's trace and a prefix's free IPs. No network."""

from __future__ import annotations

from typing import Any, AsyncIterator, get_args

import pytest

from netbox_tui.config import Settings
from netbox_tui.core import drill
from netbox_tui.core.intent import Intent, Pattern
from netbox_tui.core.planner import drill_relations, list_choices, noun
from netbox_tui.core.results import Column, Table
from netbox_tui.errors import NetBoxTUIError
from netbox_tui.mcp.service import Tools
from netbox_tui.schema import load as load_schema
from netbox_tui.schema.vocab import load as load_vocab
from netbox_tui.session import Session
from netbox_tui.tui.widgets.results import drill_words, drills

RULES = load_vocab().drill
# A row of each model that drills by a question of its own, as a table of it holds it.
ROWS: dict[str, dict[str, Any]] = {
    "dcim.interface": {"id": 7, "name": "xe-0/0/1", "device": "dmi01-akron-rtr01"},
    "ipam.prefix": {"id": 3, "prefix": "10.112.0.0/15"},
}


def _table(model: str, keys: list[str], rows: int = 1) -> Table:
    return Table(
        title="t",
        object_type=model,
        columns=[Column(key=k, title=k) for k in keys],
        rows=[{"id": i + 1, "name": f"x{i}"} for i in range(rows)],
        total=rows,
    )


def test_the_table_is_the_vocabularys_drill_section() -> None:
    assert {"dcim.device", "dcim.site", "ipam.vlan", "dcim.interface", "ipam.prefix"} <= set(RULES)
    assert load_vocab().hop_columns == {"near", "far"}
    assert not any(hasattr(w, "drill") for w in load_vocab().models.values())  # no second list per model


@pytest.mark.parametrize("model", sorted(RULES))
def test_every_rule_names_models_and_links_the_schema_has(model: str) -> None:
    schema = load_schema()
    rule = RULES[model]
    assert schema.get(model) is not None
    assert bool(rule.ask) != bool(rule.tables), "a row either asks a question or lists tables"
    assert set(rule.offered) <= set(rule.tables)
    # every table a rule names is reached by a filter taking the row's id: none dropped in silence
    assert [m for m, _ in drill.related(model)] == list(rule.tables)
    for rel, flt in drill.related(model):
        assert schema.model(rel).filters[flt].to == model
    if rule.ask:
        assert rule.ask in get_args(Pattern) and rule.ask in drill.ASKS
        made = drill.drill_question(model, ROWS[model])
        assert made is not None and made[1].pattern == rule.ask and made[1].target == model


def test_a_port_drills_to_its_trace_and_a_prefix_to_its_free_ips() -> None:
    question, intent = drill.drill_question("dcim.interface", ROWS["dcim.interface"]) or ("", None)
    assert question == "what is connected to dmi01-akron-rtr01 xe-0/0/1"
    assert intent is not None and intent.conditions[1].resolved[0].id == 7
    question, intent = drill.drill_question("ipam.prefix", ROWS["ipam.prefix"]) or ("", None)
    assert question == "free IPs in 10.112.0.0/15" and intent is not None and intent.pattern == "free_ips"
    assert drill.drill_question("dcim.device", {"id": 1, "name": "sw1"}) is None
    assert drill.drill_question("ipam.prefix", {"id": 3}) is None  # no prefix to ask about


def test_a_vlan_drills_into_both_kinds_of_interface_but_a_named_one_offers_ports() -> None:
    ent, tables = drill.drill_target("ipam.vlan", {"id": 5, "name": "Data", "display": "Data (100)"})
    assert ent.id == 5 and ent.label == "Data (100)"
    assert tables == [("dcim.interface", "vlan_id"), ("virtualization.vminterface", "vlan_id")]
    assert drill_relations("ipam.vlan") == [("dcim.interface", "vlan_id")]


def test_nothing_to_drill_lists_every_model_of_the_table() -> None:
    with pytest.raises(NetBoxTUIError, match="nothing to drill into for an IP address") as info:
        drill.drill_target("ipam.ipaddress", {"id": 1, "address": "10.0.0.1/24"})
    for model in RULES:
        assert noun(model, 1) in info.value.hint


@pytest.mark.parametrize("model", sorted(RULES))
def test_the_planner_asks_the_table(model: str) -> None:
    assert drill_relations(model) == drill.related(model, named=True)
    labels = [c.label for c in list_choices(_table(model, ["name"]), 25) if c.kind == "drill_down"]
    assert len(labels) == 1 and noun(model, 1) in labels[0]
    if RULES[model].ask:  # a question of its own: offered even before a row is shown
        assert any(c.kind == "drill_down" for c in list_choices(_table(model, ["name"], rows=0), 25))


def test_a_model_without_a_rule_offers_no_drill() -> None:
    choices = list_choices(_table("ipam.ipaddress", ["address"], rows=3), 25)
    assert [c.kind for c in choices] == ["filter"]
    assert drill_words("ipam.ipaddress") == "" and not drills(_table("ipam.ipaddress", ["address"]))


@pytest.mark.parametrize("model", sorted(RULES))
def test_the_tui_hint_and_enter_ask_the_table(model: str) -> None:
    words = drill_words(model)
    assert words == drill.leads_to(model) and words.startswith(noun(model, 1) + " → ")
    said = RULES[model].says
    expected = said or "its " + ", ".join(noun(m) for m in RULES[model].tables)
    assert words.endswith(expected)
    assert drills(_table(model, ["name", "status"]))
    # a trace's hops sit under "dcim.interface" but are not interfaces: enter opens nothing
    assert not drills(_table(model, ["near", "cable", "far"]))


@pytest.fixture
async def tools() -> AsyncIterator[Tools]:
    session = Session.open(Settings(), demo=True)
    yield Tools(session)
    await session.aclose()


class _Asked(Exception):
    pass


async def test_the_mcp_trace_and_free_ips_tools_ask_what_a_drill_asks(
    tools: Tools, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[Intent] = []

    async def spy(question: str, **kw: Any) -> Any:
        asked.append(kw["intent"])
        raise _Asked

    monkeypatch.setattr(tools.orch, "ask", spy)
    with pytest.raises(_Asked):
        await tools.tool_trace("dmi01-akron-rtr01", "xe-0/0/1")
    with pytest.raises(_Asked):
        await tools.tool_free_ips("10.112.0.0/15")
    for model, by_tool in zip(("dcim.interface", "ipam.prefix"), asked, strict=True):
        made = drill.drill_question(model, ROWS[model])
        assert made is not None
        by_row = made[1]
        for c in by_row.conditions:  # a row brings its own id; the tool's name is resolved on the way
            c.resolved = []
        assert by_tool == by_row
