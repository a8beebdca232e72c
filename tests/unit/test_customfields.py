"""Custom fields in questions (issue 17 item 3), offline: the parser given a NetBox's custom fields
(the fixture NetBox's kinds: a date, a boolean, a selection, a text, an integer, an object), the
`cf_` filter each condition becomes, and whole answers on the embedded demo, whose tenants carry the
text field "Customer ID" (expected rows are read from the demo snapshot, not written here)."""

from __future__ import annotations

import gzip
import json
from datetime import date
from typing import Any, AsyncIterator

import pytest
from _cf import CIRCUIT, DEVICE, FIELDS, PREFIX
from _demo import DEMO

from netbox_tui.config import Settings
from netbox_tui.core import customfields
from netbox_tui.core.customfields import CustomFields, cf_filter, period
from netbox_tui.core.intent import Condition, Ref
from netbox_tui.core.names import Named, NameIndex
from netbox_tui.core.orchestrator import Orchestrator
from netbox_tui.core.parser import Parser
from netbox_tui.core.planner import build_query, model_of
from netbox_tui.netbox.client import CustomField
from netbox_tui.session import Session

CFS = CustomFields({m: {f.name: f for f in FIELDS if m in f.object_types} for m in (DEVICE, CIRCUIT, PREFIX)})
NAMES = NameIndex(
    [
        Named("dcim.site", 2, "DM-Akron", "dm-akron"),
        Named("tenancy.tenant", 5, "Dunder-Mifflin, Inc.", "dmi"),
    ],
    source="graphql",
)


@pytest.fixture(scope="module")
def parser() -> Parser:
    return Parser(NAMES, custom=CFS)


def _conds(intent: Any) -> list[tuple[str, str, Any]]:
    return [(c.field, c.op, c.value) for c in intent.conditions]


@pytest.mark.parametrize(
    "question,target,conditions",
    [
        ("devices with warranty end before 2027", DEVICE, [("cf_warranty_end", "lt", "2027-01-01")]),
        ("devices whose warranty ends after 2027-03-31", DEVICE, [("cf_warranty_end", "gte", "2027-04-01")]),
        (
            "devices with warranty ending in 2026",
            DEVICE,
            [("cf_warranty_end", "gte", "2026-01-01"), ("cf_warranty_end", "lt", "2027-01-01")],
        ),
        ("devices with warranty end since June 2026", DEVICE, [("cf_warranty_end", "gte", "2026-06-01")]),
        ("devices with warranty end until 30 June 2028", DEVICE, [("cf_warranty_end", "lt", "2028-07-01")]),
        ("circuits with sla hours at most 4", CIRCUIT, [("cf_sla_hours", "lte", 4)]),
        ("circuits with sla hours over 8", CIRCUIT, [("cf_sla_hours", "gt", 8)]),
        (
            "circuits with sla hours >= 12",
            CIRCUIT,
            [("cf_sla_hours", "gte", 12)],
        ),  # a symbol the words leave out
        ("circuits with sla hours of 12 or more", CIRCUIT, [("cf_sla_hours", "gte", 12)]),
        ("circuits with sla hours 24", CIRCUIT, [("cf_sla_hours", "eq", 24)]),
        ("monitored devices", DEVICE, [("cf_monitored", "eq", True)]),
        ("unmonitored devices", DEVICE, [("cf_monitored", "eq", False)]),
        (
            "devices with warranty ending between 2026 and June 2027",
            DEVICE,
            [("cf_warranty_end", "gte", "2026-01-01"), ("cf_warranty_end", "lt", "2027-07-01")],
        ),
        (
            "circuits with sla between 2 and 8 hrs",
            CIRCUIT,
            [("cf_sla_hours", "gte", 2), ("cf_sla_hours", "lte", 8)],
        ),
        ("circuits where sla hours < 8", CIRCUIT, [("cf_sla_hours", "lt", 8)]),
        ("devices not monitored", DEVICE, [("cf_monitored", "eq", False)]),
        ("devices with monitored set to false", DEVICE, [("cf_monitored", "eq", False)]),
        ("gold support tier devices", DEVICE, [("cf_support_tier", "eq", "gold")]),
        ("circuits with support tier Bronze", CIRCUIT, [("cf_support_tier", "eq", "bronze")]),
        ("prefixes with cost center CC-1040", PREFIX, [("cf_cost_center", "eq", "CC-1040")]),
        ("devices with cost center containing 10", DEVICE, [("cf_cost_center", "ic", "10")]),
        ("devices with cost center CC-1040", DEVICE, [("cf_cost_center", "eq", "CC-1040")]),  # a value, not X
        ("devices owned by Dwight Schrute", DEVICE, [("cf_owner", "eq", "Dwight Schrute")]),
        ("circuits with owner Dwight Schrute", CIRCUIT, [("cf_owner", "eq", "Dwight Schrute")]),
        ("devices without a warranty end", DEVICE, [("cf_warranty_end", "empty", None)]),
        ("devices whose owner is not set", DEVICE, [("cf_owner", "empty", None)]),
        (
            "devices at DM-Akron with warranty end before 2027",
            DEVICE,
            [("site", "eq", "DM-Akron"), ("cf_warranty_end", "lt", "2027-01-01")],
        ),
    ],
)
def test_a_custom_field_filters_with_the_lookup_of_its_type(
    parser: Parser, question: str, target: str, conditions: list[tuple[str, str, Any]]
) -> None:
    intent = parser.parse(question)
    assert intent.target == target and intent.not_understood == [], question
    assert sorted(_conds(intent), key=str) == sorted(conditions, key=str), question


