"""The offline parser on phrasings a network engineer types (tests/data/phrasings.yaml), every
word accounted for, and bad input.

No network: the NetBox's names come from the embedded demo snapshot's rows (the data the real
demo NetBox holds); the "never a write" checks drive the whole Orchestrator against a
respx-mocked NetBox that records every request.

phrasings.yaml was written against an earlier intent (name slots such as `scope`, `site`, `device`);
`_check` maps those slots onto conditions: `scope` is any named place or container, `site` a
condition on a site, `name` the object itself, `metric` the pattern, `audit` the absence condition.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
import yaml
from _demo import parse  # noqa: E402  (tests/unit is on sys.path)

from netbox_tui.config import NetBoxProfile
from netbox_tui.core.intent import Intent
from netbox_tui.core.lexicon import lexicon
from netbox_tui.core.orchestrator import Orchestrator
from netbox_tui.core.parser import BadQuestionError, check_question, clean_question, tokenize
from netbox_tui.errors import WriteRefusedError
from netbox_tui.netbox.client import NetBoxClient
from netbox_tui.schema import load as load_schema

DATA = Path(__file__).resolve().parents[1] / "data" / "phrasings.yaml"
PHRASINGS: list[dict[str, Any]] = yaml.safe_load(DATA.read_text(encoding="utf-8"))

# Phrasings the parser reads another way, each with why (strict: once read as expected, remove it).
KNOWN_FAILURES: dict[str, str] = {}


def _norm(value: Any) -> str:
    return re.sub(r"[^a-z0-9]", "", str(value).casefold())


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


# Old slots -> the models a condition of that slot names.
SLOT_MODELS = {
    "site": {"dcim.site"},
    "region": {"dcim.region"},
    "tenant": {"tenancy.tenant"},
    "cluster": {"virtualization.cluster"},
    "provider": {"circuits.provider"},
    "vrf": {"ipam.vrf"},
    "rack": {"dcim.rack"},
    "manufacturer": {"dcim.manufacturer"},
    "platform": {"dcim.platform"},
    "device_type": {"dcim.devicetype"},
    "role": {"dcim.devicerole", "dcim.rackrole", "ipam.role"},
    "vlan": {"ipam.vlan"},
    "device": {"dcim.device"},
    "scope": {
        "dcim.site",
        "dcim.region",
        "dcim.location",
        "dcim.sitegroup",
        "tenancy.tenant",
        "virtualization.cluster",
        "ipam.vlangroup",
        "ipam.vrf",
        "circuits.provider",
        "dcim.rack",
        "dcim.manufacturer",
        "dcim.platform",
    },
}
PATTERNS = {
    "cable_trace": "trace",
    "available_ips": "free_ips",
    "site_summary": "site_summary",
    "prefix_utilisation": "prefix_utilisation",
    "rack_utilisation": "rack_utilisation",
    "vlan_topology": "vlan_topology",
}
AUDITS = {
    "no_primary_ip": ("has_primary_ip", "eq", False),
    "no_serial": ("serial", "empty", None),
    "no_platform": ("platform", "empty", None),
    "no_tenant": ("tenant", "empty", None),
    "no_asset_tag": ("asset_tag", "empty", None),
    "unconnected_interfaces": ("cabled", "eq", False),
}


def _slot_values(intent: Intent, slot: str) -> list[str]:
    """What the intent holds for an old slot, as typed and as resolved."""
    out: list[str] = []
    conds = intent.conditions + [c for r in intent.relations for c in r.conditions]
    for c in conds:
        words = [str(c.value), c.text] + [r.label for r in c.resolved]
        if slot == "name" and c.model == intent.target and c.field in ("id", "vid", "cid", "label"):
            out += words
        elif slot == "interface" and c.model == "dcim.interface" and c.field == "name":
            out += words
        elif slot == "prefix" and (
            c.field in ("prefix", "parent", "within_include") or c.model == "ipam.prefix"
        ):
            out += words
        elif slot == "ip" and c.field == "address":
            out += words
        elif slot == "status" and c.field == "status":
            out += words
        elif slot == "vlan" and c.field == "vlan" and c.model is None:  # interfaces' VID filter
            out += words
        elif slot in SLOT_MODELS and ({c.model, *c.candidates} & SLOT_MODELS[slot]):
            out += words
    return out


def _check(case: dict[str, Any]) -> list[str]:
    """Every mismatch between the parser's intent and the case, in words."""
    intent = parse(case["q"])
    problems: list[str] = []
    targets = _as_list(case["target"])
    if intent.target not in targets:
        problems.append(f"target {intent.target!r}, expected {' or '.join(targets)}")
    if "metric" in case:
        want = PATTERNS.get(case["metric"])
        if case["metric"] == "interface_usage":
            if not ({"link_peers", "cable"} & set(intent.attributes)):
                problems.append(f"port usage not read: attributes {intent.attributes}")
        elif intent.pattern != want:
            problems.append(f"pattern {intent.pattern!r}, expected {want!r}")
    if "audit" in case:
        field, op, value = AUDITS[case["audit"]]
        if not any(
            c.field == field and c.op == op and (value is None or c.value == value) for c in intent.conditions
        ):
            problems.append(f"no condition {field} {op} {value}")
    for slots, wanted in (case.get("filters") or {}).items():
        accepted = {_norm(v) for v in _as_list(wanted)}
        held = [v for slot in slots.split("|") for v in _slot_values(intent, slot)]
        if not any(_norm(v) in accepted for v in held):
            problems.append(f"{slots}: {sorted(set(held))}, expected one of {sorted(accepted)}")
    for slot in case.get("absent") or []:
        if slot == "search" and intent.search:
            problems.append(f"search {intent.search!r}, expected none")
        elif slot != "search" and _slot_values(intent, slot):
            problems.append(f"{slot} = {_slot_values(intent, slot)}, expected none")
    if intent.not_understood:
        problems.append(f"not understood: {intent.not_understood}")
    if problems:
        problems.append(
            "read as "
            + json.dumps(intent.model_dump(mode="json", exclude_defaults=True), sort_keys=True)[:600]
        )
    return problems


