"""What a second reading of the whole change found, each kept right: answers that were `ok` and wrong
(words joining alternatives or asking for more, corrected model words unsaid, exclusions, conditions
on one filter, relations and grouped counts losing rows), the LLM reply's invented ids, CSV formulas,
a schema filter pointing at the wrong model, the management IP. Demo data and schema, no network."""

from __future__ import annotations

from typing import AsyncIterator

import pytest

from netbox_tui.config import Settings
from netbox_tui.core.intent import Condition, Intent, Ref
from netbox_tui.core.llm import LLMError, validate
from netbox_tui.core.parser import parse
from netbox_tui.core.planner import build_query
from netbox_tui.core.question import check_question
from netbox_tui.core.writes import refuse_writes
from netbox_tui.errors import WriteRefusedError
from netbox_tui.schema import load
from netbox_tui.session import Session


@pytest.fixture
async def orch() -> AsyncIterator:
    session = Session.open(Settings(), demo=True)
    yield session.orchestrator
    await session.aclose()


# -- words --------------------------------------------------------------------------------------------

def test_or_is_said_never_dropped_nor_read_as_a_name() -> None:
    intent = parse("disabled or trunk ports on dmi01-akron-sw01")
    assert intent.not_understood == ["or"]  # both conditions would be ANDed: never an exact answer


def test_a_model_word_asked_for_as_well_is_not_a_condition() -> None:
    intent = parse("VLANs at DM-Akron + the interfaces on them")
    assert intent.relations == [] and "interfaces" in intent.not_understood
    assert parse("devices with IPs in 10.112.129.0/28").relations  # "with" still relates them


def test_corrected_model_and_field_words_are_said() -> None:
    assert any(g.startswith("“devcies” as") for g in parse("devcies at DM-Akron").guesses())
    assert any(g.startswith("“serail” as") for g in parse("serail of dmi01-akron-rtr01").guesses())
    assert parse("devices at DM-Akron").guesses() == []


def test_ip_families_and_plural_names_with_digits() -> None:
    v6 = parse("how many IPv6 addresses")
    assert v6.target == "ipam.ipaddress" and [(c.field, c.value) for c in v6.conditions] == [("family", 6)]
    assert parse("IPv4 prefixes").target == "ipam.prefix"
    assert parse("L2VPNs").target == "vpn.l2vpn"


@pytest.mark.parametrize(
    "question",
    ["change log of dmi01-akron-rtr01", "set of VLANs at DM-Akron", 'interfaces with description "delete"'],
)
def test_reading_questions_that_sound_like_writes_are_asked(question: str) -> None:
    assert check_question(question) == question


@pytest.mark.parametrize(
    "question",
    ["delete dmi01-akron-rtr01", "change the platform of dmi01-akron-rtr01", "set the site of X to Y"],
)
def test_writes_are_still_refused(question: str) -> None:
    with pytest.raises(WriteRefusedError):
        refuse_writes(check_question(question))


# -- conditions on one filter ---------------------------------------------------------------------------

def _site(i: int, label: str) -> Condition:
    return Condition(
        field="site",
        value=label,
        text=label,
        model="dcim.site",
        resolved=[Ref(model="dcim.site", id=i, label=label)],
    )


def test_two_places_that_cannot_both_hold_are_said_not_sent_as_a_sentinel() -> None:
    q = build_query(load().model("dcim.device"), [_site(2, "DM-Akron"), _site(3, "DM-Albany")])
    assert q.params == {"site_id": [2]} and q.limits and "DM-Albany" in q.limits[0]
    same = build_query(load().model("dcim.device"), [_site(2, "DM-Akron"), _site(2, "DM-Akron")])
    assert same.params == {"site_id": [2]} and not same.limits


def test_a_second_text_lookup_is_checked_here_since_netbox_would_or_them() -> None:
    conds = [Condition(field="name", op="ic", value=v, text=v) for v in ("akron", "rtr")]
    q = build_query(load().model("dcim.device"), conds)
    assert q.params == {"name__ic": "akron"} and [c.value for c in q.local] == ["rtr"]


def test_a_choice_value_netbox_lacks_is_a_stated_limit() -> None:
    q = build_query(load().model("dcim.device"), [Condition(field="status", value="activ", text="activ")])
    assert q.params == {} and not q.local and "“activ” is not a status" in q.limits[0]


# -- the LLM's reply ----------------------------------------------------------------------------------

