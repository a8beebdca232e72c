"""Follow-ups in the TUI (core/conversation.py): a question that reads as a refinement of the answer on
screen is pushed above it, the breadcrumb shows the chain, and esc returns to the answer refined."""

from __future__ import annotations

import pytest

from netbox_tui.tui.widgets.chat import QuestionInput

FIRST = "devices at DM-Akron"
# One follow-up per kind of refinement the conversation supports, each on the devices at DM-Akron
# (or on a switch's interfaces, for a changed device).
FOLLOW_UPS = [
    ("narrow", FIRST, "only the routers"),
    ("place", FIRST, "and at DM-Camden?"),
    ("replace", "interfaces on dmi01-akron-sw01", "what about dmi01-camden-sw01?"),
    ("exclude", FIRST, "not the PDUs"),
    ("show", FIRST, "their primary IPs"),
    ("count", FIRST, "how many of them"),
    ("group", FIRST, "per role"),
    ("order", FIRST, "sorted by name descending"),
    ("cut", FIRST, "the first 2"),
    ("drill", FIRST, "the second one"),
]


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def type_question(pilot, question: str) -> None:
    await pilot.press(*[("space" if ch == " " else ch) for ch in question], "enter")
    await settle(pilot)


@pytest.mark.parametrize("kind, first, follow", FOLLOW_UPS, ids=[k for k, _, _ in FOLLOW_UPS])
async def test_a_follow_up_refines_the_answer_on_screen_and_esc_returns_to_it(nb, app_factory, kind, first,
                                                                                follow):
    app = app_factory(nb[0])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await type_question(pilot, first)
        refined = app.view
        await type_question(pilot, follow)
        turn = app.conv.current
        assert turn is not None and turn.refinement is not None and turn.refinement.kind == kind, turn
        assert app.view.answer.status in ("ok", "partial") and app.view.turn == turn.index
        assert app.stack[-2] is refined  # the chain: the refined answer stays below
        crumb = str(app.query_one("#breadcrumb").render())
        assert crumb.endswith(f"{first} › {follow}"), crumb
        assert "Refining" in app.view.answer.answer  # the answer says what it refined, and how
        assert isinstance(app.focused, QuestionInput)
        await pilot.press("escape")  # back: the refined answer again, and it is what a follow-up refines
        await settle(pilot)
        assert app.view is refined and app.conv.current.index == refined.turn


async def test_after_going_back_a_follow_up_refines_the_answer_gone_back_to(nb, app_factory):
    app = app_factory(nb[0])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await type_question(pilot, FIRST)
        await type_question(pilot, "only the routers")
        await pilot.press("escape")
        await settle(pilot)
        await type_question(pilot, "not the PDUs")
        assert app.conv.current.refinement.kind == "exclude"
        assert [v.label for v in app.stack] == ["home", FIRST, "not the PDUs"]
        assert all("PDU" not in str(r.get("role", "")) for r in app.view.table.rows)


async def test_a_question_of_its_own_starts_a_new_chain(nb, app_factory):
    app = app_factory(nb[0])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await type_question(pilot, FIRST)
        await type_question(pilot, "VLANs at DM-Camden")
        assert app.conv.current.refinement is None
        assert [v.label for v in app.stack] == ["home", "VLANs at DM-Camden"]
