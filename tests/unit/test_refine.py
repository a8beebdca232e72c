"""Follow-ups that refine the last answer, one test per kind, on the embedded demo (no network).

The rows expected are the demo's own: DM-Akron holds dmi01-akron-pdu01, -rtr01, -sw01 and a patch
panel; DM-Camden's router is dmi01-camden-rtr01."""

from __future__ import annotations

from pathlib import Path
from typing import AsyncIterator

import pytest

from netbox_tui.config import Settings
from netbox_tui.core.conversation import Conversation
from netbox_tui.session import Session


@pytest.fixture
async def conv() -> AsyncIterator[Conversation]:
    session = Session.open(Settings(), demo=True)
    yield Conversation(session.orchestrator)
    await session.aclose()


def names(conv: Conversation) -> set[str]:
    turn = conv.current
    assert turn is not None and turn.answer.tables
    return {str(r.get("name") or r.get("display")) for r in turn.answer.tables[0].rows}


async def test_narrow_then_swap_the_place(conv: Conversation) -> None:
    first = await conv.ask("devices at DM-Akron")
    assert first.status == "ok" and len(names(conv)) == 4
    ans = await conv.ask("only the routers")
    assert ans.status == "ok" and names(conv) == {"dmi01-akron-rtr01"}
    turn = conv.current
    assert turn is not None and turn.refinement is not None and turn.refinement.kind == "narrow"
    assert turn.refinement.line() == "refining: devices · site = DM-Akron · + role = Router"
    assert ans.answer.startswith("Refining devices · site = DM-Akron: + role = Router.")
    assert ans.interpretation is not None and ans.interpretation.refining == turn.refinement.line()
    ans = await conv.ask("and at DM-Camden?")
    assert ans.status == "ok" and names(conv) == {"dmi01-camden-rtr01"}
    assert conv.current.refinement.kind == "place"  # type: ignore[union-attr]
    assert "site = DM-Camden (was DM-Akron)" in conv.current.refinement.changes  # type: ignore[union-attr]
    assert [t.question for t in conv.chain()] == [
        "devices at DM-Akron",
        "only the routers",
        "and at DM-Camden?",
    ]


async def test_a_narrowing_of_rows_all_in_hand_costs_no_request(conv: Conversation) -> None:
    await conv.ask("devices at DM-Akron")
    ans = await conv.ask("only the routers")
    assert ans.stats.api_calls == 0 and names(conv) == {"dmi01-akron-rtr01"}
    assert (
        ans.interpretation is not None
        and ans.interpretation.conditions[-1].filter == "applied here to the 4 rows in hand"
    )
    assert ans.intent is not None and [c.field for c in ans.intent.conditions] == ["site", "role"]


async def test_a_narrowing_of_a_longer_list_asks_netbox_and_resolves_no_name_again(
    conv: Conversation,
) -> None:
    first = await conv.ask("devices")
    assert first.tables[0].total > len(first.tables[0].rows)  # not all in hand
    ans = await conv.ask("only the routers")
    assert ans.stats.api_calls == 1 and ans.interpretation is not None
    assert [c.filter for c in ans.interpretation.conditions] == ["role_id=1"]
    assert ans.tables[0].total == sum(
        1 for r in (await conv.orch.all_rows(first.tables[0])) if r.get("role") == "Router"
    )


async def test_exclude(conv: Conversation) -> None:
    await conv.ask("devices at DM-Akron")
    ans = await conv.ask("not the PDUs")
    assert ans.status == "ok" and "dmi01-akron-pdu01" not in names(conv) and len(names(conv)) == 3
    assert conv.current.refinement.kind == "exclude"  # type: ignore[union-attr]
    ans = await conv.ask("not the routers")  # exclusions add up
    assert names(conv) == {"dmi01-akron-sw01", "Panduit 48-Port Patch Panel (74)"}
    conv.back()
    conv.back()
    ans = await conv.ask("except the routers and the PDUs")  # neither, in one follow-up
    assert names(conv) == {"dmi01-akron-sw01", "Panduit 48-Port Patch Panel (74)"} and ans.status == "ok"


async def test_a_second_narrowing_on_the_same_field_replaces_the_first(conv: Conversation) -> None:
    await conv.ask("devices at DM-Akron")
    await conv.ask("only the routers")
    ans = await conv.ask("only the PDUs")
    assert names(conv) == {"dmi01-akron-pdu01"} and ans.intent is not None
    assert [(c.field, c.op) for c in ans.intent.conditions] == [("site", "eq"), ("role", "eq")]
    turn = conv.current
    assert turn is not None and turn.refinement is not None and turn.refinement.kind == "replace"
    assert turn.refinement.changes == ["role = PDU (was Router)"]


