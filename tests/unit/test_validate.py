"""One validator for intents (issue 16, "one home for each rule"): the LLM's reply (`llm.validate`), the
MCP `query` tool (`mcp/query.py`) and the planner (`planner.build_query`) ask core/validate.py, and agree.
Where the three disagreed before, each case below says what each did and what all do now. Also the typed
results of the list and group steps (`planner.Paged`, `Kept`, `Counted`, `Tallied`), no string-tagged
tuples. Offline: the shipped schema and the embedded demo data."""

from __future__ import annotations

import dataclasses
from typing import Any, AsyncIterator, Optional

import pytest
from _demo import parse  # noqa: E402  (tests/unit is on sys.path)

from netbox_tui.config import Settings
from netbox_tui.core import validate
from netbox_tui.core.executor import Executor
from netbox_tui.core.intent import Aggregate, Condition, Intent
from netbox_tui.core.llm import LLMError
from netbox_tui.core.llm import validate as llm_validate
from netbox_tui.core.plan import Context
from netbox_tui.core.planner import Counted, Kept, Paged, Tallied, build_query, make_plan
from netbox_tui.core.resolve import Resolver
from netbox_tui.mcp import query
from netbox_tui.mcp.service import Tools
from netbox_tui.schema import Filter
from netbox_tui.schema import load as load_schema
from netbox_tui.session import Session

DEVICE, INTERFACE, SITE = "dcim.device", "dcim.interface", "dcim.site"


def _llm_refuses(intent: Intent) -> Optional[str]:
    try:
        llm_validate(intent)
    except LLMError as exc:
        return str(exc)
    return None


def _mcp_refuses(model: str, conditions: list[dict[str, Any]], **kw: Any) -> Optional[str]:
    try:
        query.build_intent(model, conditions, **kw)
    except query.Refused as exc:
        return exc.message
    return None


def _planner(model: str, cond: Condition) -> Any:
    return build_query(load_schema().model(model), [cond])


# -- the three agree where they agreed ------------------------------------------------------------------

def test_a_filter_the_endpoint_lacks_is_refused_by_the_llm_and_the_mcp_alike() -> None:
    said = f"{INTERFACE} has no filter 'devce'"
    assert _llm_refuses(Intent(target=INTERFACE, conditions=[Condition(field="devce", value="x")])) == said
    refused = _mcp_refuses(INTERFACE, [{"field": "devce", "value": "x"}])
    assert refused is not None and refused.startswith(said + "; closest: device")
    assert [p.kind for p in validate.problems(Intent(target="dcim.nothing"))] == ["model"]


def test_a_choice_value_netbox_lacks_is_refused_or_said_by_all_three() -> None:
    cond = Condition(field="type", value="1000base", text="1000base")
    llm = _llm_refuses(Intent(target=INTERFACE, conditions=[cond.model_copy()]))
    assert llm == "type has no value '1000base'"
    refused = _mcp_refuses(INTERFACE, [{"field": "type", "value": "1000base"}])
    assert refused is not None and refused.startswith("type has no value '1000base'; closest: 1000base-")
    q = _planner(INTERFACE, cond)
    assert q.params == {} and "“1000base” is not a type NetBox has for interfaces" in q.limits[0]
    good = Condition(field="type", value="1000base-t", text="1000base-t")
    assert validate.condition_problems(load_schema().model(INTERFACE), good) == []
    assert _planner(INTERFACE, good).params == {"type": "1000base-t"}


def test_the_mcp_still_reads_a_choice_label_as_its_value() -> None:
    intent = query.build_intent(DEVICE, [{"field": "status", "value": "Active"}])
    assert intent.conditions[0].value == "active" and validate.problems(intent) == []


# -- where they disagreed ---------------------------------------------------------------------------------

