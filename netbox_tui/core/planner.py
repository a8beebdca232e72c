"""Intent -> Plan. One recipe per query pattern; each step names what it fetches.

Relationship look-ups are batched: repeated-value filters (OR'ed by NetBox, chunked under the
request-line limit) or one grouped query, never one request per object.
"""

from __future__ import annotations

import ipaddress
from collections import Counter, defaultdict
from typing import Any, Optional

from netbox_tui.core.columns import cell, fields_for, shape_row, table_columns
from netbox_tui.core.entities import (
    DEFAULT_SCOPE,
    KINDS,
    SCOPE_KINDS,
    Entity,
    match_interface,
)
from netbox_tui.core.intent import Filters, Intent, IntentKind, ObjectType
from netbox_tui.core.plan import (
    Context,
    NeedsChoice,
    NotFound,
    Outcome,
    Plan,
    Reroute,
    Step,
)
from netbox_tui.core.results import Choice, Column, Table, TableQuery
from netbox_tui.netbox.endpoints import EndpointRegistry

NOUNS: dict[str, tuple[str, str]] = {
    "dcim.device": ("device", "devices"), "dcim.interface": ("interface", "interfaces"), "ipam.vlan": ("VLAN", "VLANs"),
    "ipam.prefix": ("prefix", "prefixes"), "ipam.ipaddress": ("IP address", "IP addresses"), "dcim.site": ("site", "sites"),
    "dcim.rack": ("rack", "racks"), "dcim.cable": ("cable", "cables"), "circuits.circuit": ("circuit", "circuits"),
    "virtualization.virtualmachine": ("virtual machine", "virtual machines"), "virtualization.cluster": ("cluster", "clusters"),
    "tenancy.tenant": ("tenant", "tenants"), "dcim.region": ("region", "regions"), "circuits.provider": ("provider", "providers"),
    "ipam.vrf": ("VRF", "VRFs"), "dcim.platform": ("platform", "platforms"), "dcim.manufacturer": ("manufacturer", "manufacturers"),
    "dcim.devicetype": ("device type", "device types"), "dcim.devicerole": ("device role", "device roles"),
    "ipam.vlangroup": ("VLAN group", "VLAN groups"), "dcim.location": ("location", "locations"),
    "ipam.aggregate": ("aggregate", "aggregates"), "circuits.circuittermination": ("circuit termination", "circuit terminations"),
    "virtualization.vminterface": ("VM interface", "VM interfaces"),
}

# Cache kind per model (TTL classes of config.DEFAULT_TTL).
CACHE_KIND = {"dcim.device": "device", "dcim.interface": "interface", "ipam.vlan": "vlan", "dcim.cable": "cable"}

# How a resolved object filters another endpoint, in order of preference.
FILTER_PARAMS: dict[str, tuple[str, ...]] = {
    "site": ("site_id",), "region": ("region_id",), "site_group": ("site_group_id",), "location": ("location_id",),
    "tenant": ("tenant_id",), "role": ("role_id",), "platform": ("platform_id",), "manufacturer": ("manufacturer_id",),
    "device_type": ("device_type_id",), "vlan_group": ("group_id", "vlan_group_id"), "vrf": ("vrf_id",),
    "cluster": ("cluster_id",), "provider": ("provider_id",), "tag": ("tag_id",), "rack": ("rack_id",),
    "device": ("device_id",), "virtual_machine": ("virtual_machine_id",), "vlan": ("vlan_id",), "circuit": ("circuit_id",),
}

AUDIT_PARAMS: dict[str, tuple[dict[str, Any], str]] = {
    "no_primary_ip": ({"has_primary_ip": "false"}, "without a primary IP"),
    "no_serial": ({"serial__empty": "true"}, "without a serial number"),
    "no_platform": ({"platform_id": "null"}, "without a platform"),
    "no_tenant": ({"tenant_id": "null"}, "without a tenant"),
    "no_asset_tag": ({"asset_tag__empty": "true"}, "without an asset tag"),
    "unconnected_interfaces": ({"cabled": "false"}, "with no cable"),
}

# Slots the classifier fills -> entity kind to resolve them as.
SLOT_KINDS = {
    "site": "site", "region": "region", "tenant": "tenant", "role": "role", "rack": "rack", "cluster": "cluster",
    "provider": "provider", "vrf": "vrf", "platform": "platform", "manufacturer": "manufacturer",
    "device_type": "device_type", "device": "device", "tag": "tag", "vlan": "vlan",
}

# The kind a bare name is, by target model ("show device X", "site MDF", "cluster DO-AMS3").
NAME_KIND = {
    "dcim.device": "device", "dcim.site": "site", "dcim.rack": "rack", "dcim.region": "region",
    "virtualization.virtualmachine": "virtual_machine", "virtualization.cluster": "cluster",
    "circuits.circuit": "circuit", "circuits.provider": "provider", "tenancy.tenant": "tenant", "ipam.vrf": "vrf",
    "ipam.vlan": "vlan", "dcim.platform": "platform", "dcim.manufacturer": "manufacturer",
    "dcim.devicetype": "device_type", "dcim.devicerole": "role", "ipam.vlangroup": "vlan_group", "dcim.location": "location",
}


