"""Command line: `netbox-tui` (the TUI), `netbox-tui ask "..."`, `netbox-tui mcp`,
`netbox-tui snapshot save FILE`, `netbox-tui graph`.

With no NetBox configured at all, `netbox-tui` and `ask` run on the embedded demo data.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any, Optional, Sequence

from netbox_tui import __version__
from netbox_tui.errors import NetBoxTUIError, UsageError

EXAMPLES = """examples:
  netbox-tui --demo                         the app on the embedded NetBox demo data
  netbox-tui --url https://netbox.example.com   (token from NETBOX_TOKEN)
  netbox-tui ask "VLANs at DM-Akron" --json
  netbox-tui ask "free IPs in 10.112.129.0/24" --demo
  netbox-tui mcp --profile lab              an MCP server over stdio for AI assistants (read-only)
  netbox-tui snapshot save lab.nbsnap --profile lab   then: netbox-tui --snapshot lab.nbsnap
"""


MAX_PAGE = 1000  # = netbox.client.MAX_PAGE, not imported: the CLI parses arguments before loading httpx


class _OneLine(argparse.ArgumentParser):
    """Bad arguments in one line naming the value and what is expected (no usage dump)."""

    def error(self, message: str) -> Any:  # type: ignore[override]
        self.exit(2, f"netbox-tui: {message} (netbox-tui --help lists the options)\n")


def _count(flag: str, least: int) -> Any:
    def parse(text: str) -> int:
        try:
            n = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{flag} takes a whole number, not {text!r}") from None
        if n < least:
            raise argparse.ArgumentTypeError(f"{flag} must be at least {least} (got {n})")
        return n

    return parse


def _common(p: argparse.ArgumentParser, *, suppress: bool) -> None:
    d = argparse.SUPPRESS if suppress else None
    p.add_argument(
        "--config", type=Path, default=d, metavar="PATH", help="TOML config (default: XDG config dir)"
    )
    p.add_argument("--profile", default=d, metavar="NAME", help="NetBox profile from the config file")
    p.add_argument("--url", default=d, metavar="URL", help="NetBox URL (overrides NETBOX_URL)")
    p.add_argument(
        "--token", default=d, metavar="TOKEN", help="API token (prefer NETBOX_TOKEN or token_file)"
    )
    p.add_argument(
        "--demo", action="store_true", default=d, help="use the embedded NetBox demo data (no network)"
    )
    p.add_argument(
        "--snapshot", type=Path, default=d, metavar="FILE", help="answer from a snapshot file (no network)"
    )
    p.add_argument("--no-cache", action="store_true", default=d, help="neither read nor write the cache")
    p.add_argument(
        "--refresh", action="store_true", default=d, help="bypass cached answers (and store fresh ones)"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLine(
        prog="netbox-tui",
        description="Ask NetBox questions in plain words; exact answers in paged tables. Read-only.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"netbox-tui {__version__}")
    _common(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_OneLine)

    ask = sub.add_parser(
        "ask", help="answer one question and exit", description="Answer one question and exit."
    )
    ask.add_argument("question", help="the question, in plain words")
    ask.add_argument("--json", action="store_true", help="print exactly one JSON object")
    ask.add_argument("--page-size", type=_count("--page-size", 1), default=None, metavar="N",
                     help=f"rows per table page (default 25; at most {MAX_PAGE}, NetBox's page limit)")
    ask.add_argument(
        "--offset", type=_count("--offset", 0), default=0, metavar="N", help="first row of the main table"
    )
    ask.add_argument("--progress", action="store_true", help="print progress events on stderr")
    ask.add_argument("--wide", action="store_true",
                     help="print table cells whole (by default they are cut to the terminal's width)")
    ask.add_argument(
        "--refine",
        action="store_true",
        help="read the question as a follow-up of the last answer (\"only the routers\", \"and at "
        "DM-Camden?\")",
    )
    _common(ask, suppress=True)

    mcp = sub.add_parser(
        "mcp",
        help="serve the assistant as MCP tools over stdio (for AI assistants)",
        description="An MCP server over stdio: ask, query, describe, page, trace, free_ips, vlan_topology, "
        "rack_utilisation. Read-only.",
    )
    mcp.add_argument(
        "--token-budget",
        type=int,
        default=None,
        metavar="N",
        help="most tokens per tool result (default: mcp.token_budget, 2000)",
    )
    mcp.add_argument("--http", default=None, metavar="HOST:PORT",
                     help="serve streamable HTTP at http://HOST:PORT/mcp; each request's "
                          "'Authorization: Bearer <NetBox token>' is used")
    mcp.add_argument("--server-token", action="store_true",
                     help="with --http: requests without a token use this server's own NetBox token")
    _common(mcp, suppress=True)

    snap = sub.add_parser("snapshot", help="save a NetBox to a file for offline use")
    snap_sub = snap.add_subparsers(dest="snapshot_command", metavar="ACTION", required=True)
    save = snap_sub.add_parser("save", help="export, read-only, what netbox-tui queries into FILE")
    save.add_argument("file", type=Path)
    _common(save, suppress=True)
    info = snap_sub.add_parser("info", help="show what a snapshot file holds")
    info.add_argument("file", type=Path)

    graph = sub.add_parser("graph", help="print the orchestrator's state graph")
    graph.add_argument("--mermaid", action="store_true", help="as a Mermaid flowchart")

    cfg = sub.add_parser("config", help="show the effective configuration (token masked)")
    _common(cfg, suppress=True)
    return parser


def _settings(args: argparse.Namespace):
    from netbox_tui.config import load_settings

    overrides: dict[str, Any] = {}
    if getattr(args, "url", None):
        overrides["netbox.{profile}.url"] = args.url
    if getattr(args, "token", None):
        overrides["netbox.{profile}.token"] = args.token
    return load_settings(getattr(args, "config", None), getattr(args, "profile", None), overrides)


def _cache_mode(args: argparse.Namespace):
    from netbox_tui.netbox.cache import CacheMode

    if getattr(args, "no_cache", None):
        return CacheMode.OFF
    if getattr(args, "refresh", None):
        return CacheMode.REFRESH
    return CacheMode.NORMAL


def _wants_demo(args: argparse.Namespace, settings: Any) -> bool:
    """--demo, or nothing configured at all: the demo is the fresh machine's experience."""
    if getattr(args, "demo", None):
        return True
    return not getattr(args, "snapshot", None) and not settings.active().url


