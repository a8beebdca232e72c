"""netbox-tui: plain-language questions to NetBox, exact answers in paged tables."""

from __future__ import annotations

import sys
import types

__version__ = "0.1.0"


def _defer_httpx_cli() -> None:
    """httpx's `__init__` imports `httpx._main`, its own command line, which imports click, rich and
    pygments whenever click is installed (the MCP SDK brings it): about a quarter of httpx's import
    time, for a CLI we never run. Stand in for that module until something uses it: its one name
    httpx takes, `main`, loads the real module on call, and any other public attribute loads it too."""
    if "httpx" in sys.modules or "httpx._main" in sys.modules:
        return

    def _real() -> types.ModuleType:
        import importlib

        if sys.modules.get("httpx._main") is stand_in:
            del sys.modules["httpx._main"]
        real = importlib.import_module("httpx._main")
        sys.modules["httpx"].main = real.main  # type: ignore[attr-defined]
        return real

    class _StandIn(types.ModuleType):
        def __getattr__(self, name: str) -> object:
            if name.startswith("__"):  # the import system probing (`__path__`, `__spec__`…): not a use
                raise AttributeError(name)
            return getattr(_real(), name)

    def main(*args: object, **kwargs: object) -> object:
        return _real().main(*args, **kwargs)

    stand_in = _StandIn("httpx._main", "netbox-tui's stand-in for httpx's CLI, loaded on first use")
    stand_in.main = main  # type: ignore[attr-defined]
    sys.modules["httpx._main"] = stand_in


_defer_httpx_cli()
