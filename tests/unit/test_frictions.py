"""Issue 18, frictions 5, 8 and 10, on the embedded demo and respx (no network): contacts of any
object through their assignments, a rejected token or a wrong base URL said as such in one or two
requests, and counts said in the right number."""

from __future__ import annotations

import random
from typing import Any, AsyncIterator

import pytest
import respx

from netbox_tui.config import NetBoxProfile, Settings
from netbox_tui.core.explain import explain
from netbox_tui.core.intent import Condition, Intent, Ref
from netbox_tui.core.orchestrator import Orchestrator
from netbox_tui.core.planner import page_text
from netbox_tui.core.recipes import range_words
from netbox_tui.core.results import Column, Table, plural
from netbox_tui.errors import (
    NotFoundError,
    PermissionDeniedError,
    TLSError,
    TokenRejectedError,
    WrongURLError,
)
from netbox_tui.netbox.client import NetBoxClient
from netbox_tui.session import Session

URL = "http://netbox.test"
TOKEN = "0123456789abcdef0123456789abcdef01234567"
HTML_404 = {"content": b"<html><h1>Page not found</h1></html>", "headers": {"Content-Type": "text/html"}}


@pytest.fixture
async def orch() -> AsyncIterator[Orchestrator]:
    session = Session.open(Settings(), demo=True)
    yield session.orchestrator
    await session.aclose()


@pytest.fixture
async def client() -> AsyncIterator[NetBoxClient]:
    async def no_sleep(delay: float) -> None:
        return None

    made = NetBoxClient(NetBoxProfile(url=URL, token=TOKEN), sleep=no_sleep, rng=random.Random(1))
    yield made
    await made.aclose()


