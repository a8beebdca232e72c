"""Every place that names a filter operation reads it from core/ops.py: the intent's type and words,
the planner's parameters, the MCP `query` tool's enum and lookup map, and the LLM prompt."""

from __future__ import annotations

import re
from typing import Any, get_args

import pytest

from netbox_tui.config import LLMSettings
from netbox_tui.core import ops
from netbox_tui.core.intent import OP_WORDS, Condition, Intent, Op
from netbox_tui.core.llm import LLMClassifier
from netbox_tui.core.planner import filter_for
from netbox_tui.mcp import query
from netbox_tui.mcp.tools import TOOLS
from netbox_tui.schema import load as load_schema

NAMES = list(ops.OPS)
# A filter of the demo schema that has each lookup: text lookups on a name, number ones on a VID.
SAMPLE: dict[str, tuple[str, str, Any]] = {
    "eq": ("dcim.interface", "name", "xe-0/0/1"),
    "ne": ("dcim.interface", "name", "xe-0/0/1"),
    "ic": ("dcim.interface", "description", "uplink"),
    "isw": ("dcim.interface", "name", "xe-"),
    "gt": ("ipam.vlan", "vid", 100),
    "gte": ("ipam.vlan", "vid", 100),
    "lt": ("ipam.vlan", "vid", 100),
    "lte": ("ipam.vlan", "vid", 100),
    "empty": ("dcim.interface", "description", None),
    "not_empty": ("dcim.interface", "description", None),
    "within": ("ipam.prefix", "within", "10.0.0.0/8"),
    "contains": ("ipam.prefix", "contains", "10.0.0.1"),
}


def test_the_intent_type_and_words_are_the_table() -> None:
    assert list(get_args(Op)) == NAMES
    enum = Intent.model_json_schema()["$defs"]["Condition"]["properties"]["op"]["enum"]
    assert enum == NAMES  # what the LLM's structured reply is held to
    assert OP_WORDS == {o.name: o.symbol for o in ops.OPS.values()}
    assert Condition(field="vid", op="gte", value=100).words() == "vid ≥ 100"
    assert Condition(field="description", op="not_empty").words() == "description is set"


def test_every_lookup_is_one_netbox_has() -> None:
    """Independent of the table: the generated schema's filters offer each lookup it names."""
    schema = load_schema()
    filters = [f for name in schema.names for f in schema.model(name).filters.values()]
    offered = {lk for f in filters for lk in f.lookups | f.lookups1}
    lookups = {o.lookup for o in ops.OPS.values() if o.lookup}
    assert lookups and lookups <= offered, lookups - offered


@pytest.mark.parametrize("name", NAMES)
def test_the_planner_sends_the_tables_lookup(name: str) -> None:
    model, field, value = SAMPLE[name]
    got = filter_for(load_schema().model(model), Condition(field=field, op=name, value=value))
    assert got is not None, name
    operation = ops.OPS[name]
    expected = f"{field}__{operation.lookup}" if operation.lookup else field
    assert got[0] == expected
    if not operation.takes_value:
        assert got[1] == ("true" if name == "empty" else "false")


def test_the_mcp_tool_enum_and_lookup_map_are_the_table() -> None:
    tool = next(t for t in TOOLS if t["name"] == "query")
    enum = tool["inputSchema"]["properties"]["conditions"]["items"]["properties"]["op"]["enum"]
    with_lookup = [o.name for o in ops.OPS.values() if o.lookup is not None]
    assert enum == with_lookup == list(query.OPS)
    assert "within" not in enum  # a filter of its own there: {"field": "within", ...}
    for o in ops.OPS.values():
        if o.lookup:  # `vid__gte` read back as op gte, `description__empty` as empty
            assert ops.OPS[query.SUFFIX_OP[o.lookup]].lookup == o.lookup


@pytest.mark.parametrize("name", [n for n in NAMES if ops.OPS[n].lookup is not None])
def test_mcp_reads_each_op_and_its_suffix_alike(name: str) -> None:
    model, field, value = SAMPLE[name]
    m = load_schema().model(model)
    by_op = query.condition(m, {"field": field, "op": name, "value": value})
    assert by_op.op == name
    lookup = ops.OPS[name].lookup
    if lookup and ops.OPS[name].takes_value:
        by_suffix = query.condition(m, {"field": f"{field}__{lookup}", "value": value})
        assert (by_suffix.field, by_suffix.op) == (field, name)


def test_an_op_the_table_lacks_is_refused_by_mcp() -> None:
    with pytest.raises(query.Refused, match="unknown op 'regex'"):
        query.condition(load_schema().model("dcim.interface"), {"field": "name", "op": "regex", "value": "x"})


def test_the_llm_prompt_lists_every_op() -> None:
    llm = LLMClassifier(LLMSettings(api_key="sk-test-not-a-real-key", base_url="http://127.0.0.1:9/v1"))
    system = llm.messages("VLANs at DM-Akron")[0]["content"]
    listed = re.search(r"op is one of: (.+?);", system)
    assert listed is not None, system[:600]
    names = [re.sub(r"\s*\(.*?\)", "", part).strip() for part in re.split(r",\s*(?![^()]*\))", listed[1])]
    assert names == NAMES
    assert "isw (text starts with)" in listed[1]
