"""The demo NetBox's names, offline: what the GraphQL name request returns, read from the embedded
snapshot's rows (the same data the real demo NetBox holds). For unit tests that parse questions."""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from pathlib import Path

from netbox_tui.core.intent import Intent
from netbox_tui.core.names import NameIndex, index_from_rows
from netbox_tui.core.parser import Parser
from netbox_tui.schema import load as load_schema
from netbox_tui.schema.vocab import load as load_vocab

DEMO = Path(__file__).resolve().parents[2] / "netbox_tui" / "data" / "demo-snapshot.json.gz"


@lru_cache(maxsize=1)
def demo_names() -> NameIndex:
    data = json.loads(gzip.decompress(DEMO.read_bytes()))
    schema = load_schema()
    rows = {}
    for model in load_vocab().name_models:
        m = schema.get(model)
        if m is not None and m.path in data["endpoints"]:
            rows[model] = data["endpoints"][m.path]
    return index_from_rows(rows, source="graphql")


def parse(question: str) -> Intent:
    return Parser(demo_names()).parse(question)
