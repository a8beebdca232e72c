"""A tool result as compact text (or JSON), never more than the token budget.

    63 VLANs; rows 1–25 of 63.
    read as: VLANs · site = DM-Akron | sent: site_id=2
    ## VLANs at DM-Akron (ipam.vlan) rows 1–3 of 3 · handle t1a2b3c
    id|vid|name|site|group|status
    1|100|Data|DM-Akron||Active
    more: page("t1a2b3c", 25)

A table of one object is said as its set fields instead (`id=80|status=Active|vrf=Alpha`).
Rows are added table by table while they fit; the budget is then checked on the whole text with
the real encoder and rows are taken off the end until it holds, so the figure is exact, not an
estimate. An empty cell is empty (NetBox's "—" costs a token per cell and says nothing more).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Optional

from netbox_tui.core.budget import Encoder
from netbox_tui.core.columns import EMPTY


@dataclass
class Block:
    """One table of a result: the rows from `offset` on that may be shown (more than fit, often)."""

    title: str
    model: str
    columns: list[str]
    rows: list[dict[str, Any]]
    offset: int
    total: int
    handle: Optional[str] = None
    pageable: bool = True  # rows past those shown can be fetched with page()
    count_only: bool = False  # a count: rows are not listed unless paged
    limit: Optional[int] = None  # most rows to show (the page size asked for)
    shown: int = 0  # set by render
    held: Any = None  # the server-side table it pages (told how many rows fitted)


@dataclass
class Reply:
    summary: str
    status: str = "ok"
    read_as: str = ""
    sent: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    choices: list[str] = field(default_factory=list)
    choice_handle: Optional[str] = None
    lines: list[str] = field(default_factory=list)  # free text after the summary (describe)


# Line breaks in NetBox text would forge structure in the result ("## Fake table", rows of its own).
_BREAKS = re.compile("[\r\n\x85\u2028\u2029]+")


def flat(text: str) -> str:
    return _BREAKS.sub(" ", text)


def cell(value: Any) -> str:
    if value is None or value == EMPTY:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return flat(str(value).replace("|", "/"))


def _range(b: Block) -> str:
    if b.count_only and b.shown == 0:
        return f"{b.total:,} rows, not listed (a count)"
    if b.shown == 0:
        return f"no rows shown of {b.total:,}" if b.total else "no rows"
    return f"rows {b.offset + 1}–{b.offset + b.shown} of {b.total:,}"


def _more(b: Block) -> Optional[int]:
    nxt = b.offset + b.shown
    if b.handle and b.pageable and nxt < b.total:
        return nxt
    return None


def _fix_summary(summary: str, blocks: list[Block]) -> str:
    """The core's summary says the page it fetched ("rows 1–25 of 63"); say the rows shown."""
    if not blocks:
        return summary
    found = re.findall(r"rows \d+–\d+ of [\d,]+", summary)
    if len(found) != 1:
        return summary
    b = blocks[0]
    if b.count_only and not b.shown:
        return re.sub(r"\s*Listed: rows \d+–\d+ of [\d,]+\.", "", summary)
    return summary.replace(found[0], _range(b)) if b.shown else summary


# -- text --------------------------------------------------------------------------------------------------

def _head_text(r: Reply, summary: str) -> list[str]:
    out = [flat(summary.strip())]
    out += [flat(x) for x in r.lines]
    if r.read_as:
        out.append(flat("read as: " + r.read_as + (" | sent: " + ", ".join(r.sent) if r.sent else "")))
    out += [flat(x) for x in r.notes]
    if r.choices:
        out.append(f'choices (answer one with ask("pick {r.choice_handle} N")):')
        out += [f"{i}. {flat(c)}" for i, c in enumerate(r.choices, 1)]
    return out


def _one_object(b: Block) -> bool:
    """A table that is one object (a prefix, a device): said as its set fields, not as a table."""
    return b.total == 1 and b.offset == 0 and b.shown == 1 and not b.count_only \
        and isinstance(b.rows[0].get("id"), int)


def _block_head(b: Block) -> str:
    return f"## {flat(b.title)} ({b.model}) {_range(b)}" + (
        f" · handle {b.handle}" if _more(b) is not None else ""
    )


def _object_text(b: Block) -> str:
    """`id=80|status=Active|vrf=Alpha`: the fields set, each named; a value the title already says
    (the prefix of "Prefix 172.16.0.0/24") and empty ones are left out."""
    row, title = b.rows[0], flat(b.title)
    pairs = [(c, cell(row.get(c))) for c in b.columns]
    return "|".join(f"{c}={v}" for c, v in pairs if v and (c == "id" or len(v) <= 3 or v not in title))


