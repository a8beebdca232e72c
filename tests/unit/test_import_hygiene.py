"""Import hygiene: the non-UI layers must not pull in Textual, and the CLI must not pull in openai.

Each check runs in a fresh interpreter, so what other tests imported does not matter.
Extend the lists below when a module is added (e.g. netbox_tui.core.orchestrator).
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest

# Modules that must import without Textual: the client, the core and everything `ask` needs.
NO_TEXTUAL = [
    "netbox_tui.netbox.client",
    "netbox_tui.netbox.cache",
    "netbox_tui.netbox.endpoints",
    "netbox_tui.core.results",
    "netbox_tui.core.intent",
    "netbox_tui.config",
    "netbox_tui.backend",
    "netbox_tui.cli",
    "netbox_tui.core.orchestrator",  # skipped until it exists
]

# (module, slow or heavy module it must not import at import time)
LAZY = [
    ("netbox_tui.cli", "openai"),
    ("netbox_tui.cli", "textual"),
    ("netbox_tui.netbox.client", "openai"),
    ("netbox_tui.config", "openai"),
]


def _exists(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def _modules_after_import(module: str) -> set[str]:
    code = f"import importlib, json, sys; importlib.import_module({module!r}); print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, f"import {module} failed:\n{out.stderr}"
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def _top_level(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


@pytest.mark.parametrize("module", NO_TEXTUAL)
def test_no_textual(module):
    if not _exists(module):
        pytest.skip(f"{module} does not exist yet")
    loaded = _top_level(_modules_after_import(module))
    assert "textual" not in loaded, f"importing {module} imports textual"


@pytest.mark.parametrize("module,heavy", LAZY)
def test_lazy_imports(module, heavy):
    if not _exists(module):
        pytest.skip(f"{module} does not exist yet")
    loaded = _top_level(_modules_after_import(module))
    assert heavy not in loaded, f"importing {module} imports {heavy}"


def test_the_check_can_fail():
    """The subprocess check does see what a module imports (so the tests above can fail)."""
    assert "textual" in _top_level(_modules_after_import("textual.app"))
