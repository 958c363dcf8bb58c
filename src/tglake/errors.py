"""The one exception tree of tglake.

    TglakeError                      base: the CLI prints ``Error: <message>`` and exits 1
    ├── ConfigError                  a setting is missing or malformed (terminal)
    ├── InvalidUpdateError           not JSON / not an object / no integer update_id (→ 400)
    ├── BadSecretError               webhook secret header missing or wrong (→ 401)
    ├── PayloadTooLargeError         body over the 1 MiB limit (→ 413)
    ├── StorageError                 base of storage failures
    │   ├── ObjectNotFoundError      a key that is not there (terminal)
    │   ├── ObjectExistsError        put-if-absent met an existing key (handled above the port)
    │   └── StorageUnavailableError  store unreachable or failing (transient → 503, retried)
    ├── CorruptRawFileError          a raw object is not a valid update (becomes an ETL reject)
    ├── InvalidExportError           a file that is not a readable Telegram Desktop JSON export
    ├── EmptyResultError             an empty lake or period where data was expected (terminal)
    ├── CandidateDataError           TSE input files that do not read as documented (terminal)
    ├── QueryError                   a SQL query was refused by the engine (terminal)
    └── TelegramApiError             the Bot API said ``ok: false`` or could not be reached

*Terminal* errors describe the input and will fail the same way on retry; *transient* ones
describe the environment, and a retry (Telegram's, EventBridge's, the user's) may succeed.
"""

from __future__ import annotations


class TglakeError(Exception):
    """Base class: every error tglake raises on purpose."""

    transient = False


class ConfigError(TglakeError):
    """A setting is missing or malformed."""


class InvalidUpdateError(TglakeError):
    """The body is not a Telegram Update we can store."""


class BadSecretError(TglakeError):
    """The ``X-Telegram-Bot-Api-Secret-Token`` header is missing or wrong."""


class PayloadTooLargeError(TglakeError):
    """The body is larger than the webhook accepts."""


class StorageError(TglakeError):
    """Base of storage failures."""


class ObjectNotFoundError(StorageError):
    """The key does not exist in the store."""


class ObjectExistsError(StorageError):
    """put-if-absent found the key already written."""


class StorageUnavailableError(StorageError):
    """The store could not be reached, read or written; retrying later may work."""

    transient = True


class CorruptRawFileError(TglakeError):
    """A raw object cannot be parsed as an update."""


class InvalidExportError(TglakeError):
    """The file given to ``tglake import export`` is not a complete Telegram Desktop JSON export
    (an HTML export, a truncated file, another JSON document); nothing was imported."""


class EmptyResultError(TglakeError):
    """There is no data where data was expected (an empty lake or period)."""


class CandidateDataError(TglakeError):
    """A TSE input file (vote report, polling places, consulta_cand) is not as documented."""


class QueryError(TglakeError):
    """The SQL engine refused a query (a syntax error, an unknown column)."""


class TelegramApiError(TglakeError):
    """The Bot API answered ``ok: false`` or could not be reached."""

    def __init__(
        self, message: str, *, error_code: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.error_code = error_code
        self.retry_after = retry_after

    @property
    def transient(self) -> bool:  # type: ignore[override]
        return self.error_code is None or self.error_code == 429 or self.error_code >= 500
