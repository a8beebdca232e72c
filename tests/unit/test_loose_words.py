"""Words typed loosely read as the careful form would (issue 16, item 2), on the embedded demo (no
network): a question in capitals, a port's type typed apart from its numbers."""

from __future__ import annotations

from typing import AsyncIterator

import pytest

from netbox_tui.config import Settings
from netbox_tui.core.lexicon import lexicon
from netbox_tui.core.orchestrator import Orchestrator
from netbox_tui.core.results import Answer
from netbox_tui.core.tokens import tokenize
from netbox_tui.session import Session


@pytest.fixture
async def orch() -> AsyncIterator[Orchestrator]:
    session = Session.open(Settings(), demo=True)
    yield session.orchestrator
    await session.aclose()


async def ask_both(orch: Orchestrator, typed: str, careful: str, ok: bool = True) -> tuple[Answer, Answer]:
    """The question as typed and as a careful user would type it; with `ok`, both must be answered."""
    loose, exact = await orch.ask(typed), await orch.ask(careful)
    if ok:
        assert loose.status == exact.status == "ok", loose.answer
    return loose, exact


def same_reading(loose: Answer, exact: Answer) -> None:
    assert loose.interpretation is not None and exact.interpretation is not None
    assert loose.interpretation.line() == exact.interpretation.line()


def same_rows(loose: Answer, exact: Answer) -> None:
    assert loose.tables[0].total == exact.tables[0].total
    assert [r.get("id") for r in loose.tables[0].rows] == [r.get("id") for r in exact.tables[0].rows]


def same_text(loose: Answer, exact: Answer) -> None:
    assert loose.answer.split(" From cache")[0] == exact.answer.split(" From cache")[0]


@pytest.mark.parametrize("typed, careful", [
    ("DEVICES AT DM-AKRON", "devices at DM-Akron"),
    ("VLANS AT DM-SCRANTON", "VLANs at DM-Scranton"),
    ("DISABLED INTERFACES ON DMI01-AKRON-SW01", "disabled interfaces on dmi01-akron-sw01"),
])
async def test_a_question_in_capitals_reads_as_the_same_in_lower_case(
        orch: Orchestrator, typed: str, careful: str) -> None:
    shouted, plain = await ask_both(orch, typed, careful)
    same_reading(shouted, plain)
    same_rows(shouted, plain)


def test_capitals_in_an_ordinary_question_are_kept() -> None:
    """Only a question typed all in capitals is lower-cased; a name's case elsewhere stays as typed."""
    words = [t.text for t in tokenize("VLAN Data at DM-Akron", lexicon())]
    assert words == ["VLAN", "Data", "at", "DM-Akron"]


@pytest.mark.parametrize("typed, joined", [
    ("interfaces on dmi01-akron-sw01 Gi 1/0/3", "Gi1/0/3"),
    ("ncsu-coreswitch1 xe 0/0/1", "xe-0/0/1"),
    ("ncsu-coreswitch1 xe-0/0/1", "xe-0/0/1"),
    ("dmi01-akron-sw01 gi 1/0/1.100", "gi1/0/1.100"),
])
def test_a_port_typed_apart_is_one_interface_name(typed: str, joined: str) -> None:
    assert [t.text for t in tokenize(typed, lexicon())][-1] == joined


def test_numbers_without_a_slash_stay_apart() -> None:
    assert [t.text for t in tokenize("vlan 100 at DM-Akron", lexicon())] == ["vlan", "100", "at", "DM-Akron"]


@pytest.mark.parametrize("typed, careful", [
    ("what is connected to ncsu-coreswitch1 xe 0/0/1", "what is connected to ncsu-coreswitch1 xe-0/0/1"),
    ("dmi01-akron-sw01 Gi 1/0/3", "dmi01-akron-sw01 Gi1/0/3"),
])
async def test_a_port_typed_apart_answers_as_typed_together(
        orch: Orchestrator, typed: str, careful: str) -> None:
    same_text(*await ask_both(orch, typed, careful))


