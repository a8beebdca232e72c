"""Drilling into a row of an answer: a port's cable trace, a prefix's free IPs, or one table per
related model (a device's interfaces, IPs and cables; a VLAN's interfaces; a site's contents),
fetched concurrently, one request each whatever the row. Which row leads where is vocab.toml's
[drill] table; the planner, the TUI and the MCP tools ask it through this module."""

from __future__ import annotations

import time
from typing import Any, Callable, Iterable, Optional

from netbox_tui.core.columns import fetch_fields, shape_row, table_columns
from netbox_tui.core.intent import Condition, Intent, Ref
from netbox_tui.core.planner import cap, counted, model_of, noun
from netbox_tui.core.progress import ProgressCallback, ProgressEvent
from netbox_tui.core.resolve import kind_of
from netbox_tui.core.results import (
    Answer,
    Applied,
    Choice,
    Interpretation,
    PlanInfo,
    Stats,
    Table,
    TableQuery,
)
from netbox_tui.errors import NetBoxTUIError
from netbox_tui.schema import load as load_schema
from netbox_tui.schema.vocab import DrillRule
from netbox_tui.schema.vocab import load as load_vocab


def rule(object_type: str) -> DrillRule:
    """Where a row of `object_type` leads: vocab.toml's [drill], the one table of it."""
    return load_vocab().drill_rule(object_type)


def related(object_type: str, named: bool = False) -> list[tuple[str, str]]:
    """(related model, its filter taking this model's id) for the tables a drill into a row shows, or
    (`named`) those a named object's answer offers. A model no filter links is left out."""
    r = rule(object_type)
    out = []
    for rel in r.offered if named else r.tables:
        rm = load_schema().get(rel)
        flt = rm.ref_filter(object_type) if rm is not None else None
        if flt is not None:
            out.append((rel, flt.name))
    return out


def trace_intent(device: str, interface: str, interface_id: Optional[int] = None) -> Intent:
    """A port's cable trace (a drill on an interface row, the MCP `trace` tool)."""
    port = Condition(field="name", model="dcim.interface", value=interface, text=interface)
    if interface_id is not None:
        port.resolved = [Ref(model="dcim.interface", id=interface_id, label=interface)]
    return Intent(
        target="dcim.interface",
        pattern="trace",
        source="choice",
        conditions=[Condition(field="device", model="dcim.device", value=device, text=device), port],
    )


def free_ips_intent(prefix: str) -> Intent:
    """A prefix's free addresses (a drill on a prefix row, the MCP `free_ips` tool)."""
    return Intent(
        target="ipam.prefix",
        pattern="free_ips",
        source="choice",
        conditions=[Condition(field="prefix", value=prefix, text=prefix, model="ipam.prefix")],
    )


def _trace_row(row: dict[str, Any]) -> Optional[tuple[str, Intent]]:
    if row.get("id") is None:
        return None
    dev, name = str(row.get("device") or ""), str(row.get("name"))
    return f"what is connected to {dev} {name}", trace_intent(dev, name, int(row["id"]))


def _free_ips_row(row: dict[str, Any]) -> Optional[tuple[str, Intent]]:
    if not row.get("prefix"):
        return None
    return f"free IPs in {row['prefix']}", free_ips_intent(str(row["prefix"]))


# The questions a [drill] rule's `ask` names, each made from the row (tests/unit/test_drill_rules.py
# checks that every `ask` of the vocabulary has one).
ASKS: dict[str, Callable[[dict[str, Any]], Optional[tuple[str, Intent]]]] = {
    "trace": _trace_row,
    "free_ips": _free_ips_row,
}


def drill_question(object_type: str, row: dict[str, Any]) -> Optional[tuple[str, Intent]]:
    """A row whose drill is a question of its own (a port: its trace; a prefix: its free IPs)."""
    ask = rule(object_type).ask
    return ASKS[ask](row) if ask is not None else None


def drill_target(object_type: str, row: dict[str, Any]) -> tuple[Ref, list[tuple[str, str]]]:
    """The row as an object and the related models (with the filter to each) a drill lists."""
    obj_id, name = row.get("id"), str(row.get("name") or row.get("display") or "")
    tables = related(object_type)
    if not tables or obj_id is None:
        one = noun(object_type, 1)
        drillable = [noun(m, 1) for m in load_vocab().drill]
        raise NetBoxTUIError(
            f"nothing to drill into for {_a(one)} {one}",
            "Select a row of one of these: " + ", ".join(dict.fromkeys(drillable)) + ".",
        )
    return Ref(model=object_type, id=int(obj_id), label=str(row.get("display") or name)), tables


