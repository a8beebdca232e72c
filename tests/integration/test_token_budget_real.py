"""The largest real response of the demo data (every interface, full JSON) is cut under budget."""

from __future__ import annotations

import json

from netbox_tui.config import LLMSettings
from netbox_tui.core.budget import Budget, get_encoder


async def test_all_interfaces_full_json_is_reduced_under_budget(nb_client) -> None:
    client = nb_client()
    rows = await client.list_all("dcim/interfaces/", None, page_size=1000)  # full JSON: no brief, no fields
    assert len(rows) == 1586
    raw = json.dumps(rows)
    enc = get_encoder("gpt-4o-mini")
    full_tokens = enc.count(raw)
    budget = LLMSettings().token_budget
    assert full_tokens > 100 * budget  # ~500 000 tokens: far past any context window
    text, kept = Budget(budget, enc).fit_rows(rows)
    assert enc.count(text) <= budget
    assert kept < len(rows) and f"{len(rows) - kept} more rows not shown" in text
