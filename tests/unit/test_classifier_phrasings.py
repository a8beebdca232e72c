"""The offline classifier on phrasings a network engineer types (tests/data/phrasings.yaml), and bad input.

No network: phrasings go through RuleClassifier only; the "never a write" checks drive the whole
Orchestrator against a respx-mocked NetBox that records every request.
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

from netbox_tui.config import NetBoxProfile
from netbox_tui.core.classifier import BadQuestionError, RuleClassifier, check_question, clean_question
from netbox_tui.core.orchestrator import Orchestrator
from netbox_tui.errors import WriteRefusedError
from netbox_tui.netbox.client import NetBoxClient

DATA = Path(__file__).resolve().parents[1] / "data" / "phrasings.yaml"
PHRASINGS: list[dict[str, Any]] = yaml.safe_load(DATA.read_text(encoding="utf-8"))

# Phrasings the classifier does not handle yet (reported to the lead): question -> what it produced.
# strict=True: once the classifier is fixed the test XPASSes, fails, and the entry must be removed.
KNOWN_FAILURES: dict[str, str] = {
    'details of dmi01-scranon-rtr01': 'kind bulk_discovery, expected device_lookup',
    'tell me about dmi01-buffalo-sw01': 'kind performance_query, expected device_lookup; target dcim.site, expected dcim.device',
    'show me the device called dmi01-camden-rtr01': 'filters {name: called dmi01-camden-rtr01, device: None}, expected name|device in [dmi01-camden-rtr01]',
    'serial number of dmi01-albany-rtr01': 'kind bulk_discovery, expected device_lookup',
    'what platform is dmi01-stamford-rtr01 running': 'kind bulk_discovery, expected device_lookup; target dcim.platform, expected dcim.device',
    'how many interfaces does ncsu-coreswitch2 have': 'kind device_lookup, expected relationship_analysis or bulk_discovery; filters {device: None}, expected device in [ncsu-coreswitch2]',
    'show Gi1/0/1 on dmi01-akron-sw01': 'kind bulk_discovery, expected device_lookup or relationship_analysis; target dcim.device, expected dcim.interface; filters {interface: None}, expected interface in [gi1/0/1, gigabitethernet1/0/1]',
    'dmi01-akron-rtr01 Gi0/0/0': 'target dcim.device, expected dcim.interface; filters {device: None}, expected device in [dmi01-akron-rtr01]; filters {interface: None}, expected interface in [gi0/0/0, gigabitethernet0/0/0]',
    'show et-0/0/1 on ncsu-coreswitch1': 'kind bulk_discovery, expected device_lookup or relationship_analysis; target dcim.device, expected dcim.interface; filters {interface: None}, expected interface in [et-0/0/1]',
    'interface xe-0/0/0 on ncsu117-distswitch1': 'filters {interface: None}, expected interface in [xe-0/0/0]',
    'gi0/1/0 on dmi01-camden-rtr01': 'kind bulk_discovery, expected device_lookup or relationship_analysis; target dcim.device, expected dcim.interface; filters {interface: None}, expected interface in [gi0/1/0, gigabitethernet0/1/0]',
    'GigabitEthernet1/0/48 dmi01-utica-sw01': 'target dcim.device, expected dcim.interface; filters {device: None}, expected device in [dmi01-utica-sw01]; filters {interface: None}, expected interface in [gigabitethernet1/0/48]',
    'what vlan is Gi1/0/5 on dmi01-buffalo-sw01 in': 'kind bulk_discovery, expected device_lookup or relationship_analysis; filters {device: Gi1}, expected device in [dmi01-buffalo-sw01]; filters {interface: None}, expected interface in [gi1/0/5, gigabitethernet1/0/5]',
    'is Fa0/1 on dmi01-albany-sw01 enabled': 'kind bulk_discovery, expected device_lookup or relationship_analysis; target dcim.device, expected dcim.interface; filters {device: dmi01-albany-sw01 enabled}, expected device in [dmi01-albany-sw01]; filters {interface: None}, expected interface in [fa0/1, fastethernet0/1]',
    'where does dmi01-albany-rtr01 gi0/0/1 go': 'kind device_lookup, expected relationship_analysis; target dcim.device, expected dcim.interface; metric None, expected cable_trace; filters {device: None}, expected device in [dmi01-albany-rtr01]; filters {interface: None}, expected interface in [gi0/0/1, gigabitethernet0/0/1]',
    'what does xe-0/0/3 on ncsu118-distswitch1 connect to': 'kind bulk_discovery, expected relationship_analysis; target dcim.device, expected dcim.interface; metric None, expected cable_trace; filters {device: ncsu118-distswitch1 connect}, expected device in [ncsu118-distswitch1]; filters {interface: None}, expected interface in [xe-0/0/3]',
    'what device uses 10.112.129.5': 'kind bulk_discovery, expected device_lookup; filters.name = uses, expected empty',
    'IP address 172.20.0.3/24': 'kind bulk_discovery, expected device_lookup; filters {ip: None}, expected ip in [172.20.0.3, 172.20.0.3/24]',
    'DM-Buffalo prefixes': 'filters {scope: None, site: None}, expected scope|site in [dm-buffalo]',
    'rack utilisation of R203': 'filters {rack: None, name: None}, expected rack|name in [r203]',
    'port usage on dmi01-akron-sw01': 'filters {device: None, name: None}, expected device|name in [dmi01-akron-sw01]',
    'which IPs are still available in 172.19.1.0/24?': 'kind bulk_discovery, expected performance_query; metric None, expected available_ips',
    'DM-Akron VLANs': 'filters {scope: None, site: None}, expected scope|site in [dm-akron]',
    'which VLANs does JBB Branch 104 have': 'kind device_lookup, expected bulk_discovery; filters {scope: None, site: None}, expected scope|site in [jbb branch 104]',
    'which interfaces carry vlan 100': 'filters.interface = carry, expected empty',
    'map vlans to switch ports at JBB Branch 133': 'kind bulk_discovery, expected relationship_analysis; metric None, expected vlan_topology; filters {scope: JBB, site: None}, expected scope|site in [jbb branch 133]',
    "what's in rack R106": 'target dcim.rack, expected dcim.device',
    'how many devices does DM-Buffalo have': 'kind device_lookup, expected bulk_discovery; filters {scope: None, site: None}, expected scope|site in [dm-buffalo]',
    'give me all Cisco devices': 'filters {manufacturer: None}, expected manufacturer in [cisco]',
    'devices running Cisco IOS': 'kind device_lookup, expected bulk_discovery; filters {platform: None}, expected platform in [cisco ios]',
    'Dunder-Mifflin devices': 'kind device_lookup, expected bulk_discovery; filters {tenant: None, scope: None}, expected tenant|scope in [dunder-mifflin]',
    'which ToR switches are in rack R107': 'target dcim.rack, expected dcim.device; filters {role: None}, expected role in [tor switch, tor switches, tor-switch]',
    'patch panels at MDF': 'raises WriteRefusedError: read as a write',
    'routers in Pennsylvania': 'filters {role: None}, expected role in [router, routers]',
    'which routers have no serial': 'filters {role: None}, expected role in [router, routers]',
    'list devices where the platform is missing': 'kind bulk_discovery, expected configuration_audit; audit None, expected no_platform',
    'which ports on dmi01-akron-sw01 have no cable': 'kind relationship_analysis, expected configuration_audit; audit None, expected unconnected_interfaces',
    "show me devices that don't have a primary IPv4 address": 'kind device_lookup, expected configuration_audit; audit None, expected no_primary_ip',
    'give me an overview of DM-Buffalo': 'filters {scope: None, site: None, name: None}, expected scope|site|name in [dm-buffalo]',
    'summarise hartford': 'filters {scope: None, site: None, name: None}, expected scope|site|name in [hartford]',
    'DO-LON1 virtual machines': 'filters {cluster: None, scope: None}, expected cluster|scope in [do-lon1]',
    'CenturyLink circuits': 'filters {provider: None, scope: None}, expected provider|scope in [centurylink]',
    'how many circuits does level3 have': 'kind device_lookup, expected bulk_discovery; filters {provider: None, scope: None}, expected provider|scope in [level3]',
    'what tenants exist': 'kind device_lookup, expected bulk_discovery',
}

# Bad-input cases that fail today (reported): id -> why.
CLEAN_ESC = "clean_question turns ESC into a space before matching CSI, so '[31m'-style residue stays in the question"
KNOWN_BAD_INPUT: dict[str, str] = {
    "only-ansi": CLEAN_ESC + " (an all-escape question is not empty)",
    "ansi-colour-around": CLEAN_ESC,
    "ansi-colour-inside": CLEAN_ESC,
    "clear-screen": CLEAN_ESC,
    "zero-width": "format characters (U+200B) become a space, so DM-\\u200bAkron becomes 'DM- Akron'",
    "patch panels at MDF": "'patch' at the start is read as a write verb",
    "Patch panels in rack R105": "'patch' at the start is read as a write verb",
}


def _known(values: list, ids: list[str]) -> list:
    """Parameters with ids; the ones in KNOWN_BAD_INPUT marked xfail(strict=True)."""
    out = []
    for value, id_ in zip(values, ids):
        marks = [pytest.mark.xfail(strict=True, reason=KNOWN_BAD_INPUT[id_])] if id_ in KNOWN_BAD_INPUT else []
        args = value if isinstance(value, tuple) else (value,)
        out.append(pytest.param(*args, id=id_, marks=marks))
    return out


def _norm(value: Any) -> str:
    return re.sub(r"\s+", " ", str(value)).strip().casefold()


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _check(case: dict[str, Any]) -> list[str]:
    """Every mismatch between the classifier's intent and the case, in words."""
    intent = RuleClassifier().classify(case["q"])
    problems: list[str] = []
    kinds = _as_list(case["kind"])
    if intent.kind.value not in kinds:
        problems.append(f"kind {intent.kind.value!r}, expected {' or '.join(kinds)}")
    targets = _as_list(case["target"])
    if intent.target.value not in targets:
        problems.append(f"target {intent.target.value!r}, expected {' or '.join(targets)}")
    for key in ("metric", "audit"):
        if key in case and getattr(intent, key) != case[key]:
            problems.append(f"{key} {getattr(intent, key)!r}, expected {case[key]!r}")
    given = intent.filters.model_dump()
    for fields, wanted in (case.get("filters") or {}).items():
        names = fields.split("|")
        accepted = {_norm(v) for v in _as_list(wanted)}
        if not any(given.get(name) is not None and _norm(given[name]) in accepted for name in names):
            shown = {name: given.get(name) for name in names}
            problems.append(f"filters {shown}, expected {fields} in {sorted(accepted)}")
    for name in case.get("absent") or []:
        if given.get(name):
            problems.append(f"filters.{name} = {given[name]!r}, expected empty")
    if problems:
        problems.append(f"produced {json.dumps(intent.model_dump(mode='json', exclude_defaults=True), sort_keys=True)}")
    return problems