def test_ids_a_model_invents_are_dropped_and_bad_choices_refused() -> None:
    reply = Intent(target="dcim.device", source="llm", conditions=[_site(2, "DM-Scranton")])
    assert validate(reply).conditions[0].resolved == []  # the resolver finds DM-Scranton's id itself
    with pytest.raises(LLMError):
        validate(
            Intent(target="dcim.device", conditions=[Condition(field="status", value="activ", text="activ")])
        )


# -- whole answers --------------------------------------------------------------------------------------

async def test_a_relation_keeps_the_conditions_checked_here(orch) -> None:
    ans = await orch.ask("sites with no devices and no physical address")
    assert [r["display"] for r in ans.tables[0].rows] == ["DM-NYC"]


async def test_grouped_counts_count_objects_in_no_group(orch) -> None:
    ans = await orch.ask("devices per tenant")
    groups = {r["group"]: r["count"] for r in ans.tables[0].rows}
    assert ans.answer.startswith("72 devices") and groups["(none)"] == "14"
    assert sum(int(n) for n in groups.values()) == 72


async def test_grouped_counts_of_rows_with_a_relation_count_only_those(orch) -> None:
    ans = await orch.ask("sites with no devices per region")
    assert ans.answer.startswith("7 sites")


async def test_grouping_by_a_list_field_counts_each_value(orch) -> None:
    ans = await orch.ask("devices per tag")
    assert ans.status != "error" and ans.answer.startswith("72 devices")


# -- exclusions ------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "question, sent",
    [
        ("devices not at DM-Akron", "site_id__n=2"),
        ("devices that are not routers", "role_id__n=1"),
        ("sites outside New York", "region_id__n=43"),
        ("devices other than dmi01-akron-rtr01 at DM-Akron", "id__n=1"),
    ],
)
async def test_a_negation_before_a_condition_excludes(orch, question: str, sent: str) -> None:
    ans = await orch.ask(question)
    assert ans.status == "ok" and ans.interpretation.not_understood == []
    assert sent in [c.filter for c in ans.interpretation.conditions]


async def test_an_exclusion_is_sent_as_netbox_s_n_lookup(orch) -> None:
    ans = await orch.ask("devices at DM-Akron except routers")
    assert ans.status == "ok" and any(c.filter == "role_id__n=1" for c in ans.interpretation.conditions)
    assert "dmi01-akron-rtr01" not in {r["display"] for r in ans.tables[0].rows} and ans.tables[0].total == 3


def test_csv_cells_never_start_a_formula(tmp_path) -> None:
    import csv

    from netbox_tui.core.results import Column
    from netbox_tui.tui.export import export_rows

    cols = [Column(key="name", title="Name")]
    rows = [
        {"id": i, "name": v}
        for i, v in enumerate(["=cmd|'/c calc'!A1", "-2+3", "+1", "@SUM(A1)", "-5", "plain"])
    ]
    path = export_rows("t", cols, rows, "csv", tmp_path)
    got = [r[1] for r in list(csv.reader(path.open(encoding="utf-8")))[1:]]
    assert got == ["'=cmd|'/c calc'!A1", "'-2+3", "'+1", "'@SUM(A1)", "-5", "plain"]


# -- the schema layer ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "model, flt, to",
    [
        ("ipam.ipaddress", "interface_id", "dcim.interface"),
        ("ipam.ipaddress", "vminterface_id", "virtualization.vminterface"),
        ("dcim.cable", "interface_id", "dcim.interface"),
        ("ipam.vlan", "interface_id", "dcim.interface"),
    ],
)
def test_a_filter_points_at_the_model_its_name_says(model: str, flt: str, to: str) -> None:
    """'Interface (ID)' is dcim.interface, though VM interfaces are verbosely "interface" too
    (gen-schema.py)."""
    assert load().model(model).filters[flt].to == to


async def test_a_management_ip_not_set_looks_at_mgmt_only_ports(orch) -> None:
    """The vocabulary's `unset_then_ips_on`: primary and OOB unset, the mgmt-only ports' addresses are
    read (two more requests) and said; the fixture corpus checks a set one against REST."""
    ans = await orch.ask("mgmt ip for dmi01-utica-sw01")
    assert ans.status == "ok" and "primary IP not set" in ans.answer
    assert ans.answer.endswith("Addresses on its interfaces where management only = true: none.")
