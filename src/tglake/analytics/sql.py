"""The query library: ``queries/*.sql`` files, their parameters, and the engines' dialect facts.

Each file holds one question, starts with a ``-- description`` line and reads views named like
the enriched tables (``messages``, ``callbacks``, …). Parameters are written ``$start``,
``$end`` (the period, inclusive, on ``context_date``), ``$tz`` (the IANA zone of
``TGLAKE_TIMEZONE``), ``$session_gap_minutes`` (``TGLAKE_SESSION_GAP_MINUTES``: the silence
that ends a session) and ``$stopwords`` (the pt-BR list shipped beside this module); they are
rendered as literals, after validation, so the same text runs on DuckDB and on Athena (Trino),
whose prepared statements differ. The SQL sticks to what both engines share; what differs
between them is kept as data in :class:`Dialect`, not as branches in the queries.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tglake.config import DEFAULT_SESSION_GAP_MINUTES, check_session_gap
from tglake.errors import ConfigError

_PARAM = re.compile(r"\$([a-z_]+)\b")


@dataclasses.dataclass(frozen=True)
class Dialect:
    """What differs between the engines that run the query library, and that code reads
    (habit 10). Differences the queries avoid instead are not fields: they use a portable ISO
    weekday and an exact median by window functions; DuckDB reads the UTC ``*_ts`` columns as
    TIMESTAMPTZ and ``context_date`` from the hive path, Athena as ``timestamp`` and by
    partition projection (see :mod:`tglake.analytics.athena_ddl`)."""

    name: str
    """Our name for the engine."""
    max_query_bytes: int
    """Longest query text the engine accepts."""
    translations: str | None = None
    """Folder under ``queries/`` with this engine's own text of a few queries, used instead of
    the shared file; a test runs both on DuckDB and requires the same rows."""

    def date_literal(self, day: dt.date) -> str:
        return f"DATE '{day.isoformat()}'"

    def string_literal(self, value: str) -> str:
        return "'" + value.replace("'", "''") + "'"


DUCKDB = Dialect(
    name="duckdb",
    max_query_bytes=2**31,
    translations="duckdb",
)
ATHENA = Dialect(
    name="athena",
    max_query_bytes=262_144,
)
DIALECTS = {d.name: d for d in (DUCKDB, ATHENA)}


@dataclasses.dataclass(frozen=True)
class Period:
    """Days from ``start`` to ``end`` inclusive, matched against the ``context_date`` partition."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ConfigError(f"--to {self.end} is before --from {self.start}")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclasses.dataclass(frozen=True)
class Query:
    """One question of the library."""

    name: str
    description: str
    text: str


def _queries_dir() -> resources.abc.Traversable:
    return resources.files("tglake.analytics").joinpath("queries")


@cache
def list_queries() -> tuple[Query, ...]:
    """Every query shipped with tglake, sorted by name."""
    found = []
    for entry in _queries_dir().iterdir():
        if entry.name.endswith(".sql"):
            text = entry.read_text(encoding="utf-8")
            first = text.splitlines()[0] if text else ""
            if not first.startswith("-- "):
                raise ValueError(f"{entry.name} must start with a '-- description' line")
            found.append(Query(entry.name.removesuffix(".sql"), first[3:].strip(), text))
    return tuple(sorted(found, key=lambda q: q.name))


def load_query(name: str) -> Query:
    """The query called ``name`` (ConfigError listing the known names when there is none)."""
    for query in list_queries():
        if query.name == name:
            return query
    known = ", ".join(q.name for q in list_queries())
    raise ConfigError(f"no query named {name!r}; known queries: {known}")


@cache
def for_dialect(query: Query, dialect: Dialect) -> Query:
    """The dialect's checked translation of ``query`` when it has one, else ``query``."""
    if dialect.translations is None:
        return query
    entry = _queries_dir().joinpath(dialect.translations, f"{query.name}.sql")
    if not entry.is_file():
        return query
    return dataclasses.replace(query, text=entry.read_text(encoding="utf-8"))


VIEWS = ("messages_latest", "bot_turns")
"""Views over the tables, defined in ``views/<name>.sql`` (portable SQL, no parameters), in
the order they are created: the DuckDB engine creates them beside the tables, ``tglake athena
ddl`` and the SAM template's named queries create them in Athena."""


@cache
def view_sql(name: str) -> str:
    """The SELECT that defines view ``name`` (its leading ``--`` comment lines dropped)."""
    if name not in VIEWS:
        raise ConfigError(f"no view named {name!r}; known views: {', '.join(VIEWS)}")
    text = resources.files("tglake.analytics").joinpath("views", f"{name}.sql").read_text("utf-8")
    lines = text.splitlines()
    while lines and lines[0].startswith("--"):
        lines.pop(0)
    return "\n".join(lines).strip()


def view_description(name: str) -> str:
    text = resources.files("tglake.analytics").joinpath("views", f"{name}.sql").read_text("utf-8")
    return text.splitlines()[0].removeprefix("-- ").strip()


def translated(dialect: Dialect) -> tuple[str, ...]:
    """Names of the queries that ``dialect`` runs in its own translation."""
    if dialect.translations is None:
        return ()
    folder = _queries_dir().joinpath(dialect.translations)
    return tuple(
        sorted(e.name.removesuffix(".sql") for e in folder.iterdir() if e.name.endswith(".sql"))
    )


@cache
def stopwords() -> tuple[str, ...]:
    """The Brazilian Portuguese stopwords left out of the top words (package data)."""
    text = resources.files("tglake.analytics").joinpath("stopwords_pt.txt").read_text("utf-8")
    words = {w.strip().lower() for w in text.splitlines() if w.strip() and not w.startswith("#")}
    return tuple(sorted(words))


def check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"{name!r} is not a known IANA time zone") from exc
    return name


def render(
    query: Query | str,
    period: Period,
    timezone: str,
    dialect: Dialect = DUCKDB,
    *,
    session_gap_minutes: int = DEFAULT_SESSION_GAP_MINUTES,
) -> str:
    """The query text with its parameters as literals of ``dialect``."""
    text = query.text if isinstance(query, Query) else query
    values = {
        "start": dialect.date_literal(period.start),
        "end": dialect.date_literal(period.end),
        "tz": dialect.string_literal(check_timezone(timezone)),
        "session_gap_minutes": str(check_session_gap(session_gap_minutes, "the session gap")),
        "stopwords": "(" + ", ".join(dialect.string_literal(w) for w in stopwords()) + ")",
    }

    def substitute(match: re.Match[str]) -> str:
        key = match[1]
        if key not in values:
            raise ValueError(f"unknown query parameter ${key}")
        return values[key]

    rendered = _PARAM.sub(substitute, text)
    if len(rendered.encode()) > dialect.max_query_bytes:
        raise ValueError(f"query longer than {dialect.name} accepts")
    return rendered
