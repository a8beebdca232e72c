"""The columns of a table of any model, the fields they need (`fields=`), and cell text.

Which fields a table shows comes from the vocabulary (`columns` per model) or, for a model it does
not list, from the schema (its label, then status, site, type, role, tenant, description when it
has them). Cells are one line of text; NetBox text is user-supplied, so every cell goes through
`safe_text` and can never drive the terminal.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from netbox_tui.core import customfields
from netbox_tui.core.results import Column
from netbox_tui.schema import load as load_schema
from netbox_tui.schema.vocab import load as load_vocab
from netbox_tui.terminal import strip as strip_terminal

EMPTY = "—"
# a component says whose it is
_DEFAULT_FIELDS = (
    "device",
    "virtual_machine",
    "status",
    "site",
    "type",
    "role",
    "tenant",
    "description",
)


def safe_text(value: Any, limit: int = 200) -> str:
    text = strip_terminal(str(value)).replace("\n", " ").replace("\t", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def cell(value: Any) -> str:
    """NetBox JSON value -> one line of text: nested objects by display, choices by label."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dict):
        if "label" in value and "value" in value and len(value) <= 3:
            return safe_text(value["label"])
        for key in ("display", "name", "address", "prefix", "cid", "model"):
            if value.get(key) not in (None, ""):
                return safe_text(value[key])
        return safe_text(value.get("id", "?"))
    if isinstance(value, list):
        parts = [cell(v) for v in value[:6]]
        more = f" +{len(value) - 6}" if len(value) > 6 else ""
        return safe_text(", ".join(parts) + more) if parts else EMPTY
    return safe_text(value)


def end_label(obj: Any) -> str:
    """One end of a link: 'dmi01-akron-rtr01 Gi0/0/0', 'KKDG4923 Z', a site, a power panel…"""
    if not isinstance(obj, dict):
        return cell(obj)
    owner = (
        obj.get("device")
        or obj.get("virtual_machine")
        or obj.get("circuit")
        or obj.get("power_panel")
        or obj.get("provider_network")
    )
    name = obj.get("name")
    if isinstance(obj.get("circuit"), dict) and obj.get("term_side"):
        circuit = obj["circuit"]
        provider = circuit.get("provider")
        by = f" ({cell(provider)})" if isinstance(provider, dict) else ""
        return f"circuit {cell(circuit.get('cid') or circuit)}{by} side {obj['term_side']}"
    if isinstance(owner, dict) and name:
        own = cell(owner.get("name") or owner.get("cid") or owner)
        return f"{own} {safe_text(name)}" if not str(name).startswith(own) else safe_text(name)
    return cell(obj.get("display") or name or obj)


def _peers(value: Any) -> Any:
    return ", ".join(end_label(p) for p in value) if isinstance(value, list) and value else None


def _assigned(value: Any) -> Any:
    return end_label(value) if isinstance(value, dict) else None


def _terminations(value: Any) -> Any:
    if not isinstance(value, list) or not value:
        return None
    return ", ".join(
        end_label(t.get("object") if isinstance(t, dict) and "object" in t else t) for t in value
    )


def _circuit_end(value: Any) -> Any:
    """A circuit's A or Z end: where it lands (a site, a provider network) and its port speed."""
    if not isinstance(value, dict):
        return None
    where = value.get("termination") or value.get("site") or value.get("provider_network")
    speed = value.get("port_speed")
    return cell(where) + (f" ({speed:,} Kbps)" if isinstance(speed, int) else "")


def _vlans(value: Any) -> Any:
    if isinstance(value, dict):
        return (
            f"{value.get('vid')} {value.get('name')}".strip() if value.get("vid") is not None else cell(value)
        )
    if isinstance(value, list) and value:
        vlans = [v for v in value if isinstance(v, dict) and v.get("vid") is not None]
        if not vlans:
            return cell(value)
        if len(vlans) <= 4:  # few: each with its name; many: the VIDs, as a switch config lists them
            return ", ".join(f"{v.get('vid')} {v.get('name')}".strip() for v in vlans)
        return ",".join(str(v.get("vid")) for v in vlans)
    return None


