"""Pilot tests of the app as a network engineer meets it (issue 10): typing after an answer asks,
no letter quits or writes a file, tables fit 80x24, summary lines open, exports and copies say
what they did, examples come from the connected NetBox. Against the backend of conftest.py."""

from __future__ import annotations

import csv
import json
import re

import pytest

from netbox_tui.core.results import Answer, Column, Interpretation, Table
from netbox_tui.session import Session
from netbox_tui.tui import clipboard
from netbox_tui.tui.app import GENERIC_EXAMPLES
from netbox_tui.tui.messages import AnswerReady
from netbox_tui.tui.screens.dialogs import PickScreen, QuitScreen
from netbox_tui.tui.screens.help import HelpScreen
from netbox_tui.tui.widgets.chat import ChatLog, QuestionInput
from netbox_tui.tui.widgets.results import ChoiceList, ResultTable


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def type_question(pilot, question: str) -> None:
    """Type it key by key, as a person does (no setting of the box's value), then enter."""
    await pilot.press(*question, "enter")
    await settle(pilot)


async def to_table(pilot) -> None:
    app = pilot.app
    if not isinstance(app.focused, (ResultTable, ChoiceList)):
        app.action_focus_question()
        await pilot.press("tab")  # the one explicit way in (↓ only moves the selection from the box)
        await pilot.pause()
    assert isinstance(app.focused, (ResultTable, ChoiceList)), app.focused


def table(app) -> ResultTable:
    pane = app.view_widget().pane()
    assert pane is not None, "no table in the current view"
    return pane.table


def chat_text(app) -> str:
    return "\n".join(str(s.render()) for s in app.query_one(ChatLog).children)


def written(tmp_path) -> list:
    return sorted(p for p in tmp_path.iterdir() if p.name.startswith("netbox-"))


def asked(app) -> list[str]:
    return [v.answer.question for v in app.stack if v.answer is not None and v.kind != "welcome"]


# -- 1. typing after an answer asks the question ---------------------------------------------------

async def test_typing_whole_questions_right_after_answers_asks_them(nb, app_factory, tmp_path):
    backend, _ = nb
    app = app_factory(backend)
    seen: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        real = app.orchestrator.ask

        async def spy(question, **kwargs):
            seen.append(question)
            assert not kwargs.get("refresh"), "a letter refreshed"
            return await real(question, **kwargs)

        app.orchestrator.ask = spy  # type: ignore[method-assign]
        await type_question(pilot, "VLANs at DM-Akron")
        assert app.view.table.rows and isinstance(app.focused, QuestionInput)
        # The sequences: r, s, e, n, /, q, enter would all have been keys on the table.
        for question in (
            "racks at DM-Akron",
            "free IPs in 10.112.129.0/24",
            "devices at dm akron",
            "equipment",
            "what is connected to ncsu-coreswitch1 xe-0/0/1",
        ):
            summaries = [v for v in app.stack if v.kind == "summary"]
            await type_question(pilot, question)
            assert seen[-1] == question, seen
            assert app.view.answer.question == question and app.view.kind == "answer"
            assert [v for v in app.stack if v.kind == "summary"] == summaries == []
            assert f"› {question}" in chat_text(app)
            assert isinstance(app.focused, QuestionInput)
            assert app.is_running and not isinstance(app.screen, (PickScreen, QuitScreen))
        assert written(tmp_path) == []  # no file is written by typing
        assert seen == [
            "VLANs at DM-Akron",
            "racks at DM-Akron",
            "free IPs in 10.112.129.0/24",
            "devices at dm akron",
            "equipment",
            "what is connected to ncsu-coreswitch1 xe-0/0/1",
        ]


