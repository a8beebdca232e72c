"""No question of any corpus ends in an internal error (issue 16): the shared sets, the corpora, and the
held-out sets, each asked as the CLI asks it (a session on the real NetBox, the connected NetBox's own
schema learnt), cold. Right or wrong is the business of the acceptance tests and of bench/heldout.py;
here an answer only has to be an answer: an `internal` error, or an exception, fails, with every such
question of the set listed at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from fixture_env import fixture_env

from netbox_tui import schema as nbschema
from netbox_tui.config import Settings
from netbox_tui.netbox.cache import CacheMode
from netbox_tui.session import Session

pytestmark = pytest.mark.integration

DATA = Path(__file__).resolve().parents[1] / "data"
TOKEN = "0123456789abcdef0123456789abcdef01234567"  # the demo dump's public read-only token
DEMO_SETS = ["queries/dev.yaml", "queries/dev2.yaml", "corpus.yaml", "heldout/heldout.yaml",
             "heldout18demo/heldout18demo.yaml"]
FIXTURE_SETS = ["corpus-fixture.yaml", "heldout17/heldout17.yaml", "heldout17b/heldout17b.yaml",
                "heldout18fix/heldout18fix.yaml"]


def questions(name: str) -> list[str]:
    doc: Any = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    cases = doc["queries"] if isinstance(doc, dict) else doc
    return [str(c["question"]) for c in cases]


async def _ask_all(url: str, name: str, tmp_path: Path) -> None:
    settings = Settings.model_validate({"netbox": {"default": {"url": url, "token": TOKEN}},
                                        "cache": {"dir": str(tmp_path / "cache")}})
    session = Session.open(settings, cache_mode=CacheMode.OFF)
    broken: list[str] = []
    try:
        await session.learn_schema()
        asked = questions(name)
        assert len(asked) >= 20, f"{name}: {len(asked)} questions"
        for q in asked:
            try:
                answer = await session.orchestrator.ask(q)
            except Exception as exc:  # noqa: BLE001 - every failure of the set is listed
                broken.append(f"{q!r}: raised {exc.__class__.__name__}: {exc}")
                continue
            if answer.error is not None and answer.error.kind == "internal":
                broken.append(f"{q!r}: {answer.answer[:160]}")
    finally:
        await session.aclose()
        nbschema.use(None)
    assert not broken, f"{name}: {len(broken)} internal errors:\n" + "\n".join(broken)


@pytest.mark.parametrize("name", DEMO_SETS)
async def test_no_question_of_a_demo_set_is_an_internal_error(
        netbox_url: str, name: str, tmp_path: Path) -> None:
    await _ask_all(netbox_url, name, tmp_path)


@pytest.mark.parametrize("name", FIXTURE_SETS)
async def test_no_question_of_a_fixture_set_is_an_internal_error(name: str, tmp_path: Path) -> None:
    await _ask_all(fixture_env("NETBOX_FIXTURE_URL"), name, tmp_path)
