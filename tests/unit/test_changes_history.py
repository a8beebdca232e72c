"""The change log and the journal, kinds of question a held-out set missed (issue 17), offline: dates with a
year ("1 dec 2026", "dec 1st, 2026", "december 2026"), a user before a change word ("everything dwight has
created"), "who <verb> X" (the verb naming the field that changed: "shut" = `enabled` became false), a tag put
on an object, a deleted object found by its name in the log, a journal kind that is also a skip word ("info
level"), the journal's text search. Expected values are written from the question, not from the tool."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Optional

import pytest
from _demo import demo_names

from netbox_tui.core import changes
from netbox_tui.core.changes import plan_changes, plan_journal
from netbox_tui.core.intent import Condition, Intent, Ref
from netbox_tui.core.names import Named, NameIndex
from netbox_tui.core.parser import Parser
from netbox_tui.core.plan import Context, NotFound
from netbox_tui.core.resolve import Resolution
from netbox_tui.core.timewords import find_span

NOW = datetime(2026, 12, 9, 15, 30, tzinfo=timezone.utc)  # a Wednesday
RTR, DEC1 = "dmi01-akron-rtr01", "2026-12-01T00:00:00Z"
TAGS = [Named("extras.tag", 28, "pci-scope", "pci-scope"), Named("extras.tag", 27, "critical", "critical")]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)  # type: ignore[misc]


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(changes, "clock", lambda: NOW)


@pytest.fixture(scope="module")
def parser() -> Parser:
    return Parser(NameIndex(list(demo_names().entries) + TAGS, source="graphql"))


def conds(intent: Intent) -> dict[str, Any]:
    return {f"{c.field}:{c.op}": c.value for c in intent.conditions}


# -- dates with a year ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,after,before,width",
    [
        ("since 1 dec 2026", utc(2026, 12, 1), None, 4),
        ("since dec 1, 2026", utc(2026, 12, 1), None, 4),
        ("since Dec 1st 2026", utc(2026, 12, 1), None, 4),
        ("after nov 3 2025", utc(2025, 11, 4), None, 4),  # a past year, said: not rolled back or forward
        ("before december 2026", None, utc(2026, 12, 1), 3),
        ("in december 2025", utc(2025, 12, 1), utc(2026, 1, 1), 3),
        ("in 2026", utc(2026, 1, 1), utc(2027, 1, 1), 2),
        ("before 2027", None, utc(2027, 1, 1), 2),
        ("since 3rd november", utc(2026, 11, 3), None, 3),
        ("between dec 1 and dec 5 2026", utc(2026, 12, 1), utc(2026, 12, 6), 7),  # both days included
        ("from monday to wednesday", utc(2026, 12, 7), utc(2026, 12, 10), 4),
        ("since last wednesday", utc(2026, 12, 2), None, 3),  # today is one: last week's
        ("last friday", utc(2026, 12, 4), utc(2026, 12, 5), 2),
    ],
)
def test_dates_with_a_year(
    text: str, after: Optional[datetime], before: Optional[datetime], width: int
) -> None:
    span = find_span(text.lower().replace(",", "").split(), NOW)
    assert span is not None and (span.after, span.before, span.end - span.start) == (after, before, width)


@pytest.mark.parametrize("words", ["VLANs before 200", "vlan 2026", "since feb 30 2026", "in 12345"])
def test_numbers_that_are_no_dates(words: str) -> None:
    assert find_span(words.lower().split(), NOW) is None


# -- reading --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question,want",
    [
        ("everything dwight has created", {"user_name:eq": "dwight", "action:eq": "create"}),
        (
            "did dwight change anything before december 2026?",
            {"user_name:eq": "dwight", "time:lt": "2026-12-01T00:00:00Z"},
        ),
        (
            "ip addresses added since 1 dec 2026",
            {
                "time:gte": "2026-12-01T00:00:00Z",
                "action:eq": "create",
                "changed_object_type:eq": "ipam.ipaddress",
            },
        ),
        ("who made changes today", {"time:gte": "2026-12-09T00:00:00Z"}),
        ("what did dwight do yesterday",
         {"user_name:eq": "dwight", "time:gte": "2026-12-08T00:00:00Z", "time:lt": "2026-12-09T00:00:00Z"}),
        ("recent changes", {}),  # "recent" is no user
        ("latest changes on dmi01-akron-rtr01", {"object:eq": "dmi01-akron-rtr01"}),
        ("who has been modifying dmi01-akron-rtr01", {"object:eq": "dmi01-akron-rtr01"}),
        ("what happened to dmi01-akron-rtr01 today",
         {"object:eq": "dmi01-akron-rtr01", "time:gte": "2026-12-09T00:00:00Z"}),
    ],
)
def test_change_log_questions_read_whole(parser: Parser, question: str, want: dict[str, Any]) -> None:
    intent = parser.parse(question)
    assert (intent.pattern, intent.not_understood) == ("changes", [])
    assert conds(intent) == want


def test_who_shut_a_port_is_its_enabled_turned_false(parser: Parser) -> None:
    intent = parser.parse("who shut xe-0/0/1 on ncsu-coreswitch1 and was it enabled before?")
    assert (intent.pattern, intent.not_understood) == ("changes", [])
    want = {"became.enabled:eq": False, "name:eq": "xe-0/0/1", "device:eq": "ncsu-coreswitch1"}
    assert conds(intent) == want
    assert intent.attributes == ["enabled"]  # "was it enabled before": the field's values before → after


@pytest.mark.parametrize(
    "question,attributes,became",
    [
        ("who renamed dmi01-akron-rtr01", ["name"], None),
        ("when was dmi01-akron-rtr01 renamed", ["name"], None),
        ("when was dmi01-akron-rtr01 disabled", [], True),
        ("who last touched dmi01-akron-rtr01", [], None),
        ("who disabled dmi01-akron-rtr01", [], True),
        ("who enabled dmi01-akron-rtr01", [], False),
    ],
)
def test_who_and_a_verb_asks_the_change_log(
    parser: Parser, question: str, attributes: list[str], became: Optional[bool]
) -> None:
    intent = parser.parse(question)
    assert (intent.pattern, intent.not_understood, intent.attributes) == ("changes", [], attributes)
    assert conds(intent).get("became.enabled:eq") == (None if became is None else not became)
    assert conds(intent)["object:eq"] == "dmi01-akron-rtr01"


@pytest.mark.parametrize(
    "question,want",
    [
        ("who set dmi01-akron-rtr01 to offline", {"object:eq": RTR, "became.status:eq": "offline"}),
        # "anyone" is no user; the name ends where the date begins
        ("did anyone change dmi01-akron-rtr01 since dec 1, 2026", {"object:eq": RTR, "time:gte": DEC1}),
        ("when was dmi01-akron-rtr01 last changed", {"object:eq": RTR}),  # "last" is no user
        (
            "what changed on dmi01-akron-rtr01 between dec 1 and dec 5 2026",
            {"object:eq": RTR, "time:gte": DEC1, "time:lt": "2026-12-06T00:00:00Z"},
        ),
    ],
)
def test_values_users_and_names_beside_change_words(
    parser: Parser, question: str, want: dict[str, Any]
) -> None:
    intent = parser.parse(question)
    assert (intent.pattern, intent.not_understood, conds(intent)) == ("changes", [], want)


@pytest.mark.parametrize("question", ["who created vlan Guest", "who created the Guest VLAN"])
def test_a_capitalised_model_word_beside_another_is_a_name(parser: Parser, question: str) -> None:
    """"Guest" is a VM word too: beside "VLAN" it names the VLAN, never a second kind of object OR'ed."""
    intent = parser.parse(question)
    assert (intent.pattern, intent.not_understood) == ("changes", [])
    assert [(c.field, c.value, c.model) for c in intent.conditions] == [
        ("action", "create", None), ("object", "Guest", "ipam.vlan")]


