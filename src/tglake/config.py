"""Settings: one typed spec, defaults in one place, built from a Mapping.

``Settings.from_env(os.environ)`` is called only at the edges (CLI, Lambda handler); tests pass
plain dicts. Secrets are wrapped in :class:`Secret` so that a stray ``repr`` or log line shows
``'**********'`` instead of the value.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tglake.errors import ConfigError

DEFAULT_LAKE = "./lake"
DEFAULT_TIMEZONE = "America/Sao_Paulo"
DEFAULT_TELEGRAM_API_URL = "https://api.telegram.org"
MAX_BODY_BYTES = 1024 * 1024
DEFAULT_SESSION_GAP_MINUTES = 30
"""A person's silence that ends a session with the bot: the web analytics default (GA4)."""
SESSION_GAP_MAX = 1440
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
_BOT_USERNAME = re.compile(r"[A-Za-z0-9_]{5,32}")
WEBHOOK_SECRET_MIN = 16
PSEUDONYM_KEY_MIN = 32
"""Shortest webhook secret accepted: Telegram allows 1 character, a guessable door."""
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
"""Characters and length Telegram allows in setWebhook's ``secret_token``."""
_TRUE = frozenset({"1", "true", "yes", "on"})
_TABLE_NAME = re.compile(r"[A-Za-z0-9_.-]{3,255}")
"""What DynamoDB accepts as a table name."""


class Secret:
    """A string that never shows itself in ``repr``/``str``; call :meth:`reveal` to use it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


def _secret(value: str | None) -> Secret | None:
    return Secret(value) if value else None


def check_webhook_secret(value: str, name: str = "TGLAKE_WEBHOOK_SECRET") -> str:
    """``value`` when it is a secret worth the name: 16-256 characters of Telegram's
    ``A-Z a-z 0-9 _ -`` alphabet (a short one could be guessed, and a log filter that masks it
    would mask that letter in every line); else a ConfigError that says how to make one."""
    hint = "; `tglake webhook secret` prints a fresh one"
    if not _WEBHOOK_SECRET.fullmatch(value):
        raise ConfigError(
            f"{name} may hold only A-Z, a-z, 0-9, _ and - (Telegram's alphabet for "
            f"secret_token), at most 256 of them{hint}"
        )
    if len(value) < WEBHOOK_SECRET_MIN:
        raise ConfigError(
            f"{name} is {len(value)} characters long: use at least {WEBHOOK_SECRET_MIN}{hint}"
        )
    return value


def _username(value: str | None) -> str | None:
    """A bot's username as people write it: ``@MogiEleicoesBot`` or ``MogiEleicoesBot``."""
    return (value or "").strip().removeprefix("@") or None


def check_pseudonym_key(value: str, name: str = "TGLAKE_PSEUDONYM_KEY") -> str:
    """``value`` when it is long enough to be a key: whoever knows one person's id and
    ``user_key`` can try short keys until one gives the same hash, then name everyone."""
    if len(value) < PSEUDONYM_KEY_MIN:
        raise ConfigError(
            f"{name} is {len(value)} characters long: use at least {PSEUDONYM_KEY_MIN} "
            "(python3 -c 'import secrets; print(secrets.token_hex(32))'); a new key gives "
            "everyone a new user_key"
        )
    return value


def check_context_table(value: str, name: str = "TGLAKE_CONTEXT_TABLE") -> str:
    """``value`` when DynamoDB would accept it as a table name, else a ConfigError."""
    if not _TABLE_NAME.fullmatch(value):
        raise ConfigError(
            f"{name} must be a DynamoDB table name (3 to 255 of A-Z, a-z, 0-9, _ . -), "
            f"not {value!r}"
        )
    return value


def _check_report_token(token: Secret, webhook_secret: Secret | None) -> None:
    """The report's bearer token: long enough not to be guessed, and not the webhook secret
    (which Telegram holds, and which must open nothing but ``POST /webhook``)."""
    if len(token.reveal()) < WEBHOOK_SECRET_MIN:
        raise ConfigError(
            f"TGLAKE_REPORT_TOKEN is {len(token.reveal())} characters long: use at least "
            f"{WEBHOOK_SECRET_MIN} (python3 -c 'import secrets; print(secrets.token_urlsafe(32))')"
        )
    if token == webhook_secret:
        raise ConfigError("TGLAKE_REPORT_TOKEN must differ from TGLAKE_WEBHOOK_SECRET")


