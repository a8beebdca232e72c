"""Name resolution rules: word-by-word scoring, exact names first, the name index, interface
abbreviations. No network."""

from __future__ import annotations

import pytest

from netbox_tui.core.intent import Ref
from netbox_tui.core.names import Named, NameIndex
from netbox_tui.core.resolve import Found, canonical_interface, decide, match_interface
from netbox_tui.core.text import score

SITES = [
    Named("dcim.site", i, n, n.lower().replace(" ", "-"))
    for i, n in enumerate(
        [
            "DM-Akron",
            "DM-Stamford",
            "DM-Scranton",
            "DM-Nashua",
            "DM-Nashua 2",
            "JBB Branch 104",
            "JBB Branch 120",
            "MDF",
        ],
        1,
    )
]
INDEX = NameIndex(SITES + [Named("dcim.devicerole", i, r, r.lower().replace(" ", "-")) for i, r in
                           enumerate(["Access Switch", "Core Switch", "Router", "PDU"], 20)]
                  + [Named("dcim.region", 30, "New Jersey", "us-nj")], source="graphql")


def ranked(typed: str) -> list[Found]:
    out = [Found(Ref(model=e.model, id=e.id, label=e.name), score(typed, e.name, e.slug)) for e in SITES]
    return sorted(out, key=lambda f: (-f.score, f.ref.label))


@pytest.mark.parametrize(
    "typed,expected",
    [
        ("dm akron", "DM-Akron"),
        ("akorn", "DM-Akron"),
        ("scranon", "DM-Scranton"),
        ("jbb 120", "JBB Branch 120"),
        ("mdf", "MDF"),
        ("DM-Nashua", "DM-Nashua"),
        ("dm nashua 2", "DM-Nashua 2"),
    ],
)
def test_loose_names_resolve(typed: str, expected: str) -> None:
    res = decide("dcim.site", typed, ranked(typed))
    assert res.status == "ok" and res.matches[0].ref.label == expected


@pytest.mark.parametrize("typed", ["hartford", "xyz", "dm hartford"])
def test_no_silent_guess(typed: str) -> None:
    """'hartford' shares 'dm' and 'ford' with DM-Stamford: whole-string similarity would take it."""
    res = decide("dcim.site", typed, ranked(typed))
    assert res.status == "not_found" and res.candidates


@pytest.mark.parametrize("typed, name", [
    ("newest", "West Virginia"),  # "the newest circuits" was circuits in West Virginia, taken silently
    ("nextra", "Extra Large"),
    ("brouter", "Router"),
])
def test_an_ordinary_word_that_ends_like_a_name_is_no_match(typed: str, name: str) -> None:
    """A typo seldom hits a name's first letter: a word that begins otherwise stays below a match."""
    assert score(typed, name) < 65  # resolve.MATCH_SCORE
    assert score(typed[1:], name) >= 80  # as the name's word begins, the same letters match


@pytest.mark.parametrize("typed, expected", [("tsamford", "DM-Stamford"), ("stanford", "DM-Stamford")])
def test_a_typo_in_a_names_first_letters_still_matches(typed: str, expected: str) -> None:
    res = decide("dcim.site", typed, ranked(typed))
    assert res.status == "ok" and res.matches[0].ref.label == expected


@pytest.mark.parametrize("typed", ["nashua", "jbb"])
def test_several_equally_good_names_ask(typed: str) -> None:
    assert decide("dcim.site", typed, ranked(typed)).status == "ambiguous"


def test_exact_name_beats_names_whose_words_all_match() -> None:
    assert score("DM-Nashua", "DM-Nashua") == 100
    assert score("DM-Nashua", "DM-Nashua 2") < 100
    assert score("distribution switches", "Distribution Switch") == 100  # plurals folded