def _params():
    for case in PHRASINGS:
        marks = (
            [pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[case["q"]])]
            if case["q"] in KNOWN_FAILURES
            else []
        )
        yield pytest.param(case, id=case["q"], marks=marks)


def test_phrasing_file_is_large_and_well_formed():
    assert len(PHRASINGS) >= 100
    questions = [c["q"] for c in PHRASINGS]
    assert len(set(questions)) == len(questions), "duplicate questions"
    allowed = {"q", "kind", "target", "filters", "metric", "audit", "absent", "topic"}
    for case in PHRASINGS:
        assert set(case) <= allowed, case
        assert {"q", "target"} <= set(case), case
    assert set(KNOWN_FAILURES) <= set(questions), "a known failure names a question not in the file"


@pytest.mark.parametrize("case", list(_params()))
def test_phrasing(case: dict[str, Any]) -> None:
    problems = _check(case)
    assert not problems, f"{case['q']!r}: " + "; ".join(problems)


# -- every word accounted for -----------------------------------------------------------------------

def _leftover(question: str, intent: Intent) -> list[str]:
    """The question's words minus the claimed spans minus the skip words (hassil's rule)."""
    text = check_question(question)
    covered = [(c.start, c.end) for c in intent.claims]
    lex = lexicon()
    out = []
    for t in tokenize(text, lex):
        inside = any(a <= t.start and t.end <= b for a, b in covered)
        if inside or (t.kind == "word" and all(k in lex.skip for k in t.keys)):
            continue
        out.append(t.text)
    return out


ACCOUNTED = [c["q"] for c in PHRASINGS] + [
    "disabled ports on dmi01-akron-sw01",
    "which devices have a primary IP",
    "sites of Dunder-Mifflin in Ohio",
    "Cisco devices at DM-Akron",
    "active rtrs in NJ",
    "which devices are C9200-48P",
    "sites with no devices",
    "racks without devices",
    "tenants that own no devices",
    "what platform is dmi01-akron-rtr01 running",
    "which rack is dmi01-akron-rtr01 in",
    "which VLAN is Gi1/0/15 on dmi01-akron-sw01 in",
    "serial number of dmi01-akron-rtr01",
    "power feeds at MDF",
    "ASNs",
    "trunk ports on dmi01-akron-sw01",
    "interfaces with no description on dmi01-akron-sw01",
]


@pytest.mark.parametrize("question", ACCOUNTED)
def test_every_word_is_claimed_or_said(question: str) -> None:
    """For every question: question - claimed spans - skip words == the words said as not understood."""
    intent = parse(question)
    assert _leftover(question, intent) == intent.not_understood


