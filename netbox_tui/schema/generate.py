"""The schema layer's data from a NetBox's own OpenAPI schema (and GraphQL introspection, if any).

Keeps, per list endpoint: the model (`app_label.model`), its verbose name, its label field, its
fields (type, the model a foreign key points to, choice enum) and its filters (type, repeatable or
not, the lookups NetBox derives, the model a filter refers to and by which key, choice enum), plus
every choice list (values and labels) and the GraphQL list field of each model. Nothing here is
written by hand: synonyms and display choices live beside it in vocab.toml. Which apps are read is
declared (APPS; of `core`, only CORE_MODELS: the change log).

Plugin endpoints (`/api/plugins/<slug>/<endpoint>/`) become models like any other, named after the
plugin's app (`netbox_bgp.bgpsession`). Pure: no network, no files (`scripts/gen-schema.py` and
`netbox_tui.netbox.live_schema` fetch; `Schema(generate(...))` reads the result).
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Optional

APPS = ("circuits", "core", "dcim", "extras", "ipam", "tenancy", "virtualization", "vpn", "wireless")
# Of NetBox's `core` app, only the models the tool asks about: the change log. The others are NetBox's
# own machinery (jobs, data sources and files, object types); as models their names would become words
# the parser reads ("job", "data source") and, checked on 4.7.3's schema, 37 filters and fields of extras
# and tenancy would change meaning: `object_type` of contact assignments, tagged items, custom fields…
# would become a reference to core.objecttype instead of the "app_label.model" text the tool sends.
CORE_MODELS = ("core.objectchange",)
# Paging and shaping parameters: valid on every endpoint, not filters.
CONTROL = {"limit", "offset", "brief", "fields", "omit", "ordering", "start", "format"}
LOOKUP = re.compile(
    r"^(?P<base>.+?)__(?P<lookup>n|ic|nic|isw|nisw|iew|niew|ie|nie|empty|regex|iregex|lt|lte|gt|gte)$")
LABEL_FIELDS = ("name", "model", "cid", "address", "prefix", "asn", "label", "vid", "mac_address")
GRAPHQL_INTROSPECTION = """{ __schema { queryType { fields { name type { kind name ofType { kind name
  ofType { kind name ofType { kind name } } } } } } types { name kind fields { name } } } }"""


def component(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def ref_of(prop: dict) -> Optional[str]:
    """The component a property refers to: `$ref`, `allOf: [$ref]`, or an array of either."""
    if "$ref" in prop:
        return component(prop["$ref"])
    for alt in prop.get("allOf", []):
        if "$ref" in alt:
            return component(alt["$ref"])
    return None


def field_info(prop: dict, comp_model: dict[str, str], enums: dict[str, list]) -> dict:
    out: dict = {}
    title = prop.get("title") or (prop.get("items") or {}).get("title")
    if title:
        out["title"] = title
    items = prop.get("items") if prop.get("type") == "array" else None
    target = prop if items is None else items
    if items is not None:
        out["many"] = True
    ref = ref_of(target)
    if ref:
        base = ref.removeprefix("Brief").removeprefix("Nested")
        if base in comp_model:
            out.update(t="fk", to=comp_model[base])
            return out
        out["t"] = "object"
        return out
    value = (target.get("properties") or {}).get("value")
    if target.get("type") == "object" and value and "x-spec-enum-id" in value:
        enum_id = value["x-spec-enum-id"]
        labels = (target["properties"].get("label") or {}).get("enum") or []
        values = [v for v in value.get("enum", []) if v not in ("", None)]
        enums.setdefault(enum_id, [[v, labels[i] if i < len(labels) else v] for i, v in enumerate(values)])
        out.update(t="choice", enum=enum_id)
        return out
    if "x-spec-enum-id" in target:  # a plain enum (cable_end: "A"/"B")
        enum_id = target["x-spec-enum-id"]
        enums.setdefault(enum_id, [[v, v] for v in target.get("enum", []) if v not in ("", None)])
        out.update(t="choice", enum=enum_id)
        return out
    kind = str(target.get("type"))
    out["t"] = {"integer": "int", "number": "num", "boolean": "bool", "string": "str"}.get(kind, "any")
    if kind == "string" and target.get("format") in ("date-time", "date"):
        out["t"] = "date"
    return out


def verbose_of(description: str) -> str:
    m = re.match(r"Get a list of (.+) objects\.", description or "")
    return m.group(1) if m else ""


def plugin_app(slug: str, plugins: Mapping[str, Any]) -> str:
    """The app label of the plugin served under /api/plugins/<slug>/: the installed plugin whose
    name holds the slug (`bgp` -> `netbox_bgp`), else the slug itself."""
    norm = slug.replace("-", "_")
    named = sorted(p for p in plugins if norm in p.replace("-", "_"))
    return named[0].replace("-", "_") if len(named) == 1 else norm


def _list_endpoints(schema: dict, plugins: Mapping[str, Any]) -> dict[str, dict]:
    """Model -> path, response component and GET operation of every paginated list endpoint."""
    comps = schema["components"]["schemas"]
    endpoints: dict[str, dict] = {}
    for path, ops in sorted(schema["paths"].items()):
        get = ops.get("get")
        parts = path.strip("/").split("/")
        if not get or "{" in path:
            continue
        if len(parts) == 3 and parts[1] in APPS:
            app, rel = parts[1], f"{parts[1]}/{parts[2]}/"
        elif len(parts) == 4 and parts[1] == "plugins":
            app, rel = plugin_app(parts[2], plugins), f"plugins/{parts[2]}/{parts[3]}/"
        else:
            continue
        ok = get["responses"].get("200", {}).get("content", {}).get("application/json", {})
        ref = ok.get("schema", {}).get("$ref", "")
        if not ref.endswith("List") or "Paginated" not in ref:
            continue
        item = component(comps[component(ref)]["properties"]["results"]["items"]["$ref"])
        model = f"{app}.{item.lower()}"
        if app == "core" and model not in CORE_MODELS:
            continue
        endpoints[model] = {"path": rel, "component": item, "get": get}
    return endpoints


def generate(schema: dict, graphql: Optional[dict] = None, *, netbox_version: str = "",
             plugins: Mapping[str, Any] = {}) -> dict[str, Any]:
    """The schema layer's document (what `netbox.json.gz` holds) from an OpenAPI schema.

    `graphql`: the `__schema` of GRAPHQL_INTROSPECTION, or None when GraphQL is unavailable (the
    models then have no `graphql` entry and names are read over REST)."""
    comps = schema["components"]["schemas"]
    endpoints = _list_endpoints(schema, plugins)
    comp_model = {e["component"]: m for m, e in endpoints.items()}

    # Models: verbose names, fields, label.
    enums: dict[str, list] = {}
    models: dict[str, dict] = {}
    for model, e in endpoints.items():
        props = comps[e["component"]]["properties"]
        fields = {name: field_info(p, comp_model, enums) for name, p in props.items()
                  if name not in ("url", "display_url", "custom_fields")}
        label = next((f for f in LABEL_FIELDS if f in fields), "display")
        brief = comps.get("Brief" + e["component"], {}).get("properties", {})
        models[model] = {
            "path": e["path"],
            "verbose": verbose_of(e["get"].get("description", "")) or e["component"],
            "label": label,
            "fields": fields,
            "brief": sorted(brief),
        }
    for model, e in endpoints.items():
        models[model]["filters"] = _filters(model, e["get"], models, enums)
    if graphql is not None:
        _graphql(graphql, comp_model, models)
    version = netbox_version or str(schema.get("info", {}).get("version", "")).split(" ")[0]
    return {"netbox_version": version, "models": dict(sorted(models.items())),
            "choices": dict(sorted(enums.items()))}


def _filters(model: str, get: dict, models: dict[str, dict], enums: dict[str, list]) -> dict[str, dict]:
    """A list endpoint's filters, grouped by base name with their lookups."""
    app = model.split(".")[0]
    fields = models[model]["fields"]
    verbose = {m["verbose"].lower(): name for name, m in models.items()}

    def model_named(words: str) -> Optional[str]:
        """The model words name: its own name first ("interface" is dcim.interface, though VM
        interfaces are verbosely "interface" too), then a verbose name of this app, then any."""
        words = words.lower().strip()
        own = [n for n in models if n.split(".", 1)[1] == words.replace(" ", "")]
        if len(own) == 1:
            return own[0]
        same = [n for n, m in models.items() if m["verbose"].lower() == words]
        return next((n for n in same if n.startswith(app + ".")), verbose.get(words))

    filters: dict[str, dict] = {}
    for p in get.get("parameters", []):
        if p.get("in") != "query" or p["name"] in CONTROL:
            continue
        name = p["name"]
        m = LOOKUP.match(name)
        base, lookup = (m.group("base"), m.group("lookup")) if m else (name, None)
        sch = p.get("schema", {})
        if lookup is not None:  # repeatable like its filter, except `__empty` and other booleans
            which = "lookups" if sch.get("type") == "array" else "lookups1"
            filters.setdefault(base, {}).setdefault(which, []).append(lookup)
            continue
        f = filters.setdefault(base, {})
        items = sch.get("items") if sch.get("type") == "array" else None
        f["multi"] = items is not None
        leaf = items or sch
        desc = (p.get("description") or "").strip()
        if desc and not desc.startswith("*"):
            f["desc"] = desc
        enum_id = leaf.get("x-spec-enum-id")
        typ = leaf.get("type")
        if sch.get("type") == "boolean":
            f["t"] = "bool"
        elif enum_id:
            f["t"] = "choice"
            f["enum"] = enum_id
            if enum_id not in enums:
                enums[enum_id] = [[v, v] for v in leaf.get("enum", []) if v not in ("", None, "null")]
        elif typ in ("integer", "number"):
            f["t"] = "num"
        else:
            f["t"] = "str"
        # What the filter refers to: the field's model, else the model its description or name says.
        stem = base[:-3] if base.endswith("_id") else base
        target = None
        fld = fields.get(stem)
        if fld and fld.get("t") == "fk":
            target = fld["to"]
        said_key = re.search(r"\(([^()]+)\)\s*$", desc)  # "VRF (RD)", "Device type (model)", "Site (ID)"
        if target is None and desc:
            said = re.sub(r"\s*\([^()]+\)\s*$", "", desc)
            said = re.sub(r"\s+name$", "", said, flags=re.I)
            target = model_named(said)
        by_id = base.endswith("_id") or (said_key is not None and said_key.group(1) == "ID")
        if target is None and (by_id or f["t"] == "str"):
            target = model_named(stem.replace("_", " "))
        if target == model and not by_id and not (fld and fld.get("t") == "fk"):
            target = None  # `prefix` on prefixes, `asn` on ASNs: the value itself, not a reference
        key: Optional[str] = None
        if target is not None and f["t"] != "bool":
            tfields = models[target]["fields"]
            named_key = said_key.group(1).strip().lower().replace(" ", "_") if said_key else ""
            if by_id:
                key = "id"
            elif named_key in tfields:  # what the description says it takes: rd, model, account, name…
                key = named_key
            elif "slug" in tfields:
                key = "slug"
            elif models[target]["label"] in tfields:
                key = models[target]["label"]
            # A number filter cannot take a slug or a name. It takes the target's number when the target is
            # known by one (`remote_as` the AS number, its label; `l2vpn` the L2VPN's `identifier`), else
            # ids (NetBox's `contact`, netbox-bgp's `peer_group` and `import_policies`).
            if key not in (None, "id") and f["t"] == "num" and tfields.get(key, {}).get("t") != "int":
                key = "identifier" if tfields.get("identifier", {}).get("t") == "int" else "id"
        if key is not None:
            f.update(t="ref", to=target, key=key)
    for f in filters.values():
        for key in ("lookups", "lookups1"):
            if key in f:
                f[key] = sorted(set(f[key]))
        f.setdefault("t", "str")
        f.setdefault("multi", True)
    return dict(sorted(filters.items()))


def _graphql(gql: dict, comp_model: dict[str, str], models: dict[str, dict]) -> None:
    """The list field of each model, and the scalar fields its type has."""
    types = {t["name"]: [f["name"] for f in (t.get("fields") or [])] for t in gql["types"]}
    for f in gql["queryType"]["fields"]:
        if not f["name"].endswith("_list"):
            continue
        t = f["type"]
        while t.get("ofType"):
            t = t["ofType"]
        model = comp_model.get((t.get("name") or "").removesuffix("Type"))
        if model:
            models[model]["graphql"] = {"list": f["name"], "fields": sorted(types.get(t["name"], []))}
