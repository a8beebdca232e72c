"""Import hygiene: the layers by contract (import-linter, pyproject.toml), and the headless modules
import without Textual; the CLI does not pull in openai.

Each module check runs in a fresh interpreter, so what other tests imported does not matter. The
headless modules are found by walking their packages: a new module is checked without being
listed, and a listed module that is renamed or missing fails (never skipped).
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEADLESS_PACKAGES = ["netbox_tui.schema", "netbox_tui.netbox", "netbox_tui.core"]
# Modules that must exist and import without Textual, beside every module of the packages above.
NAMED = ["netbox_tui.config", "netbox_tui.backend", "netbox_tui.session", "netbox_tui.ask", "netbox_tui.cli",
         "netbox_tui.core.orchestrator", "netbox_tui.core.parser", "netbox_tui.core.planner", "netbox_tui.schema.vocab"]

# (module, slow or heavy module it must not import at import time)
LAZY = [
    ("netbox_tui.cli", "openai"),
    ("netbox_tui.cli", "textual"),
    ("netbox_tui.netbox.client", "openai"),
    ("netbox_tui.config", "openai"),
    ("netbox_tui.core.orchestrator", "openai"),
]


def _walk(package: str) -> list[str]:
    pkg = importlib.import_module(package)
    return [package] + [f"{package}.{m.name}" for m in pkgutil.iter_modules(pkg.__path__)]


HEADLESS = sorted(set(NAMED + [m for p in HEADLESS_PACKAGES for m in _walk(p)]))


def _modules_after_import(module: str) -> set[str]:
    code = f"import importlib, json, sys; importlib.import_module({module!r}); print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, f"import {module} failed:\n{out.stderr}"
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def _top_level(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


def test_the_walk_finds_the_core() -> None:
    assert {"netbox_tui.core.parser", "netbox_tui.netbox.client", "netbox_tui.schema.vocab"} <= set(HEADLESS)


@pytest.mark.parametrize("module", HEADLESS)
def test_no_textual(module: str) -> None:
    loaded = _top_level(_modules_after_import(module))
    assert "textual" not in loaded, f"importing {module} imports textual"


@pytest.mark.parametrize("module,heavy", LAZY)
def test_lazy_imports(module: str, heavy: str) -> None:
    loaded = _top_level(_modules_after_import(module))
    assert heavy not in loaded, f"importing {module} imports {heavy}"


def test_the_check_can_fail() -> None:
    """The subprocess check does see what a module imports (so the tests above can fail)."""
    assert "textual" in _top_level(_modules_after_import("textual.app"))


def test_layer_contracts_hold() -> None:
    """import-linter's contracts (pyproject.toml): schema imports nothing of ours, netbox/ imports
    neither core nor the front-ends, core imports no front-end."""
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert exe, "import-linter is a test dependency: pip install -e '.[test]'"
    out = subprocess.run([exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "broken" not in out.stdout.lower() or "0 broken" in out.stdout.lower(), out.stdout