async def test_typing_right_after_a_drill_from_the_table_asks(nb, app_factory, tmp_path):
    backend, _ = nb
    app = app_factory(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_question(pilot, "devices at dm akron")
        await to_table(pilot)
        await pilot.press("down", "enter")  # drill into a device, from its table
        await settle(pilot)
        assert app.view.kind == "drill" and isinstance(app.focused, QuestionInput)
        await type_question(pilot, "show device dmi01-akron-sw01")
        assert app.view.answer.question == "show device dmi01-akron-sw01" and app.view.kind == "answer"
        assert written(tmp_path) == [] and not [v for v in app.stack if v.kind == "summary"]


async def test_typing_while_the_answer_loads_keeps_the_focus(nb, app_factory):
    backend, gate = nb
    app = app_factory(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        gate.hold()
        await pilot.press(*"all interfaces", "enter")
        await gate.wait_entered()
        await pilot.press(*"VLANs at")  # the next question, typed while the answer comes
        gate.release()
        await settle(pilot)
        assert app.view.table.rows and isinstance(app.focused, QuestionInput)
        assert app.query_one("#question", QuestionInput).value == "VLANs at"


async def test_a_word_with_q_never_quits(nb, app_factory, tmp_path):
    backend, _ = nb
    app = app_factory(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_question(pilot, "devices at dm akron")
        await type_question(pilot, "equipment")  # in the question box: a question
        assert app.is_running and app.view.answer.question == "equipment"
        # On the table: e opens the export choice, which swallows the rest of the word; q never quits.
        await to_table(pilot)
        await pilot.press(*"equipment", "enter")
        await pilot.pause()
        assert app.is_running and written(tmp_path) == []
        assert isinstance(app.screen, PickScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.focused, QuestionInput)  # a closed dialog leaves the focus in the question box
        # q alone on a table asks; any other key stays
        await to_table(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, QuitScreen)
        await pilot.press("u")
        await pilot.pause()
        assert app.is_running and not isinstance(app.screen, QuitScreen)
        await to_table(pilot)
        await pilot.press("q", "q")
        await pilot.pause()
    assert app.return_code == 0


async def test_a_letter_on_the_table_starts_a_question(nb, app_factory):
    backend, _ = nb
    app = app_factory(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_question(pilot, "devices at dm akron")
        await to_table(pilot)
        await pilot.press(*"VLANs at DM-Akron")  # V is no key: it starts a question, the rest follows
        assert isinstance(app.focused, QuestionInput)
        assert app.query_one("#question", QuestionInput).value == "VLANs at DM-Akron"
        await pilot.press("enter")
        await settle(pilot)
        assert app.view.answer.question == "VLANs at DM-Akron"


async def test_moving_between_the_question_box_and_the_table(nb, app_factory):
    backend, _ = nb
    app = app_factory(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_question(pilot, "devices at dm akron")
        await pilot.press("enter")  # enter on an empty box: into the table
        assert isinstance(app.focused, ResultTable) and table(app).cursor_row == 0
        assert "type any other letter" in app.query_one("#question", QuestionInput).placeholder
        await pilot.press("j")
        assert table(app).cursor_row == 1
        await pilot.press("k", "up")  # up from the first row: back to the question box
        assert isinstance(app.focused, QuestionInput)
        await pilot.press("down")  # past the newest question: the next row, and the box keeps the focus
        assert isinstance(app.focused, QuestionInput) and table(app).cursor_row == 1
        await pilot.press("up", "up")  # back to the first row, then the history
        assert (
            table(app).cursor_row == 0
            and app.query_one("#question", QuestionInput).value == "devices at dm akron"
        )
        app.query_one("#question", QuestionInput).value = ""
        await pilot.press("tab")  # the explicit way into the table
        assert isinstance(app.focused, ResultTable)
        await pilot.press("colon")
        assert isinstance(app.focused, QuestionInput)
        await pilot.press(*"abc", "escape")  # esc clears what was typed first, then goes back
        assert app.query_one("#question", QuestionInput).value == "" and len(app.stack) == 2
        await pilot.press("ctrl+o")  # drill on the selected row, from the question box
        await settle(pilot)
        assert app.view.kind == "drill" and isinstance(app.focused, QuestionInput)


async def test_a_number_and_enter_picks_a_choice(nb, app_factory):
    backend, _ = nb
    app = app_factory(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_question(pilot, "VLANs at JBB Branch")
        assert app.view.answer.status == "needs_choice"
        choices = app.view.numbered_choices()
        assert len(choices) == 6  # the six JBB branches (README)
        await type_question(pilot, "3")
        assert app.view.answer.question == choices[2].question
        assert app.view.answer.status == "ok" and len(app.stack) == 2


# -- 2. layout that fits 80x24 ---------------------------------------------------------------------

def _visible_titles(t: ResultTable, width: int) -> list[str]:
    x, out = 0, []
    for col in t.ordered_columns:
        if x + min(col.get_render_width(t), 12) <= width:
            out.append(col.label.plain)
        x += col.get_render_width(t)
    return out


async def test_interface_table_at_80x24_shows_name_mode_vlans_and_connection(nb, app_factory):
    backend, _ = nb
    app = app_factory(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_question(pilot, "interfaces on dmi01-akron-sw01")
        t = table(app)
        titles = _visible_titles(t, t.region.width)
        for wanted in ("Name", "Connected to"):
            assert wanted in titles, titles
        # no port of this switch has a mode or VLANs in the demo data: no room spent on empty columns
        assert not {"Mode", "Untagged", "Tagged"} & {c.label.plain for c in t.ordered_columns}
        assert "empty: mode, untagged, tagged" in str(
            app.view_widget().pane().query_one(".table-header").render()
        )
        assert sum(c.get_render_width(t) for c in t.ordered_columns) <= t.region.width  # nothing off-screen
        assert "Device" not in [c.label.plain for c in t.ordered_columns]  # one value on every row: said once
        assert (
            t.fixed_columns == 1 and t.ordered_columns[0].label.plain == "Name"
        )  # pinned when scrolling right
        head = str(app.view_widget().pane().query_one(".table-header").render())
        assert "dmi01-akron-sw01" in head
        row = t.get_row_at(0)
        assert row[0].plain == "GigabitEthernet1/0/1" and any("dmi01-akron-rtr01" in c.plain for c in row)


async def test_columns_with_one_value_are_said_once_and_come_back_when_rows_differ(nb, app_factory):
    backend, _ = nb
    app = app_factory(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_question(pilot, "devices at dm akron")
        ts = app.view.table
        dropped = {c.key: v for c, v in ts.constants()}
        assert dropped.get("site") == "DM-Akron" and dropped.get("rack") == "Comms closet"
        shown = [c.label.plain for c in table(app).ordered_columns]
        assert "Site" not in shown and "Rack" not in shown and "U pos" in shown and "Role" in shown
        assert "Primary IP" not in shown  # empty on every row: said once, its room goes to Role
        head = str(app.view_widget().pane().query_one(".table-header").render())
        assert "rack Comms closet" in head and "empty: primary IP" in head
        # a switch's first 25 ports are all 1000BASE-T; the next 25 bring its LAG: the Type column comes back
        await type_question(pilot, "interfaces on dmi01-akron-sw01")
        assert "Type" not in [c.label.plain for c in table(app).ordered_columns]
        assert "type 1000BASE-T (1GE)" in str(app.view_widget().pane().query_one(".table-header").render())
        table(app).move_cursor(row=7)
        await pilot.press("ctrl+n")
        await settle(pilot)
        cols = [c.label.plain for c in table(app).ordered_columns]
        assert (
            "Type" in cols and table(app).row_count == 50 and table(app).cursor_row == 25
        )  # the view follows the page
        # many devices' interfaces: device and name are both pinned
        await type_question(pilot, "all interfaces")
        cols = [c.label.plain for c in table(app).ordered_columns]
        assert cols[:2] == ["Device", "Name"] and table(app).fixed_columns == 2


async def test_placeholder_fits_and_colon_after_maximize_shows_the_question_box(nb, app_factory):
    backend, _ = nb
    app = app_factory(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        box = app.query_one("#question", QuestionInput)
        assert box.placeholder and len(box.placeholder) < box.size.width
        assert "DM-Akron" in box.placeholder  # an example of this NetBox
        await type_question(pilot, "devices at dm akron")
        await to_table(pilot)
        app.screen.maximize(table(app))
        await pilot.pause()
        assert app.screen.maximized is not None
        await pilot.press("colon")
        await pilot.pause()
        assert app.screen.maximized is None and isinstance(app.focused, QuestionInput)
        assert box.region.height == 1


async def test_notifications_do_not_cover_the_help_screen(nb, app_factory):
    backend, _ = nb
    app = app_factory(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.notify("something happened", timeout=30)
        await pilot.pause()
        assert app._notifications
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen) and not app._notifications


async def test_footer_shows_the_main_keys_at_80_columns(nb, app_factory):
    from textual.widgets._footer import FooterKey

    backend, _ = nb
    app = app_factory(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_question(pilot, "all interfaces")
        await pilot.pause()

        def keys() -> dict[str, str]:
            return {
                k.description: k.key_display
                for k in app.screen.query(FooterKey)
                if k.region.right <= 80 and k.region.width
            }

        typing = keys()
        for what, key in (
            ("Drill", "^o"),
            ("Next", "^n"),
            ("Filter", "^f"),
            ("Summary", "^g"),
            ("Export", "^s"),
            ("Back", "esc"),
            ("Help", "f1"),
        ):
            assert typing.get(what) == key, typing
        await to_table(pilot)
        await pilot.pause()
        await pilot.pause()
        on_table = keys()
        for what, key in (
            ("Drill", "⏎"),
            ("Next", "n"),
            ("Filter", "/"),
            ("Summary", "s"),
            ("Export", "e"),
            ("Back", "esc"),
            ("Help", "?"),
        ):
            assert on_table.get(what) == key, on_table


# -- 3. / 4. what the tables show ------------------------------------------------------------------

async def test_rack_devices_show_their_u_position(nb, app_factory):
    backend, _ = nb
    app = app_factory(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_question(pilot, "racks at DM-Akron")
        assert app.view.table.table.object_type == "dcim.rack", app.view.answer.answer
        await pilot.press("ctrl+o")
        await settle(pilot)
        devices = next(ts for ts in app.view.tables if ts.table.object_type == "dcim.device")
        assert devices.rows and all(r["position"] not in ("", None) for r in devices.rows)
        assert "position" in [c.key for c in devices.shown_columns()]


async def test_trace_table_shows_each_cable_and_the_far_end_once(nb, app_factory):
    backend, _ = nb
    app = app_factory(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_question(pilot, "what is connected to ncsu-coreswitch1 xe-0/0/1")
        rows = app.view.table.rows
        assert [r["cable"] for r in rows] == ["#105", "#89", "#90", "#117"]
        assert rows[0]["far"] == "PP:B117 Port 2" and rows[-1]["far"] == "ncsu117-distswitch1 xe-0/0/1"
        for r in rows:
            words = r["far"].split()
            assert not any(a == b for a, b in zip(words, words[1:])), r["far"]  # "DEOW4921 DEOW4921" no more
        shown = [c.label.plain for c in table(app).ordered_columns]
        assert shown == ["Near end", "Cable", "Far end"]
        assert (
            app.check_action("drill", ()) is None
        )  # a hop is a port of any kind: no drill that would open the wrong one


async def test_interpretation_line_and_words_not_understood(nb, app_factory):
    backend, _ = nb
    app = app_factory(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_question(pilot, "interfaces on ncsu-coreswitch1")
        line = str(app.view_widget().query_one(".interpretation").render())
        assert line.startswith("read as: ") and app.view.answer.interpretation.line() in line
        # an answer whose interpretation left words out says which
        interp = Interpretation(model="dcim.device", noun="devices", not_understood=["blorp"])
        t = Table(title="Devices", object_type="dcim.device", columns=[Column(key="name", title="Name")],
                  rows=[{"id": 1, "display": "a", "name": "a"}], total=1)
        app._active_run = 999
        app.post_message(
            AnswerReady(
                999,
                Answer(
                    question="devices blorp",
                    status="partial",
                    answer="1 device.",
                    tables=[t],
                    interpretation=interp,
                ),
                "root",
            )
        )
        await pilot.pause()
        await pilot.pause()
        line = str(app.view_widget().query_one(".interpretation").render())
        assert "not understood: “blorp”" in line


# -- 5. examples from the connected NetBox ---------------------------------------------------------

async def test_examples_are_made_of_the_connected_netboxs_names(nb, app_factory):
    backend, _ = nb
    app = app_factory(backend, examples=None)  # not the embedded demo: examples come from the NetBox
    assert app.examples == GENERIC_EXAMPLES
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await settle(pilot)
        assert app.examples != GENERIC_EXAMPLES
        assert any(q.startswith("VLANs at ") for q in app.examples)
        assert any(q.startswith("what is connected to ") for q in app.examples)
        options = app.query_one(ChoiceList).options
        assert len(options) == len(app.examples) == 6
        assert app.examples[0] in app.query_one("#question", QuestionInput).placeholder
        for q in app.examples:  # every example answers something
            await type_question(pilot, q)
            assert app.view.answer.status in ("ok", "partial"), (q, app.view.answer.answer)
            assert any(ts.total for ts in app.view.tables), q


# -- 6. summary rows drill in ----------------------------------------------------------------------

async def test_enter_on_a_summary_line_lists_its_rows(nb, app_factory):
    backend, _ = nb
    app = app_factory(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_question(pilot, "all interfaces")
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert app.view.kind == "summary"
        rows = app.view.table.rows
        i = next(i for i, r in enumerate(rows) if r["dimension"] == "type" and r["value"] == "SFP (1GE)")
        expected = int(rows[i]["count"].replace(",", ""))
        assert expected == 13
        await to_table(pilot)
        table(app).move_cursor(row=i)
        await pilot.press("enter")
        await settle(pilot)
        assert app.view.kind == "answer" and app.view.table.total == expected
        assert app.view.table.table.object_type == "dcim.interface"
        assert all(r["type"] == "SFP (1GE)" for r in app.view.table.rows)
        await pilot.press("escape")
        await pilot.pause()
        assert app.view.kind == "summary"


# -- 7. export -------------------------------------------------------------------------------------

async def test_export_all_rows_fetches_them_with_progress_and_says_where(nb, app_factory, tmp_path):
    backend, _ = nb
    app = app_factory(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_question(pilot, "all interfaces")
        await pilot.press("ctrl+s")
        await pilot.pause()
        picks = app.screen.picks
        assert [p.label for p in picks] == [
            "CSV: the 25 rows shown",
            "CSV: all 1,586 rows",
            "JSON: the 25 rows shown",
            "JSON: all 1,586 rows",
        ]
        assert str(tmp_path) in app.screen.note  # where files go, before choosing
        await pilot.press("2")
        await settle(pilot)
        files = written(tmp_path)
        assert len(files) == 1 and files[0].suffix == ".csv"
        rows = list(csv.reader(files[0].open(encoding="utf-8")))
        assert len(rows) == 1 + 1586
        assert all("—" not in cell for r in rows for cell in r)  # empty values are empty cells
        assert any(cell == "" for r in rows[1:] for cell in r)
        assert f"exported 1,586 rows to {files[0]}" in chat_text(app)


async def test_export_writes_the_filtered_rows_shown(nb, app_factory, tmp_path):
    backend, _ = nb
    app = app_factory(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_question(pilot, "all interfaces")
        await pilot.press("ctrl+f", *"0/1/1")
        await pilot.pause()
        n = len(app.view.table.visible())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [p.value for p in app.screen.picks] == [
            ("loaded", "csv"),
            ("loaded", "json"),
        ]  # a filter: no "all rows"
        await pilot.press("1")
        await pilot.pause()
        rows = list(csv.reader(written(tmp_path)[0].open(encoding="utf-8")))
        assert len(rows) == 1 + n


# -- 8. copy, NO_COLOR, help -----------------------------------------------------------------------

async def test_y_copies_a_cell_or_the_row(nb, app_factory):
    backend, _ = nb
    app = app_factory(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_question(pilot, "VLANs at DM-Akron")
        await to_table(pilot)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, PickScreen)
        labels = [p.label for p in app.screen.picks]
        assert labels[:2] == ["VID: 100", "Name: Data"] and labels[-2:] == [
            "the row, tab-separated",
            "the row as JSON",
        ]
        await pilot.press("2")
        await pilot.pause()
        assert app.clipboard == "Data" and isinstance(app.focused, QuestionInput)
        await pilot.press("ctrl+y")  # the same from the question box, where the dialog left the focus
        await pilot.pause()
        await pilot.press(str(len(labels)))
        await pilot.pause()
        assert json.loads(app.clipboard)["name"] == "Data"


def test_copy_says_when_the_terminal_will_not_take_osc52():
    sent: list[str] = []
    tmux = {
        "TMUX": "/tmp/tmux-0/default,1,0",
        "TERM": "screen-256color",
        "SSH_CONNECTION": "1.2.3.4 5 6.7.8.9 22",
    }

    def run(argv, text):
        return "external\n" if argv[0] == "tmux" else None

    r = clipboard.copy("dmi01-akron-rtr01", sent.append, env=tmux, run=run, which=lambda n: None)
    assert sent == ["dmi01-akron-rtr01"]  # OSC 52 is sent anyway
    assert not r.ok and "set -g set-clipboard on" in r.warning
    on = clipboard.copy("x", sent.append, env=tmux, run=lambda argv, text: "on\n", which=lambda n: None)
    assert on.ok and on.how == "OSC 52"
    plain = clipboard.copy("x", sent.append, env={"TERM": "xterm-256color"}, run=run)
    assert plain.ok
    # locally, where OSC 52 is known not to work, a clipboard tool of the machine is used
    local = clipboard.copy(
        "x",
        sent.append,
        env={"TERM": "linux", "DISPLAY": ":0"},
        run=lambda argv, text: "",
        which=lambda n: "/usr/bin/" + n if n == "xclip" else None,
    )
    assert local.ok and local.how == "xclip"


async def test_copy_fallback_message_shows_the_text(nb, app_factory, monkeypatch):
    backend, _ = nb
    monkeypatch.setenv("TERM", "linux")  # the Linux console: no clipboard sequence, no local tool here
    monkeypatch.setattr(clipboard, "local_tool", lambda env, which=None: None)
    app = app_factory(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_question(pilot, "VLANs at DM-Akron")
        await pilot.press("ctrl+l")  # history hidden: the fallback shows it again
        await pilot.press("ctrl+y", "2")
        await pilot.pause()
        assert "copied: Data" in chat_text(app) and app.chat.display
        assert any("may not have arrived" in (n.title or "") for n in app._notifications)


async def test_no_color_is_honoured(nb, app_factory, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    backend, _ = nb
    app = app_factory(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_question(pilot, "VLANs at DM-Akron")
        assert app.no_color
        svg = app.export_screenshot()
    chrome = {"ff5f57", "febc2e", "28c840", "c5c8c6"}  # the SVG's window buttons and frame, not the app
    colours = set(c.lower() for c in re.findall(r"#([0-9a-fA-F]{6})", svg)) - chrome
    assert colours
    hues = {c for c in colours if len({c[0:2], c[2:4], c[4:6]}) > 1}
    assert not hues, sorted(hues)[:5]  # greys only


async def test_help_names_the_keymap_file_and_ids(nb, app_factory, tmp_path):
    from netbox_tui.tui.keymap import default_keymap_path

    backend, _ = nb
    app = app_factory(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        import io

        from rich.console import Console

        from netbox_tui.tui.screens.help import help_table

        console = Console(width=78, file=io.StringIO(), record=True)
        console.print(help_table(app))
        out = console.export_text()
        assert str(tmp_path / "xdg-config") in str(default_keymap_path())
        assert "keymap.toml" in out and "xdg-config" in out.replace("\n", "")
        assert "next_page" in out and "open_row" in out


# -- the TUI holds a Session ------------------------------------------------------------------------

async def test_the_app_holds_a_session_and_clears_the_cache_through_it(nb, app_factory, monkeypatch):
    backend, _ = nb
    app = app_factory(backend)
    assert isinstance(app.session, Session) and app.backend is backend
    cleared: list[bool] = []
    async def clear(self: Session) -> int:
        cleared.append(True)
        return 3

    monkeypatch.setattr(Session, "clear_cache", clear)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.clear_cache()
        assert cleared == [True]


def test_the_tui_never_imports_the_cache_module():
    from pathlib import Path

    import netbox_tui.tui as tui

    for path in Path(tui.__file__).parent.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "netbox.cache" not in text and ".client.cache" not in text, path


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_welcome_fits(nb, app_factory, size):
    backend, _ = nb
    app = app_factory(backend)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert len(app.query_one(ChoiceList).options) == 6
        assert isinstance(app.focused, QuestionInput)


async def test_netbox_text_with_brackets_is_never_markup(nb, app_factory):
    """A name like "uplink [/24]" is text wherever it is shown: a notification, a table or dialog title."""
    backend, _ = nb
    app = app_factory(backend)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        app.notify("Copied “uplink [/24] [bold]x[/bold] [@click=app.quit]”.", title="Copied [/x]")
        await pilot.pause()
        app.push_screen(PickScreen("Export uplink [/24]", []))
        await pilot.pause()
        assert "[/24]" in str(app.screen.query_one("#dialog").border_title)
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running