def _params():
    for case in PHRASINGS:
        marks = []
        if case["q"] in KNOWN_FAILURES:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[case["q"]]))
        yield pytest.param(case, id=case["q"], marks=marks)


def test_phrasing_file_is_large_and_well_formed():
    assert len(PHRASINGS) >= 100
    questions = [c["q"] for c in PHRASINGS]
    assert len(set(questions)) == len(questions), "duplicate questions"
    allowed = {"q", "kind", "target", "filters", "metric", "audit", "absent", "topic"}
    for case in PHRASINGS:
        assert set(case) <= allowed, case
        assert {"q", "kind", "target"} <= set(case), case
    assert set(KNOWN_FAILURES) <= set(questions), "a known failure names a question not in the file"


@pytest.mark.parametrize("case", list(_params()))
def test_phrasing(case: dict[str, Any]) -> None:
    problems = _check(case)
    assert not problems, f"{case['q']!r}: " + "; ".join(problems)


# -- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", _known(["", " ", "   \t\n  ", "\n\n", "\x00\x01\x02", "\x1b[31m\x1b[0m"],
                                       ["empty", "space", "whitespace", "newlines", "nul-controls", "only-ansi"]))
def test_empty_or_blank_is_a_bad_question(raw: str) -> None:
    with pytest.raises(BadQuestionError) as info:
        RuleClassifier().classify(raw)
    assert info.value.message  # said in words


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
ESCAPE_IDS = ["nul-bel", "ansi-colour-around", "ansi-colour-inside", "tab-crlf", "zero-width", "osc-title", "clear-screen"]


