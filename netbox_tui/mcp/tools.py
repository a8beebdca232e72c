"""The tool definitions, kept short: an assistant pays for them in every request
(`bench/mcp.py` measures them with tiktoken, o200k_base)."""

from __future__ import annotations

from typing import Any

from netbox_tui.core.ops import LOOKUP_OPS

INSTRUCTIONS = (
    "Read-only NetBox. Results are compact: a summary, how the request was read, rows as a|b|c lines. "
    "A table longer than shown has a handle: page(handle, offset) for more rows."
)

_S: dict[str, Any] = {"type": "string"}
_JSON: dict[str, Any] = {"type": "boolean", "description": "rows as JSON"}


def _tool(name: str, description: str, props: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "name": name,
        "description": description,
        "inputSchema": {
            "type": "object",
            "properties": props,
            "required": required,
            "additionalProperties": False,
        },
    }


TOOLS: list[dict[str, Any]] = [
    _tool(
        "ask",
        "Answer a NetBox question in plain words, e.g. 'VLANs at DM-Akron', 'devices with no primary IP'.",
        {
            "question": _S,
            "refine": {"type": "string", "description": "an answer handle: read question as its follow-up"},
            "json": _JSON,
        },
        ["question"],
    ),
    _tool(
        "query",
        "List, count or group objects of a model under exact conditions, each checked against the schema "
        "(see describe) before anything is sent.",
        {
            "model": {"type": "string", "description": "e.g. dcim.interface"},
            "conditions": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "field": {
                            "type": "string",
                            "description": "a filter: site, role, name, enabled, site_id…",
                        },
                        "op": {"enum": list(LOOKUP_OPS)},
                        "value": {"description": "a name, id, choice value, number or true/false"},
                    },
                    "required": ["field"],
                },
            },
            "fields": {"type": "array", "items": _S, "description": "columns to show"},
            "aggregate": {"type": "string", "description": "count, or a field to group by"},
            "limit": {"type": "integer", "description": "rows, default 25, max 1000"},
            "offset": {"type": "integer"},
            "json": _JSON,
        },
        ["model"],
    ),
    _tool(
        "describe",
        "Fields, filters (with ops) and choice values of a model, or of one of its fields.",
        {"model": _S, "field": _S},
        ["model"],
    ),
    _tool(
        "page",
        "More rows of a table from an earlier result.",
        {"handle": _S, "offset": {"type": "integer"}, "limit": {"type": "integer"}, "json": _JSON},
        ["handle", "offset"],
    ),
    _tool(
        "trace",
        "Cable path of a device's interface, hop by hop.",
        {"device": _S, "interface": _S, "json": _JSON},
        ["device", "interface"],
    ),
    _tool(
        "free_ips", "Free addresses and utilisation of a prefix.", {"prefix": _S, "json": _JSON}, ["prefix"]
    ),
    _tool(
        "vlan_topology",
        "VLANs with the interfaces and devices carrying them.",
        {"scope": {"type": "string", "description": "site, region, site group or VLAN group"}, "json": _JSON},
        [],
    ),
    _tool(
        "rack_utilisation",
        "Rack units used and free per rack.",
        {"site_or_rack": {"type": "string", "description": "site, location or rack"}, "json": _JSON},
        ["site_or_rack"],
    ),
]