def test_names_that_fail_alike_are_offered_most_alike_first() -> None:
    """No device is "dmi01-akron-sw03"; every name of the site scores the same (no digit group
    agrees), so the closest offered are ordered by likeness of the whole name, not alphabetically."""
    index = NameIndex(
        [
            Named("dcim.site", i, n, n)
            for i, n in enumerate(["dmi01-akron-pdu01", "dmi01-akron-rtr01", "dmi01-akron-sw01"], 1)
        ],
        source="graphql",
    )
    assert [e.name for e, _ in index.fuzzy("dmi01-akron-sw03")][0] == "dmi01-akron-sw01"


def test_digits_must_agree() -> None:
    assert score("R105", "R106") < 65
    assert score("jbb 120", "JBB Branch 104") < 65


def test_name_index_reads_names_slugs_heads_and_slug_parts() -> None:
    assert [e.name for e in INDEX.exact("dm akron")] == ["DM-Akron"]
    assert [e.name for e in INDEX.exact("dm-akron")] == ["DM-Akron"]  # the slug
    assert {e.name for e in INDEX.heads("switches")} == {"Access Switch", "Core Switch"}
    assert [e.name for e in INDEX.slug_part("NJ")] == ["New Jersey"]
    assert INDEX.guess("Stanford")[0].name == "DM-Stamford"  # type: ignore[index]
    assert INDEX.guess("hartford") is None
    assert INDEX.knows("dcim.site") and not INDEX.knows("dcim.device")


def test_a_list_cut_at_the_page_limit_is_not_trusted() -> None:
    from netbox_tui.core.names import GRAPHQL_CAP, graphql_query, index_from_graphql

    query, lists = graphql_query()
    assert "site_list { id name slug }" in query and "device_type_list { id model slug }" in query
    data = {key: [] for key in lists}
    site_key = next(k for k, m in lists.items() if m == "dcim.site")
    data[site_key] = [{"id": str(i), "name": f"s{i}", "slug": f"s{i}"} for i in range(GRAPHQL_CAP)]
    index = index_from_graphql(data, lists)
    assert not index.knows("dcim.site") and "dcim.site" in index.incomplete  # sites are searched instead
    assert index.knows("dcim.region")


@pytest.mark.parametrize(
    "typed,canon",
    [
        ("Gi0/0/0", "gi0/0/0"),
        ("GigabitEthernet0/0/0", "gi0/0/0"),
        ("gig0/0/0", "gi0/0/0"),
        ("Te1/1", "te1/1"),
        ("TenGigabitEthernet1/1", "te1/1"),
        ("et-0/0/1", "et0/0/1"),
        ("Eth1/1", "eth1/1"),
        ("Ethernet1/1", "eth1/1"),
        ("Po1", "po1"),
    ],
)
def test_interface_abbreviations(typed: str, canon: str) -> None:
    assert canonical_interface(typed) == canon


def test_interface_match_never_guesses_a_digit() -> None:
    rows = [
        {"id": i, "name": n}
        for i, n in enumerate(["GigabitEthernet0/0/0", "GigabitEthernet0/0/1", "xe-0/0/1"], 1)
    ]
    assert match_interface("gi0/0/1", rows).matches[0].ref.label == "GigabitEthernet0/0/1"
    assert match_interface("XE-0/0/1", rows).matches[0].ref.label == "xe-0/0/1"
    missing = match_interface("Gi0/0/9", rows)
    assert missing.status == "not_found" and missing.candidates


async def test_a_candidate_kind_netbox_lacks_is_said() -> None:
    """An intent from elsewhere (an LLM's, a script's) may name a kind the schema lacks: said, never a
    KeyError."""
    from netbox_tui.core.intent import Condition
    from netbox_tui.core.resolve import Resolver
    from netbox_tui.errors import NetBoxTUIError

    resolver = Resolver(client=None)
    with pytest.raises(NetBoxTUIError, match="does not have"):
        await resolver.resolve(Condition(field="id", value="x", candidates=["dcim.nosuchthing"]))
