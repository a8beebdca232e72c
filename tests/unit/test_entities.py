"""Name resolution rules: word-by-word scoring, exact names first, interface abbreviations."""

from __future__ import annotations

import pytest

from netbox_tui.core.entities import Entity, canonical_interface, decide, match_interface, rank, score

SITES = [Entity("site", i, n, n.lower().replace(" ", "-")) for i, n in enumerate(
    ["DM-Akron", "DM-Stamford", "DM-Scranton", "DM-Nashua", "DM-Nashua 2", "JBB Branch 104", "JBB Branch 120", "MDF"], 1)]


@pytest.mark.parametrize("typed,expected", [
    ("dm akron", "DM-Akron"), ("akorn", "DM-Akron"), ("scranon", "DM-Scranton"), ("jbb 120", "JBB Branch 120"),
    ("mdf", "MDF"), ("DM-Nashua", "DM-Nashua"), ("dm nashua 2", "DM-Nashua 2"),
])
def test_loose_names_resolve(typed: str, expected: str) -> None:
    res = decide("site", typed, rank(typed, SITES))
    assert res.status == "ok" and res.matches[0].name == expected


@pytest.mark.parametrize("typed", ["hartford", "xyz", "dm hartford"])
def test_no_silent_guess(typed: str) -> None:
    """'hartford' shares 'dm' and 'ford' with DM-Stamford: whole-string similarity would take it."""
    res = decide("site", typed, rank(typed, SITES))
    assert res.status == "not_found" and res.candidates


@pytest.mark.parametrize("typed", ["nashua", "jbb"])
def test_several_equally_good_names_ask(typed: str) -> None:
    assert decide("site", typed, rank(typed, SITES)).status == "ambiguous"


def test_exact_name_beats_names_whose_words_all_match() -> None:
    assert score("DM-Nashua", "DM-Nashua") == 100
    assert score("DM-Nashua", "DM-Nashua 2") < 100


def test_digits_must_agree() -> None:
    assert score("R105", "R106") < 65
    assert score("jbb 120", "JBB Branch 104") < 65


@pytest.mark.parametrize("typed,canon", [
    ("Gi0/0/0", "gi0/0/0"), ("GigabitEthernet0/0/0", "gi0/0/0"), ("gig0/0/0", "gi0/0/0"), ("Te1/1", "te1/1"),
    ("TenGigabitEthernet1/1", "te1/1"), ("et-0/0/1", "et0/0/1"), ("Eth1/1", "eth1/1"), ("Ethernet1/1", "eth1/1"), ("Po1", "po1"),
])
def test_interface_abbreviations(typed: str, canon: str) -> None:
    assert canonical_interface(typed) == canon


def test_interface_match_never_guesses_a_digit() -> None:
    ifaces = [Entity("interface", i, n) for i, n in enumerate(["GigabitEthernet0/0/0", "GigabitEthernet0/0/1", "xe-0/0/1"], 1)]
    assert match_interface("gi0/0/1", ifaces).matches[0].name == "GigabitEthernet0/0/1"
    assert match_interface("XE-0/0/1", ifaces).matches[0].name == "xe-0/0/1"
    missing = match_interface("Gi0/0/9", ifaces)
    assert missing.status == "not_found" and missing.candidates
