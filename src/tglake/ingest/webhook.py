"""One update in: verified, validated, stored. Knows nothing of HTTP or AWS.

``receive`` is shared by the webhook server, the Lambda handler and the poller, so an update
lands in the raw zone the same way whichever door it came through. It returns an
:class:`Outcome` or raises one of our errors; the adapters map those to status codes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hmac
import logging
from collections.abc import Callable, Mapping
from typing import Any, Literal

from tglake import layout, telegram
from tglake.config import Settings
from tglake.errors import (
    BadSecretError,
    ObjectExistsError,
    PayloadTooLargeError,
)
from tglake.storage import ObjectStore
from tglake.telegram import parse_update

log = logging.getLogger(__name__)

SECRET_HEADER = "x-telegram-bot-api-secret-token"  # noqa: S105 - a header name

Status = Literal["stored", "duplicate", "conflict", "ignored"]


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What happened to one update. ``conflict`` means a different payload reused a stored
    update_id and was kept beside it under ``key``."""

    status: Status
    update_id: int
    kind: str
    key: str | None
    update: dict[str, Any] = dataclasses.field(repr=False, compare=False)
    day: dt.date | None = None
    """The raw partition (``context_date``) it went to; None when ignored."""


Responder = Callable[[Outcome], "dict[str, Any] | None"]
"""Turns a stored update into the bot's reply as a Bot API method call (``{"method": …}``), or
None for no reply; the webhook returns it in its 200 body, the poller sends it."""


def check_secret(headers: Mapping[str, str], expected: str | None) -> None:
    """Constant-time check of the secret header (header names are case-insensitive)."""
    if expected is None:
        return
    given = headers.get(SECRET_HEADER)  # a server's headers match it case-insensitively
    if given is None:  # a plain mapping (a Lambda event) may spell it in any case
        given = next((v for k, v in headers.items() if k.lower() == SECRET_HEADER), None)
    if given is None:
        raise BadSecretError("missing X-Telegram-Bot-Api-Secret-Token header")
    if not hmac.compare_digest(given.encode("utf-8", "surrogateescape"), expected.encode()):
        raise BadSecretError("wrong X-Telegram-Bot-Api-Secret-Token header")


def check_ready(store: ObjectStore, *, settings: Settings, now: dt.datetime) -> None:
    """Raise StorageUnavailableError unless the raw zone can take a write where the next
    update would go (today's partition in ``TGLAKE_TIMEZONE``): ``GET /healthz``'s check, so it
    fails when updates would, on a full disk or a folder the server may not write."""
    day = layout.context_date(now, settings.tz)
    store.check_writable(layout.partition_prefix(layout.RAW_SOURCE, day))


def store_update(
    store: ObjectStore,
    day: dt.date,
    update_id: int,
    body: bytes,
    *,
    source: str = layout.RAW_SOURCE,
) -> tuple[Literal["stored", "duplicate", "conflict"], str]:
    """Write ``body`` once: the same bytes again is a no-op; different bytes under a stored
    update_id go beside it as ``<update_id>-<hash>.json``. Nothing is ever overwritten."""
    key = layout.raw_key(day, update_id, source=source)
    try:
        store.put_if_absent(key, body)
        return "stored", key
    except ObjectExistsError:
        pass
    if store.get(key) == body:
        return "duplicate", key
    sibling = layout.raw_key(day, update_id, layout.content_hash(body), source=source)
    try:
        store.put_if_absent(sibling, body)
    except ObjectExistsError:
        return "duplicate", sibling
    log.warning("update_id=%d reused with a different payload; kept both as %s", update_id, sibling)
    return "conflict", sibling


def receive(
    body: bytes,
    headers: Mapping[str, str],
    *,
    settings: Settings,
    store: ObjectStore,
    now: dt.datetime,
) -> Outcome:
    """Verify, validate and store one webhook delivery.

    Order matters: the secret is checked before anything else, so an unauthenticated request
    never reaches storage; the size before parsing, so a huge body is never decoded.
    """
    secret = settings.webhook_secret.reveal() if settings.webhook_secret else None
    check_secret(headers, secret)
    return store_delivery(body, settings=settings, store=store, now=now)


def store_delivery(
    body: bytes, *, settings: Settings, store: ObjectStore, now: dt.datetime
) -> Outcome:
    """Validate and store a delivery whose sender is already trusted: a webhook request whose
    secret the server checked before reading its body, or a getUpdates answer (our own
    authenticated request). The size is checked before parsing."""
    if len(body) > settings.max_body_bytes:
        raise PayloadTooLargeError(
            f"body is {len(body)} bytes, over the {settings.max_body_bytes}-byte limit"
        )
    update = parse_update(body)
    update_id: int = update["update_id"]
    kind = telegram.update_kind(update)
    if settings.allowed_chat_ids:
        chat_id = telegram.chat_id_of(update)
        if chat_id not in settings.allowed_chat_ids:
            return Outcome("ignored", update_id, kind, None, update)
    day = layout.context_date(now, settings.tz)
    status, key = store_update(store, day, update_id, body)
    return Outcome(status, update_id, kind, key, update, day)
