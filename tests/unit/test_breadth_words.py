"""Breadth on the demo data (issue 16, task H-C), offline: readings of kinds the held-out sets missed —
greetings, a site's "state", abbreviations inside model words, words shared by every cabled model,
free words after a plural model word, a model word run into a name, a name scoped only by what it has."""

from __future__ import annotations

import pytest
from _demo import parse

from netbox_tui.core.intent import Condition, Ref
from netbox_tui.core.lexicon import lexicon
from netbox_tui.core.question import BadQuestionError
from netbox_tui.core.resolve import scoped_params
from netbox_tui.core.tokens import tokenize
from netbox_tui.schema import load as load_schema


@pytest.mark.parametrize("question", ["hi", "Hello", "hey there", "good morning"])
def test_a_greeting_alone_asks_nothing(question: str) -> None:
    with pytest.raises(BadQuestionError):
        parse(question)


def test_a_greeting_opening_a_question_carries_nothing_but_is_a_name_elsewhere() -> None:
    opened = parse("hi, devices at DM-Akron")
    assert opened.target == "dcim.device" and not opened.not_understood
    assert [c.field for c in opened.conditions] == ["site"]
    toks = tokenize("sites in HI", lexicon())
    assert not any(t.idle for t in toks)  # "HI" after "in" is a place (Hawaii), read as a name
    hawaii = parse("sites in HI")
    assert [c.model for c in hawaii.conditions] == ["dcim.region"]


def test_a_sites_state_is_its_region() -> None:
    grouped = parse("number of sites in each state")
    assert grouped.aggregate is not None and grouped.aggregate.by == "region"
    # other models keep "state" as their status
    racks = parse("racks in each state")
    assert racks.aggregate is not None and racks.aggregate.by == "status"


def test_an_abbreviation_inside_a_model_word_reads_the_model_word() -> None:
    """'vm' is read as 'virtual machine': the vocabulary's "vm interface" must be keyed so too."""
    it = parse("VM interfaces per cluster")
    assert it.target == "virtualization.vminterface" and not it.relations and not it.conditions
    assert it.aggregate is not None and it.aggregate.by == "virtual_machine.cluster"


def test_shared_values_apply_to_every_model_with_the_filter() -> None:
    it = parse("which outlets on dmi01-yonkers-pdu01 are in use")
    assert it.target == "dcim.poweroutlet" and not it.not_understood
    assert any(c.field == "cabled" and c.value is True for c in it.conditions)
    free = parse("free outlets on dmi01-yonkers-pdu01")
    assert any(c.field == "cabled" and c.value is False for c in free.conditions)
    cabled = parse("cabled interfaces on dmi01-akron-sw01")
    assert any(c.field == "cabled" and c.value is True for c in cabled.conditions)
    # a model without the filter gets no such word: "free IPs" stays the free-address pattern
    assert parse("free IPs in 10.112.129.0/24").pattern == "free_ips"


@pytest.mark.parametrize("question, kept", [
    ("aggregates allocated from rfc1918", "rir"),
    ("what feeds come off power panel 3", "power_panel"),
])
def test_free_words_after_a_plural_model_word_are_no_name(question: str, kept: str) -> None:
    it = parse(question)
    assert [c.field for c in it.conditions] == [kept], it.conditions
    assert not it.not_understood


def test_a_singular_model_word_still_names_by_the_words_after_it() -> None:
    it = parse("VLAN Data at JBB Branch 104")
    assert it.target == "ipam.vlan" and {c.value for c in it.conditions} >= {"Data"}
    # after a plural one, a word typed as a name (capitalised) is one still
    assert [c.value for c in parse("vlans Data").conditions] == ["Data"]


def test_a_model_word_run_into_a_name_is_read_with_it() -> None:
    """'power panel 3': "panel 3" is the panel's name; "power" is part of the model word, not left over."""
    it = parse("power feeds on power panel 3")
    assert not it.not_understood
    assert [c.field for c in it.conditions] == ["power_panel"]


def test_words_before_a_singular_model_word_name_one_of_its_objects() -> None:
    it = parse("vid of the admin vlan at jbb branch 104")
    assert it.target == "ipam.vlan" and "vid" in it.attributes
    named = [c for c in it.conditions if c.model == "ipam.vlan"]
    assert [c.value for c in named] == ["admin"]