@pytest.mark.parametrize("typed, careful, said", [
    ("devcie tpyes", "device types", "devcie tpyes"),  # two swapped letters, in two words of one model word
    ("circuit tpyes", "circuit types", "circuit tpyes"),  # the first word alone names another model
    ("pwoer feeds at DM-Akron", "power feeds at DM-Akron", "pwoer feeds"),  # the second alone names the model
    ("ip adresses in 172.16.0.0/16", "ip addresses in 172.16.0.0/16", "ip adresses"),
    ("routres at DM-Akron", "routers at DM-Akron", "routres"),  # a role's name, typed with a transposition
])
async def test_a_misspelt_model_or_role_word_reads_as_spelt_and_says_so(
        orch: Orchestrator, typed: str, careful: str, said: str) -> None:
    loose, exact = await ask_both(orch, typed, careful)
    assert f"Read “{said}” as" in loose.answer  # every fuzzy guess is said
    same_rows(loose, exact)


async def test_a_near_name_that_is_another_place_is_not_guessed(orch: Orchestrator) -> None:
    """Counting a swap as one typo must not make DM-Hartford (no such site) pass for DM-Stamford."""
    ans = await orch.ask("devices at dm-hartford")
    assert ans.status != "ok" and "Stamford" not in (ans.interpretation.line() if ans.interpretation else "")


@pytest.mark.parametrize("question", ["devices purple", "circuit purple", "power purple"])
async def test_a_word_far_from_any_model_word_is_not_made_one(orch: Orchestrator, question: str) -> None:
    """Two words are read as one misspelt model word only when each is close to its word: "devices
    purple" is devices with a word not understood, never "device roles"."""
    ans = await orch.ask(question)
    assert ans.intent is None or ans.intent.target not in ("dcim.devicerole", "circuits.circuittype",
                                                            "dcim.powerfeed", "dcim.powerpanel")
    assert ans.status != "ok"


@pytest.mark.parametrize("typed, careful", [
    ("dmi01 buffalo rtr01", "dmi01-buffalo-rtr01"),
    ("interfaces on dmi01 camden sw01", "interfaces on dmi01-camden-sw01"),
    ("dmi01 buffalo rtr01 platform", "dmi01-buffalo-rtr01 platform"),
])
async def test_a_hostname_typed_with_spaces_for_dashes_is_one_name(
        orch: Orchestrator, typed: str, careful: str) -> None:
    same_text(*await ask_both(orch, typed, careful))


def test_a_word_that_begins_otherwise_is_no_typo_of_a_vocabulary_word() -> None:
    """"dwight" is two letters from "weight" (a routing policy's field), but a typo seldom hits the first
    letter: the word stays for what else may read it (a user of the change log)."""
    from netbox_tui.core.readings import _word_typo

    assert _word_typo("dwight", "weight") == 0.0
    assert _word_typo("devcie", "device") >= 80 and _word_typo("pwoer", "power") >= 80
    assert _word_typo("rdevice", "device") == 0.0
    assert _word_typo("edvice", "device") >= 80  # its first two letters swapped


@pytest.mark.parametrize("typed, careful", [
    ("VLANs marked Alpha", "VLANs tagged Alpha"),  # a tag of the demo data
    ("racks flagged reserved", "reserved racks"),
])
async def test_marked_and_flagged_carry_nothing_but_what_follows(
        orch: Orchestrator, typed: str, careful: str) -> None:
    loose, exact = await ask_both(orch, typed, careful, ok=False)
    assert loose.status == "ok" and loose.intent is not None and not loose.intent.not_understood
    same_reading(loose, exact)


@pytest.mark.parametrize("typed, careful", [
    ("break down devices by role", "devices by role"),
    ("journal notes written by admin", "journal notes by admin"),
])
async def test_words_of_the_telling_carry_nothing(orch: Orchestrator, typed: str, careful: str) -> None:
    loose, exact = await ask_both(orch, typed, careful, ok=False)
    assert loose.intent is not None and not loose.intent.not_understood
    same_reading(loose, exact)


async def test_a_loose_name_narrowed_to_one_by_the_target_is_said_as_a_guess(orch: Orchestrator) -> None:
    """"wesst" is close to several names (cloud regions "gc-us-west1", ..., the region West Virginia); only a
    region filters circuits, so one is left: it is still a guess, and the answer says it."""
    ans = await orch.ask("circuits in wesst")
    assert ans.interpretation is not None and ans.interpretation.conditions[0].value == "West Virginia"
    assert "Read “wesst” as West Virginia" in ans.answer
