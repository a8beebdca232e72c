"""Typed errors. Each carries a one-line message and a hint of what to do next.

Nothing here may contain a token: messages are built from URLs, status codes and NetBox's own
error bodies, never from request headers.
"""

from __future__ import annotations

from typing import Any


class NetBoxTUIError(Exception):
    """Base error: `message` says what went wrong, `hint` what to do next."""

    kind = "error"
    title = "Error"
    default_hint = ""
    template = ""  # which explanation (causes, next steps) fits, when not the kind's own

    def __init__(self, message: str, hint: str | None = None, *, detail: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint if hint is not None else self.default_hint
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.message} — {self.hint}" if self.hint else self.message

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "message": self.message, "hint": self.hint}


class UsageError(NetBoxTUIError):
    """A command line that cannot be run as given (exit code 2, like argparse's own)."""

    kind = "usage"
    title = "Bad arguments"


class ConfigError(NetBoxTUIError):
    kind = "config"
    title = "Configuration error"
    default_hint = (
        "Fix the value in the config file, the environment or the command line (see config.example.toml)."
    )


class NetBoxError(NetBoxTUIError):
    """Anything that went wrong talking to NetBox."""

    kind = "netbox"
    title = "NetBox error"


class UnreachableError(NetBoxError):
    kind = "unreachable"
    title = "NetBox unreachable"
    default_hint = (
        "Check the URL and that NetBox is running and reachable from this host; or use --demo / "
        "--snapshot FILE."
    )


class TimeoutError(NetBoxError):  # noqa: A001 - deliberate: our own timeout type
    kind = "timeout"
    title = "NetBox timed out"
    default_hint = (
        "NetBox is slow or overloaded: ask for fewer rows (a filter, a site), retry, or raise timeout_read."
    )


class DeadlineError(TimeoutError):
    """The question's own deadline (ui.deadline) passed: every request, retry and fallback counts."""

    default_hint = (
        "NetBox is slow or not answering: retry in a moment, narrow the question (a site, a device), "
        "or raise the profile's deadline."
    )


class TLSError(NetBoxError):
    kind = "tls"
    title = "TLS verification failed"
    default_hint = "Point ca_bundle at your CA certificate (or set verify_tls = false for a lab you trust)."


class AuthError(NetBoxError):
    kind = "auth"
    title = "Token rejected"
    default_hint = (
        "Check NETBOX_TOKEN / token_file: NetBox answers 403 for a token that is wrong, expired or "
        "lacks read permission."
    )


class TokenRejectedError(AuthError):
    """401, or a 403 whose detail says the token itself is bad ("Invalid v1 token"): no request of
    the question can succeed, so none is sent after it."""

    default_hint = (
        "Set NETBOX_TOKEN (or token_file) to a valid token: create a read-only one in NetBox under your "
        "user profile → API Tokens (a v2 nbt_… token needs NetBox >= 4.5)."
    )


class PermissionDeniedError(AuthError):
    """403 for one endpoint with a valid token: the token's user may not read that kind of object."""

    title = "Permission denied"
    template = "permission"
    default_hint = (
        "Ask a NetBox admin for view permission on these objects, or use a token of a user who has it."
    )


class NoTokenError(AuthError):
    """NetBox asks for a token and none was given: not a rejected token."""

    kind = "no_token"
    title = "No token set"
    default_hint = (
        "Set NETBOX_TOKEN (or token_file in the profile) to a read-only API token made in NetBox "
        "under your user profile."
    )


class NotFoundError(NetBoxError):
    kind = "not_found"
    title = "Not found"
    default_hint = "Check the name or id; the object may have been deleted or be outside your permissions."

    def __init__(
        self, message: str, hint: str | None = None, *, detail: Any = None, page: bool = False
    ) -> None:
        super().__init__(message, hint, detail=detail)
        # An HTML 404 page, not NetBox's JSON: NetBox lacks the endpoint (an older version, a plugin
        # not installed), or the URL is not NetBox's at all (then the client says `WrongURLError`).
        self.page = page


class WrongURLError(NetBoxError):
    """The base URL is not a NetBox API root: `<url>/api/` itself answers an HTML 404."""

    kind = "bad_url"
    title = "Not a NetBox URL"
    default_hint = (
        "Check NETBOX_URL: it is the address NetBox's web UI opens at, without /api (with its path prefix "
        "only if NetBox is served under one); `curl <url>/api/` must answer JSON."
    )


class BadFilterError(NetBoxError):
    """NetBox answered 400: its JSON body says which filter value it refused."""

    kind = "bad_filter"
    title = "NetBox refused a filter"
    default_hint = (
        "NetBox's message above names the filter and value it refused: rephrase with the exact name, "
        "or list the choices first."
    )


class UnknownFilterError(NetBoxError):
    """Refused before sending: NetBox would silently ignore the filter and return the whole table."""

    kind = "unknown_filter"
    title = "Unknown filter"
    default_hint = (
        "This filter does not exist on that endpoint; NetBox would ignore it and return everything."
    )


class ServerError(NetBoxError):
    kind = "server"
    title = "NetBox server error"
    default_hint = "NetBox failed on its side (5xx); retry in a moment or check the NetBox server logs."


class RateLimitedError(ServerError):
    """429: NetBox (or a proxy in front of it) asks this client to slow down. Not a server failure."""

    kind = "rate_limited"
    title = "NetBox is rate-limiting"
    default_hint = (
        "NetBox asked this client to slow down (429): wait a moment and retry, or lower "
        "`concurrency` in the profile."
    )


class InvalidResponseError(NetBoxError):
    kind = "invalid_response"
    title = "Unexpected answer"
    default_hint = (
        "The URL may point at something that is not the NetBox API (a proxy or login page); check NETBOX_URL."
    )


class ResponseTooLargeError(NetBoxError):
    kind = "too_large"
    title = "Response too large"
    default_hint = "Narrow the question (a site, a device, a status) or raise max_response_mb."


class WriteRefusedError(NetBoxError):
    """netbox-tui is read-only by construction."""

    kind = "write_refused"
    title = "Read-only"
    default_hint = "netbox-tui only reads from NetBox; make changes in NetBox itself."
