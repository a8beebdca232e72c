"""The TUI under faults (pilot), through harness.FaultTransport in front of the real NetBox.

Hostile text never reaches the screen nor an export; several questions fired quickly are each
cancellable and a late answer never replaces a newer one; what is on screen stays when a later
question fails, under every fault that fails a question; a stale answer is marked with its age.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from netbox_tui.backend import Backend
from netbox_tui.core.orchestrator import Orchestrator
from netbox_tui.netbox.cache import ResponseCache
from netbox_tui.tui.app import NetBoxApp
from netbox_tui.tui.export import export_rows
from netbox_tui.tui.messages import AnswerReady
from netbox_tui.tui.widgets.chat import ChatLog, QuestionInput

from .harness import BY_NAME, FORBIDDEN, TOKEN, FaultTransport, Mode, RealNetBox, make_client

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _isolation(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.chdir(tmp_path)


def make_app(
    transport: FaultTransport, tmp_path: Path, cache: ResponseCache | None = None, deadline: float = 2.0
) -> NetBoxApp:
    client = make_client(transport, cache, deadline=deadline)
    backend = Backend(client, "fault test")
    return NetBoxApp(
        backend,
        Orchestrator(client, page_size=25),
        history_path=tmp_path / "history.jsonl",
        export_dir=tmp_path,
        spin=False,
        cursor_blink=False,
        close_backend=True,
        clock=lambda: 0.0,
        examples=["list all VLANs"],
    )


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def fire(pilot, question: str) -> None:
    """Type a question and press enter, without waiting for the answer."""
    app = pilot.app
    app.action_focus_question()
    app.query_one("#question", QuestionInput).value = question
    await pilot.press("enter")


async def ask(pilot, question: str) -> None:
    await fire(pilot, question)
    await settle(pilot)


def chat_text(app: NetBoxApp) -> str:
    return "\n".join(str(s.render()) for s in app.query_one(ChatLog).children)


def screen_problems(app: NetBoxApp) -> list[str]:
    svg = app.export_screenshot()
    texts = {"screen": svg, "chat": chat_text(app), "title": f"{app.title} {app.sub_title}"}
    out = []
    for name, text in texts.items():
        bad = FORBIDDEN.search(text)
        if bad:
            out.append(f"{bad.group(0)!r} on the {name}")
        if "pwned" in text or TOKEN in text:
            out.append(f"NetBox's title sequence or the token on the {name}")
    return out


async def test_hostile_text_never_reaches_the_screen_nor_an_export(real: RealNetBox, tmp_path: Path) -> None:
    app = make_app(FaultTransport(BY_NAME["escapes"], real), tmp_path, deadline=10.0)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.server is not None and not screen_problems(app)
        for q in [
            "devices at dm akron",
            "show me PP:MDF",
            "which devices have no primary IP",
            "summarize site DM-Nashua",
        ]:
            await ask(pilot, q)
            assert (
                app.view is not None and app.view.answer is not None and app.view.answer.status != "error"
            ), q
            assert not screen_problems(app), q
            ts = app.view.table
            if ts is not None and ts.rows:
                for fmt in ("csv", "json"):
                    path = export_rows(
                        ts.table.title, ts.table.columns, [r for _, r in ts.visible()], fmt, tmp_path
                    )
                    text = path.read_text(encoding="utf-8")
                    assert not FORBIDDEN.search(text) and "pwned" not in text, (q, fmt)


async def test_questions_fired_quickly_are_each_cancellable_and_the_latest_wins(
    real: RealNetBox, tmp_path: Path
) -> None:
    slow = Mode("slow", "every answer 0.3 s late", delay=0.3)
    app = make_app(FaultTransport(slow, real), tmp_path, deadline=20.0)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        home = list(app.stack)
        await fire(pilot, "list all VLANs")
        assert app.running
        await pilot.press("escape")  # cancel it
        await settle(pilot)
        assert not app.running and app.stack == home and "cancelled: asking: list all VLANs" in chat_text(app)
        # three at once: each newer one replaces the older; only the last answers
        await fire(pilot, "devices at dm akron")
        first_run = app._active_run
        await fire(pilot, "show me PP:MDF")
        await fire(pilot, "which sites have no VLANs")
        await settle(pilot)
        assert len(app.stack) == 2 and app.view is not None and app.view.answer is not None
        assert app.view.answer.question == "which sites have no VLANs"
        shown = app.view
        # a late answer to an older question (its worker finished just as the user asked again) is dropped
        late = shown.answer.model_copy(update={"question": "devices at dm akron", "answer": "LATE"})
        app.post_message(AnswerReady(first_run or 1, late, "root"))
        await settle(pilot)
        assert app.view is shown and "LATE" not in chat_text(app)
        # the newest can be cancelled too, and then nothing on screen changes
        await fire(pilot, "interfaces on ncsu-coreswitch1")
        await fire(pilot, "rack utilization at MDF")
        await pilot.press("escape")
        await settle(pilot)
        assert app.view is shown and not app.running
        assert "cancelled: asking: rack utilization at MDF" in chat_text(app)


FAILING = {
    "stall": "NetBox timed out",
    "trickle": "NetBox timed out",
    "reset": "NetBox unreachable",
    "429": "NetBox is rate-limiting",
    "500": "NetBox server error",
    "truncated": "NetBox unreachable",
    "invalid_json": "Unexpected answer",
    "html_login": "Unexpected answer",
}


async def test_screen_stays_when_a_later_question_fails(real: RealNetBox, tmp_path: Path) -> None:
    transport = FaultTransport(BY_NAME["none"], real)
    app = make_app(transport, tmp_path, deadline=30.0)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await ask(pilot, "interfaces on ncsu-coreswitch1")
        app.orchestrator.deadline = 1.5  # NetBox answered; from now on each question has 1.5 s
        shown = app.view
        assert shown is not None and shown.table is not None
        rows = list(shown.table.rows)
        for name in FAILING:
            transport.mode = BY_NAME[name]
            started = time.perf_counter()
            await ask(pilot, "devices at dm akron")
            assert time.perf_counter() - started < 1.5 + 3.0, (
                name
            )  # the deadline, plus the retry waits of 429
            assert app.error_panel.display and app.error_panel.border_title == FAILING[name], (
                name,
                app.error_panel.border_title,
            )
            assert app.view is shown and shown.table.rows == rows, name
            assert not screen_problems(app), name
            await pilot.press("escape")  # hide the error: the answer is still there
            await settle(pilot)
            assert not app.error_panel.display and app.view is shown


async def test_stale_answer_is_marked_with_its_age(real: RealNetBox, tmp_path: Path, monkeypatch) -> None:
    transport = FaultTransport(BY_NAME["none"], real)
    cache = ResponseCache(tmp_path / "cache", lambda kind: 60)
    app = make_app(transport, tmp_path, cache=cache, deadline=5.0)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await ask(pilot, "devices at dm akron")
        fresh = app.view.answer.answer  # type: ignore[union-attr]
        real_time = time.time
        monkeypatch.setattr(time, "time", lambda: real_time() + 3 * 3600)
        transport.mode = BY_NAME["reset"]
        await ask(pilot, "devices at dm akron")
        answer = app.view.answer  # type: ignore[union-attr]
        assert (
            answer is not None
            and answer.stale
            and answer.answer == f"From cache, 3 h old — NetBox unreachable. {fresh}"
        )
        assert "From cache, 3 h old — NetBox unreachable." in chat_text(app)
        assert "From cache, 3 h old" in app.export_screenshot().replace("&#160;", " ")
        await pilot.press("r")  # refresh: NetBox is still down, the cache answers again, said the same way
        await settle(pilot)
        assert app.view.answer is not None and app.view.answer.stale  # type: ignore[union-attr]
