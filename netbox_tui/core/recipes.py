"""Recipes beyond listing: a port and its cable path, VLAN topology, rack utilisation, a prefix's
use and free addresses, an IP address, a site summary. Each reads its objects from the intent's
conditions, like the generic recipe in planner.py, and states what it did."""

from __future__ import annotations

import ipaddress
from collections import Counter
from dataclasses import dataclass
from typing import Any, Callable, Optional

from netbox_tui.core.about import plan_about
from netbox_tui.core.changes import plan_changes, plan_journal
from netbox_tui.core.columns import EMPTY, cell, end_label, fetch_fields, shape_row, table_columns
from netbox_tui.core.intent import Condition, Intent, Ref
from netbox_tui.core.plan import Context, Limitation, NeedsChoice, NotFound, Outcome, Plan, Reroute, Step
from netbox_tui.core.planner import (
    cap,
    counted,
    drill_relations,
    keep_local,
    list_choices,
    local_fields,
    local_table,
    model_of,
    noun,
    page_text,
    read_rows,
    resolve_steps,
    server_table,
    start_query,
    where_words,
)
from netbox_tui.core.resolve import Resolution, interface_spellings, match_interface
from netbox_tui.core.results import Applied, Choice, Column, Table, TableQuery, plural
from netbox_tui.errors import NetBoxError

DEVICE, INTERFACE, VLAN, RACK, PREFIX, IP, SITE = (
    "dcim.device", "dcim.interface", "ipam.vlan", "dcim.rack", "ipam.prefix", "ipam.ipaddress", "dcim.site")


def _deps(steps: list[Step]) -> tuple[str, ...]:
    return tuple(s.name for s in steps)


def _without(intent: Intent, *conds: Optional[Condition]) -> Intent:
    drop = {id(c) for c in conds if c is not None}
    return intent.model_copy(update={"conditions": [c for c in intent.conditions if id(c) not in drop]})


# -- a named interface: its fields, or its cable path ------------------------------------------------------

def _iface_and_device(intent: Intent) -> tuple[Optional[Condition], Optional[Condition]]:
    iface = next((c for c in intent.conditions if c.field == "name" and c.model == INTERFACE), None)
    dev = next((c for c in intent.conditions if c.model == DEVICE and c.field in ("device", "id")), None)
    return iface, dev


def _find_interface_step(intent: Intent, deps: tuple[str, ...]) -> Step:
    """The named port of the named device: one request when both are typed exactly
    (`interfaces?device=<name>&name__ie=<port>`), else the device's port names matched with
    abbreviations (Gi0/0/0 = GigabitEthernet0/0/0), never a guess on a digit."""
    iface, dev = _iface_and_device(intent)
    fields = fetch_fields(INTERFACE, ["cable", "link_peers", "mode", "untagged_vlan", "tagged_vlans"])

    async def run(ctx: Context) -> dict[str, Any]:
        assert iface is not None and dev is not None
        m = model_of(INTERFACE)
        typed = str(iface.value)
        if dev.resolved:
            by_dev: dict[str, Any] = {"device_id": [r.id for r in dev.resolved]}
        else:
            by_dev = {"device": str(dev.value)}
        try:
            page = await ctx.client.page(
                m.path,
                {**by_dev, "name__ie": interface_spellings(typed)},
                limit=5,
                fields=fields,
                kind="interface",
            )
            rows = page.results
        except NetBoxError as exc:  # the device name is not exact (NetBox answers 400): find the device first
            if exc.kind != "bad_filter":
                raise
            rows = []
        if len(rows) == 1:
            r = rows[0]
            if not dev.resolved and isinstance(r.get("device"), dict):
                dev.resolved = [Ref(model=DEVICE, id=int(r["device"]["id"]), label=cell(r["device"]))]
            iface.resolved = [Ref(model=INTERFACE, id=int(r["id"]), label=str(r.get("name")))]
            return r
        if not dev.resolved:
            res = await ctx.resolver.resolve(dev)
            if res.status == "ambiguous":
                raise NeedsChoice(dev, res)
            if res.status == "not_found":
                raise NotFound(dev, res, "device")
            dev.resolved = res.refs
            if res.guessed:
                dev.guess = res.matches[0].ref.label
        # The device's ports with what the answer shows: the match is one of them, no second request.
        names = await ctx.client.list_all(
            m.path, {"device_id": [r.id for r in dev.resolved]}, fields=fields, kind="interface"
        )
        res = match_interface(typed, names)
        if res.status == "ambiguous":
            raise NeedsChoice(iface, res)
        if res.status == "not_found":
            raise NotFound(iface, res, f"interface on {dev.resolved[0].label}")
        iface.resolved = res.refs
        return res.matches[0].row

    return Step(
        "interface",
        f"find interface “{iface.value if iface else '?'}” on “{dev.value if dev else '?'}”",
        run,
        deps=deps,
    )


def plan_interface(intent: Intent) -> Plan:
    """“show Gi1/0/1 on dmi01-akron-sw01”, “is Fa0/1 on X enabled”, “what vlan is Gi1/0/5 on X in”."""
    iface, dev = _iface_and_device(intent)
    if dev is None and iface is not None and intent.pattern is None:
        # "which devices have an interface named xe-0/0/10": every port of that name, each with its
        # device, the name in each of its spellings (NetBox's repeated `name`, an OR): a list, planned
        # again for the intent that says so.
        spelt = iface.model_copy(update={"value": interface_spellings(str(iface.value)), "model": None})
        conds = [spelt if c is iface else c for c in intent.conditions]
        listed = intent.model_copy(update={"conditions": conds})

        async def every_port(ctx: Context) -> Any:
            raise Reroute(listed)

        return Plan("direct", [Step("ports", f"every interface named {iface.value}", every_port)],
                    lambda ctx: Outcome(""))
    if dev is None:
        raise Limitation(
            "an interface is named without its device", "Ask e.g. “Gi1/0/1 on dmi01-akron-sw01”."
        )
    others = _without(intent, iface, dev)
    resolves = resolve_steps(others)
    find = _find_interface_step(intent, _deps(resolves))
    attrs = list(intent.attributes)

    def finish(ctx: Context) -> Outcome:
        row = ctx.results["interface"]
        assert iface is not None and dev is not None
        ctx.applied += [
            Applied(
                field="device",
                op="=",
                value=dev.shown_value(),
                text=dev.text,
                filter=f"device_id={dev.resolved[0].id}" if dev.resolved else "",
            ),
            Applied(
                field="name",
                op="=",
                value=iface.shown_value(),
                text=iface.text,
                filter=f"id={iface.resolved[0].id}" if iface.resolved else "",
            ),
        ]
        shaped = shape_row(INTERFACE, row, attrs)
        table = Table(
            title=cap(f"interface {dev.shown_value()} {shaped.get('name')}"),
            object_type=INTERFACE,
            columns=table_columns(INTERFACE, attrs),
            rows=[shaped],
            total=1,
            limit=ctx.page_size,
            query=TableQuery(
                path="dcim/interfaces/",
                params=[("id", str(row.get("id")))],
                fields=fetch_fields(INTERFACE, attrs),
                kind="interface",
            ),
        )
        from netbox_tui.core.planner import describe

        text = describe(INTERFACE, shaped, attrs or ["type", "enabled", "mode", "link_peers", "description"])
        return Outcome(text, [table], [Choice(kind="drill_down", label="trace its cable")])

    return Plan("multi_step", resolves + [find], finish)


