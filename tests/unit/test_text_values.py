"""A text field's value read from the question (core/textvalues.py): the operation the words between say
(vocab.toml [text_ops]), the value's words taken from any other reading after an explicit operation word,
only unread words without one. Parsed offline with the shipped schema and vocabulary (no names needed)."""

from __future__ import annotations

import pytest

from netbox_tui.core.parser import Parser


def conditions(question: str) -> list[tuple[str, str, object]]:
    intent = Parser().parse(question)
    assert not intent.not_understood, intent.not_understood
    return [(c.field, c.op, c.value) for c in intent.conditions]


@pytest.mark.parametrize("question, expected", [
    ("interfaces whose description contains uplink", ("description", "ic", "uplink")),  # a port word too
    ("interfaces whose description contains downlink", ("description", "ic", "downlink")),
    ("interfaces whose description starts with WAN", ("description", "isw", "WAN")),  # no "states"
    ("the port described as printer", ("description", "ic", "printer")),
    ("interfaces with description badge reader lobby", ("description", "ic", "badge reader lobby")),
    ("which interface has the description 'badge reader lobby'", ("description", "ic", "badge reader lobby")),
    ("interfaces where the description mentions RMA", ("description", "ic", "RMA")),
])
def test_the_value_and_its_operation(question: str, expected: tuple[str, str, object]) -> None:
    assert conditions(question) == [expected]


def test_a_value_ends_where_a_place_begins() -> None:
    got = conditions("interfaces on dmi01-stamford-sw01 whose description starts with desk")
    assert ("description", "isw", "desk") in got and len(got) == 2


@pytest.mark.parametrize("question", ["interfaces with a description", "devices with a serial"])
def test_a_text_field_with_no_value_stays_a_question_of_it_being_set(question: str) -> None:
    intent = Parser().parse(question)
    assert [(c.op, c.value) for c in intent.conditions] == [("not_empty", None)]


def test_without_an_operation_word_a_known_word_is_not_taken_as_a_value() -> None:
    """"interfaces with description on dmi01-akron-sw01": no value, the device is a condition of its own."""
    intent = Parser().parse("interfaces with description on dmi01-akron-sw01")
    assert all(c.field != "description" or c.op == "not_empty" for c in intent.conditions)
