"""Custom fields, tags and ASNs said loosely (issue 17, held-out misses of set 17b), offline: the parser given
the fixture NetBox's kinds of custom fields (scripts/seed-fixture.py) and a few names. The kinds, not the
sentences: a label with a typo, date words that carry nothing ("runs out sometime in"), a period right after
the field, a number before its unit, verbs standing for a text value, a code after a label, "no … filled in",
a field's related model after its label, a field no custom field has, "X-tagged", "AS 3356" typed apart."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from _cf import CIRCUIT, DEVICE, FIELDS, PREFIX, TENANT

from netbox_tui.core.cfdates import today_utc
from netbox_tui.core.customfields import CustomFields, needed, period
from netbox_tui.core.names import Named, NameIndex
from netbox_tui.core.parser import Parser
from netbox_tui.core.readings import Readings
from netbox_tui.core.tokens import tokenize

MODELS = (DEVICE, CIRCUIT, PREFIX, TENANT)
CFS = CustomFields({m: {f.name: f for f in FIELDS if m in f.object_types} for m in MODELS})
NAMES = NameIndex(
    [
        Named("dcim.site", 7, "DM-Nashua", "dm-nashua"),
        Named("dcim.site", 11, "DM-Stamford", "dm-stamford"),
        Named("extras.tag", 27, "critical", "critical"),
        Named("tenancy.tenant", 5, "Dunder-Mifflin, Inc.", "dmi"),
    ],
    source="graphql",
)


@pytest.fixture(scope="module")
def parser() -> Parser:
    return Parser(NAMES, custom=CFS)


def _conds(intent: Any) -> list[tuple[str, str, Any]]:
    return sorted(((c.field, c.op, c.value) for c in intent.conditions), key=str)


TODAY = today_utc().isoformat()
IN_90 = (today_utc() + timedelta(days=90)).isoformat()


def _year(y: int) -> list[tuple[str, str, Any]]:
    return [("cf_warranty_end", "gte", f"{y}-01-01"), ("cf_warranty_end", "lt", f"{y + 1}-01-01")]


@pytest.mark.parametrize(
    "question,target,conditions",
    [
        # a label typed with a typo: one word alone, or a word of a whole label
        ("devices w/ warrenty expiring in 2026", DEVICE, _year(2026)),
        ("devices with warrenty end before 2027", DEVICE, [("cf_warranty_end", "lt", "2027-01-01")]),
        ("circuits with sla hurs over 4", CIRCUIT, [("cf_sla_hours", "gt", 4)]),
        ("monitered devices", DEVICE, [("cf_monitored", "eq", True)]),
        # date words that carry nothing; a period right after the field is the whole period
        ("devices whose warranty runs out sometime in 2027", DEVICE, _year(2027)),
        ("devices with warranty end 2027", DEVICE, _year(2027)),
        ("devices whose warranty has expired", DEVICE, [("cf_warranty_end", "lt", TODAY)]),
        ("devices with an expired warranty", DEVICE, [("cf_warranty_end", "lt", TODAY)]),
        (
            "devices with warranty expiring within the next 90 days",
            DEVICE,
            [("cf_warranty_end", "gte", TODAY), ("cf_warranty_end", "lt", IN_90)],
        ),
        # a number before its unit and the label
        ("circuits with a 24h sla", CIRCUIT, [("cf_sla_hours", "eq", 24)]),
        ("circuits with 12+ hour sla", CIRCUIT, [("cf_sla_hours", "gte", 12)]),
        ("which circuit has an 8 hour SLA", CIRCUIT, [("cf_sla_hours", "eq", 8)]),
        ("circuits with a 4-hr sla", CIRCUIT, [("cf_sla_hours", "eq", 4)]),
        ("circuits with less than 8 hour sla", CIRCUIT, [("cf_sla_hours", "lt", 8)]),
        # verbs standing for a text value, with the label (British spelling) or without it
        (
            "what devices are charged to cost centre NCSU-IT-01",
            DEVICE,
            [("cf_cost_center", "eq", "NCSU-IT-01")],
        ),
        ("prefixes billed to cost center cc-1040", PREFIX, [("cf_cost_center", "eq", "cc-1040")]),
        ("circuits billed to CC-1200", CIRCUIT, [("cf_cost_center", "eq", "CC-1200")]),
        # a code after a label: the value, not the object asked about
        ("which tenant has customer id STA03?", TENANT, [("cf_cust_id", "eq", "STA03")]),
        # "no … filled in" is not set; "… recorded" is set; "set to" still takes a value
        ("tenants that have no customer ID filled in", TENANT, [("cf_cust_id", "empty", None)]),
        ("tenants with a customer id recorded", TENANT, [("cf_cust_id", "not_empty", None)]),
        ("devices with monitored set to false", DEVICE, [("cf_monitored", "eq", False)]),
    ],
)
def test_a_loosely_said_custom_field_or_tag(
    parser: Parser, question: str, target: str, conditions: list[tuple[str, str, Any]]
) -> None:
    intent = parser.parse(question)
    assert intent.target == target and intent.not_understood == [], (question, intent)
    assert _conds(intent) == sorted(conditions, key=str), question


@pytest.mark.parametrize(
    "question,said",
    [
        ("devices w/ warrenty expiring in 2026", "“warrenty” as Warranty end"),
        ("what devices are charged to cost centre NCSU-IT-01", "“cost centre” as Cost center"),
        ("circuits billed to CC-1200", "“billed to CC-1200” as Cost center = CC-1200 (custom field)"),
    ],
)
def test_a_guess_is_said(parser: Parser, question: str, said: str) -> None:
    assert said in parser.parse(question).corrected


def test_a_hyphenated_tag_word_names_the_tag(parser: Parser) -> None:
    intent = parser.parse("critical-tagged devices at DM-Nashua")
    assert intent.target == DEVICE and intent.not_understood == []
    tag = next(c for c in intent.conditions if c.model == "extras.tag")
    assert [r.label for r in tag.resolved] == ["critical"]
    unknown = parser.parse("bogus-tagged devices")
    assert not any(c.model == "extras.tag" and c.resolved for c in unknown.conditions)


def test_a_unit_before_the_label_is_no_guess(parser: Parser) -> None:
    said = parser.parse("which circuit has an 8 hour SLA").corrected
    assert said == ["“SLA” as SLA hours"]  # the label word alone is said; the unit "hour" is not a guess


def test_a_value_verb_before_no_code_is_said_as_not_understood(parser: Parser) -> None:
    assert "billed" in parser.parse("devices billed to purple").not_understood


def test_a_code_after_a_label_needs_a_model_word(parser: Parser) -> None:
    """'cost center dmi01-akron-pdu01' asks whose cost center: the device's, not devices with it."""
    intent = parser.parse("cost center dmi01-akron-pdu01")
    assert not any(c.field == "cf_cost_center" for c in intent.conditions)