def plan_trace(intent: Intent) -> Plan:
    """A port's cable path, hop by hop; a device alone: its connected ports and where each goes."""
    iface, dev = _iface_and_device(intent)
    if dev is None and iface is None:
        raise Limitation(
            "a cable trace needs a device and an interface",
            "Ask e.g. “what is connected to ncsu-coreswitch1 et-0/0/1”.",
        )
    if iface is None:
        # "what is connected to dmi01-akron-sw01": its cabled ports and their far ends.
        conds = [c for c in intent.conditions if c is not dev] + (
            [dev.model_copy(update={"field": "device"})] if dev else []
        )
        from netbox_tui.core.planner import plan_list

        listed = intent.model_copy(
            update={
                "pattern": None,
                "conditions": conds + [Condition(field="cabled", value=True, text="connected")],
                "attributes": ["link_peers", "cable"],
            }
        )
        return plan_list(listed)
    if dev is None:
        raise Limitation(
            f"the interface {iface.value} is named without its device",
            f"Ask e.g. “what is connected to <device> {iface.value}”.",
        )
    resolves = resolve_steps(_without(intent, iface, dev))
    find = _find_interface_step(intent, _deps(resolves))

    async def trace(ctx: Context) -> Any:
        row = ctx.results["interface"]
        if not row.get("cable"):
            return []
        return await ctx.client.get(f"dcim/interfaces/{row['id']}/trace/", kind="cable")

    def finish(ctx: Context) -> Outcome:
        assert iface is not None and dev is not None
        row = ctx.results["interface"]
        segments = ctx.results.get("trace") or []
        dname = dev.resolved[0].label if dev.resolved else str(dev.value)
        ctx.applied += [
            Applied(
                field="device",
                op="=",
                value=dname,
                text=dev.text,
                filter=f"device_id={dev.resolved[0].id}" if dev.resolved else f"device={dev.value}",
            ),
            Applied(
                field="interface",
                op="=",
                value=str(row.get("name")),
                text=iface.text,
                filter=f"interfaces/{row.get('id')}/trace/",
            ),
        ]
        out_rows: list[dict[str, Any]] = []
        for seg in segments if isinstance(segments, list) else []:
            near, cable, far = (list(seg) + [None, None, None])[:3]
            n = (near or [{}])[0] if isinstance(near, list) else {}
            out_rows.append(
                {
                    "id": n.get("id"),
                    "display": cell(n.get("display")),
                    "near": end_label(n),
                    "cable": cable_label(cable),
                    "far": ", ".join(end_label(f) for f in (far or []))
                    if isinstance(far, list) and far
                    else "open end",
                }
            )
        cols = [
            Column(key="near", title="Near end"),
            Column(key="cable", title="Cable"),
            Column(key="far", title="Far end"),
        ]
        # The answer is about the interface (the acceptance sets' object_type); a hop's near end may be a
        # rear port or a circuit termination, so front-ends must not drill a hop as an interface
        # (the TUI tells trace tables by their near/far columns).
        table = local_table(
            ctx,
            f"trace:{row.get('id')}",
            INTERFACE,
            f"Cable path from {dname} {row.get('name')}",
            out_rows,
            cols,
        )
        if not out_rows:
            text = f"{dname} {row.get('name')} has no cable."
        else:
            last = out_rows[-1]["far"]
            cables = ", ".join(r["cable"] for r in out_rows)
            text = f"{dname} {row.get('name')} → {last} ({counted(len(out_rows), 'hops')}: {cables})."
        return Outcome(text, [table], [])

    return Plan(
        "multi_step",
        resolves + [find, Step("trace", f"trace the cable from {iface.value}", trace, deps=("interface",))],
        finish,
    )


def cable_label(cable: Any) -> str:
    """A cable by its label, else NetBox's '#id' (a dash would read as "no cable")."""
    if not isinstance(cable, dict):
        return "no cable"
    label = cable.get("label")
    return cell(label) if label else f"#{cable.get('id')}"


# -- VLAN topology: VLAN -> interfaces -> devices ---------------------------------------------------------

# VLANs whose interfaces are all read (one GraphQL query, ~10 ms a VLAN at 100x); past it, the page shown.
TOPOLOGY_ALL = 250
NESTED_CAP = 1000  # NetBox's MAX_PAGE_SIZE cuts each nested GraphQL list there
# A VLAN's reverse lists in NetBox's GraphQL, and the field owning each interface.
CARRIER_LISTS = (("interfaces_as_untagged", "device"), ("interfaces_as_tagged", "device"),
                 ("vminterfaces_as_untagged", "virtual_machine"),
                 ("vminterfaces_as_tagged", "virtual_machine"))
Owner = tuple[str, int, str]  # ("device" or "virtual_machine", its id, its name)
# VLAN id -> (owner field, interface id) -> owner: an interface carrying a VLAN twice counts once.
Carriers = dict[int, dict[tuple[str, int], Owner]]


@dataclass
class TopologyVLANs:
    """The VLANs a topology question matches: every one (`complete`), or the page shown and the total.
    Past the page, the VLANs without their interfaces: `later` (NetBox's list query) or `every` (rows
    filtered here, all in memory)."""

    rows: list[dict[str, Any]]
    total: int
    complete: bool
    later: Optional[TableQuery] = None
    every: Optional[list[dict[str, Any]]] = None


def carriers_query(vlan_ids: list[int]) -> str:
    """One GraphQL query: the interfaces (device and VM) carrying each of these VLANs, untagged or tagged."""
    lists = " ".join(f"{name} {{ id {owner} {{ id name }} }}" for name, owner in CARRIER_LISTS)
    ids = ", ".join(str(int(i)) for i in vlan_ids)
    return f"query {{ vlan_list(filters: {{id: {{in_list: [{ids}]}}}}) {{ id {lists} }} }}"


def _owner(kind: str, ref: Any) -> Owner:
    ref = ref if isinstance(ref, dict) else {}
    return kind, int(ref.get("id") or 0), cell(ref.get("name", "?"))


def carriers_from_graphql(vlans: list[dict[str, Any]]) -> tuple[Carriers, list[int]]:
    """The carriers of each VLAN, and the VLANs one of whose lists NetBox may have cut at NESTED_CAP."""
    out: Carriers = {}
    capped = []
    for v in vlans:
        members = out.setdefault(int(v["id"]), {})
        for name, kind in CARRIER_LISTS:
            got = v.get(name) or []
            if len(got) >= NESTED_CAP:
                capped.append(int(v["id"]))
            for i in got:
                members[(kind, int(i["id"]))] = _owner(kind, i.get(kind))
    return out, capped