def test_a_name_is_scoped_only_by_what_it_has_itself() -> None:
    """'Juniper devices in rack R107': the manufacturer says which devices, not which rack (a rack's maker
    is its rack type's, another thing); a site does narrow it."""
    rack = load_schema().model("dcim.rack")
    maker = Condition(field="manufacturer", value="Juniper", model="dcim.manufacturer",
                      resolved=[Ref(model="dcim.manufacturer", id=7, label="Juniper")])
    site = Condition(field="site", value="MDF", model="dcim.site",
                     resolved=[Ref(model="dcim.site", id=21, label="MDF")])
    assert scoped_params(rack, [maker, site]) == {"site_id": [21]}


def test_a_shared_value_word_about_one_object_asks_for_the_field_its_filter_reads() -> None:
    """'is Gi1/0/1 on X in use': the port's cable, never a field named after the filter ("cabled not set")."""
    it = parse("is Gi1/0/1 on dmi01-akron-sw01 in use")
    assert "cable" in it.attributes and "cabled" not in it.attributes
    assert not any(c.field == "cabled" for c in it.conditions)


def test_no_cable_on_any_cabled_model_is_its_cabled_filter() -> None:
    it = parse("outlets on dmi01-yonkers-pdu01 with no cable")
    assert any(c.field == "cabled" and c.value is False for c in it.conditions), it.conditions


def test_a_loose_name_before_a_plural_model_word_filters_it() -> None:
    """'lvl3 circuits': not the circuit whose id is lvl3, nor a device: any kind that filters circuits."""
    it = parse("lvl3 circuits landing in connecticut")
    assert it.target == "circuits.circuit" and not it.not_understood
    named = next(c for c in it.conditions if c.value == "lvl3")
    assert named.model != "circuits.circuit" and "circuits.provider" in named.candidates
    # a device's name before its components stays the device
    ports = parse("dmi01-akron-sw01 interfaces")
    assert [c.model for c in ports.conditions] == ["dcim.device"]


@pytest.mark.parametrize("typed, joined", [
    ("interfaces on ncsu coreswitch2", "ncsu-coreswitch2"),
    ("ncsu coreswitch 2 interfaces pls", "ncsu-coreswitch-2"),
])
def test_a_hostname_typed_in_words_is_one_name(typed: str, joined: str) -> None:
    it = parse(typed)
    assert it.target == "dcim.interface" and not it.not_understood
    assert [c.value for c in it.conditions] == [joined]


@pytest.mark.parametrize("question, not_joined", [
    ("devices with warranty start before 2027", "warranty-start-before-2027"),  # a year ends no hostname
    ("VMs with vcpus between 2 and 8", "vcpus-between-2"),  # nor does a comparison's number
])
def test_words_before_a_year_or_a_comparison_are_no_hostname(question: str, not_joined: str) -> None:
    assert not_joined not in [c.value for c in parse(question).conditions]


def test_a_word_and_a_number_stay_apart() -> None:
    it = parse("devices at MDF in rack 7")
    assert {c.field for c in it.conditions} == {"site", "rack"}


def test_names_found_in_any_kind_keep_those_where_the_question_puts_them() -> None:
    from netbox_tui.core.resolve import Found, Resolver

    resolver = Resolver(client=None)
    camden = Condition(field="site", value="camden", model="dcim.site",
                       resolved=[Ref(model="dcim.site", id=6, label="DM-Camden")])
    found = [Found(Ref(model="dcim.device", id=i, label=f"dmi01-{s}-sw01"), 80.0,
                   {"site": {"name": f"DM-{s}"}}) for i, s in ((14, "Akron"), (18, "Camden"))]
    assert [f.ref.id for f in resolver._in_scope(found, [camden])] == [18]
    elsewhere = Condition(field="site", value="x", model="dcim.site",
                          resolved=[Ref(model="dcim.site", id=99, label="DM-Nowhere")])
    assert len(resolver._in_scope(found, [elsewhere])) == 2  # none there: all, a choice as before


def test_trees_are_known_by_their_parent_of_their_own_kind() -> None:
    """Their NetBox counts are cumulative: a grouping over them must not add a site once per ancestor."""
    schema = load_schema()
    assert schema.model("dcim.region").nested and schema.model("dcim.location").nested
    assert not schema.model("dcim.site").nested and not schema.model("virtualization.clustergroup").nested


def test_a_part_named_by_number_is_looked_up_after_its_device() -> None:
    """'front port 2 on PP:B128': every patch panel has a "Port 2"; the device's condition comes first so
    the port's look-up is scoped by it (planner.resolve_steps waits for the conditions before it)."""
    it = parse("front port 2 on PP:B128")
    assert [c.model for c in it.conditions] == ["dcim.device", "dcim.frontport"]


