"""The pieces of `netbox-tui mcp` that need no server: the bounded handle map, the budget fit,
and the layer rule (the server never loads the TUI; the CLI loads the SDK only for `mcp`)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from netbox_tui.core.budget import get_encoder
from netbox_tui.core.results import Column, Table
from netbox_tui.mcp.handles import ExpiredHandle, HandleStore, HeldTable
from netbox_tui.mcp.render import Block, Reply, render

ENC = get_encoder("gpt-4o-mini")


def _held() -> HeldTable:
    return HeldTable(
        Table(
            title="t", object_type="dcim.site", columns=[Column(key="name", title="Name")], rows=[], total=0
        ),
        0,
        [],
        True,
    )


def test_the_handle_map_is_bounded_and_an_evicted_handle_says_it_expired():
    store = HandleStore(size=2)
    first = store.add(_held())
    second = store.add(_held())
    store.get(first)  # used: the least recently used is now `second`
    third = store.add(_held())
    assert len(store) == 2 and store.get(first) and store.get(third)
    with pytest.raises(ExpiredHandle, match=f"handle {second} expired: this server keeps the last 2"):
        store.get(second)
    with pytest.raises(ExpiredHandle, match="unknown or expired"):
        store.get("t12345678")


@pytest.mark.parametrize("as_json", [False, True])
@pytest.mark.parametrize("budget", [200, 700, 2000])
def test_a_result_never_exceeds_the_budget_and_says_where_to_go_on(budget, as_json):
    rows = [
        {
            "id": i,
            "name": f"interface-{i}",
            "device": f"switch-{i // 40}",
            "description": "a long description " * (i % 3),
        }
        for i in range(1000)
    ]
    block = Block(
        title="Interfaces",
        model="dcim.interface",
        columns=["id", "name", "device", "description"],
        rows=rows,
        offset=0,
        total=1000,
        handle="tabc123",
    )
    text = render(
        Reply(summary="1,000 interfaces; rows 1–25 of 1,000.", read_as="interfaces", blocks=[block]),
        budget,
        ENC,
        as_json=as_json,
    )
    assert ENC.count(text) <= budget
    assert 0 < block.shown < 1000
    nxt = f'page("tabc123", {block.shown})'
    if as_json:
        data = json.loads(text)
        assert data["tables"][0]["next"] == nxt and data["summary"].endswith(
            f"rows 1–{block.shown} of 1,000."
        )
    else:
        assert (
            text.splitlines()[-1] == f"more: {nxt}"
            and f"rows 1–{block.shown} of 1,000" in text.splitlines()[0]
        )


def _loaded(module: str) -> set[str]:
    code = (
        f"import importlib, json, sys; importlib.import_module({module!r}); "
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return {
        m.split(".")[0] if not m.startswith("netbox_tui.") else ".".join(m.split(".")[:2])
        for m in json.loads(out.stdout.splitlines()[-1])
    }


def test_the_server_loads_no_tui_and_the_cli_loads_no_sdk():
    assert "netbox_tui.tui" not in _loaded("netbox_tui.mcp.server") and "textual" not in _loaded(
        "netbox_tui.mcp.server"
    )
    assert "mcp" not in _loaded("netbox_tui.cli")


def test_line_breaks_in_netbox_text_cannot_forge_structure() -> None:
    from netbox_tui.mcp.render import cell, flat

    assert flat("uplink\n## Fake (dcim.device)\r\nid|name\u2028x") == "uplink ## Fake (dcim.device) id|name x"
    assert cell("a|b\nc") == "a/b c"