class Limitation(Exception):
    """The question cannot be answered through NetBox's API as asked; carries guidance."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def cap(text: str) -> str:
    """Capitalise the first letter only: "VLANs at…" stays "VLANs", not "Vlans"."""
    return text[:1].upper() + text[1:]


def counted(n: int, label: str) -> str:
    """'1 rack', '2 racks', '1 IP address', '5 prefixes'."""
    if n == 1:
        for plural, one in (("addresses", "address"), ("prefixes", "prefix"), ("switches", "switch")):
            if label.endswith(plural):
                return f"1 {label[: -len(plural)]}{one}"
        return f"1 {label[:-1]}" if label.endswith("s") else f"1 {label}"
    return f"{n:,} {label}"


def noun(model: str, n: int = 2) -> str:
    one, many = NOUNS.get(model, (model.split(".")[-1], model.split(".")[-1] + "s"))
    return one if n == 1 else many


def registry() -> EndpointRegistry:
    return EndpointRegistry.load()


def path_of(model: str) -> str:
    return registry().for_model(model).path


# -- resolution steps ----------------------------------------------------------------------------

def resolve_steps(intent: Intent, skip: tuple[str, ...] = ()) -> list[Step]:
    steps: list[Step] = []
    given = intent.filters.given()
    for slot, text in given.items():
        if slot in skip or slot in ("status", "ip", "prefix", "interface", "name", "scope"):
            continue
        kind = SLOT_KINDS.get(slot)
        if kind is None:
            continue
        steps.append(_resolve_step(slot, kind, text))
    if "scope" in given and "scope" not in skip:
        kinds = SCOPE_KINDS.get(intent.target.value, DEFAULT_SCOPE)
        kinds = tuple(k for k in kinds if k not in given) or DEFAULT_SCOPE
        steps.append(_scope_step(given["scope"], kinds))
    return steps


def _resolve_step(slot: str, kind: str, text: str) -> Step:
    k = KINDS[kind]

    async def run(ctx: Context) -> list[Entity]:
        if ctx.resolved.get(kind):  # known already (a drill-down, a re-route): no request
            return ctx.resolved[kind]
        res = await ctx.resolver.resolve(kind, text)
        return _accept(ctx, slot, kind, res, k.noun)

    return Step(f"resolve:{slot}", f"find {k.noun} “{text}”", run)


def _scope_step(text: str, kinds: tuple[str, ...]) -> Step:
    async def run(ctx: Context) -> list[Entity]:
        res = await ctx.resolver.resolve_scope(kinds, text)
        return _accept(ctx, "scope", res.kind, res, " or ".join(KINDS[k].noun for k in kinds[:3]))

    return Step("resolve:scope", f"find “{text}” ({', '.join(KINDS[k].noun for k in kinds[:3])})", run)


def _accept(ctx: Context, slot: str, kind: str, res: Any, noun_text: str) -> list[Entity]:
    if res.status == "ambiguous":
        raise NeedsChoice(slot, res)
    if res.status == "not_found":
        raise NotFound(slot, res, noun_text)
    ctx.resolved[kind] = res.matches
    return res.matches


def resolved_in_order(ctx: Context) -> list[tuple[str, list[Entity]]]:
    """Resolved objects in a fixed order: resolution steps finish in any order, answers must not."""
    order = list(FILTER_PARAMS) + ["interface"]
    return sorted(ctx.resolved.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))


def filter_params(ctx: Context, model: str, *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """Resolved objects, status and audit -> NetBox filters valid on the model's endpoint."""
    ep = registry().for_model(model)
    params: dict[str, Any] = {}
    for kind, ents in resolved_in_order(ctx):
        if kind in skip or (kind == NAME_KIND.get(model) and "name" in ctx.intent.filters.given()):
            continue
        names = [p for p in FILTER_PARAMS.get(kind, ()) if ep.accepts(p)]
        if not names:
            raise Limitation(
                f"NetBox cannot filter {noun(model)} by {KINDS[kind].noun}",
                f"Ask for the {KINDS[kind].noun}'s {noun(model)} another way, e.g. “{noun(model)} at <site>”.",
            )
        params[names[0]] = [e.id for e in ents]
    search = ctx.intent.filters.search
    if search and ep.accepts("q"):
        params["q"] = search
    status = ctx.intent.filters.status
    if status and ep.accepts("status"):
        params["status"] = status
    audit = ctx.intent.audit
    if audit:
        extra, _ = AUDIT_PARAMS[audit]
        for k, v in extra.items():
            if not ep.accepts(k):
                raise Limitation(f"NetBox cannot filter {noun(model)} {AUDIT_PARAMS[audit][1]}", "Try the audit on devices.")
            params[k] = v
    return params


def where_text(ctx: Context, model: str) -> str:
    parts = []
    for kind, ents in resolved_in_order(ctx):
        if kind == NAME_KIND.get(model):
            continue
        names = ", ".join(e.label for e in ents[:3]) + (f" +{len(ents) - 3}" if len(ents) > 3 else "")
        prep = {"site": "at", "location": "in", "region": "in", "rack": "in", "device": "on", "cluster": "in",
                "provider": "from", "role": "with role", "tenant": "of tenant", "vrf": "in VRF", "interface": "named",
                "manufacturer": "made by", "platform": "running", "device_type": "of type", "tag": "tagged",
                "site_group": "in site group", "vlan_group": "in VLAN group"}.get(kind) \
            or KINDS[kind].noun
        parts.append(f"{prep} {names}")
    if ctx.intent.filters.status:
        parts.insert(0, f"({ctx.intent.filters.status})")
    if ctx.intent.audit:
        parts.append(AUDIT_PARAMS[ctx.intent.audit][1])
    if ctx.intent.filters.search:
        parts.append(f"matching “{ctx.intent.filters.search}”")
    return (" " + " ".join(parts)) if parts else ""


# -- tables and choices ----------------------------------------------------------------------------

def page_text(table: Table) -> str:
    if table.total == 0:
        return ""
    a, b = table.offset + 1, table.offset + len(table.rows)
    return f"rows {a}–{b} of {table.total:,}"


def list_choices(table: Table, page_size: int, drill: bool = True) -> list[Choice]:
    out: list[Choice] = []
    if table.has_more:
        nxt = min(page_size, table.total - table.offset - len(table.rows))
        out.append(Choice(kind="next_page", label=f"load next {nxt} ({table.offset + len(table.rows) + 1}–{table.offset + len(table.rows) + nxt} of {table.total:,})"))
    if table.total > page_size:
        out.append(Choice(kind="summary", label="summary view: counts by status, site, role, type…"))
    if table.total > 1:
        out.append(Choice(kind="filter", label="filter these rows"))
    if drill and table.rows:
        one = noun(table.object_type, 1)
        article = "an" if one[:1].lower() in "aeio" else "a"
        out.append(Choice(kind="drill_down", label=f"drill into {article} {one}: {DRILL_LABEL.get(table.object_type, 'details')}"))
    return out


