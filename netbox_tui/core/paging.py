"""More rows of a table an answer gave: from NetBox with the table's own query, or from memory
for a table computed client-side. Every front-end pages through here (via the orchestrator)."""

from __future__ import annotations

from typing import Any, Optional

from netbox_tui.core.columns import shape_row
from netbox_tui.core.recipes import free_ip_rows
from netbox_tui.core.results import Table
from netbox_tui.core.tables import LocalTables
from netbox_tui.errors import NetBoxTUIError
from netbox_tui.netbox.client import MAX_PAGE


async def page(
    client: Any, local: LocalTables, table: Table, offset: int, limit: int, search: Optional[str]
) -> Table:
    """Rows [offset, offset+limit) of a table; `search` filters with NetBox's `q` (None keeps the
    table's own filters, a `q` its question used included)."""
    q = table.query
    if q is None:
        raise NetBoxTUIError("this table cannot be paged", "Ask the question again.")
    if q.local_key is not None:
        rows = local.get(q.local_key)
        if search:
            needle = search.lower()
            rows = [r for r in rows if any(needle in str(v).lower() for v in r.values())]
        return table.model_copy(
            update={
                "rows": rows[offset : offset + limit],
                "offset": offset,
                "limit": limit,
                "total": len(rows),
            }
        )
    if q.kind == "available":
        if offset + limit > MAX_PAGE:  # available-ips has a limit and no offset
            raise NetBoxTUIError(
                f"NetBox lists at most the first {MAX_PAGE:,} free addresses of a prefix",
                "Ask for the free IPs of the prefix: its free ranges cover every address.",
            )
        free = await client.get(q.path or "", {"limit": offset + limit}, kind="utilisation")
        rows = free_ip_rows(free)
        return table.model_copy(
            update={"rows": rows[offset : offset + limit], "offset": offset, "limit": limit}
        )
    params = list(q.params)
    if search is not None:
        params = [p for p in params if p[0] != "q"] + ([("q", search)] if search else [])
    got = await client.page(
        q.path or "", params, limit=limit, offset=offset, fields=q.fields or None, kind=q.kind
    )
    rows = [shape_row(table.object_type, r, q.extra) for r in got.results]
    new_q = q.model_copy(update={"params": params})
    return table.model_copy(
        update={"rows": rows, "offset": offset, "limit": limit, "total": got.count, "query": new_q}
    )