async def _carriers_rest(ctx: Context, vlan_ids: set[int]) -> Carriers:
    """Without GraphQL: every VLAN-carrying interface over REST (interfaces' vlan_id takes one value,
    so one grouped read instead of one per VLAN), kept for the VLANs asked about."""
    params: dict[str, Any] = {"mode": ["access", "tagged", "tagged-all"]}
    shown = ["id", "mode", "untagged_vlan", "tagged_vlans"]
    dev, vm = await ctx.client.gather([
        read_rows(ctx, model_of(INTERFACE), params, shown + ["device"]),
        read_rows(ctx, model_of("virtualization.vminterface"), params, shown + ["virtual_machine"]),
    ])
    out: Carriers = {}
    for kind, rows in (("device", dev), ("virtual_machine", vm)):
        for i in rows:
            vids = {i["untagged_vlan"]["id"]} if isinstance(i.get("untagged_vlan"), dict) else set()
            vids.update(t["id"] for t in i.get("tagged_vlans") or [] if isinstance(t, dict))
            for vid in vids & vlan_ids:
                out.setdefault(vid, {})[(kind, int(i["id"]))] = _owner(kind, i.get(kind))
    return out


def _topology_row(v: dict[str, Any], members: dict[tuple[str, int], Owner]) -> dict[str, Any]:
    owners = set(members.values())
    names = sorted(name for _, _, name in owners)
    shown = ", ".join(names[:5]) + (f" +{len(names) - 5}" if len(names) > 5 else "")
    row = shape_row(VLAN, v)
    row.update(interfaces=str(len(members)), devices=str(len(owners)),
               device_names=cell(shown) if names else EMPTY)
    return row


def plan_vlan_topology(intent: Intent) -> Plan:
    """VLANs with the interfaces and devices carrying them. Up to TOPOLOGY_ALL VLANs: all of them and
    their carriers (2 calls: the VLANs, one GraphQL query), totals over all. More: NetBox's count and
    the page shown with its carriers (2 calls at any size), and the text says the figures are the page's."""
    resolves = resolve_steps(intent)
    m = model_of(VLAN)

    async def vlans(ctx: Context) -> TopologyVLANs:
        from netbox_tui.core.planner import local_rows
        from netbox_tui.core.resolve import kind_of
        from netbox_tui.netbox.client import normalise_params

        q = start_query(ctx, m, ctx.intent.conditions)
        fields = list(dict.fromkeys(fetch_fields(VLAN) + local_fields(q)))
        page = slice(ctx.offset, ctx.offset + ctx.page_size)
        if q.local:  # conditions checked here: NetBox's count is not the answer's, so every VLAN is read
            rows = local_rows(await read_rows(ctx, m, q.params, fields), q)
            if len(rows) <= TOPOLOGY_ALL:
                return TopologyVLANs(rows, len(rows), True)
            return TopologyVLANs(rows[page], len(rows), False, every=rows)
        kind = kind_of(VLAN)
        later = TableQuery(path=m.path, params=normalise_params(q.params), fields=fields, kind=kind)
        if page.stop > TOPOLOGY_ALL:  # past the VLANs read in full: that page, whose count says which case
            shown = await ctx.client.page(m.path, q.params, limit=ctx.page_size, offset=ctx.offset,
                                          fields=fields, kind=kind)
            if shown.count > TOPOLOGY_ALL:
                return TopologyVLANs(shown.results, shown.count, False, later=later)
        got = await ctx.client.list_all(m.path, q.params, page_size=TOPOLOGY_ALL, cap=TOPOLOGY_ALL,
                                        fields=fields, kind=kind)
        if got.complete:
            return TopologyVLANs(list(got), len(got), True)
        return TopologyVLANs(list(got)[page], got.total, False, later=later)

    async def carriers(ctx: Context) -> Carriers:
        from netbox_tui.core.resolve import kind_of
        from netbox_tui.errors import BadFilterError, InvalidResponseError, NotFoundError

        ids = [int(v["id"]) for v in ctx.results["vlans"].rows]
        if not ids:
            return {}
        if not m.graphql_list or not {name for name, _ in CARRIER_LISTS} <= m.graphql_fields:
            return await _carriers_rest(ctx, set(ids))
        try:
            data = await ctx.client.graphql(carriers_query(ids), kind=kind_of(VLAN))
        except (BadFilterError, InvalidResponseError, NotFoundError) as exc:  # GraphQL off, or not NetBox's
            ctx.note(f"GraphQL did not answer the VLANs' interfaces ({exc}); read over REST instead",
                     partial=False)
            return await _carriers_rest(ctx, set(ids))
        out, capped = carriers_from_graphql(data.get("vlan_list") or [])
        if capped:
            ctx.note(f"NetBox lists at most {NESTED_CAP:,} interfaces of a VLAN in one GraphQL list: "
                     f"{plural(len(capped), 'VLAN')} may carry more than counted")
        return out

    def finish(ctx: Context) -> Outcome:
        vl: TopologyVLANs = ctx.results["vlans"]
        carried: Carriers = ctx.results["carriers"]
        members = [carried.get(int(v["id"]), {}) for v in vl.rows]
        rows = [_topology_row(v, mm) for v, mm in zip(vl.rows, members)]
        cols = table_columns(VLAN)[:4] + [Column(key="interfaces", title="Ifaces"),
                                          Column(key="devices", title="Devs"),
                                          Column(key="device_names", title="Devices")]
        where = where_words(ctx)
        title = f"VLANs{where} with their interfaces and devices"
        carrying = sum(1 for mm in members if mm)
        n_if = sum(len(mm) for mm in members)
        owners = len({o for mm in members for o in mm.values()})
        counts = (f"{carrying} {'is' if carrying == 1 else 'are'} assigned to interfaces "
                  f"({plural(n_if, 'interface assignment')}, "
                  f"{plural(owners, 'device or VM', 'devices or VMs')})")
        if vl.complete:
            table = local_table(ctx, "vlan-topology", VLAN, title, rows, cols)
            choices = list_choices(table, ctx.page_size)
            text = f"{counted(vl.total, VLAN)}{where}; {counts}"
            text += f"; {page_text(table)}." if table.total else "."
        else:
            # Later pages list the VLANs without their interfaces (a page's interfaces: the question again).
            if vl.every is not None:
                every = [shape_row(VLAN, v) for v in vl.every]
                every[ctx.offset: ctx.offset + len(rows)] = rows
                table = local_table(ctx, "vlan-topology", VLAN, title, every, cols)
            else:
                table = Table(title=title, object_type=VLAN, columns=cols, rows=rows, total=vl.total,
                              offset=ctx.offset, limit=ctx.page_size, partial=ctx.partial, query=vl.later)
            choices = list_choices(table, ctx.page_size)
            text = f"{counted(vl.total, VLAN)}{where}; " + (
                f"{page_text(table)}. Of these {len(rows)}, {counts}: interfaces are read for the VLANs "
                f"shown only, as more than {TOPOLOGY_ALL} match; the next pages list the VLANs alone (ask "
                f"again with offset {ctx.offset + len(rows)} for their interfaces, or narrow the question "
                "by site or group)." if rows else f"none past row {ctx.offset:,}.")
        if carrying == 0 and vl.rows:
            text += " No interface carries any of these VLANs (no access or tagged interface mode is set)."
        return Outcome(text, [table], choices)

    steps = resolves + [Step("vlans", "fetch the VLANs", vlans, deps=_deps(resolves)),
                        Step("carriers", "fetch the interfaces carrying them in one GraphQL query", carriers,
                             deps=("vlans",))]
    return Plan("orchestrated", steps, finish)