@pytest.mark.parametrize(
    "question", ["who owns dmi01-akron-rtr01", "who makes dmi01-akron-rtr01", "who made dmi01-akron-rtr01"]
)
def test_who_and_other_verbs_stay_questions_about_the_object(parser: Parser, question: str) -> None:
    assert parser.parse(question).pattern is None


def test_a_tag_put_on_an_object(parser: Parser) -> None:
    intent = parser.parse("who put the pci-scope tag on dmi01-akron-rtr01")
    assert (intent.pattern, intent.not_understood) == ("changes", [])
    tag = next(c for c in intent.conditions if c.model == "extras.tag")
    assert (tag.field, [r.id for r in tag.resolved]) == ("became.tags", [28])
    removed = parser.parse("who removed the critical tag from dmi01-akron-rtr01")
    assert [c.field for c in removed.conditions if c.field != "object"] == ["untagged.tags"]  # no `action`
    added = parser.parse("who added the critical tag to dmi01-akron-rtr01")  # an update, not a creation
    assert [c.field for c in added.conditions if c.field != "object"] == ["became.tags"]


def test_a_hostname_after_tagged_is_the_object_when_a_tag_is_named(parser: Parser) -> None:
    intent = parser.parse("who tagged dmi01-akron-rtr01 pci-scope")
    assert (intent.pattern, intent.not_understood) == ("changes", [])
    want = {"object": "dmi01-akron-rtr01", "became.tags": "pci-scope"}
    assert {c.field: c.value for c in intent.conditions} == want


