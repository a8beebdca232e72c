"""Settings: precedence, profiles, token_file, masking, one-line errors, and config.example.toml."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel

from netbox_tui.config import (
    DEFAULT_TTL,
    ENV_KEYS,
    CacheSettings,
    LLMSettings,
    MCPSettings,
    NetBoxProfile,
    Settings,
    UISettings,
    default_config_path,
    load_settings,
)
from netbox_tui.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10
    import tomli as tomllib

V1 = "0123456789abcdef0123456789abcdef01234567"
V2 = "nbt_Ez6TDRTyTxrV.demoreadonlytoken0123456789abcdefghijklmn"
# A made-up secret that must never appear in any output.
SECRET_V1 = "5ecre75ecre75ecre75ecre75ecre75ecre7abcd"
SECRET_KEY = "sk-test-SECRETSECRETSECRET"
EXAMPLE = Path(__file__).resolve().parents[2] / "config.example.toml"


def write(tmp_path: Path, text: str, name: str = "config.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- precedence ---------------------------------------------------------------------------------


def test_defaults_with_nothing_configured():
    s = load_settings(env={})
    assert s.profile == "default"
    p = s.active()
    assert p.url is None and p.resolved_token() is None
    assert (p.timeout_connect, p.timeout_read) == (5.0, 30.0)
    assert (p.max_connections, p.max_keepalive, p.max_attempts) == (20, 10, 3)
    assert p.verify_tls is True
    assert s.cache.enabled and s.ui.page_size == 25
    assert not s.llm.enabled


def test_precedence_cli_over_env_over_toml_over_defaults(tmp_path):
    path = write(
        tmp_path,
        """
[netbox.default]
url = "http://from-toml"
timeout_read = 11
[ui]
page_size = 40
[llm]
model = "toml-model"
""",
    )
    env = {"NETBOX_URL": "http://from-env", "NETBOX_TUI_MODEL": "env-model"}
    s = load_settings(path, env=env, overrides={"netbox.{profile}.url": "http://from-cli"})
    assert s.active().url == "http://from-cli"  # CLI > env
    assert s.llm.model == "env-model"  # env > TOML
    assert s.ui.page_size == 40 and s.active().timeout_read == 11  # TOML > defaults
    assert s.active().timeout_connect == 5.0  # defaults
    assert load_settings(path, env=env).active().url == "http://from-env"
    assert load_settings(path, env={}).active().url == "http://from-toml"


def test_none_override_does_not_clobber(tmp_path):
    path = write(tmp_path, '[netbox.default]\nurl = "http://from-toml"\n')
    s = load_settings(path, env={}, overrides={"netbox.{profile}.url": None})
    assert s.active().url == "http://from-toml"


def test_default_config_path_is_under_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert default_config_path() == tmp_path / "netbox-tui" / "config.toml"
    (tmp_path / "netbox-tui").mkdir()
    (tmp_path / "netbox-tui" / "config.toml").write_text('[netbox.home]\nurl = "http://home"\n')
    s = load_settings(env={})
    assert s.profile == "home" and s.active().url == "http://home"


@pytest.mark.parametrize(
    "var,value,check",
    [
        ("NETBOX_URL", "https://nb.example.com/api/", lambda s: s.active().url == "https://nb.example.com"),
        ("NETBOX_TOKEN", V2, lambda s: s.active().resolved_token() == V2),
        ("NETBOX_CA_BUNDLE", "/etc/ssl/ca.pem", lambda s: s.active().ca_bundle == Path("/etc/ssl/ca.pem")),
        (
            "OPENAI_API_KEY",
            SECRET_KEY,
            lambda s: s.llm.api_key.get_secret_value() == SECRET_KEY and s.llm.enabled,
        ),
        (
            "OPENAI_BASE_URL",
            "http://127.0.0.1:8080/v1",
            lambda s: s.llm.base_url == "http://127.0.0.1:8080/v1",
        ),
        ("NETBOX_TUI_MODEL", "qwen", lambda s: s.llm.model == "qwen"),
        ("NETBOX_TUI_CACHE_DIR", "/tmp/nbc", lambda s: s.cache.dir == Path("/tmp/nbc")),
        ("NETBOX_TUI_PAGE_SIZE", "50", lambda s: s.ui.page_size == 50),
    ],
)
def test_environment_variables(var, value, check):
    assert var in ENV_KEYS
    assert check(load_settings(env={var: value}))


# -- profiles -----------------------------------------------------------------------------------

PROFILES = """
default_profile = "lab"

