"""Plans for each intent, and how the executor runs them (no NetBox: steps and respx)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
import respx
from _demo import parse  # noqa: E402  (tests/unit is on sys.path)

from netbox_tui.config import NetBoxProfile
from netbox_tui.core.executor import Executor
from netbox_tui.core.graph import FLOW
from netbox_tui.core.orchestrator import Orchestrator
from netbox_tui.core.plan import Context, Outcome, Plan, Step
from netbox_tui.core.planner import make_plan
from netbox_tui.core.resolve import Resolver
from netbox_tui.errors import AuthError, TimeoutError
from netbox_tui.netbox.client import NetBoxClient

TOKEN = "0123456789abcdef0123456789abcdef01234567"


# Names of small tables (sites, roles…) are resolved while the question is read (the name index):
# only names of large tables (devices, racks…) cost a resolve step.
@pytest.mark.parametrize("question,kind,steps", [
    ("list all VLANs", "direct", ["fetch"]),
    ("devices at dm akron", "direct", ["fetch"]),
    ("show device dmi01-akron-rtr01", "multi_step", ["resolve:0", "fetch"]),
    ("disabled ports on dmi01-akron-sw01", "multi_step", ["resolve:0", "fetch"]),
    ("devices per role", "direct", ["fetch"]),
    ("sites with no VLANs", "direct", ["fetch"]),
    ("where is 172.16.0.5", "orchestrated", ["fetch", "containing"]),
    # A /24's free space is computed from its used addresses (as ranges): NetBox's available-ips list
    # is asked for only to page a large prefix's free addresses.
    ("how full is prefix 10.112.129.0/24", "orchestrated", ["find", "usage", "containing"]),
    ("free IPs in 10.112.129.0/24", "orchestrated", ["find", "usage", "containing"]),
    ("free IPs in 10.0.0.0/8", "orchestrated", ["find", "usage", "containing", "free"]),
    ("what is connected to dmi01-yonkers-rtr01 GigabitEthernet0/0/0", "multi_step", ["interface", "trace"]),
    ("VLANs with their devices and interfaces", "orchestrated", ["vlans", "carriers"]),
    ("rack utilization at MDF", "orchestrated", ["racks", "devices"]),
    ("summarize site DM-Nashua", "orchestrated", ["fetch"]),
    ("which devices have no primary IP", "direct", ["fetch"]),
    ("DM-Akron", "direct", ["fetch"]),
])
def test_plan_for_each_pattern(question: str, kind: str, steps: list[str]) -> None:
    plan = make_plan(parse(question))
    assert plan.kind == kind
    assert [s.name for s in plan.steps] == steps
    assert all(s.description for s in plan.steps)


def test_every_intent_kind_gets_a_plan() -> None:
    kinds = {parse(q).kind for q in [
        "show device dmi01-akron-rtr01", "list all VLANs", "interfaces on ncsu-coreswitch1",
        "rack utilization at MDF", "which devices have no serial"]}
    assert kinds == {
        "device_lookup",
        "bulk_discovery",
        "relationship_analysis",
        "performance_query",
        "configuration_audit",
    }


def _ctx() -> Context:
    client = NetBoxClient(NetBoxProfile(url="http://netbox.test", token=TOKEN))
    return Context(client, Resolver(client), parse("list all VLANs"), "list all VLANs")


async def test_independent_steps_run_concurrently() -> None:
    started: list[str] = []
    both = asyncio.Event()

    def step(name: str) -> Step:
        async def run(ctx: Context) -> str:
            started.append(name)
            if len(started) == 2:
                both.set()
            await asyncio.wait_for(both.wait(), 2)  # deadlocks unless both run at once
            return name
        return Step(name, name, run)

    async def after(ctx: Context) -> list[str]:
        return [ctx.results["a"], ctx.results["b"]]

    events: list[Any] = []
    plan = Plan(
        "orchestrated",
        [step("a"), step("b"), Step("c", "c", after, deps=("a", "b"))],
        lambda ctx: Outcome(""),
    )
    ctx = _ctx()
    await Executor(5, events.append, 0.0).run(plan, ctx)
    assert ctx.results["c"] == ["a", "b"]
    assert [(e.step, e.total_steps, e.state) for e in events if e.description == "c"] == [
        (3, 3, "start"),
        (3, 3, "done"),
    ]


async def test_timeout_uses_the_fallback_and_marks_partial() -> None:
    async def hang(ctx: Context) -> None:
        await asyncio.Event().wait()

    async def simple(ctx: Context) -> str:
        return "simplified"

    events: list[Any] = []
    ctx = _ctx()
    plan = Plan("direct", [Step("fetch", "fetch", hang, fallback=simple)], lambda ctx: Outcome(""))
    await Executor(0.05, events.append, 0.0).run(plan, ctx)
    assert ctx.results["fetch"] == "simplified" and ctx.partial
    assert any(e.state == "fallback" for e in events) and ctx.notes


async def test_optional_step_failure_gives_a_partial_answer() -> None:
    async def fails(ctx: Context) -> None:
        raise TimeoutError("NetBox did not answer")

    ctx = _ctx()
    await Executor(1, lambda e: None, 0.0).run(
        Plan("direct", [Step("counts", "counts", fails, optional=True)], lambda c: Outcome("")), ctx
    )
    assert ctx.results["counts"] is None and ctx.partial


async def test_auth_errors_are_not_papered_over() -> None:
    async def denied(ctx: Context) -> None:
        raise AuthError("token rejected")

    async def simple(ctx: Context) -> str:
        return "never"

    with pytest.raises(AuthError):
        await Executor(1, lambda e: None, 0.0).run(
            Plan("direct", [Step("s", "s", denied, fallback=simple)], lambda c: Outcome("")), _ctx()
        )


async def test_slow_netbox_falls_back_to_brief_rows_and_keeps_the_answer() -> None:
    """A page of full rows that does not come in time is replaced by brief rows, marked partial."""
    client = NetBoxClient(NetBoxProfile(url="http://netbox.test", token=TOKEN))
    orch = Orchestrator(client, step_timeout=0.2)

    async def vlans(request: httpx.Request) -> httpx.Response:
        if "brief" not in request.url.params:
            await asyncio.sleep(5)  # the slow serializer
        return httpx.Response(
            200,
            json={
                "count": 63,
                "next": "x",
                "previous": None,
                "results": [{"id": 1, "display": "Data (100)"}],
            },
        )

    events: list[Any] = []
    with respx.mock(base_url="http://netbox.test") as mock:
        mock.get("/api/ipam/vlans/").mock(side_effect=vlans)
        answer = await orch.ask("list all VLANs", on_progress=events.append)
    assert answer.status == "partial"
    assert answer.tables[0].total == 63 and answer.tables[0].rows[0]["display"] == "Data (100)"
    assert "simplified" in answer.answer
    assert any(e.state == "fallback" for e in events)
    await client.aclose()


async def test_server_error_gives_a_plain_language_error() -> None:
    client = NetBoxClient(NetBoxProfile(url="http://netbox.test", token=TOKEN, max_attempts=1))
    orch = Orchestrator(client)
    with respx.mock(base_url="http://netbox.test") as mock:
        mock.get("/api/ipam/vlans/").mock(return_value=httpx.Response(500, text="<html>oops</html>"))
        answer = await orch.ask("list all VLANs")
    assert answer.status == "error" and answer.error is not None
    assert (
        answer.error.kind == "server"
        and answer.error.causes
        and answer.error.next_steps
        and answer.error.alternatives
    )
    await client.aclose()


async def test_every_transition_is_declared_and_reported() -> None:
    client = NetBoxClient(NetBoxProfile(url="http://netbox.test", token=TOKEN))
    events: list[Any] = []
    with respx.mock(base_url="http://netbox.test") as mock:
        mock.get("/api/ipam/vlans/").mock(
            return_value=httpx.Response(200, json={"count": 0, "next": None, "previous": None, "results": []})
        )
        await Orchestrator(client).ask("list all VLANs", on_progress=events.append)
    transitions = [e.description for e in events if e.description.startswith("→ ")]
    assert transitions == [
        "→ route: intent",
        "→ execute: simple: direct plan",
        "→ format: all steps done",
        "→ done: answer ready",
    ]
    declared = {f"→ {e.dst}: {e.when}" for e in FLOW.edges}
    assert set(transitions) <= declared
    await client.aclose()


def test_graph_prints() -> None:
    text = FLOW.to_text()
    for node in ("classify", "route", "execute", "limitations", "format"):
        assert f"[{node}]" in text
    assert FLOW.to_mermaid().startswith("flowchart TD")
    with pytest.raises(RuntimeError):
        FLOW.check("classify", "execute")


async def test_vlan_topology_counts_an_interface_once_per_vlan() -> None:
    """An interface whose untagged VLAN is also in its tagged list carries that VLAN once (it is in both
    of the VLAN's GraphQL lists)."""
    client = NetBoxClient(NetBoxProfile(url="http://netbox.test", token=TOKEN))
    vlan = {"id": 7, "display": "Data (100)", "vid": 100, "name": "Data"}

    def page(rows: list) -> httpx.Response:
        return httpx.Response(200, json={"count": len(rows), "next": None, "previous": None, "results": rows})

    carriers = {"id": "7", "interfaces_as_untagged": [{"id": "1", "device": {"id": "3", "name": "sw1"}}],
                "interfaces_as_tagged": [{"id": "1", "device": {"id": "3", "name": "sw1"}}],
                "vminterfaces_as_untagged": [], "vminterfaces_as_tagged": []}
    with respx.mock(base_url="http://netbox.test") as mock:
        mock.get("/api/ipam/vlans/").mock(return_value=page([vlan]))
        graphql = httpx.Response(200, json={"data": {"vlan_list": [carriers]}})
        mock.post("/graphql/").mock(return_value=graphql)
        answer = await Orchestrator(client).ask("VLANs with their devices and interfaces")
    row = answer.tables[0].rows[0]
    assert (row["interfaces"], row["devices"], row["device_names"]) == ("1", "1", "sw1")
    await client.aclose()


async def test_client_side_tables_are_bounded() -> None:
    from netbox_tui.core.orchestrator import LOCAL_TABLES

    client = NetBoxClient(NetBoxProfile(url="http://netbox.test", token=TOKEN))
    orch = Orchestrator(client)
    for i in range(LOCAL_TABLES + 6):
        orch._keep_local({f"t{i}": [{"id": i}]})
    assert orch.local_rows("t0") == [] and orch.local_rows(f"t{LOCAL_TABLES + 5}") == [
        {"id": LOCAL_TABLES + 5}
    ]
    orch._keep_local({"t6": [{"id": "again"}]})  # re-kept: newest again, so it survives the next eviction
    orch._keep_local({"new": []})
    assert orch.local_rows("t6") == [{"id": "again"}] and orch.local_rows("t7") == []
    await client.aclose()


async def test_a_later_answer_of_the_same_recipe_keeps_the_older_tables_rows() -> None:
    from netbox_tui.config import Settings
    from netbox_tui.errors import NetBoxTUIError
    from netbox_tui.session import Session

    session = Session.open(Settings(), demo=True)
    orch = session.orchestrator
    mdf = (await orch.ask("rack utilization at MDF")).tables[0]
    akron = (await orch.ask("rack utilization at DM-Akron")).tables[0]
    assert mdf.query and akron.query and mdf.query.local_key != akron.query.local_key
    again = await orch.page(mdf, 0)
    assert again.total == mdf.total and [r["id"] for r in again.rows] == [r["id"] for r in mdf.rows]
    assert (await orch.page(akron, 0)).total == akron.total != mdf.total
    orch._local.clear()  # evicted, as past LOCAL_TABLES: said, never an empty table
    with pytest.raises(NetBoxTUIError, match="expired"):
        await orch.page(mdf, 0)
    await session.aclose()
