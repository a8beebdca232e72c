"""Import hygiene: the layers by contract (import-linter, pyproject.toml), and the headless modules
import without Textual; the CLI does not pull in openai. Start-up (issue 19): `ask` and the MCP
server load nothing they do not use, and the parsed forms kept by `schema.compiled` read back equal.

Each module check runs in a fresh interpreter, so what other tests imported does not matter. The
headless modules are found by walking their packages: a new module is checked without being
listed, and a listed module that is renamed or missing fails (never skipped).
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEADLESS_PACKAGES = ["netbox_tui.schema", "netbox_tui.netbox", "netbox_tui.core"]
# Modules that must exist and import without Textual, beside every module of the packages above.
NAMED = [
    "netbox_tui.config",
    "netbox_tui.backend",
    "netbox_tui.session",
    "netbox_tui.ask",
    "netbox_tui.cli",
    "netbox_tui.core.orchestrator",
    "netbox_tui.core.parser",
    "netbox_tui.core.planner",
    "netbox_tui.schema.vocab",
]

# (module, slow or heavy module it must not import at import time)
LAZY = [
    ("netbox_tui.cli", "openai"),
    ("netbox_tui.cli", "textual"),
    ("netbox_tui.netbox.client", "openai"),
    ("netbox_tui.config", "openai"),
    ("netbox_tui.core.orchestrator", "openai"),
]


# What a path must not load, imported or run (issue 19): each is slow to import and unused there.
# `ask --json` prints JSON: no rich (nor httpx's CLI, which brings click, rich and pygments: see
# netbox_tui/__init__.py). The MCP server: no Textual, rich or LLM client; click and uvicorn it does
# load, through the MCP SDK's own imports (mcp.server.streamable_http -> sse_starlette -> uvicorn).
NOT_ON_ASK = ["textual", "mcp", "mcp_types", "openai", "tiktoken", "rich", "click", "pygments", "uvicorn",
              "starlette"]
NOT_ON_MCP = ["textual", "openai", "tiktoken", "rich", "pygments"]
ASK_JSON = ["ask", "devices at dm akron", "--json", "--demo"]


def _walk(package: str) -> list[str]:
    pkg = importlib.import_module(package)
    return [package] + [f"{package}.{m.name}" for m in pkgutil.iter_modules(pkg.__path__)]


HEADLESS = sorted(set(NAMED + [m for p in HEADLESS_PACKAGES for m in _walk(p)]))


def _modules_after_import(module: str) -> set[str]:
    code = (
        f"import importlib, json, sys; importlib.import_module({module!r}); "
        "print(json.dumps(sorted(sys.modules)))"
    )
    return _modules_after(code)


def _modules_after(code: str) -> set[str]:
    """sys.modules of a fresh interpreter once `code` has run (its last stdout line, as JSON)."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, f"{code} failed:\n{out.stderr}"
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def _modules_after_cli(argv: list[str]) -> set[str]:
    """What `netbox-tui ARGV` has loaded when it is done (its own output goes elsewhere)."""
    code = ("import contextlib, io, json, sys\nfrom netbox_tui.cli import main\n"
            f"with contextlib.redirect_stdout(io.StringIO()):\n    rc = main({argv!r})\n"
            "assert rc == 0, rc\nprint(json.dumps(sorted(sys.modules)))")
    return _modules_after(code)


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


@pytest.mark.parametrize("module,not_loaded", [("netbox_tui.ask", NOT_ON_ASK),
                                               ("netbox_tui.mcp.server", NOT_ON_MCP)])
def test_a_path_imports_only_what_it_uses(module: str, not_loaded: list[str]) -> None:
    loaded = _top_level(_modules_after_import(module)) & set(not_loaded)
    assert not loaded, f"importing {module} imports {sorted(loaded)}"


def test_ask_json_runs_without_rich_textual_mcp_or_llm() -> None:
    """Not only the import: a whole `ask --json` on the demo data loads none of them."""
    loaded = _top_level(_modules_after_cli(ASK_JSON))
    assert "netbox_tui" in loaded and "httpx" in loaded  # it did run
    assert not loaded & set(NOT_ON_ASK), sorted(loaded & set(NOT_ON_ASK))