@pytest.mark.parametrize("question,words", [
    ("devices at DM-Akron that are purple", ["purple"]),
    ("interfaces on dmi01-akron-sw01 with frobnicated optics", ["frobnicated", "optics"]),
    ("top 10 devices at DM-Akron", ["top", "10"]),
])
def test_words_nobody_reads_are_said(question: str, words: list[str]) -> None:
    intent = parse(question)
    assert intent.not_understood == words
    assert _leftover(question, intent) == words


@pytest.mark.parametrize("question,field,op,value", [
    ("disabled ports on dmi01-akron-sw01", "enabled", "eq", False),
    ("trunk ports on dmi01-akron-sw01", "mode", "eq", "tagged"),
    ("access ports on dmi01-akron-sw01", "mode", "eq", "access"),
    ("LAG interfaces at DM-Syracuse", "type", "eq", "lag"),
    ("mgmt-only interfaces on dmi01-akron-sw01", "mgmt_only", "eq", True),
    ("interfaces with no description on dmi01-akron-sw01", "description", "empty", None),
    ("interfaces with a description on dmi01-akron-sw01", "description", "not_empty", None),
    ("which devices have a primary IP", "has_primary_ip", "eq", True),
    ("which devices have no primary IP", "has_primary_ip", "eq", False),
    ("uncabled ports on dmi01-akron-sw01", "cabled", "eq", False),
    ("virtual interfaces on dmi01-akron-rtr01", "type", "eq", "virtual"),
])
def test_words_become_conditions_in_netbox_terms(question: str, field: str, op: str, value: Any) -> None:
    intent = parse(question)
    assert any(
        c.field == field and c.op == op and (value is None or c.value == value) for c in intent.conditions
    ), intent.conditions
    assert not intent.not_understood


def test_ten_gig_means_every_ten_gig_type_from_the_schema() -> None:
    intent = parse("10GE ports on ncsu118-distswitch1")
    cond = next(c for c in intent.conditions if c.field == "type")
    choices = {c.value for c in load_schema().model("dcim.interface").choices("type")}
    assert set(cond.value) <= choices and "10gbase-x-sfpp" in cond.value and "1000base-t" not in cond.value


def test_fuzzy_corrections_are_kept_to_be_said() -> None:
    intent = parse("devices at Stanford")
    site = next(c for c in intent.conditions if c.model == "dcim.site")
    assert site.guess == "DM-Stamford" and intent.guesses() == ["“Stanford” as DM-Stamford"]


def test_no_silent_guess_between_similar_names() -> None:
    intent = parse("VLANs at DM-Hartford")
    assert not any(c.guess for c in intent.conditions)


def test_names_of_the_netbox_are_read_anywhere() -> None:
    intent = parse("Juniper gear at Grinnells Lab")
    models = {c.model for c in intent.conditions}
    assert intent.target == "dcim.device" and {"dcim.manufacturer", "dcim.site"} <= models


def test_attribute_questions_name_the_field() -> None:
    assert parse("what platform is dmi01-akron-rtr01 running").attributes == ["platform"]
    assert parse("which rack is dmi01-akron-rtr01 in").attributes == ["rack"]
    assert parse("who makes dmi01-akron-rtr01").attributes == ["device_type.manufacturer"]
    assert set(parse("S/N, asset tag and primary IP of dmi01-akron-rtr01").attributes) == {
        "serial",
        "asset_tag",
        "primary_ip",
    }


def test_absence_through_relations() -> None:
    intent = parse("sites with no devices")
    assert (
        intent.target == "dcim.site"
        and intent.relations[0].model == "dcim.device"
        and intent.relations[0].negate
    )
    intent = parse("which devices have IPs in 10.112.129.0/28")
    rel = intent.relations[0]
    assert rel.model == "ipam.ipaddress" and not rel.negate and rel.conditions[0].field == "parent"


def test_grouped_counts() -> None:
    assert parse("devices per role").aggregate.by == "role"  # type: ignore[union-attr]
    assert parse("how many racks are there in each status").aggregate.by == "status"  # type: ignore[union-attr]
    assert parse("how many devices at DM-Akron").aggregate.op == "count"  # type: ignore[union-attr]


def test_models_added_by_the_schema_alone() -> None:
    """Power feeds and ASNs: no code per model, the schema's names and a few vocabulary words."""
    assert parse("power feeds at MDF").target == "dcim.powerfeed"
    assert parse("list ASNs").target == "ipam.asn"
    assert parse("autonomous system numbers").target == "ipam.asn"