async def test_replace_a_condition_and_swap_the_device(conv: Conversation) -> None:
    await conv.ask("interfaces on dmi01-akron-sw01")
    ans = await conv.ask("just the disabled ones")
    assert ans.interpretation is not None and "enabled = false" in ans.interpretation.line()
    ans = await conv.ask("what about dmi01-camden-sw01?")
    assert ans.interpretation is not None
    assert ans.interpretation.line() == "interfaces · device = dmi01-camden-sw01 · enabled = false"


async def test_show_more_fields(conv: Conversation) -> None:
    await conv.ask("devices at DM-Akron")
    ans = await conv.ask("their primary IPs")
    assert ans.status == "ok" and ans.intent is not None and ans.intent.attributes == ["primary_ip"]
    assert len(names(conv)) == 4  # the same devices, with one more column
    ans = await conv.ask("with serials")
    assert ans.intent is not None and ans.intent.attributes == ["primary_ip", "serial"]


async def test_count_and_group(conv: Conversation) -> None:
    await conv.ask("devices at DM-Akron")
    ans = await conv.ask("how many of them")
    assert ans.intent is not None and ans.intent.aggregate is not None and ans.intent.aggregate.op == "count"
    assert "4 devices" in ans.answer and ans.stats.api_calls == 0  # NetBox's count came with the list
    conv.back()
    ans = await conv.ask("per role")
    assert ans.intent is not None and ans.intent.aggregate is not None and ans.intent.aggregate.by == "role"
    assert "Router 1" in ans.answer


async def test_order_and_cut(conv: Conversation) -> None:
    await conv.ask("devices at DM-Akron")
    ans = await conv.ask("sorted by name, descending".replace(",", ""))
    rows = [r["name"] for r in ans.tables[0].rows]
    assert rows == sorted(rows, key=str.lower, reverse=True)
    assert conv.current.refinement.kind == "order"  # type: ignore[union-attr]
    ans = await conv.ask("the first 2")
    assert len(ans.tables[0].rows) == 2 and ans.tables[0].total == 4 and ans.stats.api_calls == 0
    assert [r["name"] for r in ans.tables[0].rows] == rows[:2]


async def test_drill_into_a_row(conv: Conversation) -> None:
    await conv.ask("devices at DM-Akron")
    second = conv.current.answer.tables[0].rows[1]  # type: ignore[union-attr]
    ans = await conv.ask("the second one")
    assert ans.status == "ok" and f"drill into row 2. {second['name']}: " in ans.answer
    assert [t.object_type for t in ans.tables][0] == "dcim.interface"


async def test_that_ports_far_end(conv: Conversation) -> None:
    await conv.ask("interface GigabitEthernet0/0/0 on dmi01-akron-rtr01")
    ans = await conv.ask("that port's far end")
    assert ans.intent is not None and ans.intent.pattern == "trace"


async def test_a_question_of_its_own_starts_afresh(conv: Conversation) -> None:
    await conv.ask("devices at DM-Akron")
    ans = await conv.ask("only VLANs at DM-Camden")  # a cue, but about other objects
    assert ans.status == "ok" and ans.intent is not None and ans.intent.target == "ipam.vlan"
    assert not ans.answer.startswith("Refining") and conv.back() is not None
    ans = await conv.ask("VLANs at DM-Camden")
    turn = conv.current
    assert ans.status == "ok" and turn is not None and turn.refinement is None and turn.parent is None
    assert not ans.answer.startswith("Refining")


async def test_a_refinement_not_understood_never_widens(conv: Conversation) -> None:
    await conv.ask("devices at DM-Akron")
    ans = await conv.ask("only the purple ones")
    assert ans.status == "partial" and "purple" in ans.answer
    assert len(names(conv)) == 4  # the same rows, never more
    turn = conv.current
    assert turn is not None and turn.refinement is not None and not turn.refinement.exact


async def test_back_returns_to_the_previous_answer(conv: Conversation) -> None:
    first = await conv.ask("devices at DM-Akron")
    await conv.ask("only the routers")
    turn = conv.back()
    assert turn is not None and turn.answer is first
    ans = await conv.ask("not the PDUs")  # refines the answer gone back to, not the routers
    assert len(names(conv)) == 3 and ans.status == "ok"


async def test_a_write_follow_up_is_refused(conv: Conversation) -> None:
    await conv.ask("devices at DM-Akron")
    for follow_up in ("and delete them", "and add VLAN 400 to dmi01-akron-sw01", "then create one more"):
        ans = await conv.ask(follow_up)
        assert (
            ans.status == "error" and ans.error is not None and ans.error.kind == "write_refused"
        ), follow_up
        conv.back()


async def test_saved_and_loaded_between_processes(conv: Conversation, tmp_path: Path) -> None:
    await conv.ask("devices at DM-Akron")
    conv.save(tmp_path / "last.json")
    again = Conversation.load(conv.orch, tmp_path / "last.json")
    ans = await again.ask("only the routers")
    assert ans.status == "ok" and names(again) == {"dmi01-akron-rtr01"}
    assert Conversation.load(conv.orch, tmp_path / "missing.json").current is None