[netbox.prod]
url = "https://netbox.prod.example"
max_connections = 40

[netbox.lab]
url = "http://127.0.0.1:8000"
verify_tls = false
"""


def test_default_profile_from_file(tmp_path):
    s = load_settings(write(tmp_path, PROFILES), env={})
    assert s.profile == "lab"
    assert s.active().url == "http://127.0.0.1:8000" and s.active().verify_tls is False


def test_profile_flag_selects(tmp_path):
    s = load_settings(write(tmp_path, PROFILES), profile="prod", env={})
    assert s.profile == "prod"
    assert s.active().url == "https://netbox.prod.example" and s.active().max_connections == 40
    assert s.active().verify_tls is True


def test_profile_from_env_and_flag_wins(tmp_path):
    path = write(tmp_path, PROFILES)
    assert load_settings(path, env={"NETBOX_TUI_PROFILE": "prod"}).profile == "prod"
    assert load_settings(path, profile="lab", env={"NETBOX_TUI_PROFILE": "prod"}).profile == "lab"


def test_first_profile_when_no_default(tmp_path):
    path = write(tmp_path, PROFILES.replace('default_profile = "lab"', ""))
    assert load_settings(path, env={}).profile == "prod"


def test_env_applies_to_the_chosen_profile_only(tmp_path):
    s = load_settings(write(tmp_path, PROFILES), profile="prod", env={"NETBOX_URL": "https://override"})
    assert s.netbox["prod"].url == "https://override"
    assert s.netbox["lab"].url == "http://127.0.0.1:8000"


def test_unknown_profile_names_the_choices(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_settings(write(tmp_path, PROFILES), profile="staging", env={})
    assert "'staging'" in info.value.message
    assert "lab, prod" in info.value.hint


# -- tokens -------------------------------------------------------------------------------------


def test_token_file(tmp_path):
    token_file = write(tmp_path, f"  {V2}\n", "token")
    path = write(tmp_path, f'[netbox.lab]\nurl = "http://x"\ntoken_file = "{token_file}"\n')
    s = load_settings(path, env={})
    assert s.active().resolved_token() == V2


def test_token_beats_token_file(tmp_path):
    token_file = write(tmp_path, V2, "token")
    path = write(tmp_path, f'[netbox.lab]\nurl = "http://x"\ntoken_file = "{token_file}"\n')
    s = load_settings(path, env={"NETBOX_TOKEN": V1})
    assert s.active().resolved_token() == V1


def test_token_file_from_env_with_tilde(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    write(tmp_path, V1, "nb.token")
    s = load_settings(env={"NETBOX_TOKEN_FILE": "~/nb.token", "NETBOX_URL": "http://x"})
    assert s.active().resolved_token() == V1


@pytest.mark.parametrize("content,problem", [(None, "cannot be read"), ("", "empty")])
def test_token_file_problems_are_one_line(tmp_path, content, problem):
    token_file = tmp_path / "token"
    if content is not None:
        token_file.write_text(content)
    with pytest.raises(ConfigError) as info:
        load_settings(env={"NETBOX_TOKEN_FILE": str(token_file)})
    assert "token_file" in info.value.message and problem in info.value.message
    assert str(token_file) in info.value.message
    assert "\n" not in info.value.message


def test_token_file_with_bad_token_never_shows_it(tmp_path):
    token_file = write(tmp_path, SECRET_V1 + "zz", "token")
    with pytest.raises(ConfigError) as info:
        load_settings(env={"NETBOX_TOKEN_FILE": str(token_file)})
    assert SECRET_V1 not in str(info.value)
    assert "42-character" in info.value.message


@pytest.mark.parametrize("bad", [SECRET_V1[:-1], SECRET_V1 + "0", "nbt_" + SECRET_V1, f"nbt_{SECRET_V1}.a b"])
def test_malformed_token_error_never_contains_it(bad):
    with pytest.raises(ConfigError) as info:
        load_settings(env={"NETBOX_TOKEN": bad, "NETBOX_URL": "http://x"})
    text = str(info.value) + repr(info.value) + json.dumps(info.value.as_dict())
    assert SECRET_V1 not in text and SECRET_V1[:-1] not in text
    assert "v1" in info.value.message or "v2" in info.value.message
    assert "\n" not in info.value.message


@pytest.mark.parametrize(
    "toml",
    [
        "[netbox.p]\ntoken = 98765432109876543210\n",
        f'[netbox.p]\ntoken = ["{SECRET_V1}"]\n',
        f'[llm]\napi_key = ["{SECRET_KEY}"]\n',
        f'[netbox]\ntoken = "{SECRET_V1}"\n',  # token put directly under [netbox] by mistake
    ],
)
def test_validation_errors_mask_secret_values(tmp_path, toml):
    with pytest.raises(ConfigError) as info:
        load_settings(write(tmp_path, toml), env={})
    text = str(info.value)
    for secret in (SECRET_V1, SECRET_KEY, "98765432109876543210"):
        assert secret not in text
    assert "\n" not in info.value.message


def test_dumps_mask_every_secret(tmp_path):
    path = write(tmp_path, PROFILES)
    s = load_settings(path, profile="prod", env={"NETBOX_TOKEN": SECRET_V1, "OPENAI_API_KEY": SECRET_KEY})
    assert s.active().resolved_token() == SECRET_V1  # it is there…
    for shown in (json.dumps(s.safe_dump()), repr(s), str(s), repr(s.active()), s.model_dump_json()):
        assert SECRET_V1 not in shown  # …and never shown
        assert SECRET_KEY not in shown
    assert s.safe_dump()["netbox"]["prod"]["token"] == "**********"
    assert s.safe_dump()["llm"]["api_key"] == "**********"


def test_cli_config_command_masks_the_token(tmp_path, capsys):
    from netbox_tui.cli import main

    path = write(tmp_path, PROFILES)
    assert main(["config", "--config", str(path), "--profile", "prod", "--token", SECRET_V1]) == 0
    out = capsys.readouterr()
    assert SECRET_V1 not in out.out + out.err
    assert json.loads(out.out)["netbox"]["prod"]["url"] == "https://netbox.prod.example"


# -- one-line errors: key, problem, expected form -----------------------------------------------


@pytest.mark.parametrize(
    "toml,key,expected",
    [
        ("[netbox.prod]\ntimeout_read = -1\n", "netbox.prod.timeout_read = -1", "seconds"),
        ('[netbox.prod]\nurl = "ftp://nb"\n', "netbox.prod.url = 'ftp://nb'", "http(s)://host"),
        ("[netbox.prod]\nmax_connections = 500\n", "netbox.prod.max_connections = 500", "an integer 1-200"),
        ('[netbox.prod]\nverify_tls = "maybe"\n', "netbox.prod.verify_tls = 'maybe'", "true or false"),
        ("[ui]\npage_size = 0\n", "ui.page_size = 0", "rows per page, 1-1000"),
        ("[llm]\ntemperature = 5\n", "llm.temperature = 5", "a number 0-2"),
        ("[cache]\nsize_limit_mb = 0\n", "cache.size_limit_mb = 0", "megabytes"),
        ("[cache.ttl]\nrouters = 5\n", "cache.ttl", "seconds per kind"),
        ("[netbox.prod]\ntimout_read = 3\n", "netbox.prod.timout_read: unknown key", "config.example.toml"),
        ("[ui]\ncolour = 3\n", "ui.colour: unknown key", "config.example.toml"),
    ],
)
def test_bad_value_is_one_line_naming_key_problem_and_form(tmp_path, toml, key, expected):
    with pytest.raises(ConfigError) as info:
        load_settings(write(tmp_path, toml), env={})
    err = info.value
    assert err.message.startswith("config: ")
    assert key in err.message
    assert expected in err.hint and err.hint.startswith("expected ")
    assert "\n" not in err.message and "\n" not in err.hint
    assert len(str(err)) < 300


def test_bad_env_value_names_the_key():
    with pytest.raises(ConfigError) as info:
        load_settings(env={"NETBOX_TUI_PAGE_SIZE": "many"})
    assert "ui.page_size = 'many'" in info.value.message
    assert "rows per page" in info.value.hint


def test_not_toml_and_missing_file(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_settings(write(tmp_path, "[netbox.prod\nurl = 1"), env={})
    assert "not valid TOML" in info.value.message
    with pytest.raises(ConfigError) as info:
        load_settings(tmp_path / "nope.toml", env={})
    assert "no such file" in info.value.message


def test_url_is_normalised():
    assert NetBoxProfile(url=" https://nb.example.com/api/ ").url == "https://nb.example.com"
    assert NetBoxProfile(url="").url is None


# -- config.example.toml: validates, and documents every field -----------------------------------


def _example_sections() -> dict[str, set[str]]:
    """Keys per [section] in the example, counting commented-out `# key = value` lines too."""
    sections: dict[str, set[str]] = {"": set()}
    current = ""
    for raw in EXAMPLE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        header = re.match(r"^#?\s*\[([A-Za-z0-9_.]+)\]\s*(#.*)?$", line)
        if header:
            current = header.group(1)
            sections.setdefault(current, set())
            continue
        key = re.match(r"^#?\s*([A-Za-z_][A-Za-z0-9_]*)\s*=", line)
        if key:
            sections[current].add(key.group(1))
    return sections


def _fields(model: type[BaseModel]) -> set[str]:
    return set(model.model_fields)


@pytest.fixture
def example_home(tmp_path, monkeypatch):
    """HOME with the token files the example points at (the example shows token_file usage)."""
    monkeypatch.setenv("HOME", str(tmp_path))
    data = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    for profile in data["netbox"].values():
        if "token_file" in profile:
            path = Path(profile["token_file"]).expanduser()
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(V1)
    return data


def test_example_config_validates_for_every_profile(example_home):
    data = example_home
    assert {"prod", "lab"} <= set(data["netbox"])
    for name in data["netbox"]:
        s = load_settings(EXAMPLE, profile=name, env={})
        assert s.profile == name
        assert s.active().url
    default = load_settings(EXAMPLE, env={})
    assert default.profile == data.get("default_profile", next(iter(data["netbox"])))


def test_example_config_documents_every_field():
    sections = _example_sections()
    assert _fields(Settings) - {"netbox", "cache", "llm", "ui", "mcp", "profile"} <= sections[""], (
        "top-level keys"
    )
    for profile in ("netbox.prod", "netbox.lab"):
        assert profile in sections
    missing = _fields(NetBoxProfile) - sections["netbox.prod"]
    assert not missing, f"[netbox.prod] does not document {sorted(missing)}"
    for section, model in (
        ("cache", CacheSettings),
        ("llm", LLMSettings),
        ("ui", UISettings),
        ("mcp", MCPSettings),
    ):
        documented = sections.get(section, set()) | ({"ttl"} if "cache.ttl" in sections else set())
        missing = _fields(model) - documented
        assert not missing, f"[{section}] does not document {sorted(missing)}"
    assert set(DEFAULT_TTL) <= sections.get("cache.ttl", set())
    # `profile` is chosen at load time (--profile / NETBOX_TUI_PROFILE): the example says so.
    assert "--profile" in EXAMPLE.read_text(encoding="utf-8")


def test_example_config_shows_true_defaults():
    """Values set in [cache], [cache.ttl], [llm], [ui] and [mcp] are the real defaults, so the doc cannot
    lie."""
    data = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    for section, model in (
        ("cache", CacheSettings),
        ("llm", LLMSettings),
        ("ui", UISettings),
        ("mcp", MCPSettings),
    ):
        defaults = model().model_dump()
        for key, value in data.get(section, {}).items():
            if key == "ttl":
                assert value == DEFAULT_TTL
            else:
                assert value == defaults[key], f"[{section}] {key} = {value!r}, default is {defaults[key]!r}"


def test_example_config_mentions_every_env_var():
    text = EXAMPLE.read_text(encoding="utf-8")
    for var in [*ENV_KEYS, "NETBOX_TUI_PROFILE"]:
        assert var in text, var