def test_an_object_field_names_the_related_object_to_resolve(parser: Parser) -> None:
    cond = parser.parse("devices owned by Dwight Schrute").conditions[0]
    assert (
        cond.model == "tenancy.contact" and cond.resolved == []
    )  # resolved like any name, then cf_owner=<id>


def test_a_label_word_alone_is_read_and_said(parser: Parser) -> None:
    intent = parser.parse("circuits with an sla under 8 hrs")
    assert _conds(intent) == [("cf_sla_hours", "lt", 8)] and intent.not_understood == []
    assert any("SLA hours" in g for g in intent.guesses())


def test_an_unknown_custom_field_like_phrase_stays_not_understood(parser: Parser) -> None:
    intent = parser.parse("devices with warranty start before 2027")
    assert "warranty" in intent.not_understood
    assert not any(c.field.startswith("cf_") for c in intent.conditions)
    intent = parser.parse("circuits with warranty end before 2027")  # a device's field, not a circuit's
    assert intent.not_understood and not any(c.field.startswith("cf_") for c in intent.conditions)


@pytest.mark.parametrize(
    "question,target,attribute",
    [
        ("warranty end of dmi01-akron-rtr01", DEVICE, "custom_fields.warranty_end"),
        ("what is the support tier of dmi01-akron-rtr01", DEVICE, "custom_fields.support_tier"),
        ("sla hrs on KSIR0381", CIRCUIT, "custom_fields.sla_hours"),
    ],
)
def test_a_custom_field_of_one_object_is_an_attribute(
    parser: Parser, question: str, target: str, attribute: str
) -> None:
    intent = parser.parse(question)
    assert intent.target == target and intent.attributes == [attribute] and intent.not_understood == []


def test_a_label_beats_a_synonym_of_the_vocabulary_and_says_so(parser: Parser) -> None:
    intent = parser.parse("who is the owner of dmi01-akron-rtr01")
    assert intent.attributes == ["custom_fields.owner"]
    assert any("custom field Owner" in g and "tenant" in g for g in intent.guesses())
    plain = Parser(NAMES).parse("who is the owner of dmi01-akron-rtr01")  # no such custom field: the tenant
    assert plain.attributes == ["tenant"]


