"""A table's summary (counts by status, site, role… over the whole result, not only the rows
loaded) and the rows one summary line counts ("enabled no 16" -> those 16)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from netbox_tui.core.columns import EMPTY, cell, shape_row
from netbox_tui.core.results import Column, Table, TableQuery
from netbox_tui.core.tables import LocalTables
from netbox_tui.errors import NetBoxTUIError
from netbox_tui.schema.vocab import load as load_vocab

SUMMARY_ROW_CAP = 5000  # rows fetched (few fields) to aggregate; above it the summary is marked partial


class Summaries:
    def __init__(self, client: Any, local: LocalTables) -> None:
        self.client = client
        self.local = local
        self._members: dict[str, list[Any]] = {}  # summary line -> ids of the rows it counts
        self._sources: dict[str, Table] = {}  # summary table -> the table it summarises

    async def summary(self, table: Table) -> Table:
        dims = list(load_vocab().model(table.object_type).summary) or ["status"]
        q = table.query
        partial = False
        if q is not None and q.local_key is not None:
            raw_rows = self.local.get(q.local_key)
            dims = [d for d in dims if raw_rows and d in raw_rows[0]] or [c.key for c in table.columns[1:3]]
            values = [({d: r.get(d, EMPTY) for d in dims}, r.get("id")) for r in raw_rows]
        elif q is not None and q.path:
            fields = ["id"] + dims
            # Pages planned from the cap and NetBox's next links: its count can only lower them.
            rows = await self.client.list_all(
                q.path, list(q.params), page_size=1000, cap=SUMMARY_ROW_CAP, fields=fields, kind=q.kind
            )
            partial = not rows.complete
            values = [({d: cell(r.get(d)) for d in dims}, r.get("id")) for r in rows]
        else:
            values = [({d: r.get(d, EMPTY) for d in dims}, r.get("id")) for r in table.rows]
        out = []
        members: dict[str, list[Any]] = {}
        key = self.local.fresh_key(f"summary:{table.title}")
        for d in dims:
            counts = Counter(v[d] for v, _ in values)
            for value, n in counts.most_common(12):
                ref = f"{key}|{d}|{value}"
                members[ref] = [i for v, i in values if v[d] == value and i is not None]
                out.append(
                    {
                        "id": None,
                        "display": f"{d}: {value}",
                        "dimension": d.replace("_", " "),
                        "value": value,
                        "count": f"{n:,}",
                        "_members": ref,
                    }
                )
            if len(counts) > 12:
                rest = sum(n for _, n in counts.most_common()[12:])
                out.append(
                    {
                        "id": None,
                        "display": f"{d}: other",
                        "dimension": d.replace("_", " "),
                        "value": f"({len(counts) - 12} more)",
                        "count": f"{rest:,}",
                    }
                )
        self.local.keep({key: out})
        self._members.update(members)
        while len(self._members) > self.local.size * 16:
            self._members.pop(next(iter(self._members)))
        self._sources[key] = table
        for stale in [k for k in self._sources if k not in self.local]:
            del self._sources[stale]
        of_total = f" of {table.total:,}" if partial else ""
        title = f"Summary of {table.title} ({len(values):,}{of_total} rows)"
        return Table(
            title=title,
            object_type=table.object_type,
            columns=[
                Column(key="dimension", title="By"),
                Column(key="value", title="Value"),
                Column(key="count", title="Count"),
            ],
            rows=out[: max(len(out), 1)],
            total=len(out),
            offset=0,
            limit=len(out) or 1,
            partial=partial,
            query=TableQuery(local_key=key),
        )

    async def members(self, summary: Table, row: dict[str, Any], page_size: int) -> Table:
        ref = row.get("_members")
        ids = self._members.get(str(ref)) if ref else None
        source = self._sources.get((summary.query.local_key or "") if summary.query else "")
        if ids is None or source is None:
            raise NetBoxTUIError(
                "this summary line cannot be opened", "Open the summary view again (s) and pick the line."
            )
        title = f"{source.title}: {row.get('dimension')} {row.get('value')}"
        q = source.query
        if q is not None and q.local_key is not None:
            wanted = set(ids)
            rows = [r for r in self.local.get(q.local_key) if r.get("id") in wanted]
        elif q is not None and q.path:
            raw = await self.client.list_many(
                q.path, [p for p in q.params if p[0] != "id"], "id", ids, fields=q.fields or None, kind=q.kind
            )
            rows = [shape_row(source.object_type, r, q.extra) for r in raw]
        else:
            rows = [r for r in source.rows if r.get("id") in set(ids)]
        key = self.local.fresh_key(f"members:{ref}")
        self.local.keep({key: rows})
        return Table(
            title=title,
            object_type=source.object_type,
            columns=source.columns,
            rows=rows[:page_size],
            total=len(rows),
            offset=0,
            limit=page_size,
            query=TableQuery(local_key=key),
        )
