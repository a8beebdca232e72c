"""Pilot tests: every key of the app, against a backend built here (see conftest.py). No sleeps.

After an answer the focus stays in the question box (typing asks); `to_table` moves into the
table, where the keys are single letters. The chords (ctrl+…) act from both."""

from __future__ import annotations

import csv
import io
import json

import httpx
import pytest
from rich.console import Console
from rich.text import Text

from netbox_tui.core.results import Answer, Column, Table
from netbox_tui.tui.history import History
from netbox_tui.tui.keymap import default_keymap_path
from netbox_tui.tui.messages import AnswerReady
from netbox_tui.tui.screens.dialogs import PickScreen
from netbox_tui.tui.screens.help import HelpScreen, help_table
from netbox_tui.tui.widgets.chat import ChatLog, QuestionInput
from netbox_tui.tui.widgets.progress import ProgressPanel
from netbox_tui.tui.widgets.results import ChoiceList, ErrorPanel, ResultTable


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def ask(pilot, question: str) -> None:
    app = pilot.app
    app.action_focus_question()
    app.query_one("#question", QuestionInput).value = question
    await pilot.press("enter")
    await settle(pilot)


async def to_table(pilot) -> None:
    """From the question box into the table (tab), as a user does."""
    app = pilot.app
    if not isinstance(app.focused, (ResultTable, ChoiceList)):
        app.action_focus_question()
        await pilot.press("tab")  # the one explicit way in (↓ only moves the selection from the box)
        await pilot.pause()
    assert isinstance(app.focused, (ResultTable, ChoiceList)), app.focused


def exports(tmp_path):
    return sorted(tmp_path.glob("netbox-*"))


def table(app) -> ResultTable:
    widget = app.view_widget()
    pane = widget.pane()
    assert pane is not None, "no table in the current view"
    return pane.table


def header(app) -> str:
    return app.view.table.header()


def chat_text(app) -> str:
    return "\n".join(str(s.render()) for s in app.query_one(ChatLog).children)