# -- friction 6: a write is refused in words, whatever the verb; a typed intent is never a write ------------

WRITES = [
    "add VLAN 400 to dmi01-akron-sw01",
    "create VLAN 500 at DM-Akron",
    "please add vlan 400 at DM-Akron",
    "can you create prefix 10.99.0.0/24",
    "enable port Gi1/0/2 on dmi01-akron-sw01",
    "move dmi01-akron-rtr01 to rack R2",
    "go ahead and reboot dmi01-akron-rtr01",
    "I want to add a device at DM-Akron",
    "add devices to MDF",
    "update devices at DM-Akron",
    "connect dmi01-akron-sw01 Gi1/0/1 to dmi01-akron-rtr01",
]
READS = [
    "devices added to MDF",
    "change log of dmi01-akron-rtr01",
    "set of VLANs at DM-Akron",
    "power feeds at MDF",
    "tagged interfaces on dmi01-akron-sw01",
    "shutdown ports on dmi01-akron-sw01",
    "what is connected to dmi01-akron-sw01 Gi1/0/1",
]


@pytest.mark.parametrize("question", WRITES)
async def test_a_write_is_refused_whatever_the_verb(conv: Conversation, question: str) -> None:
    ans = await conv.orch.ask(question)
    assert ans.status == "error" and ans.error is not None and ans.error.kind == "write_refused", ans.answer
    assert ans.stats.api_calls == 0


@pytest.mark.parametrize("question", READS)
def test_words_that_describe_are_not_refused(question: str) -> None:
    from netbox_tui.core.writes import asks_to_write

    assert not asks_to_write(question)


async def test_a_typed_intent_is_never_refused_for_the_words_of_its_label(conv: Conversation) -> None:
    from netbox_tui.core.intent import Condition, Intent

    follow = Intent(
        target="dcim.interface",
        pattern="trace",
        source="choice",
        conditions=[
            Condition(field="device", model="dcim.device", value="remove-me-sw01", text="remove-me-sw01"),
            Condition(field="name", model="dcim.interface", value="Gi1/0/1", text="Gi1/0/1"),
        ],
    )
    ans = await conv.orch.ask("what is connected to remove-me-sw01 Gi1/0/1 (delete)", intent=follow)
    assert ans.status == "not_found" and (ans.error is None or ans.error.kind != "write_refused")


# -- friction 7: a grouped count in every wording ------------------------------------------------------------


@pytest.mark.parametrize(
    "question,by",
    [
        ("how many of each device model do we have", "device_type"),
        ("how many devices of each model", "device_type"),
        ("count of each device type", "device_type"),
        ("how many devices per model", "device_type"),
        ("how many of each device role do we have", "role"),
        ("how many of each role at DM-Akron", "role"),
        ("how many of each manufacturer", "device_type.manufacturer"),
    ],
)
async def test_a_grouped_count_in_other_words(conv: Conversation, question: str, by: str) -> None:
    ans = await conv.ask(question)
    assert ans.status == "ok" and ans.intent is not None and ans.intent.target == "dcim.device"
    assert ans.intent.aggregate is not None and (ans.intent.aggregate.op, ans.intent.aggregate.by) == (
        "group",
        by,
    )
    assert (
        ans.answer.split(" ")[1] == "devices"
    ), ans.answer  # "72 devices in 9 device types…", not "14 device types"


async def test_a_long_conversation_keeps_its_latest_turns(conv: Conversation) -> None:
    small = Conversation(conv.orch, keep=2)
    await small.ask("devices at DM-Akron")
    await small.ask("only the routers")
    await small.ask("and at DM-Camden?")
    assert [t.question for t in small.turns] == ["only the routers", "and at DM-Camden?"]
    assert [t.question for t in small.chain()] == ["only the routers", "and at DM-Camden?"]
    with pytest.raises(KeyError, match="the last 2"):
        small.go(0)
    assert small.back() is not None and small.back() is None  # the first answer was forgotten


async def test_a_follow_up_synonym_is_one_vocabulary_line(
        conv: Conversation, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cue words come from vocab.toml [followups]: one more word there is one more way to say it."""
    import dataclasses

    from netbox_tui.core import refine
    from netbox_tui.schema.vocab import load as load_vocab

    await conv.ask("devices at DM-Akron")
    assert (await conv.ask("solely the routers")).status != "ok"  # not a cue yet: read on its own
    conv.back()
    vocab = load_vocab()
    more = {**vocab.followups, "narrow": [*vocab.followups["narrow"], "solely"]}
    monkeypatch.setattr(refine, "load_vocab", lambda: dataclasses.replace(vocab, followups=more))
    refine._cues.cache_clear()
    try:
        ans = await conv.ask("solely the routers")
        assert ans.status == "ok" and names(conv) == {"dmi01-akron-rtr01"}
        assert conv.current is not None and conv.current.refinement is not None
        assert conv.current.refinement.kind == "narrow"
    finally:
        refine._cues.cache_clear()