def test_an_op_the_filter_lacks_is_refused_by_the_llm_too() -> None:
    """Before: the MCP refused `name gt x`, the LLM's reply was taken and the planner said the condition
    was not applied; a named object given `ic` was taken by the LLM and compared as equal once found."""
    by_name = Intent(target=INTERFACE, conditions=[Condition(field="name", op="gt", value="x")])
    assert _llm_refuses(by_name) == f"{INTERFACE} filter name does not take op gt"
    refused = _mcp_refuses(INTERFACE, [{"field": "name", "op": "gt", "value": "x"}])
    assert refused == f"{INTERFACE} filter name does not take op gt; ops: eq, empty, ic, isw, ne, not_empty"
    site_ic = Intent(target=DEVICE, conditions=[Condition(field="site", op="ic", value="akron", model=SITE)])
    assert _llm_refuses(site_ic) == f"{DEVICE} filter site does not take op ic"
    assert _mcp_refuses(DEVICE, [{"field": "site", "op": "ic", "value": "akron"}]) == (
        f"{DEVICE} filter site does not take op ic; ops: eq, ne, empty, not_empty")
    # what the rules read stays valid: a filter of its own taking an address (a prefix's `within`)
    for model, field in (("ipam.prefix", "within"), ("ipam.ipaddress", "parent")):
        within = Condition(field=field, op="within", value="10.0.0.0/8")
        assert validate.condition_problems(load_schema().model(model), within) == [], model


def test_free_text_search_and_request_ids_are_no_filter_an_intent_names() -> None:
    """Before: the MCP refused `q`, the LLM's reply naming it was sent (a search over several fields)."""
    assert _llm_refuses(Intent(target=DEVICE, conditions=[Condition(field="q", value="akron")])) == (
        f"{DEVICE} has no filter 'q'")
    refused = _mcp_refuses(DEVICE, [{"field": "q", "value": "akron"}])
    assert refused is not None and refused.startswith(f"{DEVICE} has no filter 'q'")


def test_a_choice_value_netbox_lacks_is_refused_under_any_lookup() -> None:
    """NetBox answers `status__ic=act` 400 ("Select a valid choice"). Before: the MCP's own check took a
    choice's value under eq and ne only (the LLM's check, run after it, refused `ic act`), and read a
    label as its value under eq and ne only. Now one rule: any operation with a value, labels included."""
    cond = Condition(field="status", op="ic", value="act", text="act")
    assert _llm_refuses(Intent(target=DEVICE, conditions=[cond.model_copy()])) == "status has no value 'act'"
    refused = _mcp_refuses(DEVICE, [{"field": "status", "op": "ic", "value": "act"}])
    assert refused is not None and refused.startswith("status has no value 'act'; closest: active")
    q = _planner(DEVICE, cond)
    assert q.params == {} and "“act” is not a status NetBox has for devices" in q.limits[0]
    label = query.build_intent(DEVICE, [{"field": "status", "op": "isw", "value": "Active"}])
    assert (label.conditions[0].op, label.conditions[0].value) == ("isw", "active")
    assert _planner(DEVICE, label.conditions[0]).params == {"status__isw": "active"}


def test_a_choice_filter_asked_whether_set_is_never_a_bad_value() -> None:
    """Before: the planner's choice check read the absent value of `not_empty` as a value (“None” is not
    a status …) where the filter has no `__empty`; the LLM's and the MCP's skipped it. Now the field is
    checked on each row, as any field NetBox cannot filter so."""
    m = load_schema().model(DEVICE)
    status = dataclasses.replace(m.filters["status"], lookups1=frozenset())
    bare = dataclasses.replace(m, filters={**m.filters, "status": status})
    assert isinstance(bare.filters["status"], Filter) and not bare.accepts("status__empty")
    q = build_query(bare, [Condition(field="status", op="not_empty", text="with a status")])
    assert not q.limits and [c.field for c in q.local] == ["status"]
    assert q.applied[0].filter.startswith("applied by netbox-tui")


def test_the_mcp_keeps_the_ids_it_was_given() -> None:
    """Before: the MCP's conditions went through the LLM's check, which drops the ids a model invents, so
    `{"field": "id", "value": [1, 2]}` and `site_id` were looked up as names ("No device matches
    “[1, 2]”")."""
    ids = [{"field": "id", "value": [1, 2]}, {"field": "site_id", "value": [2, 6]}]
    intent = query.build_intent(DEVICE, ids)
    assert [[r.id for r in c.resolved] for c in intent.conditions] == [[1, 2], [2, 6]]
    q = build_query(load_schema().model(DEVICE), intent.conditions)
    assert q.params == {"id": [1, 2], "site_id": [2, 6]}
    # the LLM's own ids are still dropped: the resolver finds them
    reply = Intent(target=DEVICE, conditions=[c.model_copy() for c in intent.conditions])
    assert [c.resolved for c in llm_validate(reply).conditions] == [[], []]


