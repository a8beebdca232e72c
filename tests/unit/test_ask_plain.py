"""`netbox-tui ask` without --json at 80 columns (issue 18, friction 4): one line a row, cells cut
with "…" rather than wrapped, `--wide` whole, and next steps that are commands, not TUI actions."""

from __future__ import annotations

import pytest

from netbox_tui.ask import next_steps, render
from netbox_tui.core.results import Answer, Choice, Column, Table

LONG = "dmi01-nashua-distribution-switch-stack-01"
TITLES = {"name": "Name", "status": "Status", "site": "Site", "type": "Type", "platform": "Platform",
          "ip": "Primary IP", "role": "Role", "description": "Description"}
COLUMNS = [Column(key=k, title=t) for k, t in TITLES.items()]


def _answer() -> Answer:
    rows = [{"id": i, "display": f"{LONG}-{i}", "name": f"{LONG}-{i}", "status": "Active",
             "site": f"DM-Site-{i}", "type": f"Catalyst 9300-48UXM-E with network module {i}",
             "platform": f"Cisco IOS-XE 17.{i}", "ip": f"10.{i}.0.1/24", "role": f"Distribution Switch {i}",
             "description": "—"} for i in range(3)]
    table = Table(title="Devices", object_type="dcim.device", columns=COLUMNS, rows=rows, total=180, limit=3)
    choices = [Choice(kind="next_page", label="load next 3 (4–6 of 180)"),
               Choice(kind="filter", label="filter these rows"),
               Choice(kind="summary", label="summary view: counts by status, site, role, type…"),
               Choice(kind="drill_down", label="drill into a device")]
    return Answer(question="devices in NH", answer="180 devices; rows 1–3 of 180.", tables=[table],
                  choices=choices)


def _printed(capsys, monkeypatch, **kwargs) -> list[str]:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    render(_answer(), "test", **kwargs)
    return capsys.readouterr().out.splitlines()


def test_rows_fit_80_columns_one_line_each_cut_with_an_ellipsis(capsys, monkeypatch):
    lines = _printed(capsys, monkeypatch)
    assert max(len(line) for line in lines if line.startswith(("│", "┃", "┏", "└"))) <= 80
    body = [line for line in lines if line.startswith("│")]
    assert len(body) == 3  # one line a device: nothing wrapped
    assert all("…" in line for line in body)
    assert all(line.startswith("│ dmi01-nashua-distribut") for line in body)  # the name keeps its room
    assert "every row: Status Active" in "\n".join(lines) and "empty: Description" in "\n".join(lines)
    assert any("--wide shows them whole" in line for line in lines)


def test_wide_prints_every_cell_whole(capsys, monkeypatch):
    lines = _printed(capsys, monkeypatch, wide=True)
    text = "\n".join(lines)
    assert f"{LONG}-2" in text and "Description" in text
    assert "Catalyst 9300-48UXM-E with network module 2" in text
    assert "…" not in "\n".join(line for line in lines if line.startswith("│"))


def test_next_steps_are_commands_not_tui_actions(capsys, monkeypatch):
    text = "\n".join(_printed(capsys, monkeypatch))
    assert "filter these rows" not in text and "drill into" not in text and "summary view" not in text
    assert "netbox-tui ask 'devices in NH' --offset 3" in text
    assert f"netbox-tui ask {LONG}-0" in text  # one of the rows, in full


@pytest.mark.parametrize("page_size, tail", [(None, "--offset 3"), (3, "--offset 3 --page-size 3")])
def test_the_next_page_command_keeps_the_page_size(page_size, tail):
    steps = dict(next_steps(_answer(), page_size))
    assert steps["the next 3 rows"] == f"netbox-tui ask 'devices in NH' {tail}"


def test_one_row_says_its_empty_columns_and_keeps_the_rest(capsys, monkeypatch):
    one = _answer()
    t = one.tables[0]
    one.tables[0] = t.model_copy(update={"rows": t.rows[:1], "total": 1})
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    render(one, "test")
    out = capsys.readouterr().out
    header = next(line for line in out.splitlines() if line.startswith("┃"))
    assert "empty: Description" in out and "Description" not in header  # no room for a column of dashes
    assert "┃ Sta" in header and "every row" not in out  # one row's values are not "every row"
