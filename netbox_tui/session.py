"""The wiring every front-end shares: settings -> backend (live NetBox, snapshot or demo) ->
orchestrator (with the LLM when one is configured). `netbox-tui ask`, the TUI and the MCP
server open a Session; none of them builds the stack itself or reaches into the cache."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional

from netbox_tui import schema as nbschema
from netbox_tui.backend import Backend, open_backend
from netbox_tui.config import Settings
from netbox_tui.core.orchestrator import Orchestrator
from netbox_tui.netbox.cache import CacheMode

if TYPE_CHECKING:
    from netbox_tui.netbox.cache import ResponseCache
    from netbox_tui.netbox.live_schema import Learnt

__all__ = ["CacheMode", "Session", "make_orchestrator"]

# The base URL whose own schema is in force (None: the shipped or a snapshot's): sessions on the same
# NetBox (the MCP server's, one per token) share it rather than resetting it.
_schema_url: Optional[str] = None


def _forget_derived() -> None:
    """What is built from the schema in force, dropped when another comes into force. Only modules
    already imported are touched: nothing is imported for it."""
    import sys

    for module, name in (("netbox_tui.core.lexicon", "lexicon"), ("netbox_tui.core.llm", "_catalogue")):
        cached = getattr(sys.modules.get(module), name, None)
        if cached is not None:
            cached.cache_clear()
    spec = sys.modules.get("netbox_tui.netbox.emulator_spec")
    if spec is not None:
        spec._FINISHED.clear()
    endpoints = sys.modules.get("netbox_tui.netbox.endpoints")
    if endpoints is not None:  # emptied, not replaced: clients and snapshot transports hold the registry
        registry = endpoints._load_default()
        registry._by_path.clear()
        registry._by_model.clear()
        registry.netbox_version = nbschema.load().netbox_version


nbschema.on_change(_forget_derived)


def schema_dir(settings: Settings) -> Path:
    """Where the schemas read from NetBoxes are kept: beside the response cache."""
    return settings.cache.directory().parent / "schemas"


def _schema_at_open(backend: Backend) -> None:
    """Before any question: a snapshot's own schema, else the shipped one; a live NetBox keeps the
    schema already learnt from it (another session on it) until `learn_schema`."""
    global _schema_url
    doc = (backend.snapshot_meta or {}).get("schema") if backend.snapshot is not None else None
    if isinstance(doc, dict) and isinstance(doc.get("models"), dict) and doc != nbschema.shipped().document():
        _schema_url = None
        nbschema.use(nbschema.Schema(doc))
    elif backend.snapshot is not None or _schema_url != backend.client.base_url:
        _schema_url = None
        nbschema.use(None)


def make_orchestrator(settings: Settings, client: object, page_size: Optional[int] = None) -> Orchestrator:
    llm = None
    if settings.llm.enabled:
        from netbox_tui.core.llm import LLMClassifier

        llm = LLMClassifier(settings.llm)
    return Orchestrator(
        client, page_size=page_size or settings.ui.page_size, step_timeout=settings.ui.step_timeout, llm=llm
    )


@dataclass
class Session:
    settings: Settings
    backend: Backend
    orchestrator: Orchestrator
    cache_mode: CacheMode = CacheMode.NORMAL
    learnt: Optional[Learnt] = None  # a live NetBox's schema, once `learn_schema` has run

    @classmethod
    def open(cls, settings: Settings, *, demo: bool = False, snapshot: Optional[Path] = None,
             cache_mode: CacheMode = CacheMode.NORMAL, page_size: Optional[int] = None) -> "Session":
        backend = open_backend(settings, demo=demo, snapshot=snapshot, cache_mode=cache_mode)
        _schema_at_open(backend)
        return cls(settings, backend, make_orchestrator(settings, backend.client, page_size), cache_mode)

    async def learn_schema(self, report: Optional[Callable[[str], None]] = None, *,
                           read: bool = True) -> Optional[str]:
        """A live NetBox's own schema into force (read from it once if the tool lacks it: progress goes
        to `report`; `read=False` leaves that to `read_schema` and answers with the shipped one
        meanwhile). Returns what to say once about the schema, if anything. Call before asking."""
        if self.offline:
            return None
        from netbox_tui.netbox.live_schema import learn
        from netbox_tui.schema.live import SchemaStore

        store = SchemaStore(schema_dir(self.settings))
        self.learnt = await learn(self.backend.client, store, report=report, read=read)
        self._in_force(self.learnt.schema)
        return self.learnt.note

    async def read_schema(self, report: Optional[Callable[[str], None]] = None) -> Optional[str]:
        """The pending read of `learn_schema(read=False)` (the TUI runs it in the background)."""
        if self.learnt is None or not self.learnt.pending:
            return None
        from netbox_tui.netbox.live_schema import learn
        from netbox_tui.schema.live import SchemaStore

        self.learnt = await learn(self.backend.client, SchemaStore(schema_dir(self.settings)), report=report)
        self._in_force(self.learnt.schema)
        return self.learnt.note

    def _in_force(self, schema: "nbschema.Schema") -> None:
        global _schema_url
        _schema_url = self.backend.client.base_url if schema is not nbschema.shipped() else None
        if nbschema.load() is schema:
            return
        nbschema.use(schema)
        resolver = self.orchestrator.resolver
        resolver.schema = schema
        resolver.forget()  # the name index was read for the models of the schema before

    @property
    def source(self) -> dict[str, str]:
        """Where answers come from: `{kind: netbox|demo|snapshot, url, version, taken_at, schema}`."""
        meta = self.backend.snapshot_meta or {}
        if self.offline:
            from netbox_tui.backend import demo_snapshot_path

            demo = self.backend.snapshot == demo_snapshot_path()
            out = {"kind": "demo" if demo else "snapshot", "url": None if demo else meta.get("url"),
                   "version": meta.get("netbox_version"), "taken_at": meta.get("taken_at"),
                   "schema": "snapshot" if meta.get("schema") else "shipped"}
        else:
            # schema: "own" (read from this NetBox), "shipped" (this NetBox is the stock version shipped),
            # "fallback" (the shipped one, though this NetBox's may differ: the note said why).
            learnt = self.learnt
            origin = learnt.origin if learnt is not None else "fallback"
            out = {"kind": "netbox", "url": self.backend.client.shown_url,
                   "version": learnt.version if learnt else None,
                   "schema": {"shipped-same": "shipped", "shipped": "fallback"}.get(origin, origin)}
        return {k: str(v) for k, v in out.items() if v}

    @property
    def source_line(self) -> str:
        """The source in words: `NetBox 4.7.3 at <url>`, `demo data …`, `snapshot of <url> taken <date>`."""
        src = self.source
        version = f"NetBox {src['version']}" if src.get("version") else "NetBox"
        if src["kind"] == "demo":
            return f"demo data ({version} demo set, taken {src.get('taken_at', '?')[:10]})"
        if src["kind"] == "snapshot":
            taken = src.get("taken_at", "?")[:16].replace("T", " ")
            return f"snapshot of {src.get('url', '?')} taken {taken} ({version})"
        return f"{version} at {src['url']}"

    def reopen(self, settings: Settings) -> "Session":
        """The same front-end on another profile."""
        return Session.open(settings, cache_mode=self.cache_mode)

    @classmethod
    def for_token(cls, settings: Settings, token: str, cache: "ResponseCache", *,
                  cache_mode: CacheMode = CacheMode.NORMAL) -> "Session":
        """The active profile's NetBox with another user's token (`mcp --http`, one per token), on the
        process's shared `cache`: its keys carry the token's hash, so users never share entries.
        Close it with `aclose_client`: the cache stays open for the other tokens."""
        from pydantic import SecretStr

        from netbox_tui.netbox.client import NetBoxClient

        profile = settings.active().model_copy(update={"token": SecretStr(token), "token_file": None})
        client = NetBoxClient(profile, cache=cache)
        backend = Backend(client, client.base_url)
        _schema_at_open(backend)
        return cls(settings, backend, make_orchestrator(settings, client), cache_mode)

    async def aclose_client(self) -> None:
        await self.backend.client.aclose()

    @property
    def label(self) -> str:
        return self.backend.label

    @property
    def offline(self) -> bool:
        return self.backend.snapshot is not None

    @property
    def cache_warning(self) -> Optional[str]:
        return self.backend.client.cache.warning

    async def clear_cache(self) -> int:
        """Forget every cached NetBox response (and the names read from it)."""
        n = await self.backend.client.cache.clear()
        self.orchestrator.resolver.forget()
        return n

    async def aclose(self) -> None:
        await self.backend.aclose()
