"""Install the peer of bench/mcp.py, netboxlabs/netbox-mcp-server, from its source into its own venv.

    .venv/bin/python bench/mcp_peer.py DIR [--git SOURCE] [--tag v1.2.1]

clones SOURCE (its GitHub URL by default; a local mirror or checkout works the same, for machines
without internet) at the tag into DIR/src, creates DIR/venv with this Python and pip-installs there
exactly the dependencies the peer's pyproject.toml declares. The peer runs from its source tree
(`PYTHONPATH=DIR/src/src python -m netbox_mcp_server`), so nothing of it is built or installed into
our venv, and it is not a dependency of ours. A second call with the same tag reuses DIR.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import tomllib

GIT = "https://github.com/netboxlabs/netbox-mcp-server"
TAG = "v1.2.1"


def prepare(where: Path, git: str = GIT, tag: str = TAG) -> tuple[Path, Path]:
    """The peer's source tree and its venv's Python, installed once per tag."""
    src, venv = where / "src", where / "venv"
    python = venv / "bin" / "python"
    stamp = where / ".installed"
    if stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == tag and python.exists():
        return src, python
    where.mkdir(parents=True, exist_ok=True)
    if src.exists():
        subprocess.run(["rm", "-rf", str(src)], check=True)
    say(f"cloning {git} at {tag} into {src}")
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--branch", tag, git, str(src)], check=True)
    deps = tomllib.loads((src / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    say(f"creating {venv} and installing the peer's declared dependencies: {', '.join(deps)}")
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *deps], check=True
    )
    if not (src / "src" / "netbox_mcp_server").is_dir():
        raise SystemExit(f"{src}: no src/netbox_mcp_server (is {tag} a netbox-mcp-server 1.2.x tag?)")
    stamp.write_text(tag + "\n", encoding="utf-8")
    return src, python


def say(text: str) -> None:
    print(f"mcp_peer: {text}", file=sys.stderr, flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir", type=Path, help="where the peer's checkout and venv go (outside this repository)")
    ap.add_argument("--git", default=GIT, help=f"where to clone it from (default {GIT})")
    ap.add_argument("--tag", default=TAG, help=f"the release to check out (default {TAG})")
    args = ap.parse_args()
    src, python = prepare(args.dir.resolve(), args.git, args.tag)
    print(f"--peer-src {src} --peer-python {python}")


if __name__ == "__main__":
    main()
