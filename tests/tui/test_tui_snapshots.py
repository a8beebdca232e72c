"""Snapshots of the main screens at 80x24 and 120x40 (pytest-textual-snapshot; Textual pinned).

Deterministic: fixed data (see conftest.py), a fixed label, elapsed time rendered as "0.0 s",
no spinner animation, no cursor blink. Update with `--snapshot-update`, then look at the SVGs.
"""

from __future__ import annotations

import pytest

from netbox_tui.tui.widgets.chat import QuestionInput

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def ask(pilot, question: str) -> None:
    pilot.app.action_focus_question()
    pilot.app.query_one("#question", QuestionInput).value = question
    await pilot.press("enter")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_welcome(snap_compare, nb, app_factory, size):
    app = app_factory(nb[0])
    assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_answer_with_table(snap_compare, nb, app_factory, size):
    app = app_factory(nb[0])

    async def run_before(pilot):
        await settle(pilot)
        await ask(pilot, "interfaces on ncsu-coreswitch1")

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_progress_mid_run(snap_compare, nb, app_factory, size):
    backend, gate = nb
    app = app_factory(backend)

    async def run_before(pilot):
        await settle(pilot)
        await ask(pilot, "VLANs at DM-Akron")
        gate.hold()
        pilot.app.action_focus_question()
        pilot.app.query_one("#question", QuestionInput).value = "all interfaces"
        await pilot.press("enter")
        await gate.wait_entered()
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_error(snap_compare, nb, app_factory, size):
    app = app_factory(nb[0])

    async def run_before(pilot):
        await settle(pilot)
        await ask(pilot, "VLANs at DM-Akron")
        await ask(pilot, "delete device dmi01-akron-rtr01")

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_help(snap_compare, nb, app_factory, size):
    app = app_factory(nb[0])

    async def run_before(pilot):
        await settle(pilot)
        await ask(pilot, "VLANs at DM-Akron")
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_needs_choice(snap_compare, nb, app_factory, size):
    app = app_factory(nb[0])

    async def run_before(pilot):
        await settle(pilot)
        await ask(pilot, "interfaces on dmi01-akron")

    assert snap_compare(app, terminal_size=size, run_before=run_before)