DRILL_LABEL = {
    "dcim.device": "interfaces, IPs, cables", "dcim.interface": "cable trace", "ipam.vlan": "interfaces and devices",
    "dcim.site": "racks, devices, VLANs, prefixes", "ipam.prefix": "IPs and free IPs", "dcim.rack": "devices",
    "virtualization.cluster": "virtual machines", "circuits.provider": "circuits", "dcim.region": "sites",
    "tenancy.tenant": "devices, prefixes", "virtualization.virtualmachine": "interfaces, IPs", "circuits.circuit": "terminations",
}


def server_table(model: str, title: str, path: str, params: dict[str, Any], fields: list[str], page: Any, ctx: Context, extra_cols: Optional[list[Column]] = None) -> Table:
    from netbox_tui.netbox.client import normalise_params

    return Table(
        title=title, object_type=model, columns=table_columns(model, extra_cols),
        rows=[shape_row(model, r) for r in page.results], total=page.count, offset=page.offset, limit=page.limit,
        partial=ctx.partial,
        query=TableQuery(path=path, params=normalise_params(params), fields=fields, kind=CACHE_KIND.get(model, "default")),
    )


def local_table(ctx: Context, key: str, model: str, title: str, rows: list[dict[str, Any]], columns: list[Column]) -> Table:
    """A table computed client-side: all rows kept by the orchestrator, paged from memory."""
    ctx.local_rows[key] = rows
    page = rows[ctx.offset: ctx.offset + ctx.page_size]
    return Table(title=title, object_type=model, columns=columns, rows=page, total=len(rows), offset=ctx.offset,
                 limit=ctx.page_size, partial=ctx.partial, query=TableQuery(local_key=key))


# -- recipe: list objects --------------------------------------------------------------------------

def plan_list(intent: Intent) -> Plan:
    model = intent.target.value
    resolves = resolve_steps(intent)
    if "name" in intent.filters.given() and model in NAME_KIND and intent.kind is not IntentKind.device_lookup:
        resolves.append(_resolve_step("name", NAME_KIND[model], intent.filters.name or ""))

    async def fetch(ctx: Context) -> Any:
        path = path_of(model)
        params = filter_params(ctx, model)
        if ctx.resolved.get(NAME_KIND.get(model, "")) and "name" in ctx.intent.filters.given():
            params["id"] = [e.id for e in ctx.resolved[NAME_KIND[model]]]
        if model == "dcim.interface" and ctx.intent.filters.interface and ctx.resolved.get("device"):
            params["id"] = [i.id for i in await _match_interface(ctx, ctx.intent.filters.interface)]
        fields = fields_for(model)
        page = await ctx.client.page(path, params, limit=ctx.page_size, offset=ctx.offset, fields=fields, kind=CACHE_KIND.get(model, "default"))
        return path, params, fields, page

    async def fetch_brief(ctx: Context) -> Any:  # simplified view: brief rows, the cheap serializer
        path = path_of(model)
        params = filter_params(ctx, model)
        page = await ctx.client.page(path, params, limit=ctx.page_size, offset=ctx.offset, brief=True, kind=CACHE_KIND.get(model, "default"))
        return path, params, ["id", "display"], page

    main = Step("fetch", f"count {noun(model)} and fetch the first page", fetch,
                deps=tuple(s.name for s in resolves), fallback=fetch_brief)

    def finish(ctx: Context) -> Outcome:
        path, params, fields, page = ctx.results["fetch"]
        title = cap(f"{noun(model)}{where_text(ctx, model)}")
        table = server_table(model, title, path, params, fields, page, ctx)
        if table.total == 0:
            text = f"No {noun(model)}{where_text(ctx, model)}."
        else:
            text = f"{table.total:,} {noun(model, table.total)}{where_text(ctx, model)}; {page_text(table)}."
        return Outcome(text, [table], list_choices(table, ctx.page_size))

    return Plan("direct" if not resolves else "multi_step", resolves + [main], finish)


# -- recipe: one named object ------------------------------------------------------------------------

RELATED_COUNTS: dict[str, list[tuple[str, str, str]]] = {
    # model -> (label, related model, filter name)
    "dcim.device": [("interfaces", "dcim.interface", "device_id"), ("IP addresses", "ipam.ipaddress", "device_id"), ("cables", "dcim.cable", "device_id")],
    "dcim.site": [("racks", "dcim.rack", "site_id"), ("devices", "dcim.device", "site_id"), ("VLANs", "ipam.vlan", "site_id"), ("prefixes", "ipam.prefix", "site_id"), ("circuits", "circuits.circuit", "site_id")],
    "dcim.rack": [("devices", "dcim.device", "rack_id")],
    "virtualization.cluster": [("virtual machines", "virtualization.virtualmachine", "cluster_id")],
    "circuits.provider": [("circuits", "circuits.circuit", "provider_id")],
    "tenancy.tenant": [("devices", "dcim.device", "tenant_id"), ("prefixes", "ipam.prefix", "tenant_id")],
    "dcim.region": [("sites", "dcim.site", "region_id")],
    "virtualization.virtualmachine": [("interfaces", "virtualization.vminterface", "virtual_machine_id"), ("IP addresses", "ipam.ipaddress", "virtual_machine_id")],
    "circuits.circuit": [("terminations", "circuits.circuittermination", "circuit_id")],
}