def test_once_read_a_label_beats_a_synonym_whatever_its_words() -> None:
    """'rack units' is the vocabulary's word for a device's position; a custom field so labelled wins once
    the custom fields are read (a cold question whose words all read otherwise does not read them: the
    README says so)."""
    units = CustomField("rack_units", "Rack units", "integer", (DEVICE,))
    intent = Parser(NAMES, custom=CustomFields({DEVICE: {"rack_units": units}})).parse(
        "devices with rack units over 4"
    )
    assert _conds(intent) == [("cf_rack_units", "gt", 4)]
    assert _conds(Parser(NAMES).parse("devices with rack units over 4")) == [("position", "gt", 4)]


def test_group_by_and_count_on_custom_fields(parser: Parser) -> None:
    intent = parser.parse("devices per support tier")
    assert intent.aggregate is not None and intent.aggregate.by == "custom_fields.support_tier"
    intent = parser.parse("how many devices are monitored")
    assert intent.aggregate is not None and intent.aggregate.op == "count"
    assert _conds(intent) == [("cf_monitored", "eq", True)]


def test_only_a_custom_field_says_the_model(parser: Parser) -> None:
    intent = parser.parse("anything with warranty expiring before 2020")
    assert intent.target == DEVICE and _conds(intent) == [("cf_warranty_end", "lt", "2020-01-01")]


def test_custom_fields_are_read_only_when_the_words_may_name_one(parser: Parser) -> None:
    plain = Parser()
    assert customfields.needed(plain, "monitored devices") and customfields.needed(
        plain, "owner of dmi01-akron-rtr01"
    )
    assert not customfields.needed(plain, "count the interfaces on dmi01-albany-sw01")
    assert not customfields.needed(plain, "VLANs at DM-Akron")


@pytest.mark.parametrize(
    "words,expected",
    [
        ("2027", (date(2027, 1, 1), date(2028, 1, 1))),
        ("2027-03", (date(2027, 3, 1), date(2027, 4, 1))),
        ("2027-03-31", (date(2027, 3, 31), date(2027, 4, 1))),
        ("june 30 2028", (date(2028, 6, 30), date(2028, 7, 1))),
        ("30 june 2028", (date(2028, 6, 30), date(2028, 7, 1))),
        ("december 2026", (date(2026, 12, 1), date(2027, 1, 1))),
        ("next year", (date(2027, 1, 1), date(2028, 1, 1))),
    ],
)
def test_a_period_is_a_day_a_month_or_a_year(words: str, expected: tuple[date, date]) -> None:
    found = period(words.split(), 0, today=date(2026, 12, 7))
    assert found is not None and found[:2] == expected and found[2] == len(words.split())
    assert period(["purple"], 0) is None and period(["2027-02-30"], 0) is None


# -- the filter a condition becomes ---------------------------------------------------------------------


@pytest.fixture
def fields_in_use() -> Any:
    customfields.use(CFS)
    yield
    customfields.use(customfields.NONE)


@pytest.mark.usefixtures("fields_in_use")
@pytest.mark.parametrize(
    "model,cond,expected",
    [
        (
            DEVICE,
            Condition(field="cf_warranty_end", op="lt", value="2027-01-01"),
            ("cf_warranty_end__lt", "2027-01-01"),
        ),
        (DEVICE, Condition(field="cf_warranty_end", op="empty"), ("cf_warranty_end__empty", "true")),
        (CIRCUIT, Condition(field="cf_sla_hours", op="lte", value=4), ("cf_sla_hours__lte", 4)),
        (DEVICE, Condition(field="cf_monitored", value=False), ("cf_monitored", "false")),
        (DEVICE, Condition(field="cf_monitored", op="ne", value=True), ("cf_monitored", "false")),
        (DEVICE, Condition(field="cf_monitored", op="empty"), None),  # NetBox ignores a boolean's __empty
        (DEVICE, Condition(field="cf_support_tier", value="gold"), ("cf_support_tier", "gold")),
        (DEVICE, Condition(field="cf_support_tier", value="platinum"), None),  # no such choice
        (PREFIX, Condition(field="cf_cost_center", value="cc-1040"), ("cf_cost_center__ie", "cc-1040")),
        (PREFIX, Condition(field="cf_cost_center", op="ic", value="10"), ("cf_cost_center__ic", "10")),
        (
            DEVICE,
            Condition(field="cf_owner", value="Dwight", model="tenancy.contact"),
            None,
        ),  # not resolved yet
        (
            DEVICE,
            Condition(
                field="cf_owner",
                value="Dwight",
                model="tenancy.contact",
                resolved=[Ref(model="tenancy.contact", id=3, label="Dwight Schrute")],
            ),
            ("cf_owner", [3]),
        ),
        (
            "dcim.site",
            Condition(field="cf_warranty_end", op="lt", value="2027-01-01"),
            None,
        ),  # not a site's field
        (DEVICE, Condition(field="cf_no_such_field", value="x"), None),
    ],
)
def test_cf_filter_per_type(model: str, cond: Condition, expected: Any) -> None:
    assert cf_filter(model, cond) == expected


