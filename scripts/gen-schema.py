#!/usr/bin/env python3
"""Regenerate netbox_tui/schema/netbox.json.gz from a running NetBox: what the tool knows of NetBox.

Reads NetBox's own OpenAPI schema (`/api/schema/`) and its GraphQL introspection, and keeps, per
list endpoint: the model (`app_label.model`), its verbose name, its label field, its fields (type,
the model a foreign key points to, choice enum) and its filters (type, repeatable or not, the
lookups NetBox derives, the model a filter refers to and by which key, choice enum), plus every
choice list (values and labels) and the GraphQL list field of each model. Nothing here is written
by hand: synonyms and display choices live beside it in vocab.toml.

    scripts/gen-schema.py http://127.0.0.1:8000 TOKEN            # write the file
    scripts/gen-schema.py http://127.0.0.1:8000 TOKEN --openapi FILE   # reuse a saved schema (it takes NetBox 15 s)
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import urllib.request
from pathlib import Path

APPS = ("circuits", "dcim", "extras", "ipam", "tenancy", "virtualization", "vpn", "wireless")
# Paging and shaping parameters: valid on every endpoint, not filters.
CONTROL = {"limit", "offset", "brief", "fields", "omit", "ordering", "start", "format"}
LOOKUP = re.compile(r"^(?P<base>.+?)__(?P<lookup>n|ic|nic|isw|nisw|iew|niew|ie|nie|empty|regex|iregex|lt|lte|gt|gte)$")
LABEL_FIELDS = ("name", "model", "cid", "address", "prefix", "asn", "label", "vid", "mac_address")
GRAPHQL_INTROSPECTION = """{ __schema { queryType { fields { name type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } }
  types { name kind fields { name } } } }"""


def fetch(url: str, token: str, body: dict | None = None) -> dict:
    auth = f"Bearer {token}" if token.startswith("nbt_") else f"Token {token}"
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, headers={"Authorization": auth, "Content-Type": "application/json", "Accept": "application/json"})
    with urllib.request.urlopen(req, timeout=180) as resp:
        return json.load(resp)


def component(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def ref_of(prop: dict) -> str | None:
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
    kind = target.get("type")
    out["t"] = {"integer": "int", "number": "num", "boolean": "bool", "string": "str"}.get(kind, "any")
    if kind == "string" and target.get("format") in ("date-time", "date"):
        out["t"] = "date"
    return out


def verbose_of(description: str) -> str:
    m = re.match(r"Get a list of (.+) objects\.", description or "")
    return m.group(1) if m else ""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("token")
    ap.add_argument("--openapi", type=Path, help="a saved /api/schema/?format=json")
    args = ap.parse_args()
    url = args.url.rstrip("/")
    schema = json.loads(args.openapi.read_text()) if args.openapi else fetch(f"{url}/api/schema/?format=json", args.token)
    comps = schema["components"]["schemas"]

    # 1. List endpoints: path, model, the response component.
    endpoints: dict[str, dict] = {}
    for path, ops in sorted(schema["paths"].items()):
        get = ops.get("get")
        parts = path.strip("/").split("/")
        if not get or "{" in path or len(parts) != 3 or parts[1] not in APPS:
            continue
        ref = get["responses"].get("200", {}).get("content", {}).get("application/json", {}).get("schema", {}).get("$ref", "")
        if not ref.endswith("List") or "Paginated" not in ref:
            continue
        item = component(comps[component(ref)]["properties"]["results"]["items"]["$ref"])
        model = f"{parts[1]}.{item.lower()}"
        endpoints[model] = {"path": f"{parts[1]}/{parts[2]}/", "component": item, "get": get}
    comp_model = {e["component"]: m for m, e in endpoints.items()}

    # 2. Models: verbose names, fields, label.
    enums: dict[str, list] = {}
    models: dict[str, dict] = {}
    for model, e in endpoints.items():
        props = comps[e["component"]]["properties"]
        fields = {name: field_info(p, comp_model, enums) for name, p in props.items() if name not in ("url", "display_url", "custom_fields")}
        label = next((f for f in LABEL_FIELDS if f in fields), "display")
        brief = comps.get("Brief" + e["component"], {}).get("properties", {})
        models[model] = {
            "path": e["path"],
            "verbose": verbose_of(e["get"].get("description", "")) or e["component"],
            "label": label,
            "fields": fields,
            "brief": sorted(brief),
        }
    verbose = {m["verbose"].lower(): name for name, m in models.items()}

    def model_named(words: str, app: str) -> str | None:
        """The model words name: its own name first ("interface" is dcim.interface, though VM interfaces
        are verbosely "interface" too), then a verbose name of this app, then any verbose name."""
        words = words.lower().strip()
        own = [n for n in models if n.split(".", 1)[1] == words.replace(" ", "")]
        if len(own) == 1:
            return own[0]
        same = [n for n, m in models.items() if m["verbose"].lower() == words]
        return next((n for n in same if n.startswith(app + ".")), verbose.get(words))

    # 3. Filters, grouped by base name with their lookups.
    for model, e in endpoints.items():
        app = model.split(".")[0]
        fields = models[model]["fields"]
        filters: dict[str, dict] = {}
        for p in e["get"].get("parameters", []):
            if p.get("in") != "query" or p["name"] in CONTROL:
                continue
            name = p["name"]
            m = LOOKUP.match(name)
            base, lookup = (m.group("base"), m.group("lookup")) if m else (name, None)
            sch = p.get("schema", {})
            if lookup is not None:  # repeatable like its filter, except `__empty` and other booleans
                key = "lookups" if sch.get("type") == "array" else "lookups1"
                filters.setdefault(base, {}).setdefault(key, []).append(lookup)
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
                target = model_named(said, app)
            by_id = base.endswith("_id") or (said_key is not None and said_key.group(1) == "ID")
            if target is None and (by_id or f["t"] == "str"):
                target = model_named(stem.replace("_", " "), app)
            if target == model and not by_id and not (fld and fld.get("t") == "fk"):
                target = None  # `prefix` on prefixes, `asn` on ASNs: the value itself, not a reference
            key = None
            if target is not None and f["t"] != "bool":
                tfields = models[target]["fields"]
                named_key = said_key.group(1).strip().lower().replace(" ", "_") if said_key else ""
                if by_id:
                    key = "id"
                elif named_key in tfields:  # what the description says the filter takes: rd, model, account, name…
                    key = named_key
                elif "slug" in tfields:
                    key = "slug"
                elif models[target]["label"] in tfields:
                    key = models[target]["label"]
            if key is not None:
                f.update(t="ref", to=target, key=key)
        for f in filters.values():
            for key in ("lookups", "lookups1"):
                if key in f:
                    f[key] = sorted(set(f[key]))
            f.setdefault("t", "str")
            f.setdefault("multi", True)
        models[model]["filters"] = dict(sorted(filters.items()))

    # 4. GraphQL: the list field of each model, and the scalar fields its type has.
    try:
        gql = fetch(f"{url}/graphql/", args.token, {"query": GRAPHQL_INTROSPECTION})["data"]["__schema"]
        types = {t["name"]: [f["name"] for f in (t.get("fields") or [])] for t in gql["types"]}
        for f in gql["queryType"]["fields"]:
            if not f["name"].endswith("_list"):
                continue
            t = f["type"]
            while t.get("ofType"):
                t = t["ofType"]
            comp = (t.get("name") or "").removesuffix("Type")
            model = comp_model.get(comp)
            if model:
                models[model]["graphql"] = {"list": f["name"], "fields": sorted(types.get(t["name"], []))}
    except Exception as exc:  # GraphQL may be disabled: the tool then resolves names over REST
        print(f"GraphQL introspection failed ({exc}); no graphql entries", file=sys.stderr)

    status = fetch(f"{url}/api/status/", args.token)
    out = {"netbox_version": status.get("netbox-version", schema.get("info", {}).get("version", "")),
           "models": dict(sorted(models.items())), "choices": dict(sorted(enums.items()))}
    dest = Path(__file__).resolve().parent.parent / "netbox_tui" / "schema" / "netbox.json.gz"
    raw = json.dumps(out, separators=(",", ":"), sort_keys=True).encode()
    dest.write_bytes(gzip.compress(raw, mtime=0))
    n_filters = sum(len(m["filters"]) for m in models.values())
    print(f"{len(models)} models, {n_filters} filters, {len(enums)} choice lists -> {dest} ({dest.stat().st_size:,} bytes gz, {len(raw):,} raw)")


if __name__ == "__main__":
    main()
