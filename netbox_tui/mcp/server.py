"""The MCP server over stdio, with the official SDK's low-level server: tool definitions exactly as
tools.py writes them (no generated schema titles), results as text only (no structuredContent
copy, which a client may forward to the model as a second copy of the same rows)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any, Awaitable, Callable, Optional, Union

import anyio
import mcp.types as types
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server

from netbox_tui import __version__
from netbox_tui.config import Settings
from netbox_tui.mcp.service import Tools
from netbox_tui.mcp.tools import INSTRUCTIONS, TOOLS
from netbox_tui.netbox.cache import CacheMode
from netbox_tui.session import Session

log = logging.getLogger(__name__)


# Over HTTP the Tools depend on the request (its user's token): a function of the request context.
ToolsFor = Union[Tools, Callable[[Any], Awaitable[Tools]]]


def build_server(tools_for: ToolsFor) -> Server[Any]:
    listed = [
        types.Tool(name=t["name"], description=t["description"], input_schema=t["inputSchema"]) for t in TOOLS
    ]

    async def list_tools(ctx: Any, params: Any) -> types.ListToolsResult:
        return types.ListToolsResult(tools=listed)

    async def call_tool(ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        try:
            tools = tools_for if isinstance(tools_for, Tools) else await tools_for(ctx)
            result = await tools.call(params.name, params.arguments)
        except Exception as exc:  # a bug of ours: a tool error, never a dead server
            log.exception("tool %s failed", params.name)
            return types.CallToolResult(
                content=[
                    types.TextContent(
                        type="text",
                        text=f"internal error in {params.name}: {exc.__class__.__name__}: {str(exc)[:200]}",
                    )
                ],
                is_error=True,
            )
        return types.CallToolResult(
            content=[types.TextContent(type="text", text=result.text)],
            is_error=result.is_error,
            _meta={"netbox-tui": result.meta},
        )

    return Server(
        "netbox-tui",
        version=__version__,
        instructions=INSTRUCTIONS,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
    )


async def serve(settings: Settings, *, demo: bool, snapshot: Optional[Path], cache_mode: CacheMode,
                token_budget: Optional[int] = None) -> None:
    session = Session.open(settings, demo=demo, snapshot=snapshot, cache_mode=cache_mode)
    print(f"netbox-tui mcp: serving {session.label} over stdio (read-only)", file=sys.stderr)
    if session.cache_warning:
        print(f"netbox-tui mcp: {session.cache_warning}", file=sys.stderr)
    tools = Tools(session, token_budget=token_budget or settings.mcp.token_budget, tables=settings.mcp.tables)
    # Warmed up in a worker thread while the client connects, so `initialize` is answered at once
    # (start-up, issue 19); a tool call waits for it (its first call may change the schema in force).
    warmed = anyio.Event()

    async def warm_up() -> None:
        await anyio.to_thread.run_sync(tools.warm_up)
        warmed.set()

    async def ready(ctx: Any) -> Tools:
        await warmed.wait()
        return tools

    server = build_server(ready)
    try:
        async with stdio_server() as (read, write), anyio.create_task_group() as tg:
            tg.start_soon(warm_up)
            await server.run(read, write, server.create_initialization_options())
    finally:
        await session.aclose()


def run_server(settings: Settings, *, demo: bool, snapshot: Optional[Path], cache_mode: CacheMode,
               token_budget: Optional[int] = None) -> int:
    logging.basicConfig(
        level=logging.WARNING, stream=sys.stderr, format="netbox-tui mcp: %(levelname)s %(name)s: %(message)s"
    )
    try:
        anyio.run(
            lambda: serve(
                settings, demo=demo, snapshot=snapshot, cache_mode=cache_mode, token_budget=token_budget
            )
        )
    except KeyboardInterrupt:
        pass
    return 0