# -- rack utilisation ---------------------------------------------------------------------------------------

def plan_rack_utilisation(intent: Intent) -> Plan:
    resolves = resolve_steps(intent)
    m = model_of(RACK)

    async def racks(ctx: Context) -> Any:
        q = start_query(ctx, m, ctx.intent.conditions)
        return await read_rows(ctx, m, q.params, fetch_fields(RACK)), q

    async def devices(ctx: Context) -> Any:
        rk, _ = ctx.results["racks"]
        if not rk:
            return [], {}
        rows = await ctx.client.list_many(
            "dcim/devices/",
            None,
            "rack_id",
            [r["id"] for r in rk],
            fields=["id", "rack", "position", "device_type", "parent_device"],
            kind="utilisation",
        )
        type_ids = sorted(
            {
                r["device_type"]["id"]
                for r in rows
                if r.get("rack") and r.get("position") is not None and isinstance(r.get("device_type"), dict)
            }
        )
        types = (
            await ctx.client.list_many("dcim/device-types/", None, "id", type_ids, fields=["id", "u_height"])
            if type_ids
            else []
        )
        if not rows.complete or type_ids and not types.complete:  # type: ignore[union-attr]
            ctx.note(
                f"only the first {len(rows):,} racked devices were read: the units used are a lower bound"
            )
        return rows, {t["id"]: float(t.get("u_height") or 0) for t in types}

    def finish(ctx: Context) -> Outcome:
        rk, _ = ctx.results["racks"]
        devs, heights = ctx.results["devices"]
        used: Counter[int] = Counter()
        count: Counter[int] = Counter()
        for d in devs:
            if d.get("rack") and d.get("position") is not None and not d.get("parent_device"):
                used[d["rack"]["id"]] += heights.get((d.get("device_type") or {}).get("id"), 0)
                count[d["rack"]["id"]] += 1
        rows = []
        for r in rk:
            height = float(r.get("u_height") or 0)
            u = used.get(r["id"], 0)
            row = shape_row(RACK, r)
            row.update(
                devices=str(count.get(r["id"], 0)),
                used_u=f"{u:g}",
                free_u=f"{max(height - u, 0):g}",
                util=f"{(100 * u / height if height else 0):.0f}%",
            )
            row["_util"] = u / height if height else 0
            rows.append(row)
        rows.sort(key=lambda r: (-r.pop("_util"), r.get("name") or ""))
        cols = table_columns(RACK)[:4] + [
            Column(key="devices", title="Devs"),
            Column(key="used_u", title="Used U"),
            Column(key="free_u", title="Free U"),
            Column(key="util", title="Used %"),
        ]
        table = local_table(ctx, "rack-utilisation", RACK, f"Rack utilisation{where_words(ctx)}", rows, cols)
        total_u = sum(float(r.get("u_height") or 0) for r in rk)
        all_used = sum(used.values())
        text = (
            f"{counted(len(rk), RACK)}{where_words(ctx)}: {all_used:g} of {total_u:g} rack units used "
            f"({(100 * all_used / total_u if total_u else 0):.0f}%)"
        )
        text += f"; fullest first, {page_text(table)}." if table.total else "."
        return Outcome(text, [table], list_choices(table, ctx.page_size))

    steps = resolves + [
        Step("racks", "fetch the racks", racks, deps=_deps(resolves)),
        Step("devices", "fetch racked devices and their heights (batched)", devices, deps=("racks",)),
    ]
    return Plan("orchestrated", steps, finish)


# -- an IP address ----------------------------------------------------------------------------------------

def plan_ip(intent: Intent) -> Plan:
    named = intent.named()
    assert named is not None
    ip = str(named.value)
    m = model_of(IP)
    others = _without(intent, named)
    resolves = resolve_steps(others)
    attrs = list(intent.attributes)
    fields = fetch_fields(IP, attrs)

    async def fetch(ctx: Context) -> Any:
        q = start_query(ctx, m, [c for c in ctx.intent.conditions if c is not named])
        params = {"address": ip, **q.params}
        page = await ctx.client.page(
            m.path, params, limit=ctx.page_size, offset=ctx.offset, fields=fields + local_fields(q)
        )
        page = keep_local(page, q)
        return params, page

    async def containing(ctx: Context) -> Any:
        page = await ctx.client.page(
            "ipam/prefixes/", {"contains": ip.split("/")[0]}, limit=50, fields=fetch_fields(PREFIX)
        )
        return page.results

    def finish(ctx: Context) -> Outcome:
        params, page = ctx.results["fetch"]
        ctx.applied.insert(
            0, Applied(field="address", op="=", value=ip, text=named.text, filter=f"address={ip}")
        )
        table = server_table(IP, f"IP address {ip}", m.path, params, fields, page, ctx, attrs)
        prefixes = ctx.results.get("containing") or []
        inside = ", ".join(
            f"{p.get('prefix')} ({cell(p.get('scope'))}, VRF {cell(p.get('vrf'))})"
            for p in prefixes[-3:]
            if isinstance(p, dict)
        )
        if page.results:
            lines = []
            for row in table.rows:
                where = row.get("assigned_object", EMPTY)
                status = str(row.get("status", "")).lower()
                lines.append(
                    f"{row.get('address')} in VRF {row.get('vrf')} is {status}, assigned to {where}"
                    if where != EMPTY
                    else f"{row.get('address')} in VRF {row.get('vrf')} is {status} and not assigned "
                    "to an interface"
                )
            text = "; ".join(lines) + "."
        else:
            text = f"{ip} is not recorded in NetBox."
        if inside:
            text += f" It falls within {inside}."
        return Outcome(text, [table], list_choices(table, ctx.page_size))

    steps = resolves + [Step("fetch", f"look up IP address {ip}", fetch, deps=_deps(resolves)),
                        Step("containing", f"find prefixes containing {ip}", containing, optional=True)]
    return Plan("orchestrated", steps, finish)


# -- a prefix, its utilisation, its free IPs -----------------------------------------------------------------