def _flag(name: str, env: Mapping[str, str], *, default: bool) -> bool:
    """An on/off variable: 1/true/on/yes or 0/false/off/no (any case); unset or empty = default."""
    value = env.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "on", "yes"):
        return True
    if value in ("0", "false", "off", "no"):
        return False
    raise ConfigError(f"{name} must be on or off, not {value!r}")


def check_session_gap(minutes: int, name: str = "TGLAKE_SESSION_GAP_MINUTES") -> int:
    """``minutes`` when it is a whole number of minutes from 1 to a day (1440)."""
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise ConfigError(f"{name} must be a whole number of minutes, not {minutes!r}")
    if not 1 <= minutes <= SESSION_GAP_MAX:
        raise ConfigError(f"{name} must be from 1 to {SESSION_GAP_MAX} minutes, not {minutes}")
    return minutes


def _minutes(name: str, env: Mapping[str, str], default: int) -> int:
    value = env.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number of minutes, not {value!r}") from exc


def _chat_ids(value: str | None) -> frozenset[int]:
    if not value or not value.strip():
        return frozenset()
    try:
        return frozenset(int(part) for part in value.replace(" ", "").split(",") if part)
    except ValueError as exc:
        raise ConfigError(
            f"TGLAKE_ALLOWED_CHAT_IDS must be comma-separated integers, got {value!r}"
        ) from exc


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"TGLAKE_TIMEZONE {name!r} is not a known IANA time zone") from exc


def join_uri(base: str, *parts: str) -> str:
    """Join a folder path or ``s3://`` URI with sub-paths, without doubling slashes."""
    base = base.rstrip("/")
    tail = "/".join(p.strip("/") for p in parts if p)
    return f"{base}/{tail}" if tail else base


def read_dotenv(path: Path) -> dict[str, str]:
    """Read ``KEY=VALUE`` lines (quotes stripped, ``#`` comments skipped); missing file = {}."""
    if not path.is_file():
        return {}
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.removeprefix("export ").partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