@pytest.mark.parametrize(
    "question,target",
    [
        ("racks at DM-Hartford", "dcim.rack"),
        ("prefixes in Springfeld", "ipam.prefix"),
        ("devices in IDF117", "dcim.device"),
    ],
)
def test_an_unknown_name_after_at_is_where_the_target_is(question: str, target: str) -> None:
    """Not one of the racks named "DM-Hartford": a place, looked for among what filters the target,
    with the target itself last ("racks in IDF117" may name that rack)."""
    intent = parse(question)
    cond = intent.conditions[0]
    assert intent.target == target and cond.field != "id" and cond.candidates
    assert cond.candidates[0] == "dcim.site"
    if target != "ipam.prefix":  # a rack or device name may be one of them; a word is no prefix
        assert cond.candidates[-1] == target


def test_an_unknown_name_after_a_pattern_is_the_object() -> None:
    cond = parse("how much space is left in IDF117").conditions[0]
    assert cond.model == "dcim.rack" and cond.field == "id"


# -- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["", " ", "   \t\n  ", "\n\n", "\x00\x01\x02", "\x1b[31m\x1b[0m"],
                         ids=["empty", "space", "whitespace", "newlines", "nul-controls", "only-ansi"])
def test_empty_or_blank_is_a_bad_question(raw: str) -> None:
    with pytest.raises(BadQuestionError) as info:
        parse(raw)
    assert info.value.message


