"""One chat at a time: which chats a lake holds, and ``--chat TITLE|ID|private`` as a filter.

A lake usually serves several chats. A :class:`ChatScope` names the ones to look at: groups and
channels by id (a selector may give a title, matched case-insensitively against every title the
chat had, or the id itself), and private conversations all together (``private``). A private
chat's id is the person's Telegram id, which the lake never keeps (``chat_id`` is null there),
so private conversations can only be taken as one block and are never listed with an id.

The DuckDB engine applies the scope as a ``WHERE`` on every table's view (:func:`predicate`),
so every query, the report and ad-hoc SQL see only those chats.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from tglake import schema
from tglake.analytics.results import QueryResult
from tglake.errors import ConfigError

PRIVATE = "private"
"""The selector that stands for every private conversation."""

LIST_SQL = """
SELECT
    chat_type,
    CASE WHEN chat_type = 'private' THEN NULL ELSE arg_max(chat_title, message_ts) END
        AS chat_title,
    CASE WHEN chat_type = 'private' THEN NULL ELSE chat_id END AS chat_id,
    CASE WHEN chat_type = 'private' THEN count(DISTINCT user_key) ELSE 1 END AS chats,
    count(*) AS messages
FROM {table}
WHERE update_type NOT LIKE 'edited%'
GROUP BY chat_type, CASE WHEN chat_type = 'private' THEN NULL ELSE chat_id END
ORDER BY messages DESC, chat_type, chat_title
"""
"""Every chat with its messages (edits not counted): one row per group or channel, one row for
all private conversations (``chats`` = people talking to the bot, by ``user_key``)."""


@dataclasses.dataclass(frozen=True)
class ChatScope:
    """The chats a run looks at (groups and channels by id; private ones as a block)."""

    chat_ids: tuple[int, ...]
    private: bool
    titles: tuple[str, ...]
    """What the report's title says, in the order the selectors were given (pt-BR)."""

    @property
    def label(self) -> str:
        return ", ".join(self.titles)


Runner = Callable[[str], QueryResult]


def list_chats(sql: Runner, table: str = "messages") -> QueryResult:
    """The chats of the lake with their message counts (no private chat id, ever)."""
    return sql(LIST_SQL.format(table=table))


def resolve(selectors: Sequence[str], sql: Runner, table: str = "messages") -> ChatScope | None:
    """The scope of ``selectors`` (None when there are none) against the chats of ``table``;
    a selector that matches no chat is a ConfigError that points at ``--list-chats``."""
    if not selectors:
        return None
    chats = list_chats(sql, table).records()
    names = sql(
        f"SELECT DISTINCT chat_id, lower(chat_title) FROM {table} "  # noqa: S608 - our table name
        "WHERE chat_id IS NOT NULL AND chat_title IS NOT NULL"
    ).rows
    ids: list[int] = []
    titles: list[str] = []
    private = False
    for selector in selectors:
        wanted = selector.strip()
        if wanted.lower() == PRIVATE:
            found = [c for c in chats if c["chat_type"] == PRIVATE]
            if not found:
                raise ConfigError("the lake holds no private conversation; see --list-chats")
            if not private:
                private = True
                titles.append("conversas privadas")
            continue
        matched = [
            c
            for c in chats
            if c["chat_id"] is not None
            and (wanted == str(c["chat_id"]) or (c["chat_id"], wanted.lower()) in names)
        ]
        if not matched:
            raise ConfigError(f"no chat {wanted!r} in the lake; see --list-chats")
        for chat in matched:
            if chat["chat_id"] not in ids:
                ids.append(chat["chat_id"])
                titles.append(chat["chat_title"] or str(chat["chat_id"]))
    return ChatScope(tuple(ids), private, tuple(titles))


def predicate(table: str, scope: ChatScope | None) -> str:
    """The SQL condition that keeps ``table``'s rows of the scope (``TRUE`` for no scope)."""
    columns = set(schema.SCHEMAS[table].names)
    if scope is None or "chat_id" not in columns:
        return "TRUE"
    parts = []
    if scope.chat_ids:
        parts.append(f"chat_id IN ({', '.join(str(int(i)) for i in scope.chat_ids)})")
    if scope.private:
        if "chat_type" in columns:
            parts.append("chat_type = 'private'")
        else:
            # candidate_mentions: null, as in messages; bot_replies: the bot event's own chat id,
            # positive for a person (groups and channels have negative ids)
            parts.append("(chat_id IS NULL OR chat_id > 0)")
    return " OR ".join(parts) if parts else "FALSE"
