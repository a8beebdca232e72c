"""`netbox-tui mcp`: the orchestrator as an MCP server over stdio, for AI assistants.

A front-end like the TUI and `netbox-tui ask`: it opens a Session (same client, cache and token
partitioning, same settings and profiles) and never imports the TUI. Read-only by construction,
because everything goes through the same client. Each tool answers compactly (a summary line, how
the request was read, a table as compact text or JSON, a paging handle), never more than
`mcp.token_budget` tokens (tiktoken) per result. Tables stay server-side in a bounded map, so a
handle pages on in later calls; a handle that fell out of it says so.

The SDK (`mcp`) is imported only by `server.py`; the rest is plain Python the tests can drive.
"""