def _usable(net: Any, is_pool: bool) -> int:
    size = net.num_addresses
    if net.version == 4 and net.prefixlen < 31 and not is_pool:
        size -= 2  # network and broadcast addresses, as NetBox counts them
    return max(size, 0)


def plan_prefix(intent: Intent) -> Plan:
    named = intent.named()
    if named is None or named.field != "prefix":
        raise Limitation(
            "this needs a prefix", "Ask e.g. “free IPs in 10.112.129.0/24” or “how full is 10.112.129.0/24”."
        )
    cidr = str(named.value).strip()
    m = model_of(PREFIX)
    want_free = intent.pattern == "free_ips"
    one_by_one = "address" in intent.attributes  # each free address (available-ips), not the ranges
    others = _without(intent, named)
    resolves = resolve_steps(others)
    pfields = fetch_fields(PREFIX, ["is_pool", "mark_utilized"])

    async def find(ctx: Context) -> Any:
        q = start_query(ctx, m, [c for c in ctx.intent.conditions if c is not named])
        params = {"prefix": cidr, **q.params}
        page = keep_local(
            await ctx.client.page(m.path, params, limit=50, fields=pfields + local_fields(q)), q
        )
        if len(page.results) > 1:
            from netbox_tui.core.resolve import Found

            cands = [
                Found(
                    Ref(model=PREFIX, id=int(r["id"]), label=f"{r.get('prefix')} VRF {cell(r.get('vrf'))}"),
                    100.0,
                    r,
                )
                for r in page.results
            ]
            raise NeedsChoice(
                named, Resolution(cidr, "ambiguous", PREFIX, candidates=cands, total=len(cands))
            )
        if len(page.results) == 1:
            named.resolved = [
                Ref(model=PREFIX, id=int(page.results[0]["id"]), label=str(page.results[0].get("prefix")))
            ]
        return params, page, page.results

    async def usage(ctx: Context) -> dict[str, Any]:
        _, _, found = ctx.results["find"]
        if not found:
            return {}
        p = found[0]
        vrf = (p.get("vrf") or {}).get("id")
        scope = {"vrf_id": vrf if vrf else "null"}
        net = ipaddress.ip_network(str(p["prefix"]), strict=False)
        container = (p.get("status") or {}).get("value") == "container"
        # NetBox's own free list, whole in one request when the prefix cannot hold more than a page:
        # exact (used addresses, populated ranges, IPv6's anycast address) and nothing to count beside.
        whole = _free_size(net, bool(p.get("is_pool"))) <= FREE_PAGE and not one_by_one \
            and (want_free or not container)
        if container:  # used = what its child prefixes cover
            children, free = await ctx.client.gather(
                [
                    ctx.client.page(
                        "ipam/prefixes/",
                        {"within": p["prefix"], **scope},
                        limit=1000,
                        fields=["id", "prefix"],
                        kind="utilisation",
                    ),
                    _available(ctx, p) if whole else _nothing(),
                ]
            )
            return {"children": [c["prefix"] for c in children.results], "free": free}
        if whole:
            return {"free": await _available(ctx, p)}
        small = net.num_addresses <= RANGES_UP_TO  # the used addresses themselves: free ranges computed here
        ips, ranges = await ctx.client.gather(
            [
                ctx.client.page(
                    "ipam/ip-addresses/",
                    {"parent": p["prefix"], **scope},
                    limit=1000 if small else 1,
                    fields=["id", "address"] if small else None,
                    brief=not small,
                    kind="utilisation",
                ),
                ctx.client.page(
                    "ipam/ip-ranges/",
                    {"parent": p["prefix"], "mark_populated": "true", **scope},
                    limit=1000,
                    fields=["id", "start_address", "end_address"],
                    kind="utilisation",
                )
                if small
                else _nothing(),
            ]
        )
        used = [r.get("address") for r in ips.results] if small and ips.count <= len(ips.results) else None
        populated = (
            [(r.get("start_address"), r.get("end_address")) for r in ranges.results]
            if ranges is not None
            else []
        )
        return {"ips": ips.count, "used": used, "populated": populated}

    async def free(ctx: Context) -> Any:
        _, _, found = ctx.results["find"]
        if not found:
            return []
        return await ctx.client.get(
            f"ipam/prefixes/{found[0]['id']}/available-ips/",
            {"limit": ctx.offset + ctx.page_size},
            kind="utilisation",
        )

    async def containing(ctx: Context) -> Any:
        _, _, found = ctx.results["find"]
        if found:
            return []
        page = await ctx.client.page(
            "ipam/prefixes/",
            {"contains": cidr.split("/")[0]},
            limit=50,
            fields=["id", "prefix", "vrf", "scope"],
        )
        return page.results

    def finish(ctx: Context) -> Outcome:
        params, page, found = ctx.results["find"]
        ctx.applied.insert(
            0, Applied(field="prefix", op="=", value=cidr, text=named.text, filter=f"prefix={cidr}")
        )
        table = server_table(
            PREFIX,
            f"Prefix {cidr}",
            "ipam/prefixes/",
            params,
            pfields,
            page,
            ctx,
            columns=[
                Column(key="utilisation", title="Used %"),
                Column(key="used", title="Used"),
                Column(key="size", title="Size"),
            ],
        )
        if not found:
            parents = ctx.results.get("containing") or []
            text = f"No prefix {cidr} in NetBox."
            if parents:
                text += " It falls within " + ", ".join(str(p.get("prefix")) for p in parents[-3:]) + "."
            return Outcome(text, [table], [])
        p = found[0]
        net = ipaddress.ip_network(str(p["prefix"]), strict=False)
        u = ctx.results.get("usage") or {}
        status = (p.get("status") or {}).get("value")
        if status == "container":
            covered = sum(
                ipaddress.ip_network(c).num_addresses for c in _collapse(u.get("children", []), net)
            )
            size, used = net.num_addresses, covered
        elif u.get("free") is not None:  # NetBox's whole free list: taken is what it does not offer
            size = _free_size(net, bool(p.get("is_pool")))
            used = size - len(u["free"])
        else:
            size, used = _usable(net, bool(p.get("is_pool"))), int(u.get("ips", 0))
        if used > size:  # a count the prefix itself contradicts: not believed, and said
            ctx.note(
                f"NetBox counted {plural(used, 'address', 'addresses')} used in {p['prefix']}, "
                f"which holds {size:,}: that count is not believed"
            )
            used = size
        pct = 100.0 if p.get("mark_utilized") else (100.0 * used / size if size else 0.0)
        row = table.rows[0]
        row.update(utilisation=f"{pct:.1f}%", used=f"{used:,}", size=f"{size:,}")
        what = "child prefixes cover" if status == "container" else \
            "IP addresses and populated ranges take" if u.get("free") is not None else "IP addresses use"
        text = (
            f"{p['prefix']} ({cell(p.get('status'))}, {cell(p.get('scope'))}, VRF "
            f"{cell(p.get('vrf'))}): {what} {used:,} of {plural(size, 'address', 'addresses')}, "
            f"{pct:.1f}% utilised."
        )
        tables = [table]
        choices: list[Choice] = []
        computable = u.get("used") is not None and status != "container" and not one_by_one
        runs = (
            free_ranges(net, u["used"], u.get("populated") or [], bool(p.get("is_pool")))
            if computable
            else None
        )
        if u.get("free") is not None:  # NetBox's own free list, as runs
            runs = runs_of(u["free"])
        if runs is not None:
            # The free space as ranges; the addresses themselves are one drill away (available-ips).
            range_rows = [
                {
                    "id": None,
                    "display": f"{a}–{b}" if a != b else str(a),
                    "first": str(a),
                    "last": str(b),
                    "count": f"{int(b) - int(a) + 1:,}",
                }
                for a, b in runs
            ]
            ctx.local_rows[f"free-ranges:{p['id']}"] = range_rows
            range_table = Table(
                title=f"Free ranges in {p['prefix']}",
                object_type=IP,
                columns=[
                    Column(key="first", title="From"),
                    Column(key="last", title="To"),
                    Column(key="count", title="Free"),
                ],
                rows=range_rows[ctx.offset : ctx.offset + ctx.page_size],
                total=len(range_rows),
                offset=ctx.offset,
                limit=ctx.page_size,
                query=TableQuery(local_key=f"free-ranges:{p['id']}"),
            )
            free_total = sum(int(b) - int(a) + 1 for a, b in runs)
            free_follow = Intent(
                target=PREFIX,
                pattern="free_ips",
                source="choice",
                attributes=["address"],
                conditions=[
                    Condition(field="prefix", value=str(p["prefix"]), text=str(p["prefix"]), model=PREFIX)
                ],
            )
            text = (
                f"{plural(free_total, 'free IP address', 'free IP addresses')} in {p['prefix']}: "
                f"{range_words(runs)}."
                if want_free
                else text + f" Free: {range_words(runs)}."
            ) + ("" if not want_free else " " + text)
            if not runs:
                text = f"No free IP addresses in {p['prefix']}. " + text if want_free else text
            tables = [range_table, table] if want_free else [table, range_table]
            choices = list_choices(range_table, ctx.page_size) if want_free else []
            choices.append(
                Choice(
                    kind="drill_down",
                    label=f"each free address in {p['prefix']}",
                    question=f"each free address in {p['prefix']}",
                    intent=free_follow,
                )
            )
        elif want_free or status != "container":
            free_rows = free_ip_rows(ctx.results.get("free") or [])
            total_free = max(size - used, 0) if status != "container" else len(free_rows)
            ctx.local_rows[f"free:{p['id']}"] = free_rows
            shown = free_rows[ctx.offset: ctx.offset + ctx.page_size]
            free_table = Table(
                title=f"Free IPs in {p['prefix']}", object_type=IP,
                columns=[Column(key="address", title="Free address"), Column(key="vrf", title="VRF")],
                rows=shown, total=total_free, offset=ctx.offset, limit=ctx.page_size,
                query=TableQuery(path=f"ipam/prefixes/{p['id']}/available-ips/", kind="available"),
            )
            if want_free:
                tables = [free_table, table]
                text = (
                    f"{plural(total_free, 'free IP address', 'free IP addresses')} in {p['prefix']}"
                    + (f"; first: {', '.join(r['address'] for r in shown[:3])}." if shown else ".")
                    + " "
                    + text
                )
                choices = list_choices(free_table, ctx.page_size)
            elif free_rows:
                tables.append(free_table)
        follow = Intent(
            target=IP,
            conditions=[
                Condition(field="parent", op="within", value=str(p["prefix"]), text=str(p["prefix"]))
            ],
            source="choice",
        )
        return Outcome(
            text,
            tables,
            choices
            + [
                Choice(
                    kind="drill_down",
                    label=f"IP addresses in {p['prefix']}",
                    question=f"IP addresses in {p['prefix']}",
                    intent=follow,
                )
            ],
        )

    steps = resolves + [
        Step("find", f"find prefix {cidr}", find, deps=_deps(resolves)),
        Step("usage", "count IP addresses and child prefixes", usage, deps=("find",), optional=True),
        Step("containing", "find the prefixes that contain it", containing, deps=("find",), optional=True),
    ]
    net0 = _network(cidr)
    if net0 is None or net0.num_addresses > RANGES_UP_TO or one_by_one:
        steps.append(Step("free", "list free IP addresses", free, deps=("find",), optional=True))
    return Plan("orchestrated", steps, finish)


