#!/usr/bin/env python3
"""A counting HTTP/1.1 proxy on 127.0.0.1, for cross-checking what netbox-tui says it sent.

    .venv/bin/python bench/proxy.py --upstream http://127.0.0.1:8000 [--port 0] [--port-file F]

Point a client at it instead of NetBox (`netbox-tui ask ... --url http://127.0.0.1:PORT`); every
request is forwarded, unchanged, to the upstream over keep-alive connections (one upstream
connection per client connection), and counted: requests, request bytes, response body bytes
(after de-chunking, before any content decoding: exactly what a client reads as the body) and
response bytes on the wire (status line + headers + body). Control endpoints, not counted:

    GET /__proxy__/stats   {"requests": n, "response_body_bytes": n, ..., "log": [...]}
    GET /__proxy__/reset   zero the counters and the log

Independent of netbox_tui on purpose: it uses h11 (an httpx dependency) and asyncio only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from typing import Any, Optional
from urllib.parse import urlsplit

import h11

HOP = {b"connection", b"keep-alive", b"proxy-connection", b"transfer-encoding", b"te", b"trailer", b"upgrade"}


class Counters:
    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.requests = 0
        self.request_bytes = 0
        self.response_body_bytes = 0
        self.response_wire_bytes = 0
        self.status: dict[str, int] = {}
        self.log: list[dict[str, Any]] = []
        self.t0 = time.perf_counter()

    def snapshot(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "request_bytes": self.request_bytes,
            "response_body_bytes": self.response_body_bytes,
            "response_wire_bytes": self.response_wire_bytes,
            "status": self.status,
            "log": self.log,
        }


COUNTERS = Counters()


async def _next_event(conn: h11.Connection, reader: asyncio.StreamReader) -> Any:
    while True:
        event = conn.next_event()
        if event is h11.NEED_DATA:
            data = await reader.read(65536)
            conn.receive_data(data)  # b"" means EOF
            continue
        return event


class Upstream:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: Optional[asyncio.StreamReader] = None
        self.writer: Optional[asyncio.StreamWriter] = None
        self.conn: Optional[h11.Connection] = None

    async def ensure(self) -> None:
        if self.conn is not None and self.conn.our_state is h11.IDLE and self.conn.their_state is h11.IDLE:
            return
        await self.close()
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.conn = h11.Connection(h11.CLIENT)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except Exception:
                pass
        self.reader = self.writer = self.conn = None

    def send(self, event: Any) -> None:
        assert self.conn is not None and self.writer is not None
        data = self.conn.send(event)
        if data:
            self.writer.write(data)


async def handle(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, upstream_addr: tuple[str, int]
) -> None:
    conn = h11.Connection(h11.SERVER)
    up = Upstream(*upstream_addr)
    host_header = f"{upstream_addr[0]}:{upstream_addr[1]}".encode()
    try:
        while True:
            event = await _next_event(conn, reader)
            if isinstance(event, (h11.ConnectionClosed,)) or event is None:
                break
            if not isinstance(event, h11.Request):
                break
            req = event
            body = b""
            while True:
                e = await _next_event(conn, reader)
                if isinstance(e, h11.Data):
                    body += bytes(e.data)
                elif isinstance(e, h11.EndOfMessage):
                    break
                else:
                    raise ConnectionError("client went away mid-request")
            target = req.target.decode()
            if target.startswith("/__proxy__/"):
                if target.startswith("/__proxy__/reset"):
                    COUNTERS.reset()
                payload = json.dumps(COUNTERS.snapshot()).encode()
                writer.write(
                    conn.send(
                        h11.Response(
                            status_code=200,
                            headers=[
                                ("Content-Type", "application/json"),
                                ("Content-Length", str(len(payload))),
                            ],
                        )
                    )
                )
                writer.write(conn.send(h11.Data(data=payload)))
                writer.write(conn.send(h11.EndOfMessage()))
                await writer.drain()
                conn.start_next_cycle()
                continue

            started = time.perf_counter()
            headers = [(k, v) for k, v in req.headers if k.lower() not in HOP and k.lower() != b"host"]
            headers.insert(0, (b"Host", host_header))
            req_bytes = (
                len(req.method)
                + len(req.target)
                + 11
                + sum(len(k) + len(v) + 4 for k, v in req.headers)
                + 2
                + len(body)
            )
            for attempt in (1, 2):  # a kept-alive upstream connection may have been closed by the server
                try:
                    await up.ensure()
                    up.send(h11.Request(method=req.method, target=req.target, headers=headers))
                    if body:
                        up.send(h11.Data(data=body))
                    up.send(h11.EndOfMessage())
                    await up.writer.drain()  # type: ignore[union-attr]
                    resp = await _next_event(up.conn, up.reader)  # type: ignore[arg-type]
                    while isinstance(resp, h11.InformationalResponse):
                        resp = await _next_event(up.conn, up.reader)  # type: ignore[arg-type]
                    if not isinstance(resp, h11.Response):
                        raise ConnectionError(f"upstream answered {resp!r}")
                    break
                except (ConnectionError, h11.RemoteProtocolError, OSError):
                    await up.close()
                    if attempt == 2:
                        raise
            out_headers = [(k, v) for k, v in resp.headers if k.lower() not in HOP]
            head_bytes = 17 + len(resp.reason) + sum(len(k) + len(v) + 4 for k, v in resp.headers) + 2
            writer.write(
                conn.send(h11.Response(status_code=resp.status_code, headers=out_headers, reason=resp.reason))
            )
            nbody = 0
            while True:
                e = await _next_event(up.conn, up.reader)  # type: ignore[arg-type]
                if isinstance(e, h11.Data):
                    nbody += len(e.data)
                    writer.write(conn.send(h11.Data(data=e.data)))
                    await writer.drain()
                elif isinstance(e, h11.EndOfMessage):
                    writer.write(conn.send(h11.EndOfMessage()))
                    break
                else:
                    raise ConnectionError("upstream went away mid-response")
            await writer.drain()
            ended = time.perf_counter()
            if up.conn is not None and up.conn.our_state is h11.DONE and up.conn.their_state is h11.DONE:
                up.conn.start_next_cycle()
            else:
                await up.close()
            c = COUNTERS
            c.requests += 1
            c.request_bytes += req_bytes
            c.response_body_bytes += nbody
            c.response_wire_bytes += head_bytes + nbody
            c.status[str(resp.status_code)] = c.status.get(str(resp.status_code), 0) + 1
            c.log.append(
                {
                    "method": req.method.decode(),
                    "target": target,
                    "status": resp.status_code,
                    "bytes": nbody,
                    "start": round(started - c.t0, 4),
                    "end": round(ended - c.t0, 4),
                }
            )
            if conn.our_state is h11.MUST_CLOSE:
                break
            conn.start_next_cycle()
    except (ConnectionError, h11.ProtocolError, OSError, asyncio.IncompleteReadError):
        pass
    finally:
        await up.close()
        writer.close()


async def serve(upstream: str, port: int, port_file: Optional[str]) -> None:
    u = urlsplit(upstream)
    if u.scheme != "http" or u.hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit("proxy: the upstream must be http://127.0.0.1:PORT")
    addr = (u.hostname, u.port or 80)
    server = await asyncio.start_server(lambda r, w: handle(r, w, addr), "127.0.0.1", port)
    bound = server.sockets[0].getsockname()[1]
    if port_file:
        with open(port_file, "w") as f:
            f.write(str(bound))
    print(f"proxy: http://127.0.0.1:{bound} -> {upstream}", flush=True)
    async with server:
        await server.serve_forever()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--upstream", default="http://127.0.0.1:8000")
    ap.add_argument("--port", type=int, default=0, help="0 picks a free port")
    ap.add_argument("--port-file", help="write the bound port here")
    args = ap.parse_args()
    try:
        asyncio.run(serve(args.upstream, args.port, args.port_file))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
