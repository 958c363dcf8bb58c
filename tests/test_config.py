"""Settings from a mapping: defaults, overrides, secrets that never show."""

from __future__ import annotations

from pathlib import Path

import pytest

from tglake.config import Secret, Settings, read_dotenv
from tglake.errors import ConfigError


def test_a_fresh_machine_needs_no_setting() -> None:
    settings = Settings.from_env({})
    assert settings.lake == "./lake"
    assert settings.raw_uri == "./lake/raw"
    assert settings.enriched_uri == "./lake/enriched"
    assert settings.timezone == "America/Sao_Paulo"
    assert settings.webhook_secret is None
    assert settings.allowed_chat_ids == frozenset()


def test_zones_follow_the_lake_unless_given() -> None:
    settings = Settings.from_env({"TGLAKE_LAKE": "s3://bucket/pre/"})
    assert settings.raw_uri == "s3://bucket/pre/raw"
    settings = Settings.from_env({"TGLAKE_LAKE": "/l", "TGLAKE_RAW_URI": "s3://raw-bucket"})
    assert settings.raw_uri == "s3://raw-bucket"
    assert settings.enriched_uri == "/l/enriched"


def test_cli_flag_overrides_environment() -> None:
    settings = Settings.from_env({"TGLAKE_LAKE": "/from-env"}, lake="/from-flag")
    assert settings.raw_uri == "/from-flag/raw"


def test_environment_wins_over_dotenv() -> None:
    settings = Settings.from_env(
        {"TGLAKE_TIMEZONE": "UTC"}, {"TGLAKE_TIMEZONE": "Europe/Lisbon", "TGLAKE_LAKE": "/d"}
    )
    assert settings.timezone == "UTC"
    assert settings.lake == "/d"


def test_allowed_chat_ids_parse_and_reject_garbage() -> None:
    settings = Settings.from_env({"TGLAKE_ALLOWED_CHAT_IDS": "-100123, 42"})
    assert settings.allowed_chat_ids == frozenset({-100123, 42})
    with pytest.raises(ConfigError, match="comma-separated integers"):
        Settings.from_env({"TGLAKE_ALLOWED_CHAT_IDS": "abc"})


def test_on_off_settings_parse_and_reject_garbage() -> None:
    assert (Settings().keep_names, Settings().bot_replies) == (False, True)
    on = Settings.from_env({"TGLAKE_KEEP_NAMES": " ON ", "TGLAKE_BOT_REPLIES": "0"})
    assert (on.keep_names, on.bot_replies) == (True, False)
    with pytest.raises(ConfigError, match=r"^TGLAKE_BOT_REPLIES must be on or off, not 'nope'$"):
        Settings.from_env({"TGLAKE_BOT_REPLIES": "nope"})


def test_unknown_timezone_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="not a known IANA time zone"):
        Settings.from_env({"TGLAKE_TIMEZONE": "Mars/Olympus"})


def test_secrets_never_show_in_repr() -> None:
    settings = Settings.from_env(
        {
            "TGLAKE_BOT_TOKEN": "123:SECRETTOKEN",
            "TGLAKE_WEBHOOK_SECRET": "hook-secret",
            "TGLAKE_PSEUDONYM_KEY": "pseudo-key",
        }
    )
    text = repr(settings) + str(settings)
    for value in ("SECRETTOKEN", "hook-secret", "pseudo-key"):
        assert value not in text
    assert settings.bot_token == Secret("123:SECRETTOKEN")
    assert sorted(settings.secrets()) == ["123:SECRETTOKEN", "hook-secret", "pseudo-key"]


def test_dotenv_reads_quoted_values_and_skips_comments(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text('# comment\nexport TGLAKE_LAKE="/data/lake"\nTGLAKE_TIMEZONE=UTC\nnoise\n')
    assert read_dotenv(env) == {"TGLAKE_LAKE": "/data/lake", "TGLAKE_TIMEZONE": "UTC"}
    assert read_dotenv(tmp_path / "missing") == {}
