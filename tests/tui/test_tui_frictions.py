"""Issue 18, frictions 1-3, as a newcomer met them at 80x24: typing always reaches the question box,
the next page moves the view and every range agrees, and a small terminal keeps what matters."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input

from netbox_tui.tui.screens.dialogs import PickScreen, QuitScreen
from netbox_tui.tui.screens.help import HelpScreen
from netbox_tui.tui.widgets.chat import QuestionInput
from netbox_tui.tui.widgets.results import ChoiceList, ResultTable

# s is the summary key on a table, n next page, e export: any of them would eat a letter
QUESTION = "sites in ohio"


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def type_question(pilot, question: str) -> None:
    """Key by key, as a person types (space is a key too), then enter."""
    await pilot.press(*[("space" if ch == " " else ch) for ch in question], "enter")
    await settle(pilot)


def table(app) -> ResultTable:
    pane = app.view_widget().pane()
    assert pane is not None
    return pane.table


async def into_table(pilot) -> None:
    await pilot.press("tab")
    assert isinstance(pilot.app.focused, ResultTable)


async def after_filter(pilot):
    await into_table(pilot)
    await pilot.press("slash", *"rtr", "enter")
    await settle(pilot)


async def after_filter_chord(pilot):
    await pilot.press("ctrl+f", *"akron", "enter")
    await settle(pilot)


async def after_help(pilot):
    await into_table(pilot)
    await pilot.press("question_mark")
    assert isinstance(pilot.app.screen, HelpScreen)
    await pilot.press("escape")


async def after_copy(pilot):
    await into_table(pilot)
    await pilot.press("y")
    assert isinstance(pilot.app.screen, PickScreen)
    await pilot.press("1")  # copies the name


async def after_quit_question(pilot):
    await into_table(pilot)
    await pilot.press("q")
    assert isinstance(pilot.app.screen, QuitScreen)
    await pilot.press("n")


async def after_export_choice(pilot):
    await into_table(pilot)
    await pilot.press("e")
    assert isinstance(pilot.app.screen, PickScreen)
    await pilot.press("escape")


async def after_down(pilot):
    await pilot.press("down", "down")
    assert table(pilot.app).cursor_row == 2  # ↓ moved the selection…


WAYS = [after_filter, after_filter_chord, after_help, after_copy, after_quit_question, after_export_choice,
        after_down]


@pytest.mark.parametrize("way", WAYS, ids=[w.__name__ for w in WAYS])
async def test_a_whole_question_typed_right_after_is_asked_whole(nb, app_factory, tmp_path, way):
    app = app_factory(nb[0])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_question(pilot, "devices at dm akron")
        await way(pilot)
        await settle(pilot)
        assert isinstance(app.focused, QuestionInput), app.focused  # …and the box has the focus
        await type_question(pilot, QUESTION)
        assert app.view.answer.question == QUESTION
        assert [v.kind for v in app.stack] == ["welcome", "answer"]  # no summary, no drill on the way
        assert not list(tmp_path.glob("netbox-*"))  # and nothing exported


async def test_keys_arriving_in_a_burst_on_the_table_all_reach_the_question(nb, app_factory):
    """A terminal delivers fast typing as a burst: the focus moves with the first letter, before the next."""
    app = app_factory(nb[0])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_question(pilot, "devices at dm akron")
        await into_table(pilot)
        for ch in "vlans at dm akorn":  # queued all at once, none handled yet
            key = "space" if ch == " " else ch
            app.post_message(events.Key(key, ch))
        await settle(pilot)
        assert app.query_one("#question", QuestionInput).value == "vlans at dm akorn"
        assert [v.kind for v in app.stack] == ["welcome", "answer"]


async def test_down_then_enter_drills_the_selected_row_from_the_question_box(nb, app_factory):
    app = app_factory(nb[0])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_question(pilot, "devices at dm akron")
        await pilot.press("down")
        name = table(app).selected_row()["name"]
        await pilot.press("enter")
        await settle(pilot)
        assert app.view.kind == "drill" and name in app.view.label and isinstance(app.focused, QuestionInput)


async def test_next_page_moves_the_view_and_every_line_states_the_same_range(nb, app_factory):
    app = app_factory(nb[0])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_question(pilot, "list all VLANs")
        widget = app.view_widget()
        assert "rows 1–25 of 63" in str(widget.query_one(".summary").render())
        await pilot.press("ctrl+n")
        await settle(pilot)
        t = table(app)
        assert t.cursor_row == 25 and t.scroll_y == 25  # row 26 selected, at the top of the view
        assert "rows 1–25" not in str(widget.query_one(".summary").render())
        assert "rows 1–50 of 63" in str(widget.query_one(".summary").render())
        assert "rows 1–50 of 63" in str(widget.pane().query_one(".table-header").render())


async def test_a_drill_at_80x24_keeps_the_name_and_the_whole_connection(nb, app_factory):
    app = app_factory(nb[0])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_question(pilot, "devices at dm akron")
        await pilot.press("down", "enter")  # dmi01-akron-rtr01: its interfaces, IPs, cables
        await settle(pilot)
        t = table(app)
        cols = {c.label.plain: c for c in t.ordered_columns}
        assert "Name" in cols and "Connected to" in cols
        assert "Mode" not in cols  # no port has a mode: no column
        assert sum(c.get_render_width(t) for c in t.ordered_columns) <= t.region.width
        peers = [str(r.get("link_peers", "")) for r in app.view.table.rows]
        assert max(len(p) for p in peers) <= cols["Connected to"].width  # no connection cut
        assert max(len(str(r["name"])) for r in app.view.table.rows) <= cols["Name"].width


async def test_every_choice_is_visible_at_80x24_one_line_each(nb, app_factory):
    app = app_factory(nb[0])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_question(pilot, "VLANs at JBB Branch")
        listed = app.view_widget().query_one(ChoiceList)
        assert listed.option_count == 6
        assert listed.region.height >= 6 and listed.virtual_size.height == 6  # one line each, all on screen
        assert listed.region.bottom <= app.query_one("#chat").region.y


async def test_the_export_notice_never_covers_the_question_box(nb, app_factory):
    app = app_factory(nb[0])
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await type_question(pilot, "devices at dm akron")
        await pilot.press("ctrl+s", "1")
        await settle(pilot)
        await pilot.pause(0.2)
        toasts = [w for w in app.screen.query("Toast") if w.region.height]
        assert toasts, "no notice shown"
        box = app.query_one("#ask-bar").region
        assert all(not t.region.overlaps(box) for t in toasts), ([t.region for t in toasts], box)
        assert isinstance(app.focused, Input)
