"""The connected NetBox itself: "what NetBox version are we on", "which plugins are installed", "python
version". Answered from `/api/status/` (NetBox's version, Python, Django, plugins, installed apps), the
request the session makes anyway to learn the schema (`netbox/live_schema.read_status`): read through the
same function and the same response cache, it costs no second request while that answer is fresh.

Reading: the words of vocab.toml [patterns] `about`, where the question names nothing else (no model word,
no object): "devices running version 17" stays a question about devices.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from netbox_tui.core.columns import safe_text
from netbox_tui.core.intent import Condition, Intent
from netbox_tui.core.plan import Context, Outcome, Plan, Step
from netbox_tui.core.planner import local_table, page_text
from netbox_tui.core.results import Applied, Column
from netbox_tui.schema.vocab import load as load_vocab

if TYPE_CHECKING:
    from netbox_tui.core.assemble import Assembler
    from netbox_tui.core.readings import Cand

ABOUT = "netbox.status"  # no model of NetBox's: the answer's rows are the status' plugins (or apps)
PATTERN = "about"


# -- reading --------------------------------------------------------------------------------------------


def asks_about(asm: Assembler, found: list[Cand]) -> bool:
    """Whether the question asks about NetBox itself: an `about` word, and no model word or named object
    (those ask about NetBox's data; the `about` word is then left to them) but a plugin's ("is the bgp
    plugin installed")."""
    said = [c for c in found if any(m.name == PATTERN for m in c.of("pattern"))]
    if not said:
        return False
    if {"netbox", "version"} <= {w for c in said for w in asm.surface(c.a, c.b).lower().split()}:
        return True  # "what netbox version is this server running": NetBox's own, whatever else is named
    nouns = [c for c in asm.items("noun") if not asm.in_mention(c)]
    return not asm.mentions and all(_plugin_of(asm, c) for c in nouns)


def _plugin_of(asm: Assembler, c: Cand) -> Optional[str]:
    """The plugin (its app label, as /api/status/ names it) whose models a model word names, else None."""
    apps = {m.model.split(".")[0] for m in c.of("noun") if m.model}
    models = [asm.schema.get(m.model) for m in c.of("noun") if m.model]
    plugin = all(x is not None and x.path.startswith("plugins/") for x in models)
    return next(iter(apps)) if plugin and len(apps) == 1 else None


def read(asm: Assembler) -> Intent:
    """The about intent: its words claimed, every other word accounted for as in any question."""
    intent = Intent(target=ABOUT, pattern=PATTERN)
    for c in asm.items("noun"):  # "is the bgp plugin installed": that plugin's line
        app = _plugin_of(asm, c)
        if app is not None and not asm.is_used(c):
            span = asm.claim(c.a, c.b, f"plugin {app}")
            intent.conditions.append(Condition(field="plugin", value=app, text=asm.r.text[span[0] : span[1]]))
    itself = set(load_vocab().history.get("about_self", ()))  # "this server", "the instance": NetBox
    for t in asm.toks:
        if t.low in itself and t.i not in asm.used:
            asm.claim(t.i, t.i + 1, "NetBox itself")
    for c in asm.items("pattern"):
        if any(m.name == PATTERN for m in c.of("pattern")) and not asm.is_used(c):
            asm.claim(c.a, c.b, f"pattern {PATTERN}")
            if set(asm.surface(c.a, c.b).lower().split()) & set(load_vocab().history.get("about_apps", ())):
                intent.attributes.append("installed_apps")
    intent.not_understood = asm.leftover()
    intent.claims = sorted(asm.claims, key=lambda c: c.start)
    intent.corrected = asm.corrected()
    return intent


# -- planning -------------------------------------------------------------------------------------------


def plan_about(intent: Intent) -> Plan:
    async def fetch(ctx: Context) -> dict[str, Any]:
        from netbox_tui.netbox.live_schema import read_status

        return await read_status(ctx.client)

    def finish(ctx: Context) -> Outcome:
        status = ctx.results["status"]
        apps = "installed_apps" in ctx.intent.attributes
        rows = _rows(status, apps)
        asked = _plugins_asked(ctx)
        if asked:
            rows = [r for r in rows if r["name"] in asked]
        title = "Installed apps" if apps else "Plugins"
        cols = [Column(key="name", title="App" if apps else "Plugin"), Column(key="version", title="Version")]
        if apps:
            cols.append(Column(key="kind", title="Kind"))
        table = local_table(ctx, f"about:{id(ctx)}", ABOUT, title, rows, cols)
        listed = _listed(rows, apps, table) if rows or not asked else f"{', '.join(asked)}: not installed."
        return Outcome(f"{versions(status)} {source(ctx.client)}; {listed}", [table], [])

    return Plan("direct", [Step("status", "read NetBox's /api/status/ (the session's copy)", fetch)], finish)


def _plugins_asked(ctx: Context) -> list[str]:
    """The plugins a question names ("is the bgp plugin installed"), each said as applied to the status."""
    out = []
    for c in ctx.intent.conditions:
        if c.field == "plugin":
            out.append(str(c.value))
            ctx.applied.append(Applied(field="plugin", op="=", value=str(c.value), text=c.text,
                                       filter="applied here to /api/status/'s plugins"))
    return out


def versions(status: dict[str, Any]) -> str:
    """'NetBox 4.7.3 (Python 3.12.1, Django 6.1.2)', each part only when the status says it."""
    version = _text(status.get("netbox-full-version") or status.get("netbox-version")) or "of unknown version"
    under = [f"{name} {_text(status.get(key))}" for name, key in (("Python", "python-version"),
                                                                  ("Django", "django-version"))
             if status.get(key)]
    return f"NetBox {version}" + (f" ({', '.join(under)})" if under else "")


def source(client: Any) -> str:
    """Where the status came from: the NetBox's URL, or the snapshot (the embedded demo's too) it was saved
    in, which says the NetBox as it was when saved."""
    meta = _snapshot_meta(client)
    if meta is None:
        return f"at {safe_text(str(getattr(client, 'shown_url', '') or '?'))}"
    taken = safe_text(str(meta.get("taken_at") or "?"))[:16].replace("T", " ")
    saved = meta.get("url")
    return f"as saved in a snapshot{f' of {safe_text(str(saved))}' if saved else ''} taken {taken} UTC"


def _snapshot_meta(client: Any) -> Optional[dict[str, Any]]:
    """A snapshot transport's `meta` (url, netbox_version, taken_at) behind the client, else None: the
    client answers from a file, not from a NetBox."""
    meta = getattr(client, "snapshot_meta", None)
    return meta if isinstance(meta, dict) else None


def _rows(status: dict[str, Any], apps: bool) -> list[dict[str, Any]]:
    plugins = _versions(status.get("plugins"))
    if not apps:
        return [{"id": i, "display": n, "name": n, "version": v}
                for i, (n, v) in enumerate(plugins.items(), 1)]
    installed = _versions(status.get("installed_apps"))
    return [
        {"id": i, "display": n, "name": n, "version": v, "kind": "plugin" if n in plugins else "Django app"}
        for i, (n, v) in enumerate(sorted(installed.items()), 1)
    ]


def _versions(value: Any) -> dict[str, str]:
    """A status map of name -> version (NetBox gives `null` for an app without one)."""
    if not isinstance(value, dict):
        return {}
    return {_text(k): _text(v) or "—" for k, v in sorted(value.items())}


def _text(value: Any) -> str:
    return safe_text(str(value)) if value not in (None, "") else ""


def _listed(rows: list[dict[str, Any]], apps: bool, table: Any) -> str:
    if apps:
        return f"{len(rows)} installed app{'s' if len(rows) != 1 else ''}; {page_text(table)}." if rows else \
            "no installed apps listed."
    if not rows:
        return "no plugins installed."
    names = ", ".join(f"{r['name']} {r['version']}" for r in rows[:5])
    more = f" and {len(rows) - 5} more" if len(rows) > 5 else ""
    return f"{len(rows)} plugin{'s' if len(rows) != 1 else ''}: {names}{more}."