@pytest.mark.parametrize("length", [10_000, 100_000])
def test_very_long_question_is_refused_clearly(length: int) -> None:
    raw = ("devices at DM-Akron " * (length // 20 + 1))[:length]
    with pytest.raises(BadQuestionError) as info:
        check_question(raw)
    assert "characters" in info.value.message
    assert f"{length:,}" in info.value.message


ESCAPES = [
    ("devices at\x00 dm akron\x07", "dm akron"),
    ("\x1b[31mVLANs at DM-Scranton\x1b[0m", "DM-Scranton"),
    ("VLANs at \x1b[1;32mDM-Scranton\x1b[0m", "DM-Scranton"),
    ("devices\tat\r\nDM-Akron", "DM-Akron"),
    ("devices at DM-\u200bAkron", "DM-Akron"),  # zero-width space pasted from a chat
    ("\x1b]0;pwned\x07devices at DM-Akron", "DM-Akron"),  # OSC: set the terminal title
    ("devices at DM-Akron\x1b[2J\x1b[H", "DM-Akron"),  # clear screen, cursor home
]


@pytest.mark.parametrize(
    "raw,site",
    ESCAPES,
    ids=[
        "nul-bel",
        "ansi-colour-around",
        "ansi-colour-inside",
        "tab-crlf",
        "zero-width",
        "osc-title",
        "clear-screen",
    ],
)
def test_control_characters_and_escapes_are_dropped(raw: str, site: str) -> None:
    cleaned = clean_question(raw)
    assert "\x1b" not in cleaned and not any(ord(c) < 32 for c in cleaned)
    intent = parse(raw)
    for c in intent.conditions:
        for value in (str(c.value), c.text):
            assert "\x1b" not in value and not any(ord(ch) < 32 for ch in value), value
            assert "pwned" not in value and "]0;" not in value, f"escape sequence payload kept: {value!r}"
    cond = next(c for c in intent.conditions if c.model == "dcim.site")
    assert _norm(cond.text) == _norm(site) and not intent.not_understood


WRITES = [
    "delete all devices at DM-Akron",
    "remove VLAN 100",
    "create a site",
    "Delete device dmi01-akron-rtr01",
    "please remove the cable on dmi01-akron-sw01 Gi1/0/1",
    "add a VLAN 400 at DM-Akron",
    "can you update the serial of dmi01-akron-rtr01 to ABC123",
    "rename ncsu-coreswitch1 to core1",
    "assign 10.112.129.10 to dmi01-akron-rtr01",
    "set the status of dmi01-buffalo-rtr01 to offline",
    "shut down Gi1/0/1 on dmi01-akron-sw01",
    "disable Gi1/0/1 on dmi01-akron-sw01",
    "wipe all prefixes in VRF Alpha",
    "DELETE FROM dcim_device",
    "create prefix 10.99.0.0/24",
]


@pytest.mark.parametrize("raw", WRITES)
def test_asking_to_change_netbox_is_refused(raw: str) -> None:
    with pytest.raises(WriteRefusedError) as info:
        parse(raw)
    assert "read-only" in info.value.message


LOOKALIKES = [
    "devices in decommissioning status",
    "which IPs are not assigned",
    "show removed cables",
    "list the addresses at DM-Akron",
    "updates on dmi01-akron-rtr01",
    "devices added to MDF",
    "patch panels at MDF",
    "Patch panels in rack R105",
    "shutdown ports on dmi01-akron-sw01",
    "disabled interfaces at DM-Akron",
    "interfaces on remove-me-sw01",
    'devices whose description is "delete me"',
]


@pytest.mark.parametrize("raw", LOOKALIKES)
def test_reading_words_that_look_like_writes_is_not_refused(raw: str) -> None:
    parse(raw)  # no WriteRefusedError


# -- never a write, through the whole orchestrator ----------------------------------------------

MOCK_URL = "http://netbox.invalid"


def _fake_netbox(request: httpx.Request) -> httpx.Response:
    """An empty but well-formed NetBox: every list is empty, GraphQL answers empty data."""
    path = request.url.path
    if path.rstrip("/").endswith("/graphql"):
        return httpx.Response(200, json={"data": {}})
    if path.endswith("/trace/") or path.endswith("/available-ips/") or path.endswith("/paths/"):
        return httpx.Response(200, json=[])
    if path.rstrip("/").endswith("/api/status"):
        return httpx.Response(200, json={"netbox-version": "4.7.3"})
    if re.search(r"/\d+/$", path):
        return httpx.Response(404, json={"detail": "No object matches the given query."})
    return httpx.Response(200, json={"count": 0, "next": None, "previous": None, "results": []})


def _is_read(request: httpx.Request) -> bool:
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return True
    if (
        request.method == "POST"
        and request.url.path.rstrip("/").endswith("/graphql")
        and "/api/" not in request.url.path
    ):
        body = request.content.decode("utf-8", "replace")
        return "mutation" not in body.lower()
    return False


@pytest.fixture
async def mocked_orchestrator():
    with respx.mock(assert_all_called=False) as mock:
        mock.route(host="netbox.invalid").mock(side_effect=_fake_netbox)
        client = NetBoxClient(NetBoxProfile(url=MOCK_URL, token="0123456789abcdef0123456789abcdef01234567"))
        try:
            yield Orchestrator(client), client, mock
        finally:
            await client.aclose()


@pytest.mark.parametrize("raw", WRITES)
async def test_write_questions_send_nothing(mocked_orchestrator, raw: str) -> None:
    orch, client, mock = mocked_orchestrator
    answer = await orch.ask(raw)
    assert answer.status == "error"
    assert answer.error is not None and answer.error.kind == "write_refused"
    assert answer.error.message and answer.error.hint
    assert answer.stats.api_calls == 0 and client.stats.calls == 0
    assert mock.calls.call_count == 0


@pytest.mark.parametrize(
    "raw", ["", "   ", "x" * 10_000, "\x1b[31m\x1b[0m"], ids=["empty", "blank", "10k", "only-ansi"]
)
async def test_bad_questions_answer_clearly_and_send_nothing(mocked_orchestrator, raw: str) -> None:
    orch, client, mock = mocked_orchestrator
    answer = await orch.ask(raw)
    assert answer.status == "error"
    assert answer.error is not None and answer.error.kind == "bad_question"
    assert answer.error.message and answer.error.hint
    assert mock.calls.call_count == 0 and answer.stats.api_calls == 0


async def test_every_phrasing_through_the_orchestrator_only_reads(mocked_orchestrator) -> None:
    """All phrasings, the writes and the bad input: every request that left the client was a read."""
    orch, client, mock = mocked_orchestrator
    questions = [c["q"] for c in PHRASINGS] + WRITES + ["", "x" * 10_000, "\x1b]0;t\x07devices at DM-Akron"]
    statuses = set()
    for q in questions:
        answer = await orch.ask(q)
        statuses.add(answer.status)
        assert answer.status != "error" or answer.error is None or answer.error.kind != "internal", (
            q,
            answer.answer,
        )
    sent = [(c.request.method, str(c.request.url)) for c in mock.calls]
    assert sent, "the orchestrator asked the mocked NetBox nothing at all"
    writes = [s for s, c in zip(sent, mock.calls) if not _is_read(c.request)]
    assert not writes, writes
    assert client.stats.calls == len(sent)