def _listed(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {"count": len(rows), "next": None, "previous": None, "results": rows}


# -- 5. contacts ----------------------------------------------------------------------------------------

async def test_contacts_of_a_site_come_from_its_assignments(orch: Orchestrator) -> None:
    ans = await orch.ask("contacts for DM-Scranton")
    assert ans.status == "ok", ans.answer
    assert ans.answer.startswith("3 contacts at DM-Scranton")
    cond = ans.interpretation.conditions[0]  # type: ignore[union-attr]
    assert cond.filter == "tenancy/contact-assignments/?object_type=dcim.site&object_id=10"
    table = ans.tables[0]
    assert table.object_type == "tenancy.contact"
    assert {"phone", "email", "role", "priority"} <= {c.key for c in table.columns}
    # The demo data's three assignments at DM-Scranton (netbox-demo-data), primary ones first.
    got = [(r["name"], r["role"], r["priority"], r["phone"]) for r in table.rows]
    assert got == [("Dwight Schrute", "Operational", "Primary", "272-555-3827"),
                   ("Pamela Halpert", "Administrative", "Primary", "272-555-1261"),
                   ("Michael Scott", "Administrative", "Secondary", "272-555-9194")]
    assert all("@" in r["email"] for r in table.rows)


async def test_a_site_without_contacts_says_none_exactly(orch: Orchestrator) -> None:
    ans = await orch.ask("contacts for DM-Akron")
    assert ans.status == "ok" and ans.answer == "No contacts at DM-Akron."
    assert not ans.interpretation.limits  # type: ignore[union-attr]
    assert ans.tables[0].total == 0


@pytest.mark.parametrize("model,object_id,label", [
    ("dcim.device", 1, "dmi01-akron-rtr01"), ("circuits.circuit", 19, "1002840283"),
    ("tenancy.tenant", 5, "Dunder-Mifflin, Inc."),
])
async def test_contacts_of_any_model_go_through_one_assignment_query(
        orch: Orchestrator, model: str, object_id: int, label: str) -> None:
    ref = Ref(model=model, id=object_id, label=label)
    intent = Intent(target="tenancy.contact", source="choice", conditions=[
        Condition(field=model.split(".")[1], model=model, value=label, text=label, resolved=[ref])])
    ans = await orch.ask(f"contacts of {label}", intent=intent)
    assert ans.status == "ok", ans.answer
    sent = ans.interpretation.conditions[0].filter  # type: ignore[union-attr]
    assert sent == f"tenancy/contact-assignments/?object_type={model}&object_id={object_id}"
    assert ans.stats.api_calls == 1  # no assignment in the demo data: the contacts are not read
    assert ans.answer.startswith("No contacts")


async def test_a_bare_contact_name_is_found_with_its_phone(orch: Orchestrator) -> None:
    ans = await orch.ask("Michael Scott")
    assert ans.status == "ok" and ans.tables[0].object_type == "tenancy.contact"
    assert "phone 272-555-9194" in ans.answer and "mscott@dunder-mifflin.com" in ans.answer


async def test_contacts_of_two_objects_show_where_each_is_assigned(client: NetBoxClient) -> None:
    """respx: two devices, a contact assigned to each, asked for both: one row each, saying where."""
    assignment = [
        {"id": 1, "object_type": "dcim.device", "object_id": 7, "object": {"id": 7, "display": "sw1"},
         "contact": {"id": 4, "display": "Ann"}, "role": {"id": 1, "display": "NOC"},
         "priority": {"value": "primary", "label": "Primary"}},
        {"id": 2, "object_type": "dcim.device", "object_id": 8, "object": {"id": 8, "display": "sw2"},
         "contact": {"id": 5, "display": "Bob"}, "role": None, "priority": None},
    ]
    contacts = [{"id": 4, "display": "Ann", "name": "Ann", "phone": "1", "email": "a@x"},
                {"id": 5, "display": "Bob", "name": "Bob", "phone": "", "email": "b@x"}]
    with respx.mock(base_url=URL, assert_all_mocked=True) as router:
        assigned = router.get("/api/tenancy/contact-assignments/").respond(200, json=_listed(assignment))
        people = router.get("/api/tenancy/contacts/").respond(200, json=_listed(contacts))
        intent = Intent(target="tenancy.contact", source="choice", conditions=[Condition(
            field="device", model="dcim.device", value="sw1, sw2", text="sw1 and sw2",
            resolved=[Ref(model="dcim.device", id=7, label="sw1"),
                      Ref(model="dcim.device", id=8, label="sw2")],
        )])
        ans = await Orchestrator(client).ask("contacts of sw1 and sw2", intent=intent)
    assert ans.status == "ok" and ans.answer.startswith("2 contacts on sw1, sw2")
    sent = assigned.calls.last.request.url.params
    assert sent.get_list("object_type") == ["dcim.device"] and sent.get_list("object_id") == ["7", "8"]
    assert people.calls.last.request.url.params.get_list("id") == ["4", "5"]
    rows = ans.tables[0].rows
    got = [(r["name"], r["object"], r["role"], r["phone"]) for r in rows]
    assert got == [("Ann", "sw1", "NOC", "1"), ("Bob", "sw2", "—", "—")]


# -- 8. a rejected token, a wrong URL ------------------------------------------------------------------------

async def test_a_rejected_token_stops_the_question_at_the_first_request(client: NetBoxClient) -> None:
    with respx.mock(base_url=URL, assert_all_mocked=True) as router:
        route = router.route().respond(403, json={"detail": "Invalid v1 token"})
        ans = await Orchestrator(client).ask("VLANs at DM-Akron")
    assert route.call_count == 1 and ans.stats.api_calls == 1
    assert ans.status == "error" and ans.error is not None and ans.error.kind == "auth"
    assert "token rejected" in ans.error.message and "Invalid v1 token" in ans.error.message
    assert "NETBOX_TOKEN" in ans.error.hint and ans.error.alternatives == []
    assert "<site>" not in ans.answer and "VLANs at" not in ans.answer


async def test_an_extra_path_in_the_url_is_said_as_a_wrong_url_in_two_requests() -> None:
    made = NetBoxClient(NetBoxProfile(url=URL + "/netbox", token=TOKEN))
    try:
        with respx.mock(base_url=URL, assert_all_mocked=True) as router:
            route = router.route().respond(404, **HTML_404)
            ans = await Orchestrator(made).ask("VLANs at DM-Akron")
    finally:
        await made.aclose()
    assert route.call_count == 2 and str(route.calls.last.request.url) == URL + "/netbox/api/status/"
    assert ans.status == "error" and ans.error is not None and ans.error.kind == "bad_url"
    assert "http://netbox.test/netbox is not a NetBox API root" in ans.error.message
    assert "NETBOX_URL" in ans.error.hint and ans.error.alternatives == []
    assert not any("spelling" in s or "deleted" in c for s in ans.error.next_steps for c in ans.error.causes)


async def test_an_endpoint_this_netbox_lacks_is_not_a_wrong_url(client: NetBoxClient) -> None:
    with respx.mock(base_url=URL, assert_all_mocked=True) as router:
        router.get("/api/dcim/sites/").respond(404, **HTML_404)
        router.get("/api/status/").respond(403, json={"detail": "Invalid v1 token"})
        with client.question(), pytest.raises(NotFoundError, match="does not exist on this NetBox") as info:
            await client.get("dcim/sites/")
    assert info.value.page and not isinstance(info.value, WrongURLError)


async def test_a_permission_refusal_does_not_stop_the_other_requests(client: NetBoxClient) -> None:
    with respx.mock(base_url=URL, assert_all_mocked=True) as router:
        denied = {"detail": "You do not have permission to perform this action."}
        router.get("/api/dcim/sites/").respond(403, json=denied)
        ok = router.get("/api/dcim/racks/").respond(200, json=_listed([]))
        with client.question():
            with pytest.raises(PermissionDeniedError, match="may not read it"):
                await client.get("dcim/sites/")
            assert (await client.get("dcim/racks/"))["count"] == 0
    assert ok.call_count == 1


async def test_a_rejected_token_fails_the_rest_of_the_question_without_sending(client: NetBoxClient) -> None:
    with respx.mock(base_url=URL, assert_all_mocked=True, assert_all_called=False) as router:
        sites = router.get("/api/dcim/sites/").respond(401, json={"detail": "Token expired"})
        racks = router.get("/api/dcim/racks/").respond(200, json={"count": 0, "results": []})
        with client.question():
            for path in ("dcim/sites/", "dcim/racks/"):
                with pytest.raises(TokenRejectedError):
                    await client.get(path)
    assert sites.call_count == 1 and racks.call_count == 0


@pytest.mark.parametrize("error,suggests", [
    (TokenRejectedError("token rejected by NetBox (403)"), False),
    (WrongURLError("x is not a NetBox API root"), False),
    (TLSError("TLS verification of x failed"), False),
    (NotFoundError("/api/x/ does not exist", page=True), True),
])
def test_only_errors_about_the_question_suggest_other_questions(error: Any, suggests: bool) -> None:
    info = explain(error)
    assert bool(info.alternatives) == suggests and info.causes and info.next_steps


def test_a_permission_refusal_is_explained_as_permission_not_as_a_bad_token() -> None:
    info = explain(PermissionDeniedError("NetBox refused /api/dcim/sites/ (403)"))
    assert info.kind == "auth" and any("permission" in c for c in info.causes)
    assert not any("expired" in c for c in info.causes)


# -- 10. counts in the right number, circuits' ends, "and N more" ------------------------------------

def test_counts_are_said_in_the_right_number() -> None:
    assert plural(1, "row") == "1 row" and plural(2, "row") == "2 rows"
    assert plural(1_000, "address", "addresses") == "1,000 addresses"
    one = Table(title="t", object_type="dcim.site", columns=[Column(key="name", title="Name")],
                rows=[{"id": 1}], total=1)
    assert page_text(one) == "row 1 of 1"
    assert page_text(one.model_copy(update={"total": 3, "rows": [{"id": 1}, {"id": 2}]})) == "rows 1–2 of 3"
    import ipaddress

    runs = [(ipaddress.ip_address(f"10.0.0.{2 * i}"),) * 2 for i in range(1, 7)]
    assert range_words(runs, limit=5).endswith("+1 more range")
    assert range_words(runs, limit=4).endswith("+2 more ranges")


async def test_one_row_answers_say_row_not_rows(orch: Orchestrator) -> None:
    ans = await orch.ask("sites in Wisconsin")
    assert ans.answer == "1 site in Wisconsin; row 1 of 1." and ans.tables[0].total == 1


async def test_circuits_show_where_each_end_terminates(orch: Orchestrator) -> None:
    ans = await orch.ask("circuits")
    keys = [c.key for c in ans.tables[0].columns]
    assert {"termination_a", "termination_z"} <= set(keys)
    row = next(r for r in ans.tables[0].rows if r["cid"] == "1002840283")
    assert row["termination_z"] == "DM-Akron" and row["termination_a"] == "—"  # the demo: Z end only


async def test_and_n_more_counts_only_groups_that_have_some(orch: Orchestrator) -> None:
    ans = await orch.ask("devices per site")
    rows = ans.tables[0].rows
    some = [r for r in rows if r["count"] != "0"]
    none = len(rows) - len(some)
    assert f"and {len(some) - 6} more." in ans.answer and f"{none} sites with none" in ans.answer
    empty = await orch.ask("sites with no devices")
    assert empty.tables[0].total == none == 7
    assert {r["group"] for r in rows if r["count"] == "0"} == {r["name"] for r in empty.tables[0].rows}


def test_content_type_filter_is_emulated_for_assignments() -> None:
    from netbox_tui.netbox.emulator_spec import ITEXT, spec_for

    spec = spec_for("tenancy/contact-assignments/")
    assert spec is not None and spec.filters["object_type"].kind == ITEXT and "object_id" in spec.filters

