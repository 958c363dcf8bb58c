"""The ETL past one Lambda: the same raw zone → enriched layout, run by Athena (Trino SQL).

One Lambda run handles a day up to a few hundred thousand updates (``docs/scale.md``). Past
that, Athena reads the raw JSON as a table (``raw_updates_table.sql``, partition projection)
and writes the enriched tables with ``INSERT INTO`` (``messages_insert.sql``), by the Python
ETL's rules where SQL can state them. Statements are files; ``{{name}}`` placeholders are
filled by :func:`render`, which refuses unknown or missing ones. Facts the Python code owns
(the content-type precedence) are rendered from it, so the two cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import re
from importlib import resources

from tglake.errors import ConfigError
from tglake.etl.clean import CONTENT_TYPES

STATEMENTS = ("raw_updates_table", "messages_insert")
_PLACEHOLDER = re.compile(r"\{\{([a-z_]+)\}\}")
_SAFE = re.compile(r"^[A-Za-z0-9_./:=-]*$")


def content_type_case(message: str = "m") -> str:
    """``content_type`` as SQL: the first present field of CONTENT_TYPES (present = not null,
    false, ``[]`` or ``""``, as :func:`tglake.etl.clean.content_type` says), else ``other``."""
    arms = [
        f"WHEN coalesce(json_format(json_extract({message}, '$.{field}')) "
        f"NOT IN ('null', 'false', '[]', '\"\"'), false) THEN '{field}'"
        for field in CONTENT_TYPES
    ]
    return "CASE " + " ".join(arms) + " ELSE 'other' END"


def render(
    name: str,
    *,
    database: str,
    raw_location: str,
    day: dt.date | None = None,
    pseudonym_key: str | None = None,
) -> str:
    """One statement with its placeholders filled (values are checked: no quotes get in)."""
    if name not in STATEMENTS:
        raise ConfigError(f"no Athena ETL statement {name!r}; known: {', '.join(STATEMENTS)}")
    text = resources.files(__package__).joinpath(f"{name}.sql").read_text("utf-8")
    values = {
        "database": database,
        "raw_location": raw_location.rstrip("/") + "/",
        "day": day.isoformat() if day else None,
        "day_before": (day - dt.timedelta(days=1)).isoformat() if day else None,
        "pseudonym_key": pseudonym_key,
    }
    for key, value in values.items():
        if value is not None and not _SAFE.match(value):
            raise ConfigError(f"{key} holds characters not allowed in the SQL text")

    def fill(match: re.Match[str]) -> str:
        key = match[1]
        if key == "content_type_case":
            return content_type_case()
        value = values.get(key)
        if value is None:
            raise ConfigError(f"statement {name} needs {key}")
        return value

    return _PLACEHOLDER.sub(fill, text)
