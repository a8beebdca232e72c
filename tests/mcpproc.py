"""A `netbox-tui mcp --http` server process for tests and the load benchmark: 127.0.0.1, a free port,
stderr to a file in `home`.

    proc = McpHttpProcess(home, env, "--no-cache")   # waits until it listens; proc.url ends in /mcp
    proc.peak_rss_mb()
    proc.stop()                                       # SIGINT, then kill after 20 s

Used by tests/mcp/test_mcp_http.py and bench/load.py (the same way tests/redisproc.py is).
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

_LISTEN_TIMEOUT_S = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class McpHttpProcess:
    """One server process; RuntimeError (with its stderr) when it exits or does not listen in time."""

    def __init__(self, home: Path, env: dict[str, str], *extra: str, cwd: Path | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/mcp"
        self.log = home / f"server-{self.port}.log"
        args = [sys.executable, "-m", "netbox_tui", "mcp", "--http", f"127.0.0.1:{self.port}", *extra]
        with open(self.log, "w", encoding="utf-8") as err:
            self.proc = subprocess.Popen(args, env=env, cwd=cwd or home, stdout=subprocess.DEVNULL,
                                         stderr=err)
        deadline = time.monotonic() + _LISTEN_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited: {self.log.read_text()}")
            try:
                httpx.get(self.url, timeout=1)
                return
            except httpx.HTTPError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the server did not listen: {self.log.read_text()}")

    def peak_rss_mb(self) -> float:
        """Its peak resident memory (Linux /proc), NaN elsewhere."""
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return float("nan")

    def stop(self) -> None:
        if self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