# How a field's value reads, where plain `cell` would not say it well. By field name, for any model.
RENDER: dict[str, Callable[[Any], Any]] = {
    "link_peers": _peers, "connected_endpoints": _peers, "assigned_object": _assigned,
    "a_terminations": _terminations, "b_terminations": _terminations,
    "termination_a": _circuit_end, "termination_z": _circuit_end,
    "untagged_vlan": _vlans, "tagged_vlans": _vlans,
}


def read(row: dict[str, Any], path: str) -> Any:
    """`a.b` follows a nested object: a device's `device_type.manufacturer`; through a list
    (a cable's `a_terminations.object.device`) it gives the list of what each item holds."""
    value: Any = row
    for part in path.split("."):
        if isinstance(value, list):
            value = [v.get(part) if isinstance(v, dict) else None for v in value]
        else:
            value = value.get(part) if isinstance(value, dict) else None
    return value


def text_of(row: dict[str, Any], path: str) -> str:
    value = read(row, path)
    render = RENDER.get(path.split(".")[-1])
    return cell(render(value) if render else value)


def field_paths(model: str) -> list[str]:
    """The fields (paths) a table of `model` shows, label first."""
    m = load_schema().get(model)
    listed = load_vocab().model(model).columns
    if listed:
        return list(listed)
    if m is None:
        return ["display"]
    label = m.label if m.label in m.fields else "display"
    return [label] + [f for f in _DEFAULT_FIELDS if f in m.fields and f != label]


def key_of(path: str) -> str:
    if path.startswith(customfields.PATH):  # a custom field's own key: a built-in field may share its name
        return customfields.PREFIX + customfields.bare(path)
    return path.split(".")[-1]


def title_of(model: str, path: str) -> str:
    if path.startswith(customfields.PATH):
        return customfields.title_of(model, path)
    key = key_of(path)
    said = load_vocab().titles.get(key)
    if said is not None:
        return said
    m = load_schema().get(model)
    f = m.fields.get(path) if m is not None else None
    words = (f.title.split("(")[0].strip() if f is not None and f.title else key.replace("_", " "))
    return words[:1].upper() + words[1:]


def table_columns(
    model: str, extra: Optional[list[str]] = None, columns: Optional[list[Column]] = None
) -> list[Column]:
    """Columns for a table of `model`, plus fields the question asked about."""
    paths = list(dict.fromkeys(field_paths(model) + list(extra or [])))
    return [Column(key=key_of(p), title=title_of(model, p)) for p in paths] + list(columns or [])


def fetch_fields(model: str, extra: Optional[list[str]] = None) -> list[str]:
    """`fields=` for a list request: what the columns show (NetBox drops unknown names silently,
    so only the model's own fields are sent; a.b needs a)."""
    m = load_schema().get(model)
    roots = [p.split(".")[0] for p in field_paths(model) + list(extra or [])]
    own = [r for r in roots if m is None or r in m.fields or r == "custom_fields"]
    return list(dict.fromkeys(["id", "display"] + own))


def shape_row(model: str, raw: dict[str, Any], extra: Optional[list[str]] = None) -> dict[str, Any]:
    """A NetBox object -> a table row: id, display, and one text per column."""
    row: dict[str, Any] = {
        "id": raw.get("id"),
        "display": safe_text(raw.get("display") or raw.get("name") or raw.get("id")),
    }
    paths = list(dict.fromkeys(field_paths(model) + list(extra or [])))
    for p in paths:
        row[key_of(p)] = text_of(raw, p)
    first = key_of(paths[0]) if paths else "display"
    if row.get(first) == EMPTY:
        row[first] = row["display"]  # unnamed devices and cables: NetBox's display says what they are
    return row
