#!/usr/bin/env python3
"""Regenerate netbox_tui/data/endpoints.json from a running NetBox's OpenAPI schema.

NetBox silently ignores unknown filter names (a typo returns the whole table), so the client
checks every filter name against this list before sending. The schema also says which filters
take repeated values (type array) and which take one (interfaces `vlan_id`: the last one wins).

    scripts/gen-endpoints.py http://127.0.0.1:8000 TOKEN
"""

import gzip
import json
import sys
import urllib.request
from pathlib import Path

APPS = {"dcim", "ipam", "circuits", "virtualization", "tenancy", "extras"}
# Not filters: paging and shaping parameters the client itself sets.
CONTROL = {"limit", "offset", "brief", "fields", "omit", "ordering", "start", "format"}


def model_name(ref: str) -> str:
    name = ref.split("/")[-1].removeprefix("Paginated").removesuffix("List")
    name = name.removesuffix("WithConfigContext")
    return name.lower()


def main() -> None:
    url, token = sys.argv[1].rstrip("/"), sys.argv[2]
    auth = f"Bearer {token}" if token.startswith("nbt_") else f"Token {token}"
    req = urllib.request.Request(f"{url}/api/schema/?format=json", headers={"Authorization": auth})
    schema = json.load(urllib.request.urlopen(req, timeout=120))
    out = {"netbox_version": schema.get("info", {}).get("version", ""), "endpoints": {}}
    for path, ops in sorted(schema["paths"].items()):
        get = ops.get("get")
        app = path.split("/")[2] if path.count("/") > 2 else ""
        if not get or "{" in path or app not in APPS:
            continue
        ref = get["responses"].get("200", {}).get("content", {}).get("application/json", {}).get("schema", {}).get("$ref", "")
        if not ref:
            continue
        multi, single = [], []
        for p in get.get("parameters", []):
            if p.get("in") != "query" or p["name"] in CONTROL:
                continue
            (multi if p.get("schema", {}).get("type") == "array" else single).append(p["name"])
        out["endpoints"][path.removeprefix("/api/")] = {
            "model": f"{app}.{model_name(ref)}",
            "multi": sorted(multi),
            "single": sorted(single),
        }
    dest = Path(__file__).resolve().parent.parent / "netbox_tui" / "data" / "endpoints.json.gz"
    with gzip.open(dest, "wt", encoding="utf-8") as fh:
        json.dump(out, fh, separators=(",", ":"), sort_keys=True)
    print(f"{len(out['endpoints'])} endpoints -> {dest} ({dest.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
