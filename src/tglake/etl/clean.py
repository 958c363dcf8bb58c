"""Pure cleaning and deduplication rules of the ETL: one function per rule, no I/O.

Cleaning: text is Unicode NFC, control characters are removed (newline and tab are kept: they
carry meaning in a message), whitespace is trimmed, and empty text becomes null. ``text_length``
counts characters (code points) of the cleaned text. Timestamps are UTC epoch milliseconds.

Deduplication works on :class:`Seen`, keyed by ``(update_id, payload hash)``: the same payload
again is a redelivery (dropped); a different payload under a known ``update_id`` is a conflict
(kept, and counted).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from array import array
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from tglake import botapi_kinds

CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters that cleaning removes (newline and tab are kept)."""
COMMAND = re.compile(r"/([A-Za-z0-9_]{1,64})(?:@[A-Za-z0-9_]{1,64})?(?=\s|$)")
"""A bot command starting a text: ``/name``, maybe ``@botname``, then a space or the end."""
EPOCH_LIMIT = 2**43
"""A ``date`` at or past this many seconds from 1970 (either way) is not a date: read as null."""

CONTENT_TYPES: tuple[str, ...] = tuple(name for name, _ in botapi_kinds.MESSAGE_CONTENT)
"""Message fields that decide ``content_type``, in order of precedence (the Bot API schema's
order, :mod:`tglake.botapi_kinds`: ``animation`` before ``document``, ``venue`` before
``location``); none → ``other``."""

CONTENT_CLASS: dict[str, str] = dict(botapi_kinds.MESSAGE_CONTENT)
"""``content_type`` → ``content`` (something sent) or ``service`` (an event of the chat)."""

FORWARD_FIELDS = (
    "forward_origin",
    "forward_from",
    "forward_from_chat",
    "forward_sender_name",
    "forward_date",
)
"""``forward_origin`` (Bot API 7.0+) or the older ``forward_*`` fields."""


_SURROGATE = re.compile("[\ud800-\udfff]")
"""Lone UTF-16 surrogates: valid in JSON (``"\\ud800"``), impossible in UTF-8 Parquet text."""


def scrub_surrogates(value: Any) -> Any:
    """``value`` with every lone surrogate in its strings (and lists of strings) made U+FFFD."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [scrub_surrogates(v) for v in value]
    return value


def clean_text(value: Any) -> str | None:
    """NFC, control characters and lone surrogates removed, trimmed; anything that is not text,
    or is empty, → None."""
    if not isinstance(value, str):
        return None
    if not value.isascii():
        value = unicodedata.normalize("NFC", _SURROGATE.sub("\ufffd", value))
    value = CONTROL_CHARS.sub("", value).strip()
    return value or None


def bot_command(text: str | None) -> str | None:
    """The command a text starts with, lower case and without ``@botname`` (``/start``)."""
    if not text or text[0] != "/":
        return None
    match = COMMAND.match(text)
    return f"/{match[1].lower()}" if match else None


_PRECEDENCE = {field: rank for rank, field in enumerate(CONTENT_TYPES)}
_FORWARD = frozenset(FORWARD_FIELDS)


def content_type(message: Mapping[str, Any]) -> str:
    """What the message is, from which of its fields is present (first in CONTENT_TYPES)."""
    best = len(CONTENT_TYPES)
    for field, value in message.items():
        rank = _PRECEDENCE.get(field)
        if rank is not None and rank < best and value not in (None, False, [], ""):
            best = rank
    return CONTENT_TYPES[best] if best < len(CONTENT_TYPES) else "other"


def is_forward(message: Mapping[str, Any]) -> bool:
    if _FORWARD.isdisjoint(message):
        return False
    return any(message.get(field) is not None for field in FORWARD_FIELDS)


def epoch_ms(value: Any) -> int | None:
    """A Bot API ``date`` (Unix seconds, UTC) as epoch milliseconds; anything else → None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not -EPOCH_LIMIT < value < EPOCH_LIMIT:  # no plausible date: keep the row, drop the value
        return None
    return int(value * 1000)


Verdict = Literal["new", "duplicate", "conflict"]


class Seen:
    """The ``(update_id, payload hash)`` pairs met so far in a day, in compact form.

    ``expected_ids`` (sorted: the update ids the day's object names carry) gives each of those
    ids a slot in two flat arrays, about 17 bytes per update, so a million-update day costs
    tens of MB less than sets would; an id outside it (a name ingest did not make, a payload
    whose content disagrees with its name) and every extra payload of an id go to sets.
    The verdicts are the same either way.
    """

    __slots__ = ("_filled", "_hashes", "_ids", "_index", "_pairs")

    def __init__(
        self, pairs: Iterable[tuple[int, str]] = (), *, expected_ids: array[int] | None = None
    ) -> None:
        self._index: array[int] = expected_ids if expected_ids is not None else array("q")
        self._hashes = array("Q", bytes(8 * len(self._index)))
        self._filled = bytearray(len(self._index))
        self._pairs: set[int] = set()
        self._ids: set[int] = set()
        for update_id, payload_hash in pairs:
            self.add(update_id, payload_hash)

    def _slot(self, update_id: int) -> int:
        at = bisect.bisect_left(self._index, update_id)
        return at if at < len(self._index) and self._index[at] == update_id else -1

    def add(self, update_id: int, payload_hash: str) -> Verdict:
        """Record one payload and say whether it is new, a redelivery or a conflicting payload."""
        digest = int(payload_hash[:16], 16)
        slot = self._slot(update_id) if self._index else -1
        if slot >= 0:
            if not self._filled[slot]:
                self._filled[slot], self._hashes[slot] = 1, digest
                return "new"
            if self._hashes[slot] == digest:
                return "duplicate"
        pair = (update_id << 64) ^ digest
        if pair in self._pairs:
            return "duplicate"
        self._pairs.add(pair)
        if slot >= 0:
            return "conflict"  # the id's slot holds another payload
        if update_id in self._ids:
            return "conflict"
        self._ids.add(update_id)
        return "new"

    def __len__(self) -> int:
        return sum(self._filled) + len(self._pairs)