def plan_lookup(intent: Intent, *, with_counts: bool = True) -> Plan:
    model = intent.target.value
    kind = NAME_KIND.get(model, "device")
    text = intent.filters.name or intent.filters.device or ""
    resolves = resolve_steps(intent, skip=("device",) if model == "dcim.device" else ())
    find = _resolve_step("name", kind, text)

    async def fetch(ctx: Context) -> Any:
        from netbox_tui.netbox.client import Page

        ent = ctx.resolved[kind]
        path = path_of(model)
        params = {"id": [e.id for e in ent]}
        fields = fields_for(model)
        if all(f in e.raw for e in ent for f in fields):  # the name search already brought every column
            return path, params, fields, Page(results=[e.raw for e in ent], count=len(ent), offset=0, limit=ctx.page_size)
        page = await ctx.client.page(path, params, limit=ctx.page_size, fields=fields, kind=CACHE_KIND.get(model, "default"))
        return path, params, fields, page

    counts = RELATED_COUNTS.get(model, []) if with_counts else []

    async def count(ctx: Context) -> dict[str, int]:
        ent = ctx.one(kind)
        assert ent is not None
        pages = await ctx.client.gather(
            ctx.client.page(path_of(rel), {flt: ent.id}, limit=1, brief=True, kind="utilisation")
            for _, rel, flt in counts
        )
        return {label: p.count for (label, _, _), p in zip(counts, pages, strict=True)}

    steps = resolves + [find, Step("fetch", f"fetch the {KINDS[kind].noun}", fetch, deps=(find.name,))]
    if counts:
        steps.append(Step("counts", "count related objects (" + ", ".join(c[0] for c in counts) + ")", count, deps=(find.name,), optional=True))

    def finish(ctx: Context) -> Outcome:
        path, params, fields, page = ctx.results["fetch"]
        ent = ctx.one(kind)
        table = server_table(model, cap(f"{KINDS[kind].noun} {ent.label if ent else text}"), path, params, fields, page, ctx)
        text_out = describe_object(model, page.results[0]) if page.results else f"No {KINDS[kind].noun} {text}."
        found = ctx.results.get("counts") or {}
        if found:
            text_out += " " + ", ".join(counted(n, label) for label, n in found.items()) + "."
        typed = (ctx.intent.filters.name or "").strip()
        if ent and typed and typed.lower() != ent.name.lower():
            text_out = f"(“{typed}” taken as {ent.name}) " + text_out
        choices = [Choice(kind="drill_down", label=f"{label} of {ent.name}", question=DRILL_QUESTION.get((model, label), "").format(name=ent.name) or None)
                   for label, n in found.items() if ent and n] if ent else []
        return Outcome(text_out, [table], choices)

    return Plan("multi_step", steps, finish)


DRILL_QUESTION = {
    ("dcim.device", "interfaces"): "interfaces on {name}", ("dcim.device", "IP addresses"): "IP addresses on {name}",
    ("dcim.device", "cables"): "cables on {name}", ("dcim.site", "racks"): "racks at site {name}",
    ("dcim.site", "devices"): "devices at site {name}", ("dcim.site", "VLANs"): "VLANs at site {name}",
    ("dcim.site", "prefixes"): "prefixes at site {name}", ("dcim.site", "circuits"): "circuits at site {name}",
    ("dcim.rack", "devices"): "devices in rack {name}", ("virtualization.cluster", "virtual machines"): "virtual machines in cluster {name}",
    ("circuits.provider", "circuits"): "circuits from provider {name}", ("dcim.region", "sites"): "sites in region {name}",
    ("tenancy.tenant", "devices"): "devices of tenant {name}", ("tenancy.tenant", "prefixes"): "prefixes of tenant {name}",
}


def describe_object(model: str, raw: dict[str, Any]) -> str:
    name = cell(raw.get("display") or raw.get("name"))
    bits = []
    for key in ("status", "role", "device_type", "site", "rack", "region", "cluster", "provider", "primary_ip", "vrf", "tenant"):
        if raw.get(key):
            bits.append(f"{key.replace('_', ' ')} {cell(raw[key])}")
    return (f"{name}: " + ", ".join(bits)).rstrip(".") + "." if bits else f"{name.rstrip('.')}."


# -- recipe: an IP address ----------------------------------------------------------------------------

def plan_ip(intent: Intent) -> Plan:
    ip = intent.filters.ip or ""
    model = "ipam.ipaddress"
    resolves = resolve_steps(intent)

    async def fetch(ctx: Context) -> Any:
        params = {"address": ip, **filter_params(ctx, model)}
        fields = fields_for(model)
        page = await ctx.client.page(path_of(model), params, limit=ctx.page_size, offset=ctx.offset, fields=fields)
        return path_of(model), params, fields, page

    async def containing(ctx: Context) -> Any:
        page = await ctx.client.page("ipam/prefixes/", {"contains": ip}, limit=50, fields=fields_for("ipam.prefix"))
        return page.results

    def finish(ctx: Context) -> Outcome:
        path, params, fields, page = ctx.results["fetch"]
        table = server_table(model, f"IP address {ip}", path, params, fields, page, ctx)
        prefixes = ctx.results.get("containing") or []
        inside = ", ".join(f"{p['prefix']} ({cell(p.get('scope'))}, VRF {cell(p.get('vrf'))})" for p in prefixes[-3:])
        if page.results:
            lines = []
            for r in page.results:
                where = shape_row(model, r)["assigned"]
                lines.append(f"{r['address']} in VRF {cell(r.get('vrf'))} is {cell(r.get('status')).lower()}, assigned to {where}" if where != "—"
                             else f"{r['address']} in VRF {cell(r.get('vrf'))} is {cell(r.get('status')).lower()} and not assigned to an interface")
            text = "; ".join(lines) + "."
        else:
            text = f"{ip} is not recorded in NetBox."
        if inside:
            text += f" It falls within {inside}."
        return Outcome(text, [table], list_choices(table, ctx.page_size))

    steps = resolves + [Step("fetch", f"look up IP address {ip}", fetch, deps=tuple(s.name for s in resolves)),
                        Step("containing", f"find prefixes containing {ip}", containing, optional=True)]
    return Plan("orchestrated", steps, finish)


# -- recipe: a prefix, its utilisation, its free IPs ---------------------------------------------------

def _usable(net: ipaddress._BaseNetwork, is_pool: bool) -> int:
    size = net.num_addresses
    if net.version == 4 and net.prefixlen < 31 and not is_pool:
        size -= 2  # network and broadcast addresses, as NetBox counts them
    return max(size, 0)