@pytest.mark.usefixtures("fields_in_use")
def test_the_interpretation_names_the_custom_field_and_the_parameter() -> None:
    q = build_query(
        model_of(DEVICE),
        [
            Condition(field="cf_warranty_end", op="lt", value="2027-01-01", text="x"),
            Condition(field="cf_support_tier", value="gold", text="gold"),
        ],
    )
    assert q.params == {"cf_warranty_end__lt": "2027-01-01", "cf_support_tier": "gold"}
    assert [a.words() for a in q.applied] == [
        "warranty end (custom field) < 2027-01-01",
        "support tier (custom field) = Gold",
    ]
    assert [a.filter for a in q.applied] == ["cf_warranty_end__lt=2027-01-01", "cf_support_tier=gold"]
    site = build_query(
        model_of("dcim.site"), [Condition(field="cf_warranty_end", op="lt", value="2027-01-01", text="x")]
    )
    assert site.params == {} and site.applied[0].filter.startswith("not applied")  # never sent


# -- whole answers on the embedded demo ---------------------------------------------------------------


def _demo_tenants() -> list[dict[str, Any]]:
    return json.loads(gzip.decompress(DEMO.read_bytes()))["endpoints"]["tenancy/tenants/"]


@pytest.fixture
async def orch() -> AsyncIterator[Orchestrator]:
    session = Session.open(Settings(), demo=True)
    yield session.orchestrator
    await session.aclose()


async def test_tenants_by_customer_id_on_the_demo(orch: Orchestrator) -> None:
    tenant = next(t for t in _demo_tenants() if (t.get("custom_fields") or {}).get("cust_id"))
    cust_id = tenant["custom_fields"]["cust_id"]
    ans = await orch.ask(
        f"tenants with customer id {cust_id.lower()}"
    )  # NetBox's exact is case-sensitive: __ie
    assert ans.status == "ok", ans.answer
    assert [r["name"] for r in ans.tables[0].rows] == [tenant["name"]]
    cond = ans.interpretation.conditions[0]  # type: ignore[union-attr]
    assert cond.field == "customer ID (custom field)" and cond.filter == f"cf_cust_id__ie={cust_id.lower()}"
    assert any(c.title == "Customer ID" for c in ans.tables[0].columns)
    assert ans.tables[0].rows[0]["cf_cust_id"] == cust_id


async def test_a_tenants_customer_id_as_an_attribute_and_unset_ones(orch: Orchestrator) -> None:
    tenant = next(t for t in _demo_tenants() if (t.get("custom_fields") or {}).get("cust_id"))
    ans = await orch.ask(f"customer id of tenant {tenant['name']}")
    assert ans.status == "ok" and tenant["custom_fields"]["cust_id"] in ans.answer
    unset = {t["name"] for t in _demo_tenants() if not (t.get("custom_fields") or {}).get("cust_id")}
    ans = await orch.ask("tenants without a customer id")
    assert ans.status == "ok" and {r["name"] for r in ans.tables[0].rows} == unset and unset


# -- the emulator's cf_ filters, on the demo with custom fields of every kind added -----------------------