def _fail(exc: NetBoxTUIError, as_json: bool = False, question: str = "") -> int:
    if as_json:
        from netbox_tui.core.results import Answer, ErrorInfo

        err = ErrorInfo(kind=exc.kind, message=exc.message, hint=exc.hint)
        print(Answer(question=question, status="error", answer=exc.message, error=err).to_json())
    else:
        print(f"netbox-tui: {exc.message}", file=sys.stderr)
        if exc.hint:
            print(f"  hint: {exc.hint}", file=sys.stderr)
    return 2 if isinstance(exc, UsageError) else 1  # a bad argument, or an error (README: exit codes)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command
    try:
        if command == "graph":
            from netbox_tui.core.graph import FLOW

            print(FLOW.to_mermaid() if args.mermaid else FLOW.to_text())
            return 0
        if command == "snapshot" and args.snapshot_command == "info":
            from netbox_tui.netbox.snapshot import describe_snapshot

            print(describe_snapshot(args.file))
            return 0
        settings = _settings(args)
        if command == "config":
            import json

            print(json.dumps(settings.safe_dump(), indent=2))
            return 0
        if command == "snapshot":
            if getattr(args, "demo", None) or getattr(args, "snapshot", None):
                raise UsageError("snapshot save reads a live NetBox; --demo and --snapshot do not apply",
                                     "Give --url/--token, a --profile, or NETBOX_URL and NETBOX_TOKEN.")
            if not settings.active().url:
                raise NetBoxTUIError("snapshot save needs a NetBox to read from",
                                     "Give --url/--token, a --profile, or NETBOX_URL and NETBOX_TOKEN.")
            from netbox_tui.netbox.snapshot_save import run_save

            return asyncio.run(run_save(settings, args.file))
        demo = _wants_demo(args, settings)
        if command == "ask":
            from netbox_tui.ask import run_ask

            if args.page_size is not None and args.page_size > MAX_PAGE:
                # NetBox would cap it silently: say the size used, so a script's `offset += limit`
                # stays right.
                print(
                    f"netbox-tui: --page-size {args.page_size} is above NetBox's page limit; "
                    f"using {MAX_PAGE}",
                    file=sys.stderr,
                )
                args.page_size = MAX_PAGE
            return asyncio.run(
                run_ask(
                    settings,
                    args.question,
                    as_json=args.json,
                    demo=demo,
                    snapshot=args.snapshot,
                    cache_mode=_cache_mode(args),
                    page_size=args.page_size,
                    offset=args.offset,
                    progress=args.progress,
                    refine=args.refine,
                    wide=args.wide,
                )
            )
        if command == "mcp":
            if args.token_budget is not None and not 200 <= args.token_budget <= 100_000:
                raise UsageError(f"--token-budget {args.token_budget}: expected an integer 200-100000")
            if args.http:
                if getattr(args, "demo", None) or getattr(args, "snapshot", None):
                    raise UsageError("mcp --http serves a live NetBox, each user with their own token; "
                                     "--demo and --snapshot are for stdio")
                from netbox_tui.mcp.http import serve_http

                return serve_http(settings, args.http, cache_mode=_cache_mode(args),
                                  token_budget=args.token_budget, use_server_token=args.server_token)
            if args.server_token:
                raise UsageError("--server-token applies to mcp --http only")
            from netbox_tui.mcp.server import run_server

            return run_server(settings, demo=demo, snapshot=args.snapshot, cache_mode=_cache_mode(args),
                              token_budget=args.token_budget)
        from netbox_tui.tui.app import run_app

        return run_app(settings, demo=demo, snapshot=args.snapshot, cache_mode=_cache_mode(args))
    except NetBoxTUIError as exc:
        return _fail(exc, as_json=getattr(args, "json", False), question=getattr(args, "question", ""))
    except KeyboardInterrupt:
        print("netbox-tui: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `netbox-tui ask … | head`: the reader left; nothing more to say
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
