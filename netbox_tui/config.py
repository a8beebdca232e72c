"""Settings: defaults < TOML file < environment < command-line flags, validated by pydantic.

A bad value is reported in one line naming the key, what is wrong and the expected form. Tokens
are `SecretStr`: dumps and errors show them masked.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any, Mapping, Optional

import platformdirs
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_serializer,
    field_validator,
)

from netbox_tui.errors import ConfigError
from netbox_tui.secrets import auth_header

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

APP = "netbox-tui"

# Cache TTLs per kind of data, in seconds (the table; overridable under [cache.ttl]).
DEFAULT_TTL = {
    "device": 3600,
    "interface": 300,
    "vlan": 1800,
    "cable": 7200,
    "utilisation": 60,
    "names": 3600,
    "default": 300,
}

_SECRET_KEYS = {"token", "api_key"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class NetBoxProfile(_Strict):
    url: Optional[str] = Field(None, description="http(s)://host[:port] of NetBox, without /api")
    token: Optional[SecretStr] = Field(
        None, description="a v1 token (40 characters) or v2 nbt_<key>.<secret>"
    )
    token_file: Optional[Path] = Field(None, description="path of a file holding only the token")
    verify_tls: bool = Field(True, description="true or false")
    ca_bundle: Optional[Path] = Field(None, description="path of a PEM CA bundle")
    timeout_connect: float = Field(5.0, gt=0, description="seconds, e.g. 5")
    timeout_read: float = Field(30.0, gt=0, description="seconds, e.g. 30")
    deadline: float = Field(
        30.0, gt=0, description="seconds one question may take in all (requests, retries, fallbacks), e.g. 30"
    )
    max_connections: int = Field(20, ge=1, le=200, description="an integer 1-200")
    max_keepalive: int = Field(10, ge=0, le=200, description="an integer 0-200")
    max_attempts: int = Field(3, ge=1, le=10, description="an integer 1-10")
    backoff_base: float = Field(0.5, ge=0, description="seconds, first retry delay")
    retry_after_max: float = Field(
        30.0, ge=0, description="seconds, longest Retry-After waited for; a longer one ends the request"
    )
    concurrency: int = Field(8, ge=1, le=64, description="parallel requests, an integer 1-64")
    max_response_mb: float = Field(50.0, gt=0, description="megabytes, e.g. 50")
    max_request_line: int = Field(4000, ge=512, description="bytes; gunicorn refuses lines over 4094")

    @field_validator("url")
    @classmethod
    def _url(cls, v: Optional[str]) -> Optional[str]:
        if v is None or v == "":
            return None
        v = v.strip().rstrip("/")
        if v.endswith("/api"):
            v = v[: -len("/api")]
        if not (v.startswith("http://") or v.startswith("https://")) or len(v.split("://", 1)[1]) == 0:
            raise ValueError("not an http(s) URL")
        return v

    def resolved_token(self) -> Optional[str]:
        """The token from `token` or `token_file`; raises ConfigError if the file cannot be read."""
        if self.token is not None and self.token.get_secret_value().strip():
            return self.token.get_secret_value().strip()
        if self.token_file is not None:
            path = self.token_file.expanduser()
            try:
                value = path.read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise ConfigError(
                    f"token_file = {str(path)!r}: cannot be read ({exc.strerror or exc})",
                    "Point token_file at a readable file holding only the token.",
                ) from None
            if not value:
                raise ConfigError(f"token_file = {str(path)!r}: the file is empty", "Put the token in it.")
            return value
        return None

    def check_token(self) -> None:
        token = self.resolved_token()
        if token is not None:
            auth_header(token)  # raises ConfigError naming the expected form


class CacheSettings(_Strict):
    enabled: bool = Field(True, description="true or false")
    dir: Optional[Path] = Field(None, description="a directory path (default: the XDG cache dir)")
    size_limit_mb: int = Field(256, ge=1, description="megabytes, an integer")
    ttl: dict[str, int] = Field(
        default_factory=dict, description="seconds per kind: " + ", ".join(DEFAULT_TTL)
    )
    url: Optional[str] = Field(None, description="a Redis URL for a shared cache, e.g. redis://host:6379/0")

    @field_validator("url")
    @classmethod
    def _url(cls, v: Optional[str]) -> Optional[str]:
        v = (v or "").strip() or None
        if v is not None and not v.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("not a redis://, rediss:// or unix:// URL")
        return v

    @field_serializer("url", when_used="json")
    def _url_shown(self, v: Optional[str]) -> Optional[str]:
        return re.sub(r"//[^/@]*@", "//****@", v) if v else v  # a password in the URL is never printed

    @field_validator("ttl")
    @classmethod
    def _ttl(cls, v: dict[str, int]) -> dict[str, int]:
        unknown = sorted(set(v) - set(DEFAULT_TTL))
        if unknown:
            raise ValueError(f"unknown kind {unknown[0]!r}")
        if any(x < 0 for x in v.values()):
            raise ValueError("a TTL must be >= 0")
        return v

    def ttl_for(self, kind: str) -> int:
        merged = {**DEFAULT_TTL, **self.ttl}
        return merged.get(kind, merged["default"])

    def directory(self) -> Path:
        return (self.dir.expanduser() if self.dir else Path(platformdirs.user_cache_dir(APP))) / "v1"


class LLMSettings(_Strict):
    api_key: Optional[SecretStr] = Field(None, description="an API key; OPENAI_API_KEY in the environment")
    base_url: Optional[str] = Field(None, description="an OpenAI-compatible base URL, e.g. http://127.0.0.1:8080/v1")
    model: str = Field("gpt-4o-mini", min_length=1, description="a model name")
    temperature: float = Field(0.1, ge=0, le=2, description="a number 0-2")
    timeout: float = Field(10.0, gt=0, description="seconds")
    token_budget: int = Field(
        4000, ge=200, le=1_000_000, description="tokens per LLM request, an integer >= 200"
    )

    @property
    def enabled(self) -> bool:
        return bool((self.api_key and self.api_key.get_secret_value()) or self.base_url)


class UISettings(_Strict):
    page_size: int = Field(25, ge=1, le=1000, description="rows per page, 1-1000")
    theme: str = Field("textual-dark", description="a Textual theme name")
    step_timeout: float = Field(30.0, gt=0, description="seconds before a step falls back")


class MCPSettings(_Strict):
    token_budget: int = Field(
        2000, ge=200, le=100_000, description="tokens per tool result (tiktoken), an integer 200-100000"
    )
    tables: int = Field(64, ge=1, le=10_000, description="tables kept for paging handles, an integer 1-10000")


class Settings(_Strict):
    default_profile: Optional[str] = Field(None, description="name of a [netbox.NAME] section")
    netbox: dict[str, NetBoxProfile] = Field(default_factory=dict)
    cache: CacheSettings = Field(default_factory=CacheSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    ui: UISettings = Field(default_factory=UISettings)
    mcp: MCPSettings = Field(default_factory=MCPSettings)
    # Chosen at load time, not written in the file.
    profile: str = Field("default", description="profile name")

    def active(self) -> NetBoxProfile:
        return self.netbox.get(self.profile) or NetBoxProfile()

    def safe_dump(self) -> dict[str, Any]:
        """A dump fit to print: secrets masked by pydantic, never revealed."""
        return self.model_dump(mode="json")


def default_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP)) / "config.toml"


# Environment variable -> dotted key in the settings tree ("{profile}" is the active profile).
ENV_KEYS = {
    "NETBOX_URL": "netbox.{profile}.url",
    "NETBOX_TOKEN": "netbox.{profile}.token",
    "NETBOX_TOKEN_FILE": "netbox.{profile}.token_file",
    "NETBOX_CA_BUNDLE": "netbox.{profile}.ca_bundle",
    "OPENAI_API_KEY": "llm.api_key",
    "OPENAI_BASE_URL": "llm.base_url",
    "NETBOX_TUI_MODEL": "llm.model",
    "NETBOX_TUI_CACHE_DIR": "cache.dir",
    "NETBOX_TUI_CACHE_URL": "cache.url",
    "NETBOX_TUI_PAGE_SIZE": "ui.page_size",
}


def _set(tree: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    node = tree
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child
    node[parts[-1]] = value


def _format_error(err: ValidationError, data: Mapping[str, Any]) -> ConfigError:
    first = err.errors()[0]
    loc = ".".join(str(p) for p in first["loc"])
    last = str(first["loc"][-1]) if first["loc"] else ""
    value = first.get("input")
    shown = "****" if last in _SECRET_KEYS else repr(value)
    msg = str(first["msg"]).removeprefix("Value error, ")
    expected = _expected_form(first["loc"])
    line = f"config: {loc} = {shown}: {msg}" if first["type"] != "missing" else f"config: {loc}: {msg}"
    if first["type"] == "extra_forbidden":
        line = f"config: {loc}: unknown key"
        expected = "a key documented in config.example.toml"
    return ConfigError(line, f"expected {expected}" if expected else None)


def _expected_form(loc: tuple[Any, ...]) -> str:
    model: Any = Settings
    for part in loc:
        fields = getattr(model, "model_fields", None)
        if not fields:
            if model is Settings.model_fields["netbox"].annotation or isinstance(part, str) and model is dict:
                model = NetBoxProfile
            continue
        if part == "netbox" and model is Settings:
            model = dict
            continue
        field = fields.get(part) if isinstance(part, str) else None
        if field is None:
            return ""
        ann = field.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            model = ann
        else:
            return field.description or ""
    return ""


def load_settings(
    config_path: Optional[Path] = None,
    profile: Optional[str] = None,
    overrides: Optional[Mapping[str, Any]] = None,
    env: Optional[Mapping[str, str]] = None,
) -> Settings:
    """Merge defaults, the TOML file, the environment and CLI overrides (dotted keys), then validate."""
    env = os.environ if env is None else env
    explicit = config_path is not None
    path = Path(config_path).expanduser() if config_path else default_config_path()
    data: dict[str, Any] = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(
                f"config: {path}: cannot be read ({exc})", "Check the file's permissions."
            ) from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(
                f"config: {path}: not valid TOML ({exc})", "Compare it with config.example.toml."
            ) from None
    elif explicit:
        raise ConfigError(f"config: {path}: no such file", "Pass an existing file to --config, or omit it.")

    chosen = profile or env.get("NETBOX_TUI_PROFILE") or data.get("default_profile")
    netbox = data.get("netbox")
    profiles: dict[str, Any] = netbox if isinstance(netbox, dict) else {}
    if chosen is None:
        chosen = next(iter(profiles), "default")
    # A profile asked for by name must exist, config file or not: answering from the demo instead would
    # look like an answer from that NetBox. A URL given with it (NETBOX_URL, --url) defines it.
    asked = profile or env.get("NETBOX_TUI_PROFILE")
    url_given = env.get("NETBOX_URL") or (overrides or {}).get("netbox.{profile}.url")
    if asked and asked not in profiles and not url_given:
        names = ", ".join(sorted(profiles))
        hint = (
            f"expected one of: {names}" if names else f"no profile is defined in {path}; add [netbox.{asked}]"
        )
        raise ConfigError(f"config: profile {asked!r} is not defined", hint)
    data["profile"] = chosen

    for var, dotted in ENV_KEYS.items():
        if env.get(var):
            _set(data, dotted.format(profile=chosen), env[var])
    for dotted, value in (overrides or {}).items():
        if value is not None:
            _set(data, dotted.format(profile=chosen), value)

    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        raise _format_error(exc, data) from None
    settings.active().check_token()
    return settings