@pytest.mark.parametrize("raw,scope", _known(ESCAPES, ESCAPE_IDS))
def test_control_characters_and_escapes_are_dropped(raw: str, scope: str) -> None:
    cleaned = clean_question(raw)
    assert "\x1b" not in cleaned and not any(ord(c) < 32 for c in cleaned)
    intent = RuleClassifier().classify(raw)
    values = [v for v in intent.filters.model_dump().values() if v]
    for value in values:
        assert "\x1b" not in value and not any(ord(c) < 32 for c in value), value
        assert "pwned" not in value and "]0;" not in value, f"escape sequence payload kept: {value!r}"
    assert _norm(intent.filters.scope or intent.filters.site or "") == _norm(scope), intent.filters.given()


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
    "wipe all prefixes in VRF Alpha",
    "DELETE FROM dcim_device",
    "create prefix 10.99.0.0/24",
]


@pytest.mark.parametrize("raw", WRITES)
def test_asking_to_change_netbox_is_refused(raw: str) -> None:
    with pytest.raises(WriteRefusedError) as info:
        RuleClassifier().classify(raw)
    assert "read-only" in info.value.message


LOOKALIKES = ["devices in decommissioning status", "which IPs are not assigned", "show removed cables",
              "list the addresses at DM-Akron", "updates on dmi01-akron-rtr01", "devices added to MDF",
              "patch panels at MDF", "Patch panels in rack R105"]


@pytest.mark.parametrize("raw", _known(LOOKALIKES, LOOKALIKES))
def test_reading_words_that_look_like_writes_is_not_refused(raw: str) -> None:
    RuleClassifier().classify(raw)  # no WriteRefusedError


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
    if request.method == "POST" and request.url.path.rstrip("/").endswith("/graphql") and "/api/" not in request.url.path:
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


@pytest.mark.parametrize("raw", _known(["", "   ", "x" * 10_000, "\x1b[31m\x1b[0m"], ["empty", "blank", "10k", "only-ansi"]))
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
    sent = [(c.request.method, str(c.request.url)) for c in mock.calls]
    assert sent, "the orchestrator asked the mocked NetBox nothing at all"
    writes = [s for s, c in zip(sent, mock.calls) if not _is_read(c.request)]
    assert not writes, writes
    assert client.stats.calls == len(sent)
