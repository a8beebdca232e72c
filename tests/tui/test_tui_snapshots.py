"""Snapshots of the main screens at 80x24 and 120x40 (pytest-textual-snapshot; Textual pinned).

Deterministic: fixed data (see conftest.py), a fixed label, elapsed time rendered as "0.0 s",
no spinner animation, no cursor blink. Update with `--snapshot-update`, then look at the SVGs
(e.g. `rsvg-convert -o x.png tests/tui/__snapshots__/test_tui_snapshots/NAME.svg`).
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
    """An interface table at 80x24: name, mode, VLANs and connection visible; device said once."""
    app = app_factory(nb[0])

    async def run_before(pilot):
        await settle(pilot)
        await ask(pilot, "interfaces on dmi01-akron-sw01")

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_on_the_table(snap_compare, nb, app_factory, size):
    """The focus in the table: the footer shows the letters, the question box says how to ask."""
    app = app_factory(nb[0])

    async def run_before(pilot):
        await settle(pilot)
        await ask(pilot, "devices at dm akron")
        await pilot.press("down", "down")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_trace(snap_compare, nb, app_factory, size):
    app = app_factory(nb[0])

    async def run_before(pilot):
        await settle(pilot)
        await ask(pilot, "what is connected to ncsu-coreswitch1 xe-0/0/1")

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_export_choice(snap_compare, nb, app_factory, size):
    from pathlib import Path

    app = app_factory(nb[0], export_dir=Path("/tmp"))  # the dialog says where files go: a fixed place (nothing is written)

    async def run_before(pilot):
        await settle(pilot)
        await ask(pilot, "all interfaces")
        await pilot.press("ctrl+s")
        await pilot.pause()

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
def test_snapshot_help(snap_compare, nb, app_factory, size, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", "/home/you/.config")  # the help names the keymap path: a fixed one here
    app = app_factory(nb[0])

    async def run_before(pilot):
        await settle(pilot)
        await ask(pilot, "VLANs at DM-Akron")
        pilot.app.notify("a toast that must not cover the keys", timeout=30)
        await pilot.press("f1")  # the question box has the focus: ? would be text there
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_needs_choice(snap_compare, nb, app_factory, size):
    app = app_factory(nb[0])

    async def run_before(pilot):
        await settle(pilot)
        await ask(pilot, "interfaces on dmi01-akron")

    assert snap_compare(app, terminal_size=size, run_before=run_before)
