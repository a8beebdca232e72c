"""A throwaway `redis-server` for tests: 127.0.0.1, a free port, no persistence.

    proc = RedisProcess().start()   # proc.url == "redis://127.0.0.1:<port>/0"
    proc.restart()                  # same port, empty data (nothing is saved)
    proc.stop()

Used by the `redis_server` fixture (tests/conftest.py); other tests rely on this API, keep it stable.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

_READY_TIMEOUT_S = 10.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ping(port: int) -> bool:
    """A raw RESP PING, so this module needs no redis client."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class RedisProcess:
    """One redis-server child process. `start`, `stop` and `restart` are idempotent where that makes sense."""

    def __init__(self, port: int | None = None, executable: str = "redis-server") -> None:
        found = shutil.which(executable)
        if found is None:
            raise FileNotFoundError(f"{executable} not found (apt-get install redis-server)")
        self.executable = found
        self.port = port or _free_port()
        self._dir = Path(tempfile.mkdtemp(prefix="netbox-tui-redis-"))
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> "RedisProcess":
        if self.running:
            return self
        self._dir.mkdir(parents=True, exist_ok=True)
        args = [
            self.executable,
            "--bind", "127.0.0.1",
            "--port", str(self.port),
            "--save", "",
            "--appendonly", "no",
            "--dir", str(self._dir),  # nothing is written, but keep any dump out of the work tree
            "--protected-mode", "yes",
            "--loglevel", "warning",
        ]
        log = open(self._dir / "redis.log", "ab")
        self._proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        deadline = time.monotonic() + _READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                break
            if _ping(self.port):
                return self
            time.sleep(0.05)
        output = (self._dir / "redis.log").read_text(errors="replace")[-2000:]
        self.stop()
        raise RuntimeError(f"redis-server did not start on 127.0.0.1:{self.port}: {output}")

    def stop(self) -> None:
        """Stop the server (its scratch directory goes with it; `start` makes a new one)."""
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        shutil.rmtree(self._dir, ignore_errors=True)

    def restart(self) -> "RedisProcess":
        """Stop and start again on the same port; the data is gone (no persistence)."""
        self.stop()
        return self.start()

    def close(self) -> None:
        """The same as `stop` (for `with` and fixtures)."""
        self.stop()

    def __enter__(self) -> "RedisProcess":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()
