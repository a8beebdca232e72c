"""Drilling into a row of an answer: a port's cable trace, a prefix's free IPs, or one table per
related model (a device's interfaces, IPs and cables; a VLAN's interfaces; a site's contents),
fetched concurrently, one request each whatever the row."""

from __future__ import annotations

import time
from typing import Any, Optional

from netbox_tui.core.columns import fetch_fields, shape_row, table_columns
from netbox_tui.core.intent import Condition, Intent, Ref
from netbox_tui.core.planner import cap, counted, drill_relations, model_of, noun
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
from netbox_tui.schema.vocab import load as load_vocab


def drill_question(object_type: str, row: dict[str, Any]) -> Optional[tuple[str, Intent]]:
    """A row whose drill is a question of its own (a port: its trace; a prefix: its free IPs)."""
    obj_id = row.get("id")
    if object_type == "dcim.interface" and obj_id is not None:
        dev = str(row.get("device") or "")
        follow = Intent(
            target="dcim.interface",
            pattern="trace",
            source="choice",
            conditions=[
                Condition(field="device", model="dcim.device", value=dev, text=dev),
                Condition(
                    field="name",
                    model="dcim.interface",
                    value=str(row.get("name")),
                    text=str(row.get("name")),
                    resolved=[Ref(model="dcim.interface", id=int(obj_id), label=str(row.get("name")))],
                ),
            ],
        )
        return f"what is connected to {dev} {row.get('name')}", follow
    if object_type == "ipam.prefix" and row.get("prefix"):
        follow = Intent(
            target="ipam.prefix",
            pattern="free_ips",
            source="choice",
            conditions=[
                Condition(field="prefix", value=row["prefix"], text=row["prefix"], model="ipam.prefix")
            ],
        )
        return f"free IPs in {row['prefix']}", follow
    return None


def drill_target(object_type: str, row: dict[str, Any]) -> tuple[Ref, list[tuple[str, str]]]:
    """The row as an object and the related models (with the filter to each) a drill lists."""
    obj_id, name = row.get("id"), str(row.get("name") or row.get("display") or "")
    related = drill_relations(object_type)
    if object_type == "ipam.vlan":  # interfaces' vlan_id takes one value: fine for one VLAN
        related = [("dcim.interface", "vlan_id"), ("virtualization.vminterface", "vlan_id")]
    if not related or obj_id is None:
        one = noun(object_type, 1)
        drillable = [noun(m, 1) for m, words in load_vocab().models.items() if words.drill] + [
            noun("dcim.interface", 1),
            noun("ipam.prefix", 1),
        ]
        raise NetBoxTUIError(
            f"nothing to drill into for {_a(one)} {one}",
            "Select a row of one of these: " + ", ".join(dict.fromkeys(drillable)) + ".",
        )
    return Ref(model=object_type, id=int(obj_id), label=str(row.get("display") or name)), related


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
