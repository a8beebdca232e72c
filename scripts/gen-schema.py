#!/usr/bin/env python3
"""Regenerate netbox_tui/schema/netbox.json.gz from a running NetBox: what the tool knows of NetBox.

A thin wrapper: the generator is `netbox_tui.schema.generate` (the same one that learns a connected
NetBox's own schema at run time). This fetches NetBox's OpenAPI schema, its GraphQL introspection
and /api/status/, and writes the shipped file.

    scripts/gen-schema.py http://127.0.0.1:8000 TOKEN            # write the file
    scripts/gen-schema.py http://127.0.0.1:8000 TOKEN --openapi FILE   # reuse a saved schema (NetBox: 15 s)
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from netbox_tui.schema.generate import GRAPHQL_INTROSPECTION, generate  # noqa: E402


def fetch(url: str, token: str, body: dict | None = None) -> dict:
    auth = f"Bearer {token}" if token.startswith("nbt_") else f"Token {token}"
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Authorization": auth, "Content-Type": "application/json", "Accept": "application/json"}
    with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers), timeout=180) as resp:
        return json.load(resp)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("token")
    ap.add_argument("--openapi", type=Path, help="a saved /api/schema/?format=json")
    args = ap.parse_args()
    url = args.url.rstrip("/")
    if args.openapi:
        schema = json.loads(args.openapi.read_text())
    else:
        schema = fetch(f"{url}/api/schema/?format=json", args.token)
    try:
        gql = fetch(f"{url}/graphql/", args.token, {"query": GRAPHQL_INTROSPECTION})["data"]["__schema"]
    except Exception as exc:  # GraphQL may be disabled: the tool then resolves names over REST
        print(f"GraphQL introspection failed ({exc}); no graphql entries", file=sys.stderr)
        gql = None
    status = fetch(f"{url}/api/status/", args.token)
    out = generate(schema, gql, netbox_version=status.get("netbox-version", ""),
                   plugins=status.get("plugins") or {})
    dest = Path(__file__).resolve().parent.parent / "netbox_tui" / "schema" / "netbox.json.gz"
    raw = json.dumps(out, separators=(",", ":"), sort_keys=True).encode()
    dest.write_bytes(gzip.compress(raw, mtime=0))
    models = out["models"]
    n_filters = sum(len(m["filters"]) for m in models.values())
    print(f"{len(models)} models, {n_filters} filters, {len(out['choices'])} choice lists -> {dest} "
          f"({dest.stat().st_size:,} bytes gz, {len(raw):,} raw)")


if __name__ == "__main__":
    main()