RANGES_UP_TO = (
    4096  # prefixes this size or smaller get their free space as ranges (one request of used addresses)
)


async def _nothing() -> None:
    return None


FREE_PAGE = 1000  # NetBox's page limit: the most free addresses available-ips gives in one answer


def _free_size(net: Any, is_pool: bool) -> int:
    """How many addresses NetBox's available-ips can offer in a prefix: not the network and broadcast
    addresses of an IPv4 prefix, nor the subnet-router anycast address of an IPv6 one (unless a pool)."""
    if is_pool or (net.version == 4 and net.prefixlen >= 31) or (net.version == 6 and net.prefixlen >= 127):
        return net.num_addresses
    return net.num_addresses - (2 if net.version == 4 else 1)


async def _available(ctx: Context, p: dict[str, Any]) -> list[str]:
    """A prefix's free addresses as NetBox computes them (one request of up to FREE_PAGE)."""
    free = await ctx.client.get(f"ipam/prefixes/{p['id']}/available-ips/", {"limit": FREE_PAGE},
                                kind="utilisation")
    return [str(f.get("address")) for f in free if isinstance(f, dict)] if isinstance(free, list) else []


def runs_of(addresses: list[str]) -> list[tuple[Any, Any]]:
    """Free addresses (NetBox's order) as (first, last) runs of consecutive addresses."""
    runs: list[tuple[Any, Any]] = []
    for text in addresses:
        try:
            a = ipaddress.ip_interface(text).ip
        except ValueError:
            continue
        if runs and int(a) == int(runs[-1][1]) + 1:
            runs[-1] = (runs[-1][0], a)
        else:
            runs.append((a, a))
    return runs


def free_ranges(
    net: Any, used: list[Any], populated: list[tuple[Any, Any]], is_pool: bool
) -> list[tuple[Any, Any]]:
    """The free addresses of a prefix as (first, last) runs, as NetBox's available-ips counts them:
    not the network and broadcast addresses (unless a pool), not a used address, not a populated range."""
    first, last = int(net.network_address), int(net.broadcast_address)
    if net.version == 4 and net.prefixlen < 31 and not is_pool:
        first, last = first + 1, last - 1
    taken = set()
    for a in used:
        try:
            taken.add(int(ipaddress.ip_interface(str(a)).ip))
        except ValueError:
            continue
    for start, end in populated:
        try:
            lo, hi = int(ipaddress.ip_interface(str(start)).ip), int(ipaddress.ip_interface(str(end)).ip)
        except ValueError:
            continue
        taken.update(range(max(lo, first), min(hi, last) + 1))
    runs: list[tuple[Any, Any]] = []
    start = None
    for n in range(first, last + 2):
        free = n <= last and n not in taken
        if free and start is None:
            start = n
        elif not free and start is not None:
            runs.append((ipaddress.ip_address(start), ipaddress.ip_address(n - 1)))
            start = None
    return runs