@dataclasses.dataclass(frozen=True)
class Settings:
    """Everything tglake can be told; every field has a working default but the secrets."""

    lake: str = DEFAULT_LAKE
    """Root of the lake: a folder or ``s3://bucket/prefix``."""
    raw_uri: str = ""
    """Raw zone; empty means ``<lake>/raw``."""
    enriched_uri: str = ""
    """Enriched zone; empty means ``<lake>/enriched``."""
    bot_token: Secret | None = None
    """Bot API token: needed only to talk to Telegram."""
    webhook_secret: Secret | None = None
    """The ``secret_token`` given to setWebhook; when unset, anyone may post (a warning says so)."""
    allowed_chat_ids: frozenset[int] = frozenset()
    """Chats whose updates are kept; empty keeps all."""
    timezone: str = DEFAULT_TIMEZONE
    """IANA zone that decides ``context_date`` and the daily run."""
    pseudonym_key: Secret | None = None
    """Key of the HMAC that turns user ids into ``user_key``."""
    telegram_api_url: str = DEFAULT_TELEGRAM_API_URL
    """Bot API base URL (a local Bot API server, or a stand-in in tests)."""
    aws_endpoint_url: str | None = None
    """Any S3-compatible endpoint (the standard AWS SDK variable)."""
    max_body_bytes: int = MAX_BODY_BYTES
    """Largest webhook body accepted."""
    keep_names: bool = False
    """The ETL keeps names, usernames and phone numbers (``tglake etl --keep-names``)."""
    bot_replies: bool = True
    """The webhook Lambda answers with the bot; off stores updates without answering."""
    report_token: Secret | None = None
    """Bearer token of ``GET /report``; unset, the route answers 404 (the report stays private)."""
    fsync: bool = False
    """fsync each local raw write and its folder before the 200 (survives a power cut)."""
    bot_username: str | None = None
    """The bot's @username (without the @): in groups it answers messages that mention it and
    ignores commands addressed to other bots. Unset, serve and poll ask Telegram (getMe)."""
    log_level: str = "INFO"
    """``DEBUG`` adds a line per delivery and per bot reply; ``INFO`` logs a server's
    deliveries as one summary line a minute."""
    context_table: str | None = None
    """DynamoDB table of conversations' contexts (the webhook Lambda's, set by the template;
    ``tglake forget`` erases a person's there too). Unset, they live in the process's memory."""
    session_gap_minutes: int = DEFAULT_SESSION_GAP_MINUTES
    """Silence, in minutes, after which a person's next turn with the bot starts a new session
    (the ``sessions``, ``resolution`` and ``reasks`` queries; ``--session-gap``)."""

    def __post_init__(self) -> None:
        _zone(self.timezone)  # fail early on a bad zone name
        if self.bot_username is not None and not _BOT_USERNAME.fullmatch(self.bot_username):
            raise ConfigError(
                "TGLAKE_BOT_USERNAME must be the bot's username: 5 to 32 of A-Z, a-z, 0-9 and _ "
                f"(an @ in front is fine), not {self.bot_username!r}"
            )
        if self.log_level not in LOG_LEVELS:
            raise ConfigError(
                f"TGLAKE_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {self.log_level!r}"
            )
        check_session_gap(self.session_gap_minutes)
        if self.webhook_secret is not None:
            check_webhook_secret(self.webhook_secret.reveal())
        if self.pseudonym_key is not None:
            check_pseudonym_key(self.pseudonym_key.reveal())
        if self.report_token is not None:
            _check_report_token(self.report_token, self.webhook_secret)
        if self.context_table is not None:
            check_context_table(self.context_table)
        if not self.raw_uri:
            object.__setattr__(self, "raw_uri", join_uri(self.lake, "raw"))
        if not self.enriched_uri:
            object.__setattr__(self, "enriched_uri", join_uri(self.lake, "enriched"))

    @property
    def tz(self) -> ZoneInfo:
        return _zone(self.timezone)

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str], dotenv: Mapping[str, str] | None = None, **overrides: Any
    ) -> Settings:
        """Build from environment variables (``dotenv`` values first, ``environ`` wins), then
        apply ``overrides`` whose value is not None (CLI flags)."""
        env = {**(dotenv or {}), **environ}
        values: dict[str, Any] = {
            "lake": env.get("TGLAKE_LAKE") or DEFAULT_LAKE,
            "raw_uri": env.get("TGLAKE_RAW_URI", ""),
            "enriched_uri": env.get("TGLAKE_ENRICHED_URI", ""),
            "bot_token": _secret(env.get("TGLAKE_BOT_TOKEN")),
            "webhook_secret": _secret(env.get("TGLAKE_WEBHOOK_SECRET")),
            "allowed_chat_ids": _chat_ids(env.get("TGLAKE_ALLOWED_CHAT_IDS")),
            "timezone": env.get("TGLAKE_TIMEZONE") or DEFAULT_TIMEZONE,
            "pseudonym_key": _secret(env.get("TGLAKE_PSEUDONYM_KEY")),
            "telegram_api_url": env.get("TGLAKE_TELEGRAM_API_URL") or DEFAULT_TELEGRAM_API_URL,
            "aws_endpoint_url": env.get("AWS_ENDPOINT_URL") or None,
            "keep_names": _flag("TGLAKE_KEEP_NAMES", env, default=False),
            "bot_replies": _flag("TGLAKE_BOT_REPLIES", env, default=True),
            "report_token": _secret(env.get("TGLAKE_REPORT_TOKEN")),
            "fsync": _flag("TGLAKE_FSYNC", env, default=False),
            "bot_username": _username(env.get("TGLAKE_BOT_USERNAME")),
            "log_level": (env.get("TGLAKE_LOG_LEVEL") or "INFO").upper(),
            "context_table": (env.get("TGLAKE_CONTEXT_TABLE") or "").strip() or None,
            "session_gap_minutes": _minutes(
                "TGLAKE_SESSION_GAP_MINUTES", env, DEFAULT_SESSION_GAP_MINUTES
            ),
        }
        for key, value in overrides.items():
            if value is None:
                continue
            if key in _SECRET_FIELDS and isinstance(value, str):
                value = _secret(value)
            values[key] = value
        if "lake" in overrides and overrides["lake"] is not None:
            # a --lake flag moves both zones unless they were given explicitly as flags
            values.setdefault("raw_uri", "")
            if "raw_uri" not in overrides:
                values["raw_uri"] = ""
            if "enriched_uri" not in overrides:
                values["enriched_uri"] = ""
        return cls(**values)

    def secrets(self) -> list[str]:
        """The secret values, for scrubbing output; never log what this returns."""
        values = (self.bot_token, self.webhook_secret, self.pseudonym_key, self.report_token)
        return [s.reveal() for s in values if s]


_SECRET_FIELDS = ("bot_token", "webhook_secret", "pseudonym_key", "report_token")
