"""Checking an answer against a queries file's expectations (../shared/queries/README.md).

Shared by the acceptance tests (real NetBox, fixture NetBox, embedded demo) and bench/run.py.
A case's `expect` says what a right answer holds; `check` lists every way the answer differs.
Rows beyond the first page are paged in through the orchestrator when `display`/`contains` need them.
"""

from __future__ import annotations

import json
from typing import Any

from netbox_tui.core.orchestrator import Orchestrator
from netbox_tui.core.results import Answer, Table

HONEST = (
    "partial",
    "needs_choice",
    "not_found",
    "error",
)  # the answer says it is not exact (or could not answer)


async def all_rows(orch: Orchestrator, table: Table, cap: int = 400) -> list[dict[str, Any]]:
    rows = list(table.rows)
    while table.query is not None and len(rows) < min(table.total, cap):
        page = await orch.page(table, len(rows), limit=100)
        if not page.rows:
            break
        rows += page.rows
    return rows


async def check(orch: Orchestrator, case: dict[str, Any], answer: Answer) -> list[str]:
    """Every mismatch between the answer and the case's expectations, in words (empty: right)."""
    e = case["expect"]
    problems: list[str] = []
    want = e.get("status", "ok")
    if (
        want == "partial_or_ask"
    ):  # a word no NetBox concept covers: never an exact answer (nor an internal error)
        return (
            []
            if answer.status not in ("ok", "error")
            else [f"status {answer.status} for a question with a word nothing reads: {answer.answer[:160]}"]
        )
    if want == "needs_choice":
        if answer.status == "needs_choice":
            return []
        table = answer.tables[0] if answer.tables else None
        if table is not None and "total" in e and table.total == e["total"]:
            return []  # listing them all is right too
        return [f"status {answer.status}, expected a choice"]
    if answer.status not in ("ok", "partial", "not_found"):
        return [f"status {answer.status}: {answer.answer[:200]}"]
    if answer.status == "partial":
        problems.append(f"partial: {answer.answer[-200:]}")
    table = next(
        (t for t in answer.tables if t.object_type == e.get("object_type")),
        answer.tables[0] if answer.tables else None,
    )
    if table is None:
        return problems + ["no table"]
    if "object_type" in e and table.object_type != e["object_type"]:
        problems.append(f"object_type {table.object_type}, expected {e['object_type']}")
    if e.get("total") is not None and table.total != e["total"]:
        problems.append(f"total {table.total}, expected {e['total']}")
    if e.get("display") or e.get("contains"):
        rows = await all_rows(orch, table)
        shown = {r.get("display") for r in rows}
        if e.get("display") and shown != set(e["display"]) and len(rows) >= table.total:
            problems.append(f"display {sorted(shown)[:5]}, expected {sorted(e['display'])[:5]}")
        if e.get("contains") and set(e["contains"]) - shown:
            problems.append(f"missing {sorted(set(e['contains']) - shown)[:5]}")
    text = answer.answer + " " + json.dumps([r for t in answer.tables for r in t.rows]) + " " + \
        (answer.interpretation.line() if answer.interpretation else "")
    for needle in e.get("answer_has") or []:
        if str(needle) not in text:
            problems.append(f"the answer does not say {needle!r}")
    if answer.stats.api_calls > e.get("max_api_calls_cold", 10**6):
        problems.append(f"{answer.stats.api_calls} NetBox calls, expected at most {e['max_api_calls_cold']}")
    return problems
