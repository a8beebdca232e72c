"""The change log and the journal, offline: time words as absolute UTC spans (a fixed "now"), the
reading of change and journal questions (every word accounted for), the two change-log requests for
a named object merged, the fields changed said pre → post, and the embedded demo's empty answers."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, AsyncIterator

import pytest

from netbox_tui.core import changes
from netbox_tui.core.changes import diff_words, plan_changes
from netbox_tui.core.intent import Condition, Intent, Ref
from netbox_tui.core.plan import Context
from netbox_tui.core.timewords import find_span
from tests.unit._demo import parse

NOW = datetime(2026, 12, 9, 15, 30, tzinfo=timezone.utc)  # a Wednesday


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)  # type: ignore[misc]


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(changes, "clock", lambda: NOW)


# -- time words -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,after,before",
    [
        ("today", utc(2026, 12, 9), None),
        ("yesterday", utc(2026, 12, 8), utc(2026, 12, 9)),
        ("this week", utc(2026, 12, 7), None),
        ("last week", utc(2026, 11, 30), utc(2026, 12, 7)),
        ("this month", utc(2026, 12, 1), None),
        ("last month", utc(2026, 11, 1), utc(2026, 12, 1)),
        ("in the last 3 days", NOW - timedelta(days=3), None),
        ("past 24 hours", NOW - timedelta(hours=24), None),
        ("last two weeks", NOW - timedelta(weeks=2), None),
        ("since monday", utc(2026, 12, 7), None),
        ("since wednesday", utc(2026, 12, 9), None),  # today is one
        ("since thursday", utc(2026, 12, 3), None),  # last week's
        ("since 2026-11-02", utc(2026, 11, 2), None),
        ("since november 3", utc(2026, 11, 3), None),
        ("since 3 november", utc(2026, 11, 3), None),
        ("in november", utc(2026, 11, 1), utc(2026, 12, 1)),
        ("in march", utc(2026, 3, 1), utc(2026, 4, 1)),
        ("in december", utc(2026, 12, 1), utc(2027, 1, 1)),
        ("on monday", utc(2026, 12, 7), utc(2026, 12, 8)),
        ("before friday", None, utc(2026, 12, 4)),
        ("after 2026-12-01", utc(2026, 12, 2), None),
        ("2 days ago", utc(2026, 12, 7), utc(2026, 12, 8)),
    ],
)
def test_time_words_are_absolute_utc_spans(
    text: str, after: datetime | None, before: datetime | None
) -> None:
    span = find_span(text.split(), NOW)
    assert span is not None and (span.after, span.before) == (after, before)


def test_a_month_not_yet_come_is_last_years_and_non_time_words_are_none() -> None:
    march = datetime(2026, 2, 10, tzinfo=timezone.utc)
    span = find_span(["in", "november"], march)
    assert span is not None and span.after == utc(2025, 11, 1) and span.before == utc(2025, 12, 1)
    for words in (
        ["devices", "at", "dm-akron"],
        ["in", "dm-akron"],
        ["last", "port"],
        ["since", "purple"],
        [],
    ):
        assert find_span(words, NOW) is None, words


def test_the_span_says_which_words_it_read() -> None:
    span = find_span("what changed on x since monday please".split(), NOW)
    assert span is not None and (span.start, span.end) == (4, 6)
    assert span.words() == "since 2026-12-07T00:00:00Z"


# -- reading --------------------------------------------------------------------------------------------


def conds(intent: Intent) -> dict[str, tuple[str, Any]]:
    return {f"{c.field}:{c.op}": (c.value, c.model) for c in intent.conditions}


def test_what_changed_on_a_device_today() -> None:
    intent = parse("what changed on dmi01-akron-rtr01 today")
    assert (intent.target, intent.pattern, intent.not_understood) == ("core.objectchange", "changes", [])
    got = conds(intent)
    assert got["time:gte"] == ("2026-12-09T00:00:00Z", None) and "time:lt" not in got
    assert got["object:eq"] == ("dmi01-akron-rtr01", "dcim.device")


def test_notes_on_a_device_is_its_journal() -> None:
    intent = parse("notes on dmi01-akron-rtr01")
    assert (intent.target, intent.pattern, intent.not_understood) == ("extras.journalentry", "journal", [])
    assert conds(intent)["object:eq"] == ("dmi01-akron-rtr01", "dcim.device")


@pytest.mark.parametrize(
    "question,want",
    [
        (
            "what did dwight change this week",
            {"user_name:eq": ("dwight", None), "time:gte": ("2026-12-07T00:00:00Z", None)},
        ),
        (
            "changes by admin yesterday",
            {
                "user_name:eq": ("admin", None),
                "time:gte": ("2026-12-08T00:00:00Z", None),
                "time:lt": ("2026-12-09T00:00:00Z", None),
            },
        ),
        (
            "was anything deleted today",
            {"action:eq": ("delete", None), "time:gte": ("2026-12-09T00:00:00Z", None)},
        ),
        (
            "VLANs added since Monday",
            {
                "action:eq": ("create", None),
                "changed_object_type:eq": ("ipam.vlan", None),
                "time:gte": ("2026-12-07T00:00:00Z", None),
            },
        ),
        ("who changed dmi01-nashua-sw01", {"object:eq": ("dmi01-nashua-sw01", "dcim.device")}),
        (
            "change log in November",
            {"time:gte": ("2026-11-01T00:00:00Z", None), "time:lt": ("2026-12-01T00:00:00Z", None)},
        ),
    ],
)
def test_change_questions_become_change_log_filters(question: str, want: dict[str, tuple[str, Any]]) -> None:
    intent = parse(question)
    assert (intent.target, intent.pattern, intent.not_understood) == ("core.objectchange", "changes", [])
    assert conds(intent) == want


@pytest.mark.parametrize(
    "question,want",
    [
        (
            "warning journal entries by dwight",
            {"kind:eq": ("warning", None), "created_by:eq": ("dwight", None)},
        ),
        (
            "danger notes this week",
            {"kind:eq": ("danger", None), "created:gte": ("2026-12-07T00:00:00Z", None)},
        ),
        ("journal", {}),
    ],
)
def test_journal_questions_become_journal_filters(question: str, want: dict[str, tuple[str, Any]]) -> None:
    intent = parse(question)
    assert (intent.target, intent.pattern, intent.not_understood) == ("extras.journalentry", "journal", [])
    assert conds(intent) == want


def test_a_field_asked_before_and_a_word_nothing_reads() -> None:
    intent = parse("what was dmi01-akron-rtr01's serial before")
    assert intent.pattern == "changes" and intent.attributes == ["serial"] and intent.not_understood == []
    assert parse("what changed on dmi01-akron-rtr01 purple today").not_understood == ["purple"]


def test_a_port_with_its_device_is_the_port_alone() -> None:
    intent = parse("what changed on dmi01-nashua-sw01 Gi1/0/10")
    assert intent.pattern == "changes" and intent.not_understood == []
    assert conds(intent) == {
        "device:eq": ("dmi01-nashua-sw01", "dcim.device"),
        "name:eq": ("Gi1/0/10", "dcim.interface"),
    }


def test_other_questions_are_not_read_as_history() -> None:
    for question in ("devices at DM-Akron", "VLANs before 200", "interfaces on dmi01-akron-rtr01"):
        assert parse(question).pattern is None, question


# -- the change log's fields, pre → post ----------------------------------------------------------------


def test_fields_changed_are_said_pre_to_post() -> None:
    pre = {
        "name": "sw1",
        "comments": "",
        "status": "active",
        "last_updated": "a",
        "interface_count": 1,
        "custom_fields": {"support_tier": "gold"},
    }
    post = {
        "name": "sw1",
        "comments": "new",
        "status": "offline",
        "last_updated": "b",
        "interface_count": 2,
        "custom_fields": {"support_tier": "silver"},
    }
    assert (
        diff_words(pre, post)
        == "comments: — → “new”; status: “active” → “offline”; cf.support_tier: “gold” → “silver”"
    )
    assert diff_words(pre, post, ["status"]) == "status: “active” → “offline”"
    assert (
        diff_words(None, {"name": "v", "vid": 4, "status": "active", "site": 1})
        == "set name, vid, status +1 more"
    )
    assert diff_words({"name": "v"}, None) == "removed name"
    assert diff_words(pre, pre) == "—"


# -- planning: two requests for a named object, merged --------------------------------------------------


class FakeClient:
    """The change log of a device 19 whose interface 5 (related to it) changed too."""

    def __init__(self) -> None:
        self.sent: list[dict[str, str]] = []

    async def request_json(self, method: str, path: str, params: list[tuple[str, str]], **kw: Any) -> Any:
        got = dict(params)
        self.sent.append(got)
        assert path == "core/object-changes/" and kw.get("validate", True) is True  # checked like any other
        own = {
            "id": 2,
            "time": "2026-12-09T10:00:00Z",
            "user_name": "admin",
            "action": {"value": "update", "label": "Updated"},
            "changed_object_type": "dcim.device",
            "changed_object": {"display": "sw1"},
            "prechange_data": {"serial": "A"},
            "postchange_data": {"serial": "B"},
        }
        related = {
            "id": 3,
            "time": "2026-12-09T11:00:00Z",
            "user_name": "dwight",
            "action": {"value": "update", "label": "Updated"},
            "changed_object_type": "dcim.interface",
            "changed_object": {"display": "Gi1"},
            "prechange_data": {"description": ""},
            "postchange_data": {"description": "lobby"},
        }
        rows = [own] if "changed_object_id" in got else [related]
        return {"count": len(rows), "next": None, "results": rows}

    async def gather(self, aws: Any) -> list[Any]:
        return [await a for a in aws]


async def test_changes_on_a_device_are_its_own_and_its_components_merged() -> None:
    ref = Ref(model="dcim.device", id=19, label="sw1")
    intent = Intent(
        target="core.objectchange",
        pattern="changes",
        conditions=[
            Condition(field="time", op="gte", value="2026-12-09T00:00:00Z", text="today"),
            Condition(field="object", model="dcim.device", value="sw1", text="sw1", resolved=[ref]),
        ],
    )
    plan = plan_changes(intent)
    client = FakeClient()
    ctx = Context(client=client, resolver=None, intent=intent, question="what changed on sw1 today")
    for step in plan.steps:
        ctx.results[step.name] = await step.run(ctx)
    out = plan.finish(ctx)
    assert [
        (s.get("changed_object_id"), s.get("related_object_id"), s["time_after"]) for s in client.sent
    ] == [("19", None, "2026-12-09T00:00:00Z"), (None, "19", "2026-12-09T00:00:00Z")]
    rows = out.tables[0].rows
    assert [(r["user"], r["object"], r["fields"]) for r in rows] == [
        ("dwight", "interface Gi1 (of sw1)", "description: — → “lobby”"),
        ("admin", "device sw1", "serial: “A” → “B”"),
    ]
    assert out.answer.startswith("2 changes since 2026-12-09T00:00:00Z on sw1, by admin, dwight")
    assert [a.filter for a in ctx.applied][0] == "time_after=2026-12-09T00:00:00Z"


# -- the embedded demo: no change log, no journal entries: said, never an error -------------------------


@pytest.fixture
async def orch() -> AsyncIterator[Any]:
    from netbox_tui.config import Settings
    from netbox_tui.session import Session

    session = Session.open(Settings(), demo=True)
    yield session.orchestrator
    await session.aclose()


async def test_the_demo_answers_change_and_journal_questions_empty(orch: Any) -> None:
    ans = await orch.ask("what changed on dmi01-akron-rtr01 today")
    assert ans.status == "ok" and ans.answer.startswith(
        "No changes since 2026-12-09T00:00:00Z on dmi01-akron-rtr01"
    )
    assert "no change log" in ans.answer and ans.tables[0].total == 0
    ans = await orch.ask("notes on dmi01-akron-rtr01")
    assert ans.status == "ok" and ans.answer == "No journal entries on dmi01-akron-rtr01."
    assert ans.interpretation.conditions[0].filter == "assigned_object_type=dcim.device&assigned_object_id=1"


@pytest.mark.parametrize("question", ["who made changes today", "who last touched dmi01-akron-rtr01"])
def test_the_word_after_who_is_never_a_user(question: str) -> None:
    """"who made changes": the question asks for the user; "made" and "last" are no user names."""
    intent = parse(question)
    assert intent.pattern == "changes" and not [c for c in intent.conditions if c.field == "user_name"], (
        intent
    )
