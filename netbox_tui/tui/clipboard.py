"""Copying text: OSC 52 through the terminal (works over SSH), and a plain word when it cannot work.

A terminal never says whether it took an OSC 52 sequence, so what is known to drop it is checked
instead: tmux without `set-clipboard on`, GNU screen, the Linux console, Apple Terminal. There, a
local clipboard tool (wl-copy, xclip, xsel, pbcopy) is tried when the session is not remote, and
otherwise the message says so and where to read the text.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from typing import Callable, Mapping, Optional

Runner = Callable[[list[str], Optional[str]], Optional[str]]  # argv, stdin -> stdout, or None on failure


def _run(argv: list[str], text: Optional[str]) -> Optional[str]:
    try:
        done = subprocess.run(argv, input=text, capture_output=True, text=True, timeout=2, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


@dataclass
class CopyResult:
    ok: bool  # the text is (as far as can be known) on the clipboard
    how: str  # "OSC 52", "wl-copy"…
    warning: str = ""  # why it may not have arrived, and what to do


def osc52_obstacle(env: Mapping[str, str], run: Runner = _run) -> str:
    """Why OSC 52 will not reach the clipboard here, or "" when nothing known stops it."""
    if env.get("TMUX"):
        value = (run(["tmux", "show-options", "-gv", "set-clipboard"], None) or "").strip()
        if value != "on":
            return (
                f"tmux drops it (set-clipboard is {value or 'unknown'}: add `set -g set-clipboard on` "
                "to ~/.tmux.conf)"
            )
    if env.get("STY"):
        return "GNU screen does not pass OSC 52 on"
    term = env.get("TERM", "")
    if term in ("linux", "dumb", ""):
        return f"this terminal ({term or 'no TERM'}) has no clipboard sequence"
    if env.get("TERM_PROGRAM") == "Apple_Terminal":
        return "Apple Terminal ignores OSC 52"
    return ""


def local_tool(
    env: Mapping[str, str], which: Callable[[str], Optional[str]] = shutil.which
) -> Optional[list[str]]:
    """A clipboard command of this machine, when the session is local (over SSH it would fill the
    remote machine's clipboard, not yours)."""
    if env.get("SSH_CONNECTION") or env.get("SSH_TTY"):
        return None
    candidates = []
    if env.get("WAYLAND_DISPLAY"):
        candidates.append(["wl-copy"])
    if env.get("DISPLAY"):
        candidates += [["xclip", "-selection", "clipboard"], ["xsel", "--clipboard", "--input"]]
    candidates.append(["pbcopy"])
    for argv in candidates:
        if which(argv[0]):
            return argv
    return None


def copy(text: str, osc52: Callable[[str], None], env: Optional[Mapping[str, str]] = None, run: Runner = _run,
         which: Callable[[str], Optional[str]] = shutil.which) -> CopyResult:
    """Send `text` by OSC 52 (always: it costs nothing); where that is known not to work, try the local
    tool."""
    env = os.environ if env is None else env
    osc52(text)
    obstacle = osc52_obstacle(env, run)
    if not obstacle:
        return CopyResult(True, "OSC 52")
    tool = local_tool(env, which)
    if tool is not None and run(tool, text) is not None:
        return CopyResult(True, tool[0])
    return CopyResult(False, "OSC 52", obstacle)