async def test_welcome_says_which_netbox_and_suggests_questions(nb, app_factory):
    backend, _ = nb
    app = app_factory(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.server is not None and app.server.version
        assert "test data" in app.sub_title and f"NetBox {app.server.version}" in app.sub_title
        intro = str(app.query_one(".welcome").render())
        assert "connected" in intro
        assert "0123456789abcdef" not in intro + app.sub_title  # never the token
        assert len(app.query_one(ChoiceList).options) == 6
        assert isinstance(app.focused, QuestionInput)


async def test_n_loads_next_25_and_header_says_so(nb, app_factory):
    backend, _ = nb
    app = app_factory(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await ask(pilot, "all interfaces")
        assert isinstance(app.focused, QuestionInput)  # the answer leaves the focus in the question box
        assert table(app).row_count == 25
        assert header(app) == "Interfaces — rows 1–25 of 1,586"
        assert app.check_action("next_page", ()) is True
        await pilot.press("ctrl+n")  # the chord, from the question box
        await settle(pilot)
        assert table(app).row_count == 50
        assert header(app) == "Interfaces — rows 1–50 of 1,586"
        assert "Interfaces — rows 1–50 of 1,586" in str(
            app.view_widget().pane().query_one(".table-header").render()
        )
        await to_table(pilot)
        await pilot.press("n")  # the letter, on the table
        await settle(pilot)
        assert table(app).row_count == 75
        # row keys are NetBox ids
        assert table(app).get_row_index("1") == 0


async def test_n_is_dimmed_without_a_next_page(nb, app_factory):
    backend, _ = nb
    app = app_factory(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await ask(pilot, "VLANs at DM-Akron")
        assert table(app).row_count == 3
        assert app.check_action("next_page", ()) is None  # None: shown dimmed in the footer
        calls = backend.client.stats.calls
        await to_table(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert backend.client.stats.calls == calls


async def test_enter_drills_down_and_esc_comes_back_with_the_same_rows(nb, app_factory):
    backend, _ = nb
    app = app_factory(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await ask(pilot, "devices at dm akron")
        before_view = app.view
        before_rows = [table(app).get_row_at(i) for i in range(table(app).row_count)]
        await to_table(pilot)
        await pilot.press("down")  # second device
        selected = table(app).selected_row()
        await pilot.press("enter")
        await settle(pilot)
        assert app.view is not before_view and app.view.kind == "drill"
        assert isinstance(app.focused, QuestionInput)  # an answer, even a drill's: typing asks next
        assert len(app.stack) == 3
        crumb = str(app.query_one("#breadcrumb").render())
        assert crumb.startswith("home › devices at dm akron › ") and selected["name"] in crumb
        titles = [ts.table.title for ts in app.view.tables]
        assert any(t.startswith("Interfaces of") for t in titles)
        calls = backend.client.stats.calls
        await to_table(pilot)
        await pilot.press("escape")  # from the drill's table: back, still on a table
        await pilot.pause()
        assert app.view is before_view
        assert backend.client.stats.calls == calls  # nothing fetched again
        assert [table(app).get_row_at(i) for i in range(table(app).row_count)] == before_rows
        assert table(app).cursor_row == 1  # even the cursor is where it was
        assert isinstance(app.focused, ResultTable)


async def test_slash_filters_loaded_rows_then_searches_netbox(nb, app_factory):
    backend, _ = nb
    app = app_factory(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await ask(pilot, "all interfaces")
        calls = backend.client.stats.calls
        await to_table(pilot)
        await pilot.press("slash")
        assert app.focused is app.view_widget().filter_input
        await pilot.press(*"0/1/1")
        await pilot.pause()
        # client-side, immediately, over the loaded rows
        expected = [r for r in app.view.table.rows if any("0/1/1" in str(v) for v in r.values())]
        assert 0 < len(expected) < 25
        assert table(app).row_count == len(expected)
        assert f"{len(expected)} of 25 loaded rows match “0/1/1”" in header(app)
        assert backend.client.stats.calls == calls
        # enter: server-side for the rest
        await pilot.press("enter")
        await settle(pilot)
        assert backend.client.stats.calls > calls
        assert app.view.table.search == "0/1/1"
        assert header(app).startswith("Interfaces matching “0/1/1” — rows 1–")
        assert table(app).row_count > 1
        assert all("0/1/1" in json.dumps(r) for r in app.view.table.rows)
        # esc clears the filter and restores the loaded rows without fetching
        calls = backend.client.stats.calls
        await pilot.press("escape")
        await pilot.pause()
        assert header(app) == "Interfaces — rows 1–25 of 1,586"
        assert table(app).row_count == 25
        assert backend.client.stats.calls == calls


async def test_s_shows_the_summary_view(nb, app_factory):
    backend, _ = nb
    app = app_factory(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await ask(pilot, "list all VLANs")
        await to_table(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert app.view.kind == "summary"
        ts = app.view.table
        assert [c.title for c in ts.table.columns] == ["By", "Value", "Count"]
        assert ts.table.title.startswith("Summary of VLANs (63")
        assert any(r["dimension"] == "status" for r in ts.rows)
        assert app.check_action("summary", ()) is None
        await pilot.press("escape")
        await pilot.pause()
        assert app.view.kind == "answer"


async def test_e_asks_what_to_export_then_says_where_it_went(nb, app_factory, tmp_path):
    backend, _ = nb
    app = app_factory(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await ask(pilot, "VLANs at DM-Akron")
        await to_table(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, PickScreen)  # nothing is written before a choice
        assert exports(tmp_path) == []
        await pilot.press("enter")  # no option is highlighted: enter alone writes nothing
        await pilot.pause()
        assert exports(tmp_path) == [] and isinstance(app.screen, PickScreen)
        await pilot.press("1")  # CSV, the rows shown
        await pilot.pause()
        files = sorted(tmp_path.glob("netbox-vlans-*.csv"))
        assert len(files) == 1
        rows = list(csv.reader(files[0].open(encoding="utf-8")))
        assert rows[0][:3] == ["id", "VID", "Name"] and len(rows) == 4
        assert "—" not in files[0].read_text(encoding="utf-8")  # empty values are empty cells
        assert str(files[0]) in chat_text(app)
        await pilot.press("ctrl+s")  # the chord opens the same choice
        await pilot.pause()
        await pilot.press("2")  # JSON, the rows shown (all are loaded: no "all rows" option)
        await pilot.pause()
        data = json.loads(next(tmp_path.glob("netbox-vlans-*.json")).read_text())
        assert [r["name"] for r in data] == [r[2] for r in rows[1:]]
        assert all(r["group"] is None for r in data)  # "—" in the table is null in JSON


async def test_r_refreshes_bypassing_the_cache(nb, app_factory):
    backend, _ = nb
    app = app_factory(backend)
    seen: list[dict] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        real_ask = app.orchestrator.ask

        async def spy(question, **kwargs):
            seen.append({"question": question, **kwargs})
            return await real_ask(question, **kwargs)

        app.orchestrator.ask = spy  # type: ignore[method-assign]
        await ask(pilot, "VLANs at DM-Akron")
        first = app.view
        await to_table(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert [s["refresh"] for s in seen] == [False, True]
        assert seen[1]["question"] == "VLANs at DM-Akron"
        assert app.view is not first and len(app.stack) == 2  # replaced, not stacked
        assert table(app).row_count == 3


async def test_progress_panel_is_live_and_hidden_when_idle(nb, app_factory):
    backend, gate = nb
    app = app_factory(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        panel = app.query_one(ProgressPanel)
        assert not panel.display
        gate.hold()
        app.action_focus_question()
        app.query_one("#question", QuestionInput).value = "all interfaces"
        await pilot.press("enter")
        await gate.wait_entered()
        await pilot.pause()
        await pilot.pause()
        assert panel.display
        text = str(panel.render())
        assert (
            "asking: all interfaces" in text
            and "step 1/1" in text
            and "API calls" in text
            and "0.0 s" in text
        )
        gate.release()
        await settle(pilot)
        assert not panel.display
        assert table(app).row_count == 25


@pytest.mark.parametrize("key", ["escape", "ctrl+c"])
async def test_cancel_mid_run_keeps_the_app_usable(nb, app_factory, key):
    backend, gate = nb
    app = app_factory(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await ask(pilot, "VLANs at DM-Akron")
        before = app.view
        gate.hold()
        app.action_focus_question()
        app.query_one("#question", QuestionInput).value = "all interfaces"
        await pilot.press("enter")
        await gate.wait_entered()
        assert app.running
        await pilot.press(key)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.running and app.is_running  # ctrl+c once cancels; it does not quit
        assert not app.query_one(ProgressPanel).display
        assert "cancelled: asking: all interfaces" in chat_text(app)
        assert app.view is before and table(app).row_count == 3  # what was on screen stays
        gate.release()
        await ask(pilot, "all interfaces")
        assert header(app) == "Interfaces — rows 1–25 of 1,586"
        await pilot.press("ctrl+c")  # nothing runs: ctrl+c quits
        await pilot.pause()
    assert app.return_code == 0


async def test_needs_choice_pick_with_1(nb, app_factory):
    backend, _ = nb
    app = app_factory(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await ask(pilot, "interfaces on dmi01-akron")
        assert app.view.answer.status == "needs_choice"
        choices = app.view.numbered_choices()
        assert len(choices) >= 2
        assert isinstance(app.focused, QuestionInput)  # typing goes on; "1⏎" or ↓/↑ then enter picks
        await pilot.press("down")
        listed = app.view_widget().query_one(ChoiceList)
        assert isinstance(app.focused, QuestionInput) and listed.highlighted == 1  # the box keeps the focus
        await pilot.press("up")
        assert listed.highlighted == 0
        await pilot.press("enter")  # the empty box: the choice ↓/↑ selected
        await settle(pilot)
        assert app.view.answer.status == "ok"
        assert app.view.answer.question == choices[0].question
        assert len(app.stack) == 2  # the pick replaced the question it answers
        name = choices[0].label.split(" (")[0]  # "dmi01-akron-pdu01 (DM-Akron)"
        assert header(app).startswith(f"Interfaces: device = {name} — ")


async def test_welcome_example_picked_with_a_number(nb, app_factory):
    backend, _ = nb
    app = app_factory(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("tab")  # from the question box to the examples
        await pilot.press("1")
        await settle(pilot)
        assert header(app) == "VLANs: site = DM-Akron — rows 1–3 of 3"


async def test_error_panel_keeps_the_previous_answer(nb, app_factory):
    backend, gate = nb
    app = app_factory(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await ask(pilot, "VLANs at DM-Akron")
        before = app.view
        await ask(pilot, "delete device x")
        panel = app.query_one(ErrorPanel)
        assert panel.display
        text = str(panel.render())
        assert panel.border_title == "Read-only"
        assert (
            "read-only" in text and "Likely causes" in text and "Next steps" in text and "Try instead" in text
        )
        assert app.view is before and table(app).row_count == 3
        await pilot.press("escape")  # esc hides the panel first
        assert not panel.display and app.view is before
        # a failure inside a worker (NetBox goes away while paging) also keeps the rows
        await ask(pilot, "all interfaces")
        gate.fail_with = httpx.ConnectError("connection refused")
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert panel.display and panel.border_title == "NetBox unreachable"
        assert "connection refused" in str(panel.render())
        assert table(app).row_count == 25 and header(app) == "Interfaces — rows 1–25 of 1,586"


async def test_unreachable_netbox_is_said_on_the_first_screen(app_factory):
    from netbox_tui.backend import Backend
    from netbox_tui.config import NetBoxProfile
    from netbox_tui.netbox.client import NetBoxClient

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused")

    client = NetBoxClient(
        NetBoxProfile(url="http://netbox.invalid:9", max_attempts=1), transport=httpx.MockTransport(refuse)
    )
    app = app_factory(Backend(client, "http://netbox.invalid:9"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "NetBox unreachable" in app.sub_title
        intro = str(app.query_one(".welcome").render())
        assert "not connected" in intro and "Next steps" in intro and "--demo" in intro
        await ask(pilot, "list all VLANs")  # still usable: the question explains the failure
        assert app.query_one(ErrorPanel).display


async def test_rejected_token_is_said_on_the_first_screen(app_factory):
    from netbox_tui.backend import Backend
    from netbox_tui.config import NetBoxProfile
    from netbox_tui.netbox.client import NetBoxClient

    def forbid(request: httpx.Request) -> httpx.Response:
        return httpx.Response(403, json={"detail": "Invalid v1 token"})

    profile = NetBoxProfile(url="http://netbox.example", token="f" * 40, max_attempts=1)
    client = NetBoxClient(profile, transport=httpx.MockTransport(forbid))
    app = app_factory(Backend(client, "http://netbox.example"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Token rejected" in app.sub_title
        intro = str(app.query_one(".welcome").render())
        assert "Token rejected" in intro and "NETBOX_TOKEN" in intro
        assert "f" * 40 not in intro + app.sub_title


async def test_history_up_down_is_kept_across_runs(nb, nb_factory, app_factory, tmp_path):
    backend, _ = nb
    app = app_factory(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await ask(pilot, "VLANs at DM-Akron")
        await ask(pilot, "list all VLANs")
    assert History(tmp_path / "history.jsonl").entries == ["VLANs at DM-Akron", "list all VLANs"]
    backend2, _ = nb_factory()
    app2 = app_factory(backend2)
    async with app2.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        box = app2.query_one("#question", QuestionInput)
        await pilot.press("up")
        assert box.value == "list all VLANs"
        await pilot.press("up")
        assert box.value == "VLANs at DM-Akron"
        await pilot.press("down", "down")
        assert box.value == ""


async def test_keys_can_be_remapped_by_id(nb, app_factory):
    backend, _ = nb
    app = app_factory(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.set_keymap({"next_page": "ctrl+t"})
        await ask(pilot, "all interfaces")
        await pilot.press("ctrl+n")  # no longer bound
        await settle(pilot)
        assert table(app).row_count == 25
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert table(app).row_count == 50
        await to_table(pilot)
        await pilot.press("n")  # not a key any more: a letter that starts a question
        await settle(pilot)
        assert table(app).row_count == 50
        assert app.query_one("#question", QuestionInput).value == "n"


async def test_question_mark_opens_help_with_every_key(nb, app_factory):
    backend, _ = nb
    app = app_factory(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")  # works while typing a question
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await ask(pilot, "VLANs at DM-Akron")
        await to_table(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        console = Console(width=120, file=io.StringIO(), record=True)
        console.print(help_table(app))
        text = console.export_text()
        for section in ("RESULTS", "NAVIGATION", "QUESTION BOX", "GENERAL"):
            assert section in text
        for words in (
            "load the next page of rows",
            "drill down",
            "summary view",
            "export",
            "bypassing the cache",
            "command palette",
        ):
            assert words in text
        # the keymap file's path, and each key's id, so a remap can be written from this screen
        assert str(default_keymap_path()) in text.replace("\n", "")
        for binding_id in ("next_page", "export", "copy", "toggle_history", "quit"):
            assert f" {binding_id}" in text
        assert "n, ^n" in text  # the letter and the chord of one id
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_palette_commands_and_copy_row(nb, app_factory):
    backend, _ = nb
    app = app_factory(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await ask(pilot, "VLANs at DM-Akron")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for t in ("Theme", "Clear cache", "Copy row as JSON", "Export table"):
            assert t in titles
        app.action_copy_row()
        assert json.loads(app.clipboard)["name"] == "Data"
        await app.clear_cache()  # the test backend has no cache: nothing to clear, nothing breaks
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "CommandPalette"


async def test_switch_profile_lists_configured_profiles(nb, app_factory):
    from netbox_tui.config import load_settings

    backend, _ = nb
    settings = load_settings(env={})
    settings = settings.model_copy(update={"netbox": {"lab": settings.active().model_copy(update={"url": "http://lab.invalid"})}})
    app = app_factory(backend, settings=settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Switch profile: lab" in titles


async def test_netbox_text_is_never_markup_nor_terminal_control(nb, app_factory):
    backend, _ = nb
    app = app_factory(backend)
    evil = "[bold red]boom[/] \x1b[2J\x1b]0;pwned\x07 \u202eevil"
    t = Table(
        title="Devices [red]x[/]",
        object_type="dcim.device",
        columns=[Column(key="name", title="Name")],
        rows=[{"id": 7, "display": evil, "name": evil}],
        total=1,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app._active_run = 999
        app.post_message(AnswerReady(999, Answer(question="evil", answer=evil, tables=[t]), "root"))
        await pilot.pause()
        await pilot.pause()
        cell = table(app).get_row_at(0)[0]
        assert isinstance(cell, Text)
        assert cell.plain.startswith("[bold red]boom[/]")  # shown literally
        assert "\x1b" not in cell.plain and "\x07" not in cell.plain and "\u202e" not in cell.plain
        assert "Devices [red]x[/]" in header(app)


async def test_layout_at_80x24_and_120x40(nb, app_factory):
    backend, _ = nb
    app = app_factory(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await ask(pilot, "interfaces on ncsu-coreswitch1")
        chat, results = app.query_one("#chat"), app.query_one("#results")
        assert chat.region.y > results.region.y  # stacked: chat below the results
        assert chat.region.height <= 3  # narrow by default on a small terminal
        assert table(app).region.height >= 8
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert not app.screen.has_class("-wide")  # 120 columns go to the table, the history stays below
        assert chat.region.y > results.region.y and results.region.width == 120
        assert table(app).region.height >= 25
        await pilot.resize_terminal(160, 40)
        await pilot.pause()
        assert app.screen.has_class("-wide")
        assert chat.region.x > results.region.x  # side by side
        assert chat.region.width <= 32 and results.region.width >= 128
        await pilot.press("ctrl+l")  # hidden with a key
        await pilot.pause()
        assert not chat.display and results.region.width == 160
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert chat.display


async def test_switch_profile_reconnects_and_says_so(nb, app_factory):
    from netbox_tui.config import NetBoxProfile, load_settings

    backend, _ = nb
    settings = load_settings(env={})
    settings = settings.model_copy(
        update={"netbox": {"lab": NetBoxProfile(url="http://127.0.0.1:9", max_attempts=1, timeout_connect=2)}}
    )
    app = app_factory(backend, settings=settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await ask(pilot, "VLANs at DM-Akron")
        await app.switch_profile("lab")
        await settle(pilot)
        assert app.backend is not backend and len(app.stack) == 1 and app.view.kind == "welcome"
        assert "NetBox unreachable" in app.sub_title and "127.0.0.1:9" in app.sub_title
        assert "not connected" in str(app.query_one(".welcome").render())


def test_keymap_file_remaps_by_id_and_warns_on_unknown_ids(tmp_path):
    from netbox_tui.tui.keymap import load_keymap

    path = tmp_path / "keymap.toml"
    path.write_text(
        'next_page = "ctrl+n"\nexport = "x"\ncopy_row = "c"\nno_such_key = "z"\n', encoding="utf-8"
    )
    keymap, warnings = load_keymap(path)
    assert keymap == {"next_page": "ctrl+n", "export": "x", "copy": "c"}
    assert (
        len(warnings) == 2 and "copy_row is now called copy" in warnings[0] and "no_such_key" in warnings[1]
    )
    assert load_keymap(tmp_path / "missing.toml") == ({}, [])