def range_words(runs: list[tuple[Any, Any]], limit: int = 4) -> str:
    """'.2–.9 (8), .40–.254 (215)': each run by its last octets, with how many it holds."""
    def short(a: Any, b: Any) -> str:
        if a.version == 4:
            sa, sb = str(a).split("."), str(b).split(".")
            keep = next((i for i in range(4) if sa[i] != sb[i]), 3)
            tail = lambda parts: "." + ".".join(parts[keep:])  # noqa: E731
            return tail(sa) if a == b else f"{tail(sa)}–{tail(sb)}"
        return str(a) if a == b else f"{a}–{b}"

    parts = [f"{short(a, b)} ({int(b) - int(a) + 1:,})" for a, b in runs[:limit]]
    more = f", +{plural(len(runs) - limit, 'more range')}" if len(runs) > limit else ""
    return ", ".join(parts) + more


def free_ip_rows(free: Any) -> list[dict[str, Any]]:
    """Rows of NetBox's available-ips answer (free addresses have no id)."""
    return [
        {
            "id": None,
            "display": cell(f.get("address")),
            "address": cell(f.get("address")),
            "vrf": cell(f.get("vrf")),
        }
        for f in (free if isinstance(free, list) else [])
        if isinstance(f, dict)
    ]


def _network(cidr: str) -> Any:
    try:
        return ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        return None


def _collapse(children: list[str], parent: Any) -> list[Any]:
    nets = []
    for c in children:
        try:
            nets.append(ipaddress.ip_network(c, strict=False))
        except ValueError:
            continue
    nets = [n for n in nets if n != parent and n.version == parent.version]
    return list(ipaddress.collapse_addresses(nets))  # type: ignore[type-var]


def plan_prefix_pattern(intent: Intent) -> Plan:
    """Utilisation or free IPs of prefixes named by their CIDR, or of every prefix under conditions."""
    if intent.named() is not None and intent.named().field == "prefix":  # type: ignore[union-attr]
        return plan_prefix(intent)
    if intent.pattern == "free_ips" and intent.conditions:
        return plan_free_ips_of_found(intent)
    from netbox_tui.core.planner import plan_list

    return plan_list(intent.model_copy(update={"pattern": None}))


def plan_free_ips_of_found(intent: Intent) -> Plan:
    """"Free IPs in Akron's data prefix": the free addresses of the one prefix the conditions find (its
    CIDR then named, the conditions kept in the interpretation); several found are listed, each row
    leading to its own free IPs; free addresses of several prefixes at once are never merged."""
    from netbox_tui.core.planner import plan_list

    listing = plan_list(intent.model_copy(update={"pattern": None}))
    resolves = resolve_steps(intent)

    async def find(ctx: Context) -> Any:
        for step in listing.steps:  # the prefixes the conditions find, as their list would show them
            if step.name not in ctx.results:
                ctx.results[step.name] = await step.run(ctx)
        listed = ctx.results["fetch"]  # planner.Paged or planner.Kept
        rows, count = listed.rows, listed.found
        if count == 1 and rows:
            p = rows[0]
            named = Condition(field="prefix", value=str(p["prefix"]), text=str(p["prefix"]), model=PREFIX,
                              resolved=[Ref(model=PREFIX, id=int(p["id"]), label=str(p["prefix"]))])
            raise Reroute(ctx.intent.model_copy(update={"conditions": [named, *ctx.intent.conditions]}))
        return count

    def finish(ctx: Context) -> Outcome:
        out = listing.finish(ctx)
        n = ctx.results["find"]
        if n:
            out.answer = f"Free IPs are per prefix and {n:,} match: drill into one for its free addresses. " \
                + out.answer
        return out

    return Plan("orchestrated", resolves + [Step("find", "find the prefix the conditions name", find,
                                                 deps=_deps(resolves))], finish)


# -- site summary ----------------------------------------------------------------------------------------

def plan_site_summary(intent: Intent) -> Plan:
    named = intent.named() or next(
        (c for c in intent.conditions if c.model == SITE or SITE in c.candidates), None
    )
    if named is None:
        raise Limitation("a summary needs a site", "Ask e.g. “summarize site DM-Nashua”.")
    if named.model != SITE:
        named = named.model_copy(update={"model": SITE, "field": "id"})
        intent = intent.model_copy(
            update={
                "conditions": [named]
                + [c for c in intent.conditions if c.model != SITE and SITE not in c.candidates]
            }
        )
    resolves = resolve_steps(intent)
    counts = drill_relations(SITE)
    site_model = model_of(SITE)
    # NetBox counts a site's racks, devices, VLANs, prefixes and circuits on the site row itself.
    by_field = {rel: site_model.count_field(rel) for rel, _ in counts}
    fields = fetch_fields(SITE, [f for f in by_field.values() if f])

    async def fetch(ctx: Context) -> Any:
        site = ctx.intent.named() or named
        sid = site.resolved[0].id
        missing = [(rel, flt) for rel, flt in counts if not by_field.get(rel)]
        page, *related = await ctx.client.gather(
            [ctx.client.page("dcim/sites/", {"id": sid}, limit=1, fields=fields, kind="device")]
            + [
                ctx.client.page(model_of(rel).path, {flt: sid}, limit=1, brief=True, kind="utilisation")
                for rel, flt in missing
            ]
        )
        row = page.results[0] if page.results else {}
        found = {rel: int(row.get(by_field[rel]) or 0) for rel, _ in counts if by_field.get(rel)}
        found.update({rel: p.count for (rel, _), p in zip(missing, related, strict=True)})
        return page, {rel: found[rel] for rel, _ in counts}

    def finish(ctx: Context) -> Outcome:
        page, found = ctx.results["fetch"]
        site = (ctx.intent.named() or named).resolved[0]
        ctx.applied.append(
            Applied(field="site", op="=", value=site.label, text=named.text, filter=f"site_id={site.id}")
        )
        key = {rel: noun(rel).lower().replace(" ", "_") for rel in found}  # "racks", "vlans", "ip_addresses"
        extra = [Column(key=key[rel], title=cap(noun(rel))) for rel in found]
        table = server_table(
            SITE, f"Site {site.label}", "dcim/sites/", {"id": site.id}, fields, page, ctx, columns=extra
        )
        from netbox_tui.core.planner import describe

        head = describe(SITE, table.rows[0], []) if table.rows else f"{site.label}."
        for row in table.rows:
            row.update({key[rel]: f"{n:,}" for rel, n in found.items()})
        text = head + " It has " + ", ".join(counted(n, rel) for rel, n in found.items()) + "."
        choices = []
        for (rel, flt), n in zip(counts, found.values(), strict=True):
            if not n:
                continue
            follow = Intent(
                target=rel,
                conditions=[
                    Condition(
                        field=flt[:-3] if flt.endswith("_id") else flt,
                        model=SITE,
                        value=site.label,
                        text=site.label,
                        resolved=[site],
                    )
                ],
                source="choice",
            )
            choices.append(
                Choice(
                    kind="drill_down",
                    label=f"{noun(rel)} at {site.label}",
                    question=f"{noun(rel)} at site {site.label}",
                    intent=follow,
                )
            )
        return Outcome(text, [table], choices)

    return Plan(
        "orchestrated",
        resolves
        + [
            Step(
                "fetch",
                "fetch the site with its counts of " + ", ".join(noun(r) for r, _ in counts),
                fetch,
                deps=_deps(resolves),
            )
        ],
        finish,
    )