def _block_foot(b: Block) -> Optional[str]:
    nxt = _more(b)
    if nxt is None:
        return None
    return (
        f'more: page("{b.handle}", {nxt})'
        if not b.count_only or b.shown
        else f'list them: page("{b.handle}", 0)'
    )


DITTO = "^"  # a cell the same as the one above it (long tables repeat the device, the type, the site)


def _cells(b: Block, row: dict[str, Any], above: Optional[dict[str, Any]]) -> list[str]:
    out = []
    for c in b.columns:
        v = cell(row.get(c))
        if above is not None and len(v) > 3 and c != "id" and v == cell(above.get(c)):
            v = DITTO
        out.append(v)
    return out


def _row_text(b: Block, row: dict[str, Any], above: Optional[dict[str, Any]] = None) -> str:
    return "|".join(_cells(b, row, above))


def _rows_text(b: Block) -> list[str]:
    rows = b.rows[: b.shown]
    return [_row_text(b, row, rows[i - 1] if i else None) for i, row in enumerate(rows)]


def _header(b: Block) -> str:
    return "|".join(b.columns)


def _text(r: Reply) -> str:
    lines = _head_text(r, _fix_summary(r.summary, r.blocks))
    if any(DITTO in line.split("|") for b in r.blocks if b.shown for line in _rows_text(b)):
        lines.append(f"({DITTO} = same as the row above)")
    for b in r.blocks:
        lines.append(_block_head(b))
        if _one_object(b):
            lines.append(_object_text(b))
        elif b.shown:
            lines.append(_header(b))
            lines += _rows_text(b)
        foot = _block_foot(b)
        if foot:
            lines.append(foot)
    return "\n".join(lines)


# -- JSON --------------------------------------------------------------------------------------------------

def _json_obj(r: Reply) -> dict[str, Any]:
    obj: dict[str, Any] = {"status": r.status, "summary": _fix_summary(r.summary, r.blocks).strip()}
    if r.lines:
        obj["text"] = r.lines
    if r.read_as:
        obj["read_as"] = r.read_as
    if r.sent:
        obj["sent"] = r.sent
    if r.notes:
        obj["notes"] = r.notes
    if r.choices:
        obj["choices"] = {"pick": f'ask("pick {r.choice_handle} N")', "options": r.choices}
    tables = []
    for b in r.blocks:
        t: dict[str, Any] = {
            "title": b.title,
            "model": b.model,
            "total": b.total,
            "offset": b.offset,
            "shown": b.shown,
        }
        if _more(b) is not None:
            t["handle"] = b.handle
        if b.shown:
            t["columns"] = b.columns
            t["rows"] = [[cell(row.get(c)) for c in b.columns] for row in b.rows[: b.shown]]
        nxt = _more(b)
        if nxt is not None:
            t["next"] = f'page("{b.handle}", {nxt})'
        tables.append(t)
    if tables:
        obj["tables"] = tables
    return obj


def _json(r: Reply) -> str:
    return json.dumps(_json_obj(r), ensure_ascii=False, separators=(",", ":"))


# -- fitting -----------------------------------------------------------------------------------------------

def render(reply: Reply, budget: int, encoder: Encoder, *, as_json: bool = False) -> str:
    """The reply as text or JSON of at most `budget` tokens; sets each block's `shown`."""
    build = _json if as_json else _text
    for b in reply.blocks:
        b.shown = 0
    base = encoder.count(build(reply))
    room = (
        budget - base - 8 * len(reply.blocks) - 10
    )  # the range, "more" and "^" lines grow a little once rows show
    for b in reply.blocks:
        if b.count_only:
            continue
        cap = min(len(b.rows), b.limit if b.limit is not None else len(b.rows))
        if cap and room > 0:
            room -= encoder.count("|".join(b.columns)) + 1
        n = 0
        while n < cap:
            row = b.rows[n]
            above = b.rows[n - 1] if n else None
            cost = (
                encoder.count(
                    json.dumps([cell(row.get(c)) for c in b.columns], ensure_ascii=False)
                    if as_json
                    else _row_text(b, row, above)
                )
                + 1
            )
            if cost > room:
                break
            room -= cost
            n += 1
        b.shown = n
    text = build(reply)
    # The exact check: take rows off the end until the whole result fits.
    while encoder.count(text) > budget:
        last = next((b for b in reversed(reply.blocks) if b.shown), None)
        if last is None:
            return encoder.truncate(text, budget)
        last.shown -= 1
        text = build(reply)
    return text