def test_ask_in_the_terminal_loads_rich_but_not_textual() -> None:
    """The check above can fail: the same run without --json does load rich, for its tables."""
    loaded = _top_level(_modules_after_cli(["ask", "devices at dm akron", "--demo"]))
    assert "rich" in loaded and "textual" not in loaded


def test_httpx_cli_loads_when_used() -> None:
    """httpx's own CLI is deferred, not removed: `httpx.main` and `httpx._main`'s names still work."""
    code = ("import json, sys, netbox_tui, httpx\n"
            "before = 'click' in sys.modules\n"
            "import httpx._main as cli\n"
            "assert callable(httpx.main) and callable(cli.print_help)\n"
            "real = sys.modules['httpx._main'].main\n"
            "print(json.dumps([before, 'click' in sys.modules, httpx.main is real]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [False, True, True]


def test_compiled_reads_back_what_was_parsed(tmp_path: Path) -> None:
    from netbox_tui.schema import compiled

    calls: list[bytes] = []

    def decode(raw: bytes) -> dict:
        calls.append(raw)
        return json.loads(raw)

    source = json.dumps({"b": [1, 2.5, None, True, {"c": "é"}], "a": "x"}).encode()
    first = compiled("t", source, decode, near=tmp_path)
    again = compiled("t", source, decode, near=tmp_path)
    assert again == first == json.loads(source) and list(again) == ["b", "a"]
    assert len(calls) == 1, "the second read came from the compiled file"
    assert len(list((tmp_path / "__pycache__").glob("t.*.marshal"))) == 1
    changed = source.replace(b'"x"', b'"y"')
    assert compiled("t", changed, decode, near=tmp_path)["a"] == "y" and len(calls) == 2  # keyed by content
    assert len(list((tmp_path / "__pycache__").glob("t.*.marshal"))) == 1  # the older one is gone


def test_compiled_treats_a_damaged_file_as_a_miss(tmp_path: Path) -> None:
    from netbox_tui.schema import compiled

    source = b'{"k": [1, 2, 3]}'
    compiled("t", source, json.loads, near=tmp_path)
    for kept in (tmp_path / "__pycache__").glob("t.*.marshal"):
        kept.write_bytes(kept.read_bytes()[:5])
    assert compiled("t", source, json.loads, near=tmp_path) == {"k": [1, 2, 3]}


def test_compiled_falls_back_to_the_user_cache(tmp_path: Path) -> None:
    """A package folder that cannot take a __pycache__ (read-only, zipped): the user cache does."""
    from netbox_tui.schema import compiled

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    assert compiled("t", b'{"k": 1}', json.loads, near=blocker) == {"k": 1}
    assert len(list(Path(os.environ["XDG_CACHE_HOME"]).glob("netbox-tui/compiled/t.*.marshal"))) == 1


def test_the_shipped_data_reads_the_same_compiled() -> None:
    """The schema, the vocabulary and the demo snapshot: what the compiled form gives equals a fresh
    parse of the shipped file, key order included (functions called past their lru_cache)."""
    import gzip
    from importlib import resources

    from netbox_tui import schema
    from netbox_tui.backend import demo_snapshot_path
    from netbox_tui.netbox.snapshot import load_snapshot
    from netbox_tui.schema import vocab

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    files = resources.files("netbox_tui.schema")
    generated = json.loads(gzip.decompress(files.joinpath("netbox.json.gz").read_bytes()))
    words = vocab.parse(tomllib.loads(files.joinpath("vocab.toml").read_text(encoding="utf-8")))
    demo = demo_snapshot_path()
    parsed = json.loads(gzip.decompress(demo.read_bytes()))
    for _ in range(2):  # the first may write the compiled files, the second reads them back
        got = schema.shipped.__wrapped__()
        assert json.dumps(got._raw) == json.dumps(generated["models"])
        assert got.netbox_version == generated["netbox_version"]
        assert vocab.load.__wrapped__() == words
        assert json.dumps(load_snapshot(demo)) == json.dumps(parsed)
    kept = list((demo.parent / "__pycache__").glob("demo-snapshot.*.marshal"))
    kept += list(Path(os.environ["XDG_CACHE_HOME"]).glob("netbox-tui/compiled/demo-snapshot.*.marshal"))
    assert len(kept) == 1, kept


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