def leads_to(object_type: str) -> str:
    """What a drill on a row of `object_type` opens: "device → its interfaces, IP addresses, cables";
    "" when nothing."""
    r = rule(object_type)
    if r.says:
        return f"{noun(object_type, 1)} → {r.says}"
    tables = related(object_type)
    return f"{noun(object_type, 1)} → its " + ", ".join(noun(m) for m, _ in tables) if tables else ""


def rows_drill(object_type: str, columns: Iterable[str]) -> bool:
    """Rows of a table with these columns are objects that lead somewhere. A cable trace's hops are
    not (ports, circuit terminations of any kind under "dcim.interface"): drilling one would open the
    wrong object."""
    return not load_vocab().hop_columns <= set(columns) and bool(leads_to(object_type))


async def drill_tables(
    client: Any,
    object_type: str,
    ent: Ref,
    related: list[tuple[str, str]],
    page_size: int,
    on_progress: ProgressCallback,
) -> Answer:
    """One table per related model, fetched concurrently: one request each, whatever the row."""
    started = time.perf_counter()
    calls0 = client.stats.calls
    if on_progress:
        on_progress(
            ProgressEvent(
                phase="execute",
                state="start",
                description=f"fetch {', '.join(noun(r) for r, _ in related)} of {ent.label}",
                step=1,
                total_steps=1,
            )
        )
    pages = await client.gather(
        client.page(
            model_of(rel).path, {flt: ent.id}, limit=page_size, fields=fetch_fields(rel), kind=kind_of(rel)
        )
        for rel, flt in related
    )
    tables = [
        Table(
            title=cap(f"{noun(rel)} of {ent.label}"),
            object_type=rel,
            columns=table_columns(rel),
            rows=[shape_row(rel, r) for r in page.results],
            total=page.count,
            offset=0,
            limit=page_size,
            query=TableQuery(
                path=model_of(rel).path,
                params=[(flt, str(ent.id))],
                fields=fetch_fields(rel),
                kind=kind_of(rel),
            ),
        )
        for (rel, flt), page in zip(related, pages, strict=True)
    ]
    summary = ", ".join(counted(t.total, rel) for (rel, _), t in zip(related, tables, strict=True))
    ans = Answer(
        question=f"drill into {ent.label}",
        status="ok",
        answer=f"{ent.label}: {summary}.",
        tables=tables,
        plan=PlanInfo(kind="orchestrated", steps=[f"fetch {noun(rel)} of {ent.label}" for rel, _ in related]),
    )
    ans.choices = [
        Choice(
            kind="drill_down",
            label=f"{noun(rel)} of {ent.label}",
            question=None,
            intent=Intent(
                target=rel,
                source="choice",
                conditions=[
                    Condition(
                        field=flt[:-3] if flt.endswith("_id") else flt,
                        model=object_type,
                        value=ent.label,
                        text=ent.label,
                        resolved=[ent],
                    )
                ],
            ),
        )
        for rel, flt in related
    ]
    # Read as: what was fetched, by which filter of each table, in NetBox's terms.
    sent = "; ".join(f"{model_of(rel).path}?{flt}={ent.id}" for rel, flt in related)
    ans.interpretation = Interpretation(
        model=related[0][0],
        noun=", ".join(noun(rel) for rel, _ in related),
        conditions=[
            Applied(field=noun(object_type, 1), op="=", value=ent.label, text=ent.label, filter=sent)
        ],
    )
    ans.stats = Stats(
        api_calls=client.stats.calls - calls0, elapsed_ms=int((time.perf_counter() - started) * 1000)
    )
    if on_progress:
        on_progress(
            ProgressEvent(
                phase="done",
                state="done",
                description=ans.answer,
                step=1,
                total_steps=1,
                elapsed=time.perf_counter() - started,
                api_calls=ans.stats.api_calls,
            )
        )
    return ans


def _a(one: str) -> str:
    return "an" if one[:1].lower() in "aeiou" or one.startswith(("IP", "RIR")) else "a"