def test_the_related_model_after_an_object_label_is_the_label(parser: Parser) -> None:
    intent = parser.parse("owner contact for prefix 10.112.148.0/22")
    assert intent.target == PREFIX and intent.attributes == ["custom_fields.owner"]
    assert intent.not_understood == []


def test_a_field_no_custom_field_has_is_looked_for_among_them(parser: Parser) -> None:
    intent = parser.parse("which devices have a maintenance contract number recorded")
    cond = next(c for c in intent.conditions if c.model == "extras.customfield")
    assert cond.value == "maintenance contract number" and intent.not_understood == []
    assert not any("contact" in g for g in intent.corrected)  # "contract" is a word of the name
    relation = parser.parse("devices with an ip address recorded")
    assert not any(c.model == "extras.customfield" for c in relation.conditions)


def test_an_unknown_two_word_name_needs_the_custom_fields(parser: Parser) -> None:
    """'which prefixes does Pamela Halpert own': a person's name only an object field reads."""
    assert needed(parser, "which prefixes does Pamela Halpert own")
    assert not needed(parser, "devices at DM-Nashua")
    assert not needed(parser, "which prefixes does Pamela own")  # one word: no person's name to read


@pytest.mark.parametrize(
    "words,start,end",
    [
        ("next year", date(2027, 1, 1), date(2028, 1, 1)),
        ("this month", date(2026, 12, 1), date(2027, 1, 1)),
        ("next month", date(2027, 1, 1), date(2027, 2, 1)),
        ("the next 90 days", date(2026, 12, 8), date(2027, 3, 8)),
        ("6 months", date(2026, 12, 8), date(2027, 6, 8)),
        ("last 30 days", date(2026, 11, 8), date(2026, 12, 9)),
        ("the end of 2027", date(2027, 12, 31), date(2028, 1, 1)),
        ("the end of next year", date(2027, 12, 31), date(2028, 1, 1)),
        ("today", date(2026, 12, 8), date(2026, 12, 9)),
    ],
)
def test_a_period_from_today(words: str, start: date, end: date) -> None:
    split = words.split()
    assert period(split, 0, date(2026, 12, 8)) == (start, end, len(split))


def _asn_cands(parser: Parser, text: str) -> list[tuple[int, int]]:
    run = Readings(parser, text, tokenize(text, parser.lex))
    run.find()
    return [(c.a, c.b) for c in run.cands if c.kind == "asn"]


def test_an_asn_typed_apart(parser: Parser) -> None:
    assert _asn_cands(parser, "bgp neighbors in AS 3356") == [(3, 5)]
    assert _asn_cands(parser, "sessions to AS3356") == [(2, 3)]
    assert _asn_cands(parser, "bgp neighbors in as 3356") == [(3, 5)]
    assert _asn_cands(parser, "sort as 10") == []  # "as" in lower case before a short number is English


@pytest.mark.parametrize("question", ["circuits with sla hours != 8", "circuits with sla hours <> 8",
                                      "circuits with sla hours ~ 8"])
def test_a_symbol_no_lookup_says_is_never_read_as_another(parser: Parser, question: str) -> None:
    """"!=" holds "=", "<>" holds "<": matched by a part, they were read as sla = 8 and sla < 8, ok."""
    intent = parser.parse(question)
    assert not any(c.field == "cf_sla_hours" and c.op in ("eq", "lt") for c in intent.conditions)
    assert intent.not_understood


@pytest.mark.parametrize("question, op", [("circuits with sla hours >= 8", "gte"),
                                          ("circuits with sla hours => 8", "gte"),
                                          ("circuits with sla hours <= 8", "lte")])
def test_a_symbol_is_read_whole(parser: Parser, question: str, op: str) -> None:
    assert _conds(parser.parse(question)) == [("cf_sla_hours", op, 8)]
