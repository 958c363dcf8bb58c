"""Settings from a mapping: defaults, overrides, secrets that never show."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from tglake.adapters.console_logging import RedactingFilter
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


def test_the_log_level_is_one_of_four_in_any_case() -> None:
    assert Settings.from_env({}).log_level == "INFO"
    assert Settings.from_env({"TGLAKE_LOG_LEVEL": "debug"}).log_level == "DEBUG"
    with pytest.raises(ConfigError, match=r"^TGLAKE_LOG_LEVEL must be one of DEBUG, INFO, "):
        Settings.from_env({"TGLAKE_LOG_LEVEL": "chatty"})


def test_the_bots_username_may_come_with_its_at_and_must_be_a_username() -> None:
    assert Settings.from_env({"TGLAKE_BOT_USERNAME": " @MogiEleicoesBot "}).bot_username == (
        "MogiEleicoesBot"
    )
    assert Settings.from_env({}).bot_username is None
    with pytest.raises(ConfigError, match=r"^TGLAKE_BOT_USERNAME must be the bot's username"):
        Settings.from_env({"TGLAKE_BOT_USERNAME": "mogi bot"})


def test_unknown_timezone_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="not a known IANA time zone"):
        Settings.from_env({"TGLAKE_TIMEZONE": "Mars/Olympus"})


def test_secrets_never_show_in_repr() -> None:
    settings = Settings.from_env(
        {
            "TGLAKE_BOT_TOKEN": "123:SECRETTOKEN",
            "TGLAKE_WEBHOOK_SECRET": "hook-secret-0123456789",
            "TGLAKE_PSEUDONYM_KEY": "pseudo-key-0123456789abcdef012345",
        }
    )
    text = repr(settings) + str(settings)
    for value in ("SECRETTOKEN", "hook-secret-0123456789", "pseudo-key"):
        assert value not in text
    assert settings.bot_token == Secret("123:SECRETTOKEN")
    assert sorted(settings.secrets()) == [
        "123:SECRETTOKEN",
        "hook-secret-0123456789",
        "pseudo-key-0123456789abcdef012345",
    ]


def test_dotenv_reads_quoted_values_and_skips_comments(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text('# comment\nexport TGLAKE_LAKE="/data/lake"\nTGLAKE_TIMEZONE=UTC\nnoise\n')
    assert read_dotenv(env) == {"TGLAKE_LAKE": "/data/lake", "TGLAKE_TIMEZONE": "UTC"}
    assert read_dotenv(tmp_path / "missing") == {}


@pytest.mark.parametrize(
    ("secret", "message"),
    [
        ("x", "TGLAKE_WEBHOOK_SECRET is 1 characters long: use at least 16"),
        ("fifteen-chars-x", "TGLAKE_WEBHOOK_SECRET is 15 characters long: use at least 16"),
        ("sixteen chars ok", "TGLAKE_WEBHOOK_SECRET may hold only A-Z, a-z, 0-9, _ and -"),
        ("ação-secreta-longa", "TGLAKE_WEBHOOK_SECRET may hold only A-Z, a-z, 0-9, _ and -"),
        ("a" * 257, "TGLAKE_WEBHOOK_SECRET may hold only A-Z, a-z, 0-9, _ and -"),
    ],
)
def test_a_webhook_secret_not_worth_the_name_is_refused_at_start_up(
    secret: str, message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"TGLAKE_WEBHOOK_SECRET": secret})
    assert str(caught.value).startswith(message)
    assert str(caught.value).endswith("`tglake webhook secret` prints a fresh one")
    assert secret not in str(caught.value)


def test_sixteen_characters_of_telegrams_alphabet_are_accepted() -> None:
    settings = Settings.from_env({"TGLAKE_WEBHOOK_SECRET": "Ab0_-Ab0_-Ab0_-x"})
    assert settings.webhook_secret == Secret("Ab0_-Ab0_-Ab0_-x")


def test_report_token_and_fsync_settings() -> None:
    settings = Settings.from_env(
        {"TGLAKE_REPORT_TOKEN": "rpt-token-0123456789", "TGLAKE_FSYNC": "1"}
    )
    assert settings.report_token == Secret("rpt-token-0123456789")
    assert settings.fsync is True
    assert "rpt-token-0123456789" in settings.secrets()
    assert "rpt-token-0123456789" not in repr(settings)
    assert Settings.from_env({}).fsync is False
    assert Settings.from_env({"TGLAKE_FSYNC": "0"}).fsync is False
    assert Settings.from_env({}, fsync=True).fsync is True
    with pytest.raises(ConfigError, match="TGLAKE_FSYNC must be on or off"):
        Settings.from_env({"TGLAKE_FSYNC": "always"})


def test_log_redaction_stays_readable_and_masks_every_secret() -> None:
    """A filter masking a one-letter secret would star out that letter in every line; the
    validation above makes that impossible, and a real secret is masked whole."""
    secret = "Zq9-unguessable-webhook-secret"
    settings = Settings.from_env(
        {"TGLAKE_WEBHOOK_SECRET": secret, "TGLAKE_REPORT_TOKEN": "report-token-value"}
    )
    record = logging.LogRecord(
        "tglake",
        logging.INFO,
        __file__,
        1,
        "header %s and %s; a plain line",
        (secret, "report-token-value"),
        None,
    )
    RedactingFilter(settings.secrets()).filter(record)
    assert record.getMessage() == "header ********** and **********; a plain line"