PATTERNS: dict[str, Callable[[Intent], Plan]] = {
    "trace": plan_trace,
    "vlan_topology": plan_vlan_topology,
    "rack_utilisation": plan_rack_utilisation,
    "free_ips": plan_prefix_pattern,
    "prefix_utilisation": plan_prefix_pattern,
    "site_summary": plan_site_summary,
    "changes": plan_changes,
    "journal": plan_journal,
    "about": plan_about,
}


# -- objects assigned to any object: the contacts of a site, a device, a circuit… ----------------------

def assignment_through(intent: Intent) -> Optional[str]:
    """The assignment model (vocabulary: relations.<target>."*") when the question names an object
    the target has no filter for but is assigned to by type and id ("contacts for DM-Akron")."""
    from netbox_tui.core.planner import filter_for
    from netbox_tui.schema.vocab import load as load_vocab

    how = load_vocab().relation(intent.target, "*")
    if how is None or not how.through or intent.pattern not in (None, "find"):
        return None
    m = model_of(intent.target)
    hit = [c for c in _assigned_conditions(intent) if filter_for(m, c) is None]
    return how.through if hit else None


def _assigned_conditions(intent: Intent) -> list[Condition]:
    """Conditions naming one object of another model ("for DM-Akron"), not the target's own fields."""
    return [c for c in intent.conditions
            if c.op == "eq" and (c.model or c.candidates) and c.model != intent.target
            and not (c.field == "id" and intent.target in c.candidates)]


def plan_assigned(intent: Intent) -> Plan:
    """`<through>?object_type=<app.model>&object_id=<id>` for each named object, then the targets
    themselves by id (their phone and email are not on the assignment): two requests, whatever the
    object's model. One row per assignment, with its role and priority."""
    from netbox_tui.core.planner import filter_for, local_rows
    from netbox_tui.schema.vocab import load as load_vocab

    m = model_of(intent.target)
    how = load_vocab().relation(m.name, "*")
    assert how is not None and how.through is not None
    t = model_of(how.through)
    via = how.via[0] if how.via else m.name.split(".")[-1]  # the assignment's field naming the target
    resolves = resolve_steps(intent)
    shown_extra = [f for f in ("role", "priority") if f in t.fields]
    read_fields = ["id", via, "object", "object_type", "object_id"] + shown_extra

    async def assigned_to(ctx: Context, c: Condition) -> list[dict[str, Any]]:
        """The assignments naming the condition's objects (by model: a bare name may be of several)."""
        by_type: dict[str, list[int]] = {}
        for r in c.resolved:
            by_type.setdefault(r.model, []).append(r.id)
        got: list[dict[str, Any]] = []
        said = []
        for model, ids in by_type.items():
            got += await read_rows(ctx, t, {"object_type": model, "object_id": ids}, read_fields)
            said.append(f"{t.path}?object_type={model}&" + "&".join(f"object_id={i}" for i in ids[:4]))
        c.field = noun(c.resolved[0].model, 1)
        value = ", ".join(r.label for r in c.resolved)
        ctx.applied.append(Applied(field=c.field, op="=", value=value, text=c.text, filter="; ".join(said)))
        return got

    async def fetch(ctx: Context) -> Any:
        objs = [c for c in _assigned_conditions(ctx.intent) if c.resolved and filter_for(m, c) is None]
        q = start_query(ctx, m, [c for c in ctx.intent.conditions if all(c is not o for o in objs)])
        wanted: Optional[set[int]] = None  # targets assigned to every object named
        assignments: list[dict[str, Any]] = []
        for c in objs:
            got = await assigned_to(ctx, c)
            ids = {int(a[via]["id"]) for a in got if isinstance(a.get(via), dict)}
            wanted = ids if wanted is None else wanted & ids
            assignments += got
        if not wanted:
            return [], []
        rows = await ctx.client.list_many(m.path, q.params, "id", sorted(wanted),
                                          fields=fetch_fields(m.name, local_fields(q)), kind="default")
        return assignments, local_rows(rows, q)

    def finish(ctx: Context) -> Outcome:
        assignments, targets = ctx.results["fetch"]
        by_id = {row["id"]: row for row in targets}
        several = len({(a.get("object_type"), a.get("object_id")) for a in assignments}) > 1
        order = {
            str(c.value): i for i, c in enumerate(t.choices("priority") if "priority" in t.fields else [])
        }

        def rank(a: dict[str, Any]) -> tuple[int, str]:  # NetBox's priority order: primary first
            return order.get(str((a.get("priority") or {}).get("value")), len(order)), cell(a.get(via))

        rows = []
        for a in sorted(assignments, key=rank):
            target = by_id.get((a.get(via) or {}).get("id"))
            if target is None:
                continue
            row = shape_row(m.name, target)
            row.update({f: cell(a.get(f)) for f in shown_extra})
            if several:
                row["object"] = cell(a.get("object"))
            rows.append(row)
        cols = table_columns(m.name) + [Column(key=f, title=cap(f)) for f in shown_extra]
        if several:
            cols.append(Column(key="object", title="Assigned to"))
        where = where_words(ctx)
        table = local_table(ctx, f"assigned:{id(ctx)}", m.name, cap(noun(m.name)) + where, rows, cols)
        if not rows:  # a name may end with a full stop already ("Dunder-Mifflin, Inc.")
            return Outcome(f"No {noun(m.name)}{where}".rstrip(".") + ".", [table], [])
        people = len({r["id"] for r in rows})
        text = f"{counted(people, m.name)}{where}"
        text += f" ({plural(len(rows), 'assignment')})" if len(rows) != people else ""
        counting = ctx.intent.aggregate is not None and ctx.intent.aggregate.op == "count"
        text += "." if counting else f"; {page_text(table)}."
        return Outcome(text, [table], list_choices(table, ctx.page_size))

    words = f"find the {noun(t.name)} naming the object, then the {noun(m.name)} by id"
    return Plan("multi_step", resolves + [Step("fetch", words, fetch, deps=_deps(resolves))], finish)
