"""The wiring every front-end shares: settings -> backend (live NetBox, snapshot or demo) ->
orchestrator (with the LLM when one is configured). `netbox-tui ask`, the TUI and the MCP
server open a Session; none of them builds the stack itself or reaches into the cache."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from netbox_tui.backend import Backend, open_backend
from netbox_tui.config import Settings
from netbox_tui.core.orchestrator import Orchestrator
from netbox_tui.netbox.cache import CacheMode

__all__ = ["CacheMode", "Session", "make_orchestrator"]


def make_orchestrator(settings: Settings, client: object, page_size: Optional[int] = None) -> Orchestrator:
    llm = None
    if settings.llm.enabled:
        from netbox_tui.core.llm import LLMClassifier

        llm = LLMClassifier(settings.llm)
    return Orchestrator(client, page_size=page_size or settings.ui.page_size, step_timeout=settings.ui.step_timeout, llm=llm)


@dataclass
class Session:
    settings: Settings
    backend: Backend
    orchestrator: Orchestrator
    cache_mode: CacheMode = CacheMode.NORMAL

    @classmethod
    def open(cls, settings: Settings, *, demo: bool = False, snapshot: Optional[Path] = None,
             cache_mode: CacheMode = CacheMode.NORMAL, page_size: Optional[int] = None) -> "Session":
        backend = open_backend(settings, demo=demo, snapshot=snapshot, cache_mode=cache_mode)
        return cls(settings, backend, make_orchestrator(settings, backend.client, page_size), cache_mode)

    def reopen(self, settings: Settings) -> "Session":
        """The same front-end on another profile."""
        return Session.open(settings, cache_mode=self.cache_mode)

    @property
    def label(self) -> str:
        return self.backend.label

    @property
    def offline(self) -> bool:
        return self.backend.snapshot is not None

    @property
    def cache_warning(self) -> Optional[str]:
        return self.backend.client.cache.warning

    def clear_cache(self) -> int:
        """Forget every cached NetBox response (and the names read from it)."""
        n = self.backend.client.cache.clear()
        self.orchestrator.resolver.forget()
        return n

    async def aclose(self) -> None:
        await self.backend.aclose()