def plan_prefix(intent: Intent) -> Plan:
    cidr = (intent.filters.prefix or "").strip()
    model = "ipam.prefix"
    want_free = intent.metric == "available_ips"
    resolves = resolve_steps(intent)
    pfields = fields_for(model, ("is_pool", "mark_utilized"))

    async def find(ctx: Context) -> Any:
        params = {"prefix": cidr, **filter_params(ctx, model)}
        page = await ctx.client.page("ipam/prefixes/", params, limit=50, fields=pfields)
        if not page.results:
            return params, page, []
        if len(page.results) > 1:
            from netbox_tui.core.entities import Resolution

            cands = [(Entity("prefix", r["id"], f"{r['prefix']} VRF {cell(r.get('vrf'))}", display=r["display"], raw={"vrf": r.get("vrf")}), 100.0) for r in page.results]
            raise NeedsChoice("prefix", Resolution("prefix", cidr, "ambiguous", candidates=cands))
        return params, page, page.results

    async def usage(ctx: Context) -> dict[str, Any]:
        _, _, found = ctx.results["find"]
        if not found:
            return {}
        p = found[0]
        vrf = (p.get("vrf") or {}).get("id")
        scope = {"vrf_id": vrf if vrf else "null"}
        ips, children = await ctx.client.gather([
            ctx.client.page("ipam/ip-addresses/", {"parent": p["prefix"], **scope}, limit=1, brief=True, kind="utilisation"),
            ctx.client.page("ipam/prefixes/", {"within": p["prefix"], **scope}, limit=1000, fields=["id", "prefix"], kind="utilisation"),
        ])
        return {"ips": ips.count, "children": [c["prefix"] for c in children.results]}

    async def free(ctx: Context) -> Any:
        _, _, found = ctx.results["find"]
        if not found:
            return []
        return await ctx.client.get(f"ipam/prefixes/{found[0]['id']}/available-ips/", {"limit": ctx.offset + ctx.page_size}, kind="utilisation")

    async def containing(ctx: Context) -> Any:
        _, _, found = ctx.results["find"]
        if found:
            return []
        page = await ctx.client.page("ipam/prefixes/", {"contains": cidr.split("/")[0]}, limit=50, fields=["id", "prefix", "vrf", "scope"])
        return page.results

    def finish(ctx: Context) -> Outcome:
        params, page, found = ctx.results["find"]
        table = server_table(model, f"Prefix {cidr}", "ipam/prefixes/", params, pfields, page, ctx,
                             extra_cols=[Column(key="utilisation", title="Used %"), Column(key="used", title="Used"), Column(key="size", title="Size")])
        if not found:
            parents = ctx.results.get("containing") or []
            text = f"No prefix {cidr} in NetBox."
            if parents:
                text += " It falls within " + ", ".join(p["prefix"] for p in parents[-3:]) + "."
            return Outcome(text, [table], [])
        p = found[0]
        net = ipaddress.ip_network(p["prefix"], strict=False)
        u = ctx.results.get("usage") or {}
        status = (p.get("status") or {}).get("value")
        if status == "container":
            covered = sum(ipaddress.ip_network(c).num_addresses for c in _collapse(u.get("children", []), net))
            size, used = net.num_addresses, covered
        else:
            size, used = _usable(net, bool(p.get("is_pool"))), int(u.get("ips", 0))
        pct = 100.0 if p.get("mark_utilized") else (100.0 * used / size if size else 0.0)
        row = table.rows[0]
        row.update(utilisation=f"{pct:.1f}%", used=f"{used:,}", size=f"{size:,}")
        what = "child prefixes cover" if status == "container" else "IP addresses use"
        text = f"{p['prefix']} ({cell(p.get('status'))}, {cell(p.get('scope'))}, VRF {cell(p.get('vrf'))}): {what} {used:,} of {size:,} addresses, {pct:.1f}% utilised."
        tables = [table]
        choices: list[Choice] = []
        if want_free or status != "container":
            free_rows = ctx.results.get("free") or []
            total_free = max(size - used, 0) if status != "container" else len(free_rows)
            rows = free_ip_rows(free_rows)
            ctx.local_rows[f"free:{p['id']}"] = rows
            shown = rows[ctx.offset: ctx.offset + ctx.page_size]
            free_table = Table(
                title=f"Free IPs in {p['prefix']}", object_type="ipam.ipaddress",
                columns=[Column(key="address", title="Free address"), Column(key="vrf", title="VRF")],
                rows=shown, total=total_free, offset=ctx.offset, limit=ctx.page_size,
                query=TableQuery(path=f"ipam/prefixes/{p['id']}/available-ips/", kind="available"),
            )
            if want_free:
                tables = [free_table, table]
                text = f"{total_free:,} free IP addresses in {p['prefix']}" + (f"; first: {', '.join(r['address'] for r in shown[:3])}." if shown else ".") + " " + text
                choices = list_choices(free_table, ctx.page_size, drill=False)
            elif free_rows:
                tables.append(free_table)
        return Outcome(text, tables, choices + [Choice(kind="drill_down", label=f"IP addresses in {p['prefix']}", question=f"IP addresses in {p['prefix']}")])

    steps = resolves + [
        Step("find", f"find prefix {cidr}", find, deps=tuple(s.name for s in resolves)),
        Step("usage", "count IP addresses and child prefixes", usage, deps=("find",), optional=True),
        Step("containing", "find the prefixes that contain it", containing, deps=("find",), optional=True),
    ]
    if want_free or intent.metric == "prefix_utilisation" or intent.kind is IntentKind.device_lookup:
        steps.append(Step("free", "list free IP addresses", free, deps=("find",), optional=True))
    return Plan("orchestrated", steps, finish)


