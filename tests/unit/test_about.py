"""Questions about the connected NetBox itself (issue 17: "what netbox version r we on", "WHAT PLUGINS ARE
INSTALLED"), offline: read as the `about` pattern only where nothing else is named, answered from
/api/status/ (the request the session makes anyway), on a stand-in client and on the embedded demo, whose
expected values are read from the demo snapshot's own status, not written here."""

from __future__ import annotations

import gzip
import json
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any, AsyncIterator, Iterator, Optional

import pytest
from _demo import DEMO, demo_names

from netbox_tui.config import Settings
from netbox_tui.core.about import ABOUT, plan_about, versions
from netbox_tui.core.intent import Condition, Intent
from netbox_tui.core.parser import Parser
from netbox_tui.core.plan import Context
from netbox_tui.session import Session

STATUS = {
    "netbox-version": "4.7.3",
    "netbox-full-version": "4.7.3-Docker-3.2",
    "python-version": "3.12.1",
    "django-version": "6.1.2",
    "plugins": {"netbox_bgp": "0.20.2", "netbox_topology_views": "4.3.0"},
    "installed_apps": {"django_rq": "4.2.0", "netbox_bgp": "0.20.2", "mptt": None},
}


@pytest.fixture(scope="module")
def parser() -> Parser:
    return Parser(demo_names())


@pytest.mark.parametrize(
    "question",
    [
        "real quick - what netbox version r we on",
        "WHAT PLUGINS ARE INSTALLED",
        "which plugins do we have",
        "python version",
        "what release of netbox is this",
        "which netbox are we connected to",
        "what version of django is netbox running",
        "list plugins with versions",
        "what netbox version is this server running?",  # "server" also names device roles
    ],
)
def test_questions_about_netbox_itself(parser: Parser, question: str) -> None:
    intent = parser.parse(question)
    assert (intent.target, intent.pattern, intent.not_understood) == (ABOUT, "about", [])
    assert intent.conditions == []


def test_version_is_never_a_provider_name_and_data_questions_stay_data(parser: Parser) -> None:
    """The demo has the provider Verizon: "version" is not read as it. A question that names objects is
    about them ("version" then says what it says there, or is said as not understood)."""
    intent = parser.parse("what netbox version")
    assert intent.pattern == "about" and not intent.guesses()
    for question in ("devices running version 17", "plugins on dmi01-akron-rtr01", "Verizon circuits",
                     "what netbox devices are at DM-Akron", "what is connected to ncsu-coreswitch1 xe-0/0/1"):
        assert parser.parse(question).pattern != "about", question


def test_installed_apps_are_asked_by_their_word(parser: Parser) -> None:
    assert parser.parse("installed apps").attributes == ["installed_apps"]
    assert parser.parse("installed plugins").attributes == []


def test_versions_say_what_the_status_says() -> None:
    assert versions(STATUS) == "NetBox 4.7.3-Docker-3.2 (Python 3.12.1, Django 6.1.2)"
    assert versions({"netbox-version": "4.6.0"}) == "NetBox 4.6.0"
    assert versions({}) == "NetBox of unknown version"


class StatusClient:
    """/api/status/ as NetBox answers it, through the client's question (read_status opens one)."""

    base_url = shown_url = "https://netbox.example.net"
    profile = SimpleNamespace(deadline=10.0)

    def __init__(self) -> None:
        self.sent: list[str] = []

    @contextmanager
    def question(self, **kw: Any) -> Iterator[None]:
        yield None

    async def request_json(self, method: str, path: str, params: Any = None, **kw: Any) -> Any:
        self.sent.append(path)
        return STATUS


async def answer(attributes: list[str], conditions: Optional[list[Condition]] = None) -> Any:
    intent = Intent(target=ABOUT, pattern="about", attributes=attributes, conditions=conditions or [])
    plan = plan_about(intent)
    client = StatusClient()
    ctx = Context(client=client, resolver=None, intent=intent, question="what netbox version")  # type: ignore
    for step in plan.steps:
        ctx.results[step.name] = await step.run(ctx)
    return plan.finish(ctx), client


async def test_the_answer_is_versions_source_and_plugins() -> None:
    out, client = await answer([])
    assert client.sent == ["status/"]  # one read of the status, nothing else
    assert out.answer == (
        "NetBox 4.7.3-Docker-3.2 (Python 3.12.1, Django 6.1.2) at https://netbox.example.net; "
        "2 plugins: netbox_bgp 0.20.2, netbox_topology_views 4.3.0."
    )
    assert [(r["name"], r["version"]) for r in out.tables[0].rows] == sorted(STATUS["plugins"].items())


async def test_installed_apps_mark_the_plugins() -> None:
    out, _ = await answer(["installed_apps"])
    assert [(r["name"], r["version"], r["kind"]) for r in out.tables[0].rows] == [
        ("django_rq", "4.2.0", "Django app"),
        ("mptt", "—", "Django app"),  # NetBox gives no version for it
        ("netbox_bgp", "0.20.2", "plugin"),
    ]


async def test_a_plugin_asked_by_name_is_said_installed_or_not() -> None:
    bgp = Condition(field="plugin", value="netbox_bgp", text="bgp plugin")
    out, _ = await answer([], [bgp])
    assert [r["name"] for r in out.tables[0].rows] == ["netbox_bgp"]
    assert out.answer.endswith("1 plugin: netbox_bgp 0.20.2.")
    out, _ = await answer([], [bgp.model_copy(update={"value": "netbox_dns"})])
    assert out.tables[0].rows == [] and out.answer.endswith("; netbox_dns: not installed.")


@pytest.fixture
async def demo() -> AsyncIterator[Any]:
    session = Session.open(Settings(), demo=True)
    yield session.orchestrator
    await session.aclose()


async def test_the_demo_says_the_netbox_its_snapshot_was_saved_from(demo: Any) -> None:
    saved = json.loads(gzip.decompress(DEMO.read_bytes()))
    ans = await demo.ask("real quick - what netbox version r we on")
    assert ans.status == "ok" and ans.answer.startswith(f"NetBox {saved['status']['netbox-full-version']} (")
    assert f"as saved in a snapshot of {saved['url']} taken {saved['taken_at'][:10]}" in ans.answer
    apps = await demo.ask("installed apps")
    assert {r["name"] for r in apps.tables[0].rows} == set(saved["status"]["installed_apps"])