def _with_fields() -> tuple[dict[str, Any], dict[int, dict[str, Any]]]:
    """The demo snapshot plus the fixture's kinds of custom field on devices, set on every third device;
    returns it and each device's values (what the expected rows are computed from)."""
    import copy

    from netbox_tui.backend import demo_snapshot_path
    from netbox_tui.netbox.snapshot import load_snapshot

    data = copy.deepcopy(load_snapshot(demo_snapshot_path()))
    ep = data["endpoints"]
    ep["extras/custom-field-choice-sets/"] = [
        {"id": 1, "name": "Tiers", "extra_choices": [["gold", "Gold"], ["silver", "Silver"]]}
    ]

    def cf(i: int, name: str, label: str, type_: str, **extra: Any) -> dict[str, Any]:
        return {
            "id": i,
            "name": name,
            "label": label,
            "type": {"value": type_, "label": type_},
            "object_types": [DEVICE],
            "filter_logic": {"value": "exact", "label": "Exact"},
            "choice_set": None,
            "related_object_type": None,
            **extra,
        }

    ep["extras/custom-fields/"] = list(ep["extras/custom-fields/"]) + [
        cf(90, "warranty_end", "Warranty end", "date"),
        cf(91, "monitored", "Monitored", "boolean"),
        cf(92, "support_tier", "Support tier", "select", choice_set={"id": 1, "name": "Tiers"}),
        cf(93, "port_budget", "Port budget", "integer"),
        cf(94, "owner", "Owner", "object", related_object_type="tenancy.contact"),
    ]
    contacts = ep["tenancy/contacts/"]
    values: dict[int, dict[str, Any]] = {}
    for n, dev in enumerate(ep["dcim/devices/"]):
        if n % 3:
            continue
        v = {
            "warranty_end": f"{2025 + n % 4}-06-30",
            "monitored": n % 2 == 0,
            "support_tier": {"value": "gold", "label": "Gold"} if n % 6 == 0 else None,
            "port_budget": n % 7,
            "owner": {
                "id": contacts[n % len(contacts)]["id"],
                "display": contacts[n % len(contacts)]["name"],
            },
        }
        dev["custom_fields"] = {**(dev.get("custom_fields") or {}), **v}
        values[dev["id"]] = v
    return data, values


@pytest.fixture(scope="module")
def with_fields() -> tuple[dict[str, Any], dict[int, dict[str, Any]]]:
    return _with_fields()


@pytest.fixture
async def cf_client(with_fields: Any) -> AsyncIterator[Any]:
    from netbox_tui.config import NetBoxProfile
    from netbox_tui.netbox.client import NetBoxClient
    from netbox_tui.netbox.emulator import SnapshotTransport

    client = NetBoxClient(
        NetBoxProfile(url="http://snapshot.test"), transport=SnapshotTransport(with_fields[0])
    )
    yield client
    await client.aclose()


async def test_the_client_reads_the_fields_and_their_choices(cf_client: Any) -> None:
    fields = await cf_client.custom_fields(choices=False)
    assert fields[DEVICE]["support_tier"].choice_set == 1 and fields[DEVICE]["support_tier"].choices == ()
    fields = await cf_client.custom_fields()
    assert fields[DEVICE]["support_tier"].choices == (("gold", "Gold"), ("silver", "Silver"))
    assert fields[DEVICE]["owner"].related_object_type == "tenancy.contact"
    assert fields["tenancy.tenant"]["cust_id"].type == "text"


@pytest.mark.parametrize(
    "params,keep",
    [
        ({"cf_warranty_end__lt": "2027-01-01"}, lambda v: v["warranty_end"] < "2027-01-01"),
        ({"cf_warranty_end__gte": "2027-06-30"}, lambda v: v["warranty_end"] >= "2027-06-30"),
        ({"cf_monitored": "false"}, lambda v: v["monitored"] is False),
        ({"cf_support_tier": "gold"}, lambda v: v["support_tier"] is not None),
        ({"cf_support_tier__empty": "false"}, lambda v: v["support_tier"] is not None),
        ({"cf_port_budget__lte": "3"}, lambda v: v["port_budget"] <= 3),
        ({"cf_port_budget": "0"}, lambda v: v["port_budget"] == 0),
    ],
)
async def test_the_emulator_filters_custom_fields_by_type(
    cf_client: Any, with_fields: Any, params: Any, keep: Any
) -> None:
    expected = {i for i, v in with_fields[1].items() if keep(v)}
    rows = await cf_client.list_all("dcim/devices/", params, fields=["id"])
    assert expected and {r["id"] for r in rows} == expected


