#!/usr/bin/env python3
"""Time to first paint of the TUI: process start -> first screen on the terminal. A benchmark, not a test.

Runs `netbox-tui --demo` (embedded demo data, no network) in a pseudo-terminal of 120x40, starts
the clock just before the fork and stops it when the first frame holding the question box has been
written to the terminal. Several runs; prints each and the median.

    .venv/bin/python bench/first_paint.py            # 7 runs
    .venv/bin/python bench/first_paint.py --runs 15 --size 80x24
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import sys
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Text of the first frame: the question box's placeholder, after the cursor cell (one style run, so
# one contiguous string; the first character sits under the cursor and is styled apart).
MARKER = b"question in plain words"


def one_run(cmd: list[str], cols: int, rows: int, timeout: float) -> float:
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # child: become netbox-tui
        os.environ.update({"TERM": "xterm-256color", "COLUMNS": str(cols), "LINES": str(rows)})
        os.execv(cmd[0], cmd)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    seen = b""
    elapsed = None
    try:
        while time.perf_counter() - started < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen = (seen + chunk)[-200_000:]
            if MARKER in seen:
                elapsed = time.perf_counter() - started
                break
        if elapsed is None:
            raise SystemExit(
                f"first_paint: no first frame within {timeout:g} s (last output: {seen[-300:]!r})"
            )
        os.write(fd, b"\x11")  # ctrl+q: quit
        deadline = time.perf_counter() + 5
        while time.perf_counter() < deadline:
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            try:
                select.select([fd], [], [], 0.05)
                os.read(fd, 65536)
            except OSError:
                pass
        else:
            os.kill(pid, signal.SIGTERM)  # the child this run started
            os.waitpid(pid, 0)
    finally:
        os.close(fd)
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--size", default="120x40", help="COLUMNSxROWS")
    parser.add_argument("--timeout", type=float, default=30.0)
    args = parser.parse_args()
    cols, rows = (int(x) for x in args.size.lower().split("x"))
    venv_py = ROOT / ".venv" / "bin" / "python"
    python = str(venv_py if venv_py.exists() else Path(sys.executable))
    cmd = [python, "-m", "netbox_tui", "--demo"]
    os.chdir(ROOT)
    one_run(cmd, cols, rows, args.timeout)  # warm-up: file system caches, .pyc files
    times = [one_run(cmd, cols, rows, args.timeout) for _ in range(args.runs)]
    for i, t in enumerate(times, 1):
        print(f"run {i}: {t * 1000:.0f} ms")
    print(
        f"first paint (netbox-tui --demo, {cols}x{rows}, median of {len(times)}): "
        f"{statistics.median(times) * 1000:.0f} ms "
        f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
