"""Long polling: getUpdates batches into the raw zone, with the offset kept in the lake.

Each update goes through :func:`tglake.ingest.webhook.receive` (allowlist, validation,
:func:`~tglake.ingest.webhook.store_update`), so it lands exactly where a webhook delivery would.
getUpdates hands over a JSON array, not each update's original bytes, so polling stores the
canonical compact form ``json.dumps(update, ensure_ascii=False, separators=(",", ":"))``:
the same update redelivered gives the same bytes, and storing it again is a no-op.

The offset (last ``update_id`` + 1) is written to ``layout.POLL_OFFSET_KEY`` only after every
update of the batch is stored. A crash or Ctrl-C before that makes Telegram send the batch
again, and each stored update comes back as a duplicate: nothing is lost, nothing is repeated.
Knows no HTTP library and no CLI: the Bot API is any object with ``get_updates`` and ``call``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import logging
import threading
from collections.abc import Callable
from typing import Any, Protocol

from tglake import jsonbytes, layout, telegram
from tglake.config import Settings
from tglake.errors import (
    CorruptRawFileError,
    InvalidUpdateError,
    ObjectExistsError,
    ObjectNotFoundError,
    PayloadTooLargeError,
    TelegramApiError,
)
from tglake.ingest import webhook as ingest
from tglake.ingest.pacing import Pacer
from tglake.storage import ObjectStore

log = logging.getLogger(__name__)

LONG_POLL_TIMEOUT = 50
"""Seconds one getUpdates call waits for updates before answering with an empty list."""

_ANSWERED = ("stored", "conflict")
"""Outcomes the bot answers: a duplicate was answered when first stored, an ignored chat never."""


class BotApi(Protocol):
    """What polling needs from a Bot API client (``adapters.telegram_api.TelegramApi``)."""

    def get_updates(
        self,
        offset: int | None = None,
        timeout: int = LONG_POLL_TIMEOUT,
        allowed_updates: Any = None,
        limit: int = 100,
    ) -> list[Any]: ...

    def call(self, method: str, params: dict[str, Any] | None = None) -> Any: ...


@dataclasses.dataclass
class PollReport:
    """Counts over a polling session; ``rejected`` holds the raw keys of malformed entries."""

    batches: int = 0
    stored: int = 0
    duplicate: int = 0
    conflict: int = 0
    ignored: int = 0
    rejected: list[str] = dataclasses.field(default_factory=list)
    replies: int = 0
    failed_replies: int = 0
    offset: int | None = None

    def summary(self) -> str:
        return (
            f"{self.stored} stored, {self.duplicate} duplicate, {self.conflict} conflict, "
            f"{self.ignored} ignored, {len(self.rejected)} malformed; "
            f"next offset {self.offset if self.offset is not None else '-'}"
        )


def canonical_bytes(entry: Any) -> bytes:
    """The compact JSON polling stores: stable for one update across redeliveries."""
    return jsonbytes.dumps(entry, separators=(",", ":"))


def load_offset(store: ObjectStore) -> int | None:
    """The saved offset, or None when this lake has never polled."""
    try:
        data = json.loads(store.get(layout.POLL_OFFSET_KEY))
    except ObjectNotFoundError:
        return None
    except ValueError:
        data = None
    offset = data.get("offset") if isinstance(data, dict) else None
    if not isinstance(offset, int) or isinstance(offset, bool):
        raise CorruptRawFileError(
            f"{layout.POLL_OFFSET_KEY} in the raw zone holds no integer offset; delete it to "
            "start again from the oldest update Telegram still holds"
        )
    return offset


def save_offset(store: ObjectStore, offset: int) -> None:
    store.put(layout.POLL_OFFSET_KEY, json.dumps({"offset": offset}).encode())


def fetch(api: BotApi, offset: int | None, timeout: int, limit: int = 100) -> list[Any]:
    """One getUpdates call for every kind we store, with 409 explained."""
    try:
        return api.get_updates(
            offset=offset, timeout=timeout, allowed_updates=telegram.ALL_KINDS, limit=limit
        )
    except TelegramApiError as exc:
        if exc.error_code != 409:
            raise
        if "webhook" in str(exc).lower():
            message = (
                "a webhook is set for this bot, and Telegram does not answer getUpdates while "
                "it is; remove it with `tglake webhook delete` to poll (updates wait for you)"
            )
        else:
            message = (
                "another getUpdates client is polling this bot (409 Conflict); "
                "stop it, then run `tglake poll` again"
            )
        raise TelegramApiError(message, error_code=409) from None


def _fill_slots(ids: list[int | None], offset: int | None) -> list[int | None]:
    """The update_id each entry of a batch stands for, given those ingest accepted (None for a
    malformed entry). A malformed entry has no trustworthy id of its own: since ids grow by one
    per update, it takes the slot after its predecessor (or before its successor, or counted
    from the requested offset), so that the offset can move past it."""
    slots = list(ids)
    for i in range(1, len(slots)):
        before = slots[i - 1]
        if slots[i] is None and before is not None:
            slots[i] = before + 1
    for i in range(len(slots) - 2, -1, -1):
        after = slots[i + 1]
        if slots[i] is None and after is not None:
            slots[i] = after - 1
    if offset is not None:
        slots = [offset + i if slot is None else slot for i, slot in enumerate(slots)]
    return slots


def _reject(store: ObjectStore, body: bytes, day: dt.date, reason: str) -> str:
    key = layout.poll_rejected_key(day, layout.content_hash(body))
    with contextlib.suppress(ObjectExistsError):  # the same entry again: already kept
        store.put_if_absent(key, body)
    log.warning("malformed getUpdates entry kept as %s: %s", key, reason)
    return key


def _reply(
    api: BotApi,
    responder: ingest.Responder,
    outcome: ingest.Outcome,
    report: PollReport,
    pacer: Pacer | None = None,
) -> None:
    """Send the bot's reply (or queue it on the pacer, which sends it within Telegram's limits
    while polling goes on); a failure is logged and counted, the update is already stored."""
    try:
        reply = responder(outcome)
        if not reply:
            return
        if pacer is not None:
            pacer.submit(reply)
            report.replies += 1
            return
        params = {k: v for k, v in reply.items() if k != "method"}
        api.call(str(reply["method"]), params)
        report.replies += 1
    except Exception as exc:  # a reply must never cost the update
        report.failed_replies += 1
        log.warning("reply failed update_id=%d: %s", outcome.update_id, exc)


def store_batch(
    batch: list[Any],
    *,
    offset: int | None,
    settings: Settings,
    store: ObjectStore,
    now: dt.datetime,
    report: PollReport,
    api: BotApi | None = None,
    responder: ingest.Responder | None = None,
    pacer: Pacer | None = None,
) -> int | None:
    """Store every entry of a batch and return the offset that confirms it (None if unknown).

    Updates go through ``ingest.store_delivery``, with no secret to check: getUpdates answers
    come over our own authenticated request, not from whoever knows a URL."""
    day = layout.context_date(now, settings.tz)
    ids: list[int | None] = []
    for entry in batch:
        body = canonical_bytes(entry)
        try:
            outcome = ingest.store_delivery(body, settings=settings, store=store, now=now)
        except (InvalidUpdateError, PayloadTooLargeError) as exc:
            report.rejected.append(_reject(store, body, day, str(exc)))
            ids.append(None)
            continue
        ids.append(outcome.update_id)
        setattr(report, outcome.status, getattr(report, outcome.status) + 1)
        log.info(
            "update update_id=%d kind=%s outcome=%s",
            outcome.update_id,
            outcome.kind,
            outcome.status,
        )
        if responder is not None and api is not None and outcome.status in _ANSWERED:
            _reply(api, responder, outcome, report, pacer)
    slots = [slot for slot in _fill_slots(ids, offset) if slot is not None]
    if not slots:
        return offset
    return max(max(slots) + 1, offset) if offset is not None else max(slots) + 1


def poll(
    api: BotApi,
    store: ObjectStore,
    settings: Settings,
    *,
    once: bool = False,
    timeout: int = LONG_POLL_TIMEOUT,
    limit: int = 100,
    stop: threading.Event | None = None,
    responder: ingest.Responder | None = None,
    clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    on_batch: Callable[[PollReport], None] | None = None,
    pacer: Pacer | None = None,
) -> PollReport:
    """Poll until ``stop`` is set (checked between requests) or, with ``once``, until Telegram
    has nothing more waiting (short polls, ``timeout`` 0)."""
    report = PollReport(offset=load_offset(store))
    while stop is None or not stop.is_set():
        batch = fetch(api, report.offset, 0 if once else timeout, limit)
        if not batch:
            if once:
                break
            continue
        report.batches += 1
        next_offset = store_batch(
            batch,
            offset=report.offset,
            settings=settings,
            store=store,
            now=clock(),
            report=report,
            api=api,
            responder=responder,
            pacer=pacer,
        )
        if next_offset is None or next_offset == report.offset:
            raise InvalidUpdateError(
                "getUpdates returned only malformed entries and no offset to move past them; "
                f"they are kept under {layout.POLL_REJECTED_SOURCE}/ in the raw zone"
            )
        save_offset(store, next_offset)
        report.offset = next_offset
        if on_batch is not None:
            on_batch(report)
    return report
