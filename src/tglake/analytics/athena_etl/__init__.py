"""The ETL past one Lambda: the same raw zone → enriched layout, run by Athena (Trino SQL).

One Lambda run handles a day up to a few hundred thousand updates (``docs/scale.md``). Past
that, Athena reads the raw zone as tables (``raw_table.sql``: ``raw_updates`` over the
``telegram/`` source, ``raw_bot_events`` over ``bot/``, partition projection) and writes the
enriched tables with ``INSERT INTO`` (``<table>_insert.sql``), by the Python ETL's rules where
Trino SQL can state them; each statement's header comment says where it cannot.

Statements are files with ``{{name}}`` placeholders, filled by :func:`render`, which refuses
unknown or missing ones and checks every value (no quote gets in). Three kinds:

* ``{{first_sightings}}``: the shared ``raw`` and ``firsts`` CTEs (``first_sightings.sql``): the
  deduplication rule, written once for every table;
* ``{{macro(sql expression)}}``: an SQL expression built here from the facts the Python code owns
  (the control characters, the whitespace ``str.strip`` removes, the ``@username`` pattern, the
  command pattern, the content-type precedence, the forward fields, the date limit, the keyed
  hash), so the two cannot drift apart (see :data:`MACROS`);
* ``{{value}}``: database, raw location, day, the day before, pseudonym key, …
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import sys
from collections.abc import Callable
from importlib import resources

from tglake import layout, personal, telegram
from tglake.errors import ConfigError
from tglake.etl import clean, flatten
from tglake.etl.tables import SPECS

RAW_TABLES: dict[str, str] = {"raw_updates": layout.RAW_SOURCE, "raw_bot_events": layout.BOT_SOURCE}
"""Athena tables over the raw zone, with the raw source (prefix) each reads."""

KINDS: dict[str, tuple[str, ...]] = {
    "messages": telegram.MESSAGE_KINDS,
    "callbacks": flatten.CALLBACK_KINDS,
    "reactions": flatten.REACTION_KINDS,
    "member_updates": flatten.MEMBER_KINDS,
    "bot_replies": (),
}
"""The update kinds each INSERT flattens, in the order its Python extractor looks for them
(``bot_replies`` reads every bot event)."""

INSERTS: tuple[str, ...] = tuple(KINDS)
"""Enriched tables the Athena path writes (``candidate_mentions`` is not one: docs/scale.md)."""

STATEMENTS: tuple[str, ...] = (
    *(f"{table}_table" for table in RAW_TABLES),
    *(f"{table}_insert" for table in INSERTS),
)

TRINO_EPOCH_LIMIT = 2**51 // 1000
"""Trino keeps a ``timestamp with time zone``'s milliseconds in 52 bits (about the year 73,000):
``from_unixtime`` past it fails the whole query, so SQL reads such a date as null."""

_VALUE = re.compile(r"\{\{([a-z_]+)\}\}")
_MACRO = re.compile(r"\{\{([a-z_]+)\((.+?)\)\}\}", re.DOTALL)
_SAFE = re.compile(r"^[A-Za-z0-9_./:=-]*$")


def _quoted(pattern: str) -> str:
    """A regular expression as an SQL string literal (the patterns here hold no quote)."""
    if "'" in pattern:
        raise ValueError(f"pattern {pattern!r} holds a quote")
    return f"'{pattern}'"


@functools.cache
def _strip_class() -> str:
    """A regex character class of what ``str.strip()`` removes and cleaning has not already
    removed (the control characters): tab, newline, space, NBSP, U+2000…, written literally so
    any engine reads it (Joni, Python's ``re``)."""
    chars = (chr(c) for c in range(sys.maxunicode + 1))
    kept = [c for c in chars if c.isspace() and not clean.CONTROL_CHARS.match(c)]
    return "[" + "".join(kept) + "]"


def clean_text(value: str) -> str:
    """:func:`tglake.etl.clean.clean_text` of a varchar: NFC, control characters removed,
    trimmed as ``str.strip`` trims (Trino's ``trim`` keeps NBSP), empty → null."""
    edges = _strip_class()
    return (
        f"nullif(regexp_replace(regexp_replace(normalize({value}, NFC), "
        f"{_quoted(clean.CONTROL_CHARS.pattern)}, ''), "
        f"{_quoted(f'^{edges}+|{edges}+$')}, ''), '')"
    )


def redact_usernames(value: str) -> str:
    """An ``@username`` typed without a mention entity → ``@pessoa`` (:data:`personal.USERNAME`)."""
    placeholder = personal.PLACEHOLDERS["mention"]
    return f"regexp_replace({value}, {_quoted(personal.USERNAME.pattern)}, '{placeholder}')"


def names_a_person(entities: str) -> str:
    """True when a JSON array of MessageEntity holds one of the kinds the Python ETL replaces
    by a placeholder (mention, text_mention, phone_number, email)."""
    kinds = ", ".join(f"'{kind}'" for kind in personal.PLACEHOLDERS)
    return (
        f"coalesce(cardinality(filter(TRY_CAST({entities} AS array(json)), "
        f"e -> json_extract_scalar(e, '$.type') IN ({kinds}))) > 0, false)"
    )


def command(text: str) -> str:
    """:func:`tglake.etl.clean.bot_command` of a cleaned text: ``/name`` in lower case."""
    return f"'/' || lower(regexp_extract({text}, {_quoted('^' + clean.COMMAND.pattern)}, 1))"


def content_type_case(message: str = "m") -> str:
    """``content_type`` as SQL: the first present field of CONTENT_TYPES (present = not null,
    false, ``0``, ``[]`` or ``""``, as :func:`tglake.etl.clean.content_type` says: ``0 ==
    False`` in Python), else ``other``."""
    arms = [
        f"WHEN coalesce(json_format(json_extract({message}, '$.{field}')) "
        f"NOT IN ('null', 'false', '0', '[]', '\"\"'), false) THEN '{field}'"
        for field in clean.CONTENT_TYPES
    ]
    return "CASE " + " ".join(arms) + " ELSE 'other' END"


def is_forward(message: str) -> str:
    """:func:`tglake.etl.clean.is_forward`: any of FORWARD_FIELDS present and not null."""
    return (
        "("
        + " OR ".join(
            f"coalesce(json_format(json_extract({message}, '$.{field}')) <> 'null', false)"
            for field in clean.FORWARD_FIELDS
        )
        + ")"
    )


def user_key(user_id: str) -> str:
    """``user_key`` of a bigint user id: hex HMAC-SHA256 of its decimal digits with the pseudonym
    key (:class:`tglake.pseudonym.Pseudonymizer`); null for a null id."""
    return (
        f"lower(to_hex(hmac_sha256(to_utf8(CAST({user_id} AS varchar)), "
        "to_utf8('{{pseudonym_key}}'))))"
    )


def chat_id(chat: str) -> str:
    """A Chat's id, null for a private chat (its id is the person's): ``flatten._chat_id``."""
    return (
        f"CASE WHEN json_extract_scalar({chat}, '$.type') = 'private' THEN NULL "
        f"ELSE TRY_CAST(json_extract_scalar({chat}, '$.id') AS bigint) END"
    )


def epoch_ts(seconds: str) -> str:
    """:func:`tglake.etl.clean.epoch_ms` of a bigint of Unix seconds, as a UTC timestamp."""
    limit = min(clean.EPOCH_LIMIT, TRINO_EPOCH_LIMIT)
    return (
        f"CASE WHEN abs({seconds}) < {limit} THEN CAST(from_unixtime({seconds}) AS timestamp) END"
    )


def reaction(value: str) -> str:
    """``flatten._reaction``: a ReactionType as the emoji, ``custom:<id>`` or its type."""
    kind = f"json_extract_scalar({value}, '$.type')"
    return (
        f"CASE {kind} WHEN 'emoji' THEN json_extract_scalar({value}, '$.emoji') "
        f"WHEN 'custom_emoji' THEN 'custom:' || "
        f"nullif(json_extract_scalar({value}, '$.custom_emoji_id'), '') ELSE {kind} END"
    )


def reactions(values: str) -> str:
    """``flatten._reactions``: a JSON array of ReactionType as strings (not an array → [])."""
    return (
        f"filter(transform(coalesce(TRY_CAST({values} AS array(json)), ARRAY[]), "
        f"r -> {reaction('r')}), r -> r IS NOT NULL)"
    )


def is_object(value: str) -> str:
    """True when a JSON value is an object (Python's ``isinstance(value, dict)``)."""
    return f"coalesce(json_format({value}) LIKE '{{%', false)"


def is_filled_object(value: str) -> str:
    """True when a JSON value is an object with at least one key (a truthy dict)."""
    return f"coalesce(json_format({value}) LIKE '{{\"%', false)"


def is_string(value: str) -> str:
    """True when a JSON value is a string (Python's ``isinstance(value, str)``)."""
    return f"coalesce(json_format({value}) LIKE '\"%', false)"


def update_kind(kinds: tuple[str, ...], body: str = "body") -> str:
    """The first of ``kinds`` the update carries as an object (``telegram.payload_of``)."""
    arms = []
    for kind in kinds:
        payload = f"json_extract({body}, '$.{kind}')"
        arms.append(f"WHEN {is_object(payload)} THEN '{kind}'")
    return "CASE " + " ".join(arms) + " END" if arms else "CAST(NULL AS varchar)"


def _name(keep_names: bool) -> Callable[[str], str]:
    def name(value: str) -> str:
        """A name column: cleaned with ``--keep-names``, else null."""
        return clean_text(value) if keep_names else "CAST(NULL AS varchar)"

    return name


MACROS: dict[str, Callable[[str], str]] = {
    "clean_text": clean_text,
    "redact_usernames": redact_usernames,
    "names_a_person": names_a_person,
    "command": command,
    "content_type": content_type_case,
    "is_forward": is_forward,
    "user_key": user_key,
    "chat_id": chat_id,
    "epoch_ts": epoch_ts,
    "reactions": reactions,
    "reaction": reaction,
    "is_object": is_object,
    "is_filled_object": is_filled_object,
    "is_string": is_string,
}
"""``{{macro(expression)}}`` placeholders (``name`` too: it depends on ``keep_names``)."""


def _source_table(table: str) -> str:
    """The raw table an INSERT reads: the one over its Python table spec's raw source."""
    source = next(spec.source for spec in SPECS if spec.name == table)
    return next(name for name, prefix in RAW_TABLES.items() if prefix == source)


def _read(name: str) -> str:
    return resources.files(__package__).joinpath(f"{name}.sql").read_text("utf-8")


def render(
    name: str,
    *,
    database: str,
    raw_location: str,
    day: dt.date | None = None,
    pseudonym_key: str | None = None,
    keep_names: bool = False,
) -> str:
    """One statement with its placeholders filled (values are checked: no quotes get in).
    ``keep_names`` fills the name columns as ``tglake etl --keep-names`` does."""
    if name not in STATEMENTS:
        raise ConfigError(f"no Athena ETL statement {name!r}; known: {', '.join(STATEMENTS)}")
    values: dict[str, str | None] = {
        "database": database,
        "raw_location": raw_location.rstrip("/") + "/",
        "day": day.isoformat() if day else None,
        "day_before": (day - dt.timedelta(days=1)).isoformat() if day else None,
        "pseudonym_key": pseudonym_key,
    }
    for key, value in values.items():
        if value is not None and not _SAFE.match(value):
            raise ConfigError(f"{key} holds characters not allowed in the SQL text")
    if name.endswith("_table"):
        table = name.removesuffix("_table")
        text = _read("raw_table")
        values |= {"raw_table": table, "raw_source": RAW_TABLES[table]}
    else:
        table = name.removesuffix("_insert")
        text = _read(name).replace("{{first_sightings}}", _read("first_sightings").strip())
        values |= {
            "raw_table": _source_table(table),
            "hash_chars": str(layout.HASH_CHARS),
            "update_kind": update_kind(KINDS[table]),
        }
    macros = MACROS | {"name": _name(keep_names)}

    def expand(match: re.Match[str]) -> str:
        macro = macros.get(match[1])
        if macro is None:
            raise ConfigError(f"statement {name} uses an unknown macro {match[1]!r}")
        return macro(match[2])

    def fill(match: re.Match[str]) -> str:
        value = values.get(match[1])
        if value is None:
            raise ConfigError(f"statement {name} needs {match[1]}")
        return value

    return _VALUE.sub(fill, _MACRO.sub(expand, text))