def test_a_number_after_its_model_word_may_be_named_with_it() -> None:
    from netbox_tui.core.resolve import _said_with

    cond = Condition(field="name", value="2", text="front port 2", model="dcim.frontport")
    assert _said_with(cond, "2") == ["port 2", "front port 2"]
    assert _said_with(Condition(field="name", value="R105", text="rack R105"), "R105") == []


def test_but_joins_conditions() -> None:
    it = parse("devices with a serial but no asset tag at MDF")
    assert not it.not_understood and len(it.conditions) == 3


def test_a_device_named_where_vlans_are_asked_for_is_met_on_its_interfaces() -> None:
    it = parse("vlans on ncsu-coreswitch1")
    assert it.target == "ipam.vlan" and not it.conditions
    met = [(r.model, [c.model for c in r.conditions]) for r in it.relations]
    assert met == [("dcim.interface", ["dcim.device"])]
    # a misspelt site stays a site (the index knows it closely)
    typo = parse("vlans at dm-akorn")
    assert not typo.relations and [c.model for c in typo.conditions] == ["dcim.site"]


def test_a_field_word_of_the_model_wins_over_the_shared_one() -> None:
    """'what state is DM-Akron in': a site's state is its region (vocab [fields."dcim.site"]), not status."""
    it = parse("what state is DM-Akron in")
    assert it.target == "dcim.site" and it.attributes == ["region"]
    assert parse("what status is DM-Akron").attributes == ["status"]


@pytest.mark.parametrize("question", ["which devices don't have a platform",
                                      "devices that dont have a platform"])
def test_an_absence_word_before_have_negates_it(question: str) -> None:
    """It was read as "have a platform" (the opposite), "don't" said as not understood."""
    it = parse(question)
    assert not it.not_understood
    assert [(c.field, c.op) for c in it.conditions] == [("platform", "empty")]


def test_the_global_table_is_no_vrf() -> None:
    """It was read as the VLAN group JBB-Global, not applied (partial)."""
    it = parse("reserved IPs in the global table")
    assert not it.not_understood
    assert [(c.field, c.op) for c in it.conditions] == [("status", "eq"), ("vrf", "empty")]


def test_a_model_word_after_a_name_says_its_kind() -> None:
    """'what does dmi01-yonkers-pdu01 feed': looked for as a power feed only (not found, said), never
    answered as the device of that name with "feed" dropped."""
    it = parse("what does dmi01-yonkers-pdu01 feed")
    named = it.conditions[0]
    assert it.target == "dcim.powerfeed" and named.model == "dcim.powerfeed" and not named.candidates
    assert parse("dmi01-yonkers-pdu01").conditions[0].candidates  # a bare name: every kind


def test_each_before_a_name_and_its_model_word_groups_by_that_model() -> None:
    """"how many devices in each IDF rack": the name narrows the racks, "each … rack" groups by rack (read
    as a plain count, "each" was lost and the answer was one total)."""
    it = parse("how many devices in each IDF rack")
    assert it.aggregate is not None and it.aggregate.op == "group" and it.aggregate.by == "rack"
    assert [c.text for c in it.conditions] == ["IDF"] and not it.not_understood


def test_a_tag_of_another_model_is_said_not_put_on_the_target() -> None:
    """"devices at sites tagged Zulu": the tag is the sites' (NetBox cannot filter devices by it). Read as the
    devices' own tag the answer was "no devices", ok and wrong; now the words are said as not understood."""
    it = parse("devices at sites tagged Zulu")
    assert it.target == "dcim.device" and not any(c.model == "extras.tag" for c in it.conditions)
    assert it.not_understood == ["sites tagged Zulu"]
    own = parse("sites tagged Zulu")  # the target's own tag stays a condition
    assert [c.model for c in own.conditions] == ["extras.tag"] and not own.not_understood


@pytest.mark.parametrize("question", ["what tags are on dmi01-scranton-rtr01",
                                      "tags of dmi01-scranton-rtr01"])
def test_a_plural_word_for_a_many_valued_field_of_one_object_asks_that_field(question: str) -> None:
    """NetBox cannot filter tags by device: "what tags are on X" is X's `tags` (it listed every tag and said
    the device was not applied), while "interfaces on X" stays the interfaces filtered by the device."""
    it = parse(question)
    assert it.target == "dcim.device" and it.attributes == ["tags"] and not it.not_understood
    assert parse("interfaces on dmi01-akron-rtr01").target == "dcim.interface"
