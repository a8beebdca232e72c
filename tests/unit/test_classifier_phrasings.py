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
    'what platform is dmi01-stamford-rtr01 running': 'target dcim.platform: attribute questions ("what X is <device>") are not read as device lookups yet',
    'what vlan is Gi1/0/5 on dmi01-buffalo-sw01 in': 'target ipam.vlan, kind bulk_discovery: the VLAN of one interface is not a recipe yet',
    'rack utilisation of R203': 'R203 lands in filters.scope (the resolver tries site, location, region, tenant, then rack), not rack',
    'map vlans to switch ports at JBB Branch 133': '"map … to" is not read as VLAN topology; "switch" is taken as the scope',
    'give me all Cisco devices': 'Cisco lands in filters.scope (manufacturer is among the kinds the resolver tries), not manufacturer',
}

# Bad-input cases that fail today (reported): id -> why.
CLEAN_ESC = "clean_question turns ESC into a space before matching CSI, so '[31m'-style residue stays in the question"
KNOWN_BAD_INPUT: dict[str, str] = {}


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
