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
        await pilot.press("tab", "down")  # tab enters the table; ↓ there is the next row
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

    app = app_factory(
        nb[0], export_dir=Path("/tmp")
    )  # the dialog says where files go: a fixed place (nothing is written)

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
    monkeypatch.setenv(
        "XDG_CONFIG_HOME", "/home/you/.config"
    )  # the help names the keymap path: a fixed one here
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


def test_snapshot_drill_80x24(snap_compare, nb, app_factory):
    """A device's interfaces at 80x24: the name and the whole connection; empty columns said once."""
    app = app_factory(nb[0])

    async def run_before(pilot):
        await settle(pilot)
        await ask(pilot, "devices at dm akron")
        await pilot.press("down", "enter")  # ↓ selects dmi01-akron-rtr01 from the box, enter drills it
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_snapshot_choice_list_80x24(snap_compare, nb, app_factory):
    """Six sites to choose from at 80x24: every choice on screen, one line each."""
    app = app_factory(nb[0])

    async def run_before(pilot):
        await settle(pilot)
        await ask(pilot, "VLANs at JBB Branch")

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_snapshot_export_notice_80x24(snap_compare, nb, app_factory, monkeypatch):
    """The notice after an export sits above the question box, never on it."""
    import functools
    from pathlib import Path

    from netbox_tui.tui import app as app_module

    stamp = "20261207-120000"  # the file name's time: fixed, so the notice is the same every run
    monkeypatch.setattr(app_module, "export_rows", functools.partial(app_module.export_rows, stamp=stamp))
    written = Path("/tmp") / f"netbox-devices-site-dm-akron-{stamp}.csv"
    app = app_factory(nb[0], export_dir=Path("/tmp"))

    async def run_before(pilot):
        await settle(pilot)
        await ask(pilot, "devices at dm akron")
        await pilot.press("ctrl+s", "1")
        await settle(pilot)

    try:
        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
    finally:
        written.unlink(missing_ok=True)