@pytest.mark.parametrize(
    "question,want",
    [
        ("info level journal entries", {"kind:eq": "info"}),
        ("journal entries of kind info", {"kind:eq": "info"}),
        ("info notes", {"kind:eq": "info"}),
        ("latest journal entry on dmi01-akron-rtr01", {"object:eq": "dmi01-akron-rtr01"}),
        ("warning journal entries", {"kind:eq": "warning"}),
        ("journal entries that mention an RMA", {"q:eq": "RMA"}),
        ("notes mentioning failed optic by dwight", {"q:eq": "failed optic", "created_by:eq": "dwight"}),
    ],
)
def test_journal_kinds_and_text(parser: Parser, question: str, want: dict[str, Any]) -> None:
    intent = parser.parse(question)
    assert (intent.pattern, intent.not_understood) == ("journal", [])
    assert conds(intent) == want


def test_a_skip_word_is_a_kind_only_beside_the_journal(parser: Parser) -> None:
    """"info" carries nothing where it does not qualify the entries: no kind filter for it."""
    intent = parser.parse("give me info on the journal of dmi01-akron-rtr01")
    assert intent.pattern == "journal" and "kind:eq" not in conds(intent)


# -- planning -------------------------------------------------------------------------------------------


def change(i: int, pre: Optional[dict[str, Any]], post: Optional[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": i,
        "time": f"2026-12-0{i}T10:00:00Z",
        "user_name": f"user{i}",
        "action": {"value": "update", "label": "Updated"},
        "changed_object_type": "dcim.device",
        "changed_object": {"display": "sw1"},
        "object_repr": "sw1",
        "prechange_data": pre,
        "postchange_data": post,
    }


class FakeClient:
    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows, self.sent = rows, []  # type: list[dict[str, Any]], list[list[tuple[str, str]]]

    async def request_json(self, method: str, path: str, params: list[tuple[str, str]], **kw: Any) -> Any:
        self.sent.append(params)
        rows = [] if ("related_object_id" in dict(params)) else self.rows
        return {"count": len(rows), "next": None, "results": rows}

    async def list_all(self, path: str, params: list[tuple[str, Any]], **kw: Any) -> list[dict[str, Any]]:
        self.sent.append(params)
        return []

    async def gather(self, aws: Any) -> list[Any]:
        return [await a for a in aws]


async def run(plan: Any, ctx: Context) -> Any:
    for step in plan.steps:
        ctx.results[step.name] = await step.run(ctx)
    return plan.finish(ctx)


SW1 = Condition(field="object", model="dcim.device", value="sw1", text="sw1",
                resolved=[Ref(model="dcim.device", id=19, label="sw1")])


async def test_a_field_turned_to_a_value_keeps_those_changes_only() -> None:
    rows = [
        change(1, {"enabled": True}, {"enabled": False}),  # shut
        change(2, {"enabled": False}, {"enabled": True}),  # enabled again: not asked
        change(3, {"description": ""}, {"description": "x"}),
    ]
    intent = Intent(target="core.objectchange", pattern="changes", conditions=[
        SW1, Condition(field="became.enabled", value=False, text="shut")])
    ctx = Context(client=FakeClient(rows), resolver=None, intent=intent, question="who shut sw1")
    out = await run(plan_changes(intent), ctx)
    assert [r["id"] for r in out.tables[0].rows] == [1]
    assert all(("enabled", "False") not in p for p in ctx.client.sent)  # never sent: NetBox lacks the filter
    said = next(a for a in ctx.applied if a.field == "enabled")
    assert (said.op, said.value, said.filter.startswith("applied here")) == ("became", "false", True)


async def test_a_tag_put_on_keeps_the_changes_that_added_it() -> None:
    rows = [
        change(1, {"tags": []}, {"tags": ["critical", "pci-scope"]}),  # put on
        change(2, {"tags": ["pci-scope"]}, {"tags": ["pci-scope", "lab"]}),  # already there
        change(3, {"tags": ["pci-scope"]}, {"tags": []}),  # taken off
    ]
    tag = Condition(field="became.tags", value="pci-scope", text="pci-scope tag", model="extras.tag",
                    resolved=[Ref(model="extras.tag", id=28, label="pci-scope")])
    intent = Intent(target="core.objectchange", pattern="changes", conditions=[SW1, tag])
    out = await run(plan_changes(intent), Context(client=FakeClient(rows), resolver=None, intent=intent,
                                                  question="who put the pci-scope tag on sw1"))
    assert [r["id"] for r in out.tables[0].rows] == [1]
    off = tag.model_copy(update={"field": "untagged.tags"})
    intent = Intent(target="core.objectchange", pattern="changes", conditions=[SW1, off])
    out = await run(plan_changes(intent), Context(client=FakeClient(rows), resolver=None, intent=intent,
                                                  question="who removed the pci-scope tag from sw1"))
    assert [r["id"] for r in out.tables[0].rows] == [3]


class NoSuchObject:
    """A resolver that finds nothing: the object was deleted."""

    async def resolve(self, cond: Condition, scope: Any, fields: Any) -> Resolution:
        return Resolution(status="not_found", text=str(cond.value), model=cond.model or "")


async def test_a_deleted_object_is_found_by_its_name_in_the_change_log() -> None:
    gone = Condition(field="object", model="ipam.vlan", value="Temp-Event", text="vlan Temp-Event")
    intent = Intent(target="core.objectchange", pattern="changes",
                    conditions=[Condition(field="action", value="delete", text="deleted"), gone])
    deleted = change(4, {"name": "Temp-Event", "vid": 410}, None) | {"object_repr": "Temp-Event (410)"}
    client = FakeClient([deleted])
    ctx = Context(client=client, resolver=NoSuchObject(), intent=intent, question="who deleted Temp-Event")
    out = await run(plan_changes(intent), ctx)
    assert [r["id"] for r in out.tables[0].rows] == [4]
    assert ("object_repr__isw", "Temp-Event") in client.sent[-1] and ("action", "delete") in client.sent[-1]
    with pytest.raises(NotFound):  # nowhere in the log either: not found, as before
        await run(plan_changes(intent), Context(client=FakeClient([]), resolver=NoSuchObject(), intent=intent,
                                                question="who deleted vlan Temp-Event"))


async def test_the_journal_search_is_sent_as_q_and_said_as_the_comments() -> None:
    intent = Intent(target="extras.journalentry", pattern="journal",
                    conditions=[Condition(field="q", value="RMA", text="mention an RMA")])
    client = FakeClient([])
    ctx = Context(client=client, resolver=None, intent=intent, question="journal entries that mention an RMA")
    await run(plan_journal(intent), ctx)
    assert ("q", "RMA") in client.sent[0]
    assert [(a.field, a.op, a.value) for a in ctx.applied] == [("comments", "contains", "RMA")]


@pytest.mark.parametrize("question, write", [
    ("what did dwight delete?", False),  # asks what was done
    ("what did admin remove today", False),
    ("delete dmi01-akron-rtr01", True),
    ("please remove vlan 400", True),
])
def test_a_write_verb_after_did_asks_what_was_done(question: str, write: bool) -> None:
    from netbox_tui.core.writes import asks_to_write

    assert asks_to_write(question) is write


def test_objects_of_two_kinds_named_apart_are_not_both_asked_of_one_change(parser: Parser) -> None:
    """"the nashua switch": the site DM-Nashua and the switch roles, asked of the same change, always answered
    none (ok and wrong). A change has one object: the first stays, the other's words are said."""
    intent = parser.parse("what did dwight change on the nashua switch")
    objects = [c for c in intent.conditions if c.field == "object"]
    assert len({c.model for c in objects}) == 1 and intent.not_understood == ["switch"]
    port = parser.parse("who shut xe-1/3/7 on ncsu-coreswitch2")  # a port of a device is one object
    assert not port.not_understood


@pytest.mark.parametrize("question, field, user", [
    ("journal notes dwight wrote", "created_by", "dwight"),
    ("changes dwight made today", "user_name", "dwight"),
])
def test_a_name_before_an_authoring_verb_is_the_user(
        parser: Parser, question: str, field: str, user: str) -> None:
    intent = parser.parse(question)
    assert conds(intent)[f"{field}:eq"] == user and not intent.not_understood


def test_make_after_did_someone_is_what_they_did_not_a_manufacturer(parser: Parser) -> None:
    """"make" is a manufacturer's synonym ("make of X"); "what changes did admin make" was changes to
    manufacturers (none, ok)."""
    intent = parser.parse("what changes did admin make")
    assert conds(intent) == {"user_name:eq": "admin"} and not intent.not_understood


@pytest.mark.parametrize("shown, named", [("Temp-Event (410)", True), ("Temp-Event", True),
                                          ("Temp-Event-2 (411)", False), ("Temp-Events (412)", False)])
def test_a_deleted_objects_changes_are_its_own_not_those_of_a_longer_name(shown: str, named: bool) -> None:
    """NetBox's `object_repr__isw=Temp-Event` also finds Temp-Event-2: only the name itself is kept."""
    assert changes._repr_names(shown, "Temp-Event") is named