async def test_the_emulator_filters_an_object_field_by_id_and_ignores_a_booleans_lookups(
    cf_client: Any, with_fields: Any
) -> None:
    import httpx

    from netbox_tui.errors import UnknownFilterError
    from netbox_tui.netbox.emulator import SnapshotTransport

    owner = next(iter(with_fields[1].values()))["owner"]["id"]
    rows = await cf_client.list_all("dcim/devices/", {"cf_owner": owner}, fields=["id"])
    assert {r["id"] for r in rows} == {i for i, v in with_fields[1].items() if v["owner"]["id"] == owner}
    every = len(with_fields[0]["endpoints"]["dcim/devices/"])
    for params in ({"cf_monitored__empty": "true"}, {"cf_monitored__n": "true"}):
        with pytest.raises(UnknownFilterError):  # refused before anything is sent: NetBox would ignore it
            await cf_client.page("dcim/devices/", params, limit=1)
        transport = SnapshotTransport(with_fields[0])
        async with httpx.AsyncClient(transport=transport, base_url="http://s.test") as raw:
            resp = await raw.get("/api/dcim/devices/", params={**params, "limit": 1})
        assert resp.json()["count"] == every  # and ignored, as NetBox 4.7.3 does (measured)


@pytest.mark.parametrize(
    "question,keep",
    [
        ("devices with warranty end before 2027", lambda v: v["warranty_end"] < "2027-01-01"),
        ("devices whose warranty ends in 2027", lambda v: v["warranty_end"].startswith("2027")),
        ("gold support tier devices", lambda v: v["support_tier"] is not None),
        ("devices not monitored", lambda v: v["monitored"] is False),
        ("devices with port budget at least 4", lambda v: v["port_budget"] >= 4),
    ],
)
async def test_whole_answers_on_a_snapshot_with_custom_fields(
    cf_client: Any, with_fields: Any, question: str, keep: Any
) -> None:
    expected = {i for i, v in with_fields[1].items() if keep(v)}
    ans = await Orchestrator(cf_client, page_size=100).ask(question)
    assert ans.status == "ok", ans.answer
    assert {r["id"] for r in ans.tables[0].rows} == expected and ans.tables[0].total == len(expected)
    assert ans.interpretation is not None and ans.interpretation.conditions[0].filter.startswith("cf_")


# -- an LLM's reading: its prompt lists the custom fields, its reply is checked against them ---------------


@pytest.mark.usefixtures("fields_in_use")
def test_an_llm_prompt_lists_the_custom_fields_and_its_reply_is_checked() -> None:
    from netbox_tui.config import LLMSettings
    from netbox_tui.core.intent import Aggregate, Intent
    from netbox_tui.core.llm import LLMClassifier, LLMError, validate

    system = LLMClassifier(LLMSettings(api_key="sk-test-not-a-real-key")).messages("x")[0]["content"]
    assert "cf_warranty_end:date" in system and "cf_support_tier:gold|silver|bronze" in system
    assert "cf_owner:tenancy.contact" in system
    ok = Intent(
        target=DEVICE,
        conditions=[Condition(field="cf_warranty_end", op="lt", value="2027-01-01")],
        attributes=["custom_fields.owner"],
    )
    assert validate(ok) is ok
    assert validate(Intent(target=DEVICE, aggregate=Aggregate(op="group", by="custom_fields.support_tier")))
    for bad in (
        Intent(target=DEVICE, conditions=[Condition(field="cf_sla_hours", op="lt", value=4)]),  # a circuit's
        Intent(target=DEVICE, attributes=["custom_fields.nothing"]),
    ):
        with pytest.raises(LLMError):
            validate(bad)
    customfields.use(customfields.NONE)
    system = LLMClassifier(LLMSettings(api_key="sk-test-not-a-real-key")).messages("x")[0]["content"]
    assert "Custom fields" not in system