def free_ip_rows(free: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of NetBox's available-ips answer (free addresses have no id)."""
    return [{"id": None, "display": f["address"], "address": f["address"], "vrf": cell(f.get("vrf"))} for f in free]


def _collapse(children: list[str], parent: Any) -> list[Any]:
    nets = [ipaddress.ip_network(c, strict=False) for c in children]
    nets = [n for n in nets if n != parent and n.version == parent.version]
    return list(ipaddress.collapse_addresses(nets))  # type: ignore[type-var]


# -- recipe: IP addresses inside a prefix ---------------------------------------------------------------

def plan_ips_in_prefix(intent: Intent) -> Plan:
    cidr = intent.filters.prefix or ""
    model = intent.target.value  # ip addresses or prefixes within
    resolves = resolve_steps(intent)

    async def fetch(ctx: Context) -> Any:
        key = "parent" if model == "ipam.ipaddress" else "within"
        params = {key: cidr, **filter_params(ctx, model)}
        fields = fields_for(model)
        page = await ctx.client.page(path_of(model), params, limit=ctx.page_size, offset=ctx.offset, fields=fields)
        return path_of(model), params, fields, page

    def finish(ctx: Context) -> Outcome:
        path, params, fields, page = ctx.results["fetch"]
        table = server_table(model, cap(f"{noun(model)} in {cidr}"), path, params, fields, page, ctx)
        text = f"{table.total:,} {noun(model, table.total)} in {cidr}" + (f"; {page_text(table)}." if table.total else ".")
        return Outcome(text, [table], list_choices(table, ctx.page_size))

    return Plan("direct", resolves + [Step("fetch", f"list {noun(model)} in {cidr}", fetch, deps=tuple(s.name for s in resolves))], finish)


# -- recipe: cable trace / what is connected ------------------------------------------------------------

def plan_trace(intent: Intent) -> Plan:
    dev_text = intent.filters.device or intent.filters.name or ""
    if not dev_text:
        raise Limitation("a cable trace needs a device (and an interface)", "Ask e.g. “what is connected to ncsu-coreswitch1 et-0/0/1”.")
    iface_text = intent.filters.interface
    find_dev = _resolve_step("device", "device", dev_text)

    async def interfaces(ctx: Context) -> Any:
        dev = ctx.one("device")
        assert dev is not None
        fields = fields_for("dcim.interface", ("cable",))
        return await ctx.client.list_all("dcim/interfaces/", {"device_id": dev.id}, fields=fields, kind="interface")

    async def trace(ctx: Context) -> Any:
        rows = ctx.results["interfaces"]
        if not iface_text:
            return None
        ents = [Entity("interface", r["id"], r["name"], raw=r) for r in rows]
        res = match_interface(iface_text, ents)
        if res.status == "ambiguous":
            raise NeedsChoice("interface", res)
        if res.status == "not_found":
            raise NotFound("interface", res, f"interface on {ctx.must('device').name}")
        iface = res.matches[0]
        ctx.resolved["interface"] = [iface]
        if not iface.raw.get("cable"):
            return []
        return await ctx.client.get(f"dcim/interfaces/{iface.id}/trace/", kind="cable")

    def finish(ctx: Context) -> Outcome:
        dev = ctx.must("device")
        rows = ctx.results["interfaces"]
        model = "dcim.interface"
        if not iface_text:
            connected = [r for r in rows if r.get("link_peers")]
            shaped = [shape_row(model, r) for r in connected]
            table = local_table(ctx, f"connected:{dev.id}", model, f"Connected interfaces of {dev.name}", shaped, table_columns(model))
            text = f"{dev.name} has {len(connected)} connected interfaces out of {len(rows)}; {page_text(table) or 'none'}."
            return Outcome(text, [table], list_choices(table, ctx.page_size))
        iface = ctx.must("interface")
        segments = ctx.results.get("trace") or []
        out_rows = []
        for near, cable, far in segments:
            n = near[0] if near else {}
            out_rows.append({
                "id": n.get("id"), "display": cell(n.get("display")),
                "near": _end_label(n),
                "cable": cell(cable.get("display") if cable else None) if cable else "—",
                "far": ", ".join(_end_label(f) for f in (far or [])) or "—",
            })
        cols = [Column(key="near", title="Near end"), Column(key="cable", title="Cable"), Column(key="far", title="Far end")]
        table = local_table(ctx, f"trace:{iface.id}", model, f"Cable path from {dev.name} {iface.name}", out_rows, cols)
        if not out_rows:
            text = f"{dev.name} {iface.name} has no cable."
        else:
            last = segments[-1][2] or []
            end = ", ".join(_end_label(f) for f in last) or "an open end"
            text = f"{dev.name} {iface.name} → {end} ({len(out_rows)} segment{'s' if len(out_rows) != 1 else ''})."
        return Outcome(text, [table], [])

    steps = [find_dev,
             Step("interfaces", "fetch the device's interfaces", interfaces, deps=(find_dev.name,)),
             Step("trace", f"trace the cable from {iface_text or 'each interface'}", trace, deps=("interfaces",))]
    return Plan("multi_step", steps, finish)


async def _match_interface(ctx: Context, typed: str) -> list[Entity]:
    """The device's interface named `typed` ("Gi0/0/0", "xe-0/0/0"): one request for the device's names."""
    dev = ctx.one("device")
    assert dev is not None
    rows = await ctx.client.list_all("dcim/interfaces/", {"device_id": dev.id}, fields=["id", "name", "cable"], kind="interface")
    res = match_interface(typed, [Entity("interface", r["id"], r["name"], raw=r) for r in rows])
    if res.status == "ambiguous":
        raise NeedsChoice("interface", res)
    if res.status == "not_found":
        raise NotFound("interface", res, f"interface on {dev.name}")
    ctx.resolved["interface"] = res.matches
    return res.matches


def _end_label(obj: dict[str, Any]) -> str:
    """'dmi01-akron-rtr01 Gi0/0/0', 'KKDG4923: Termination Z' (a circuit's display already names it)."""
    own, name = _owner(obj), cell(obj.get("name") or obj.get("display"))
    return name if not own or name.startswith(own) else f"{own} {name}"


def _owner(obj: dict[str, Any]) -> str:
    owner = (obj or {}).get("device") or (obj or {}).get("circuit") or (obj or {}).get("provider_network")
    if not owner:
        return ""
    return cell((obj.get("device") or {}).get("name") or (obj.get("circuit") or {}).get("cid") or (obj.get("provider_network") or {}).get("name") or "")


# -- recipe: VLAN topology (VLAN -> interfaces -> devices) ---------------------------------------------

def plan_vlan_topology(intent: Intent) -> Plan:
    resolves = resolve_steps(intent, skip=("vlan",))
    vid = intent.filters.vlan or (intent.filters.name if (intent.filters.name or "").isdigit() else None)
    model = "ipam.vlan"
    ifields = ["id", "name", "device", "mode", "untagged_vlan", "tagged_vlans"]

    async def vlans(ctx: Context) -> Any:
        params = filter_params(ctx, model)
        if vid:
            params["vid"] = vid
        return await ctx.client.list_all("ipam/vlans/", params, fields=fields_for(model), kind="vlan")

    async def interfaces(ctx: Context) -> Any:
        # One grouped query instead of one per VLAN: interfaces' vlan_id takes a single value.
        params: dict[str, Any] = {"mode": ["access", "tagged", "tagged-all"]}
        site = ctx.resolved.get("site")
        if site:
            params["site_id"] = [s.id for s in site]
        dev, vm = await ctx.client.gather([
            ctx.client.list_all("dcim/interfaces/", params, fields=ifields, kind="vlan"),
            ctx.client.list_all("virtualization/interfaces/", {"mode": params["mode"]}, fields=["id", "name", "virtual_machine", "mode", "untagged_vlan", "tagged_vlans"], kind="vlan"),
        ])
        return dev, vm

    def finish(ctx: Context) -> Outcome:
        vl = ctx.results["vlans"]
        dev_ifaces, vm_ifaces = ctx.results["interfaces"]
        by_vlan: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for i in dev_ifaces + vm_ifaces:
            owner = (i.get("device") or i.get("virtual_machine") or {}).get("name", "?")
            # A set: an interface whose untagged VLAN is also in its tagged list carries it once.
            vids = {i["untagged_vlan"]["id"]} if i.get("untagged_vlan") else set()
            vids.update(t["id"] for t in i.get("tagged_vlans") or [])
            for v in vids:
                by_vlan[v].append((owner, i["name"]))
        rows = []
        for v in vl:
            members = by_vlan.get(v["id"], [])
            devices = sorted({d for d, _ in members})
            row = shape_row(model, v)
            row.update(interfaces=str(len(members)), devices=str(len(devices)), device_names=cell(", ".join(devices[:5]) + (f" +{len(devices) - 5}" if len(devices) > 5 else "")) if devices else "—")
            rows.append(row)
        cols = table_columns(model)[:4] + [Column(key="interfaces", title="Ifaces"), Column(key="devices", title="Devs"), Column(key="device_names", title="Devices")]
        title = f"VLANs{where_text(ctx, model)} with their interfaces and devices"
        table = local_table(ctx, "vlan-topology", model, title, rows, cols)
        carrying = sum(1 for v in vl if by_vlan.get(v["id"]))
        n_if = sum(len(m) for m in by_vlan.values())
        text = (f"{len(vl):,} VLANs{where_text(ctx, model)}; {carrying} are assigned to interfaces "
                f"({n_if:,} interface assignments, {len({d for m in by_vlan.values() for d, _ in m}):,} devices or VMs)")
        text += f"; {page_text(table)}." if table.total else "."
        if carrying == 0 and vl:
            text += " No interface carries any of these VLANs (no access or tagged interface mode is set)."
        return Outcome(text, [table], list_choices(table, ctx.page_size))

    steps = resolves + [
        Step("vlans", "fetch the VLANs", vlans, deps=tuple(s.name for s in resolves)),
        Step("interfaces", "fetch VLAN-carrying interfaces in one grouped query", interfaces, deps=tuple(s.name for s in resolves)),
    ]
    return Plan("orchestrated", steps, finish)


# -- recipe: rack utilisation ---------------------------------------------------------------------------

def plan_rack_utilisation(intent: Intent) -> Plan:
    resolves = resolve_steps(intent)
    if "name" in intent.filters.given():
        resolves.append(_resolve_step("name", "rack", intent.filters.name or ""))
    model = "dcim.rack"

    async def racks(ctx: Context) -> Any:
        params = filter_params(ctx, model, skip=("rack",))
        if ctx.resolved.get("rack"):
            params["id"] = [r.id for r in ctx.resolved["rack"]]
        return await ctx.client.list_all("dcim/racks/", params, fields=fields_for(model), kind="device")

    async def devices(ctx: Context) -> Any:
        params = filter_params(ctx, "dcim.device", skip=("rack",))
        if ctx.resolved.get("rack"):
            params["rack_id"] = [r.id for r in ctx.resolved["rack"]]
        rows = await ctx.client.list_all("dcim/devices/", params, fields=["id", "rack", "position", "device_type", "parent_device"], kind="utilisation")
        type_ids = sorted({r["device_type"]["id"] for r in rows if r.get("rack") and r.get("position") is not None})
        types = await ctx.client.list_many("dcim/device-types/", None, "id", type_ids, fields=["id", "u_height"]) if type_ids else []
        return rows, {t["id"]: float(t.get("u_height") or 0) for t in types}

    def finish(ctx: Context) -> Outcome:
        rk = ctx.results["racks"]
        devs, heights = ctx.results["devices"]
        used: Counter[int] = Counter()
        count: Counter[int] = Counter()
        for d in devs:
            if d.get("rack") and d.get("position") is not None and not d.get("parent_device"):
                used[d["rack"]["id"]] += heights.get(d["device_type"]["id"], 0)
                count[d["rack"]["id"]] += 1
        rows = []
        for r in rk:
            height = float(r.get("u_height") or 0)
            u = used.get(r["id"], 0)
            row = shape_row(model, r)
            row.update(devices=str(count.get(r["id"], 0)), used_u=f"{u:g}", free_u=f"{max(height - u, 0):g}", util=f"{(100 * u / height if height else 0):.0f}%")
            row["_util"] = u / height if height else 0
            rows.append(row)
        rows.sort(key=lambda r: (-r.pop("_util"), r["name"]))
        cols = table_columns(model)[:4] + [Column(key="devices", title="Devs"), Column(key="used_u", title="Used U"), Column(key="free_u", title="Free U"), Column(key="util", title="Used %")]
        table = local_table(ctx, "rack-utilisation", model, f"Rack utilisation{where_text(ctx, model)}", rows, cols)
        total_u = sum(float(r.get("u_height") or 0) for r in rk)
        all_used = sum(used.values())
        text = f"{counted(len(rk), 'racks')}{where_text(ctx, model)}: {all_used:g} of {total_u:g} rack units used ({(100 * all_used / total_u if total_u else 0):.0f}%)"
        text += f"; fullest first, {page_text(table)}." if table.total else "."
        return Outcome(text, [table], list_choices(table, ctx.page_size))

    deps = tuple(s.name for s in resolves)
    steps = resolves + [Step("racks", "fetch the racks", racks, deps=deps),
                        Step("devices", "fetch racked devices and their heights (batched)", devices, deps=deps)]
    return Plan("orchestrated", steps, finish)


# -- recipe: site summary -------------------------------------------------------------------------------

def plan_site_summary(intent: Intent) -> Plan:
    text = intent.filters.name or intent.filters.site or intent.filters.scope or intent.filters.device or ""
    if not text:
        raise Limitation("a summary needs a site", "Ask e.g. “summarize site DM-Nashua”.")
    find = _resolve_step("name", "site", text)
    counts = RELATED_COUNTS["dcim.site"]

    async def fetch(ctx: Context) -> Any:
        site = ctx.one("site")
        assert site is not None
        fields = fields_for("dcim.site")
        page, *related = await ctx.client.gather(
            [ctx.client.page("dcim/sites/", {"id": site.id}, limit=1, fields=fields, kind="device")]
            + [ctx.client.page(path_of(rel), {flt: site.id}, limit=1, brief=True, kind="utilisation") for _, rel, flt in counts]
        )
        return page, {label: p.count for (label, _, _), p in zip(counts, related, strict=True)}

    def finish(ctx: Context) -> Outcome:
        page, found = ctx.results["fetch"]
        site = ctx.must("site")
        extra = [Column(key=label.lower(), title=cap(label)) for label, _, _ in counts]
        table = server_table("dcim.site", f"Site {site.name}", "dcim/sites/", {"id": site.id}, fields_for("dcim.site"), page, ctx, extra_cols=extra)
        for row in table.rows:
            row.update({label.lower(): f"{n:,}" for label, n in found.items()})
        raw = page.results[0] if page.results else {}
        head = describe_object("dcim.site", raw) if raw else f"{site.name}."
        text = head + " It has " + ", ".join(counted(n, label) for label, n in found.items()) + "."
        choices = [Choice(kind="drill_down", label=f"{label} at {site.name}", question=DRILL_QUESTION[("dcim.site", label)].format(name=site.name))
                   for label, n in found.items() if n]
        return Outcome(text, [table], choices)

    return Plan("orchestrated", [find, Step("fetch", "fetch the site and count racks, devices, VLANs, prefixes, circuits", fetch, deps=(find.name,))], finish)


# -- recipe: a bare name, kind unknown ------------------------------------------------------------------

FIND_KINDS = ("device", "site", "rack", "virtual_machine", "circuit", "region", "tenant", "cluster", "provider")


def plan_find(intent: Intent) -> Plan:
    text = intent.filters.name or ""

    async def find(ctx: Context) -> None:
        from netbox_tui.core.entities import decide

        # Stage 1, one round trip: exact names everywhere (small tables whole, large ones by name__ie).
        results = await ctx.client.gather(ctx.resolver.resolve(k, text, mode="exact") for k in FIND_KINDS)
        if not any(r.status == "ok" for r in results):
            # Stage 2, only when nothing is named exactly: the typed words, on the large kinds.
            large = [k for k in FIND_KINDS if KINDS[k].large]
            results += await ctx.client.gather(ctx.resolver.resolve(k, text, mode="words") for k in large)
        pooled = [(e, s) for r in results for e, s in r.candidates] + [(e, 100.0) for r in results for e in r.matches if not r.candidates]
        pooled = sorted({(e.kind, e.id): (e, s) for e, s in pooled}.values(), key=lambda p: (-p[1], p[0].kind, p[0].name))
        res = decide("object", text, pooled[:8])
        if res.status == "ambiguous":
            labelled = [(Entity(e.kind, e.id, e.name, e.slug, f"{KINDS[e.kind].noun} {e.label}", e.raw), s) for e, s in res.candidates]
            raise NeedsChoice("object", res.__class__(res.kind, text, "ambiguous", candidates=labelled))
        if res.status == "not_found":
            raise NotFound("name", res, "device, site, rack, VM, circuit or other object")
        ent = res.matches[0]
        model = KINDS[ent.kind].object_type
        raise Reroute(intent.model_copy(update={"target": ObjectType(model), "kind": IntentKind.device_lookup, "type_given": True}), {ent.kind: [ent]})

    def finish(ctx: Context) -> Outcome:  # pragma: no cover - find always re-routes or raises
        raise AssertionError("find re-routes")

    return Plan("multi_step", [Step("find", f"find “{text}” among devices, sites, racks, VMs, circuits…", find)], finish)


# -- routing --------------------------------------------------------------------------------------------

def make_plan(intent: Intent) -> Plan:
    f = intent.filters
    if not intent.type_given and f.name and not (f.ip or f.prefix):
        return plan_find(intent)
    if intent.metric == "cable_trace":
        return plan_trace(intent)
    if intent.metric == "vlan_topology":
        return plan_vlan_topology(intent)
    if intent.metric == "rack_utilisation":
        return plan_rack_utilisation(intent)
    if intent.metric == "site_summary" and not f.prefix:
        return plan_site_summary(intent)
    if intent.metric == "interface_usage" and (f.device or f.name or f.scope):
        named = f.device or f.name or f.scope
        return plan_lookup(intent.model_copy(update={"metric": None, "target": ObjectType.device, "filters": Filters(name=named)}))
    if f.prefix and intent.target in (ObjectType.prefix, ObjectType.ip_address):
        if intent.target is ObjectType.ip_address or (intent.target is ObjectType.prefix and intent.kind is IntentKind.bulk_discovery):
            return plan_ips_in_prefix(intent)
        return plan_prefix(intent)
    if f.ip and intent.target is ObjectType.ip_address:
        return plan_ip(intent)
    if intent.kind is IntentKind.device_lookup and (f.name or (intent.target is ObjectType.device and f.device)):
        if intent.target.value in NAME_KIND:
            return plan_lookup(intent)
    return plan_list(intent)
