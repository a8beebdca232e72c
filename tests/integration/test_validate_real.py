"""The one validator on the real NetBox (core/validate.py, tests/unit/test_validate.py): where the LLM's
check, the MCP's and the planner's disagreed, the MCP `query` tool now answers, each figure checked
against a REST query written by hand."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from netbox_tui import schema as nbschema
from netbox_tui.config import Settings
from netbox_tui.mcp.service import Tools
from netbox_tui.netbox.cache import CacheMode
from netbox_tui.session import Session

pytestmark = pytest.mark.integration

TOKEN = "0123456789abcdef0123456789abcdef01234567"  # the demo dump's public read-only token


def _rest_count(url: str, query: str) -> int:
    resp = httpx.get(f"{url}/api/dcim/devices/?{query}&limit=1", headers={"Authorization": f"Token {TOKEN}"},
                     timeout=30)
    resp.raise_for_status()
    return int(resp.json()["count"])


async def _queries(url: str, tmp_path: Path, cases: list[list[dict[str, Any]]]) -> list[Any]:
    """The MCP `query` tool's results, counting devices under each list of conditions."""
    settings = Settings.model_validate({"netbox": {"default": {"url": url, "token": TOKEN}},
                                        "cache": {"dir": str(tmp_path / "cache")}})
    session = Session.open(settings, cache_mode=CacheMode.OFF)
    try:
        tools = Tools(session)
        return [await tools.call("query", {"model": "dcim.device", "aggregate": "count", "conditions": c})
                for c in cases]
    finally:
        await session.aclose()
        nbschema.use(None)


def _count(got: Any) -> int:
    assert not got.is_error, got.text
    first = re.match(r"([\d,]+) devices?\b", got.text)
    assert first is not None, got.text
    return int(first[1].replace(",", ""))


async def test_the_mcp_counts_by_ids_and_refuses_a_choice_value_netbox_lacks(
        netbox_url: str, tmp_path: Path) -> None:
    """`site_id` [2, 6] (before: looked up as a name, "No site matches “[2, 6]”"); `status ic act`, which
    NetBox answers 400, is refused with nothing sent; `status isw Active` reads the label (before: a label
    was read under eq and ne only)."""
    by_ids, part, label = await _queries(netbox_url, tmp_path, [
        [{"field": "site_id", "value": [2, 6]}],
        [{"field": "status", "op": "ic", "value": "act"}],
        [{"field": "status", "op": "isw", "value": "Active"}],
    ])
    assert _count(by_ids) == _rest_count(netbox_url, "site_id=2&site_id=6") > 0
    assert "site_id=2&site_id=6" in by_ids.text
    assert part.is_error and "status has no value 'act'" in part.text and part.meta["netbox_calls"] == 0
    # devices whose status starts with "active": of NetBox's device statuses only active itself
    assert _count(label) == _rest_count(netbox_url, "status=active") > 0
    assert "status__isw=active" in label.text