def test_a_list_to_a_parameter_that_keeps_one_value_is_refused_by_the_mcp_only() -> None:
    """NetBox keeps the last of repeated values of such a parameter. The MCP refuses the list (before: by
    the filter's bare form whatever the op, and never for a `*_id` filter, whose ids became a name
    look-up); the LLM's reply is taken and the planner applies it here or says it is not applied, as
    before."""
    refused = _mcp_refuses(INTERFACE, [{"field": "vlan_id", "value": [1, 2]}])
    assert refused == "vlan_id takes one value"
    airflow = [{"field": "airflow", "op": "ne", "value": ["front-to-rear", "rear-to-front"]}]
    assert _mcp_refuses(DEVICE, airflow) == "airflow__n takes one value"
    cond = Condition(field="airflow", op="ne", value=["front-to-rear", "rear-to-front"], text="airflow")
    intent = Intent(target=DEVICE, conditions=[cond])
    assert [p.kind for p in validate.problems(intent)] == ["one_value"]
    assert _llm_refuses(intent) is None
    q = _planner(DEVICE, cond)
    assert "airflow__n" not in q.params and "takes one value" in q.applied[0].filter


def test_attributes_and_groups_are_fields_of_the_rows() -> None:
    assert [p.kind for p in validate.problems(Intent(target=DEVICE, attributes=["platfrm"]))] == ["field"]
    grouped = Intent(target=DEVICE, aggregate=Aggregate(op="group", by="rolez"))
    assert _llm_refuses(grouped) == f"{DEVICE} has no field 'rolez' to group by"
    by_path = Intent(target=DEVICE, aggregate=Aggregate(op="group", by="device_type.manufacturer"))
    assert validate.problems(by_path) == []


# -- typed step results -------------------------------------------------------------------------------------

@pytest.fixture
async def session() -> AsyncIterator[Session]:
    s = Session.open(Settings(), demo=True)
    yield s
    await s.aclose()


async def _fetched(session: Session, question: str) -> tuple[Any, str, int]:
    """The fetch step's result, the answer, and the rows the step's progress event reported."""
    intent = parse(question)
    plan = make_plan(intent)
    client = session.orchestrator.client
    ctx = Context(client, Resolver(client), intent, question)
    rows: list[int] = []
    await Executor(30, lambda e: rows.append(e.partial_rows), 0.0).run(plan, ctx)
    return ctx.results["fetch"], plan.finish(ctx).answer, rows[-1]


async def test_a_list_step_answers_with_a_page_or_the_rows_kept(session: Session) -> None:
    paged, answer, progress = await _fetched(session, "devices at DM-Akron")
    assert isinstance(paged, Paged) and paged.found == 4 and len(paged.rows) == 4 and progress == 4
    assert paged.query.params == {"site_id": [2]} and answer.startswith("4 devices")
    kept, answer, _ = await _fetched(session, "sites with no VLANs")
    assert isinstance(kept, Kept) and kept.found == len(kept.rows) > 0
    assert answer.startswith(f"{kept.found} sites")


async def test_a_group_step_answers_with_netbox_counts_or_a_tally(session: Session) -> None:
    counted, answer, _ = await _fetched(session, "devices per role")
    assert isinstance(counted, Counted) and counted.count_field == "device_count" and counted.total == 72
    assert answer.startswith("72 devices") and "(counted by NetBox: device_count)" in answer
    tallied, answer, _ = await _fetched(session, "devices at DM-Akron per role")
    assert isinstance(tallied, Tallied) and tallied.read == 4 and sum(n for _, n in tallied.groups) == 4
    assert answer.startswith("4 devices") and "counted by NetBox" not in answer


async def test_an_mcp_query_by_ids_answers_with_those_objects(session: Session) -> None:
    tools = Tools(session)
    got = await tools.call("query", {"model": DEVICE, "fields": ["id"],
                                     "conditions": [{"field": "id", "value": [1, 2]}]})
    assert not got.is_error and "sent: id=1&id=2" in got.text and "rows 1–2 of 2" in got.text, got.text
