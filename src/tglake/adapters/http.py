"""The webhook as an ASGI app: ``POST /webhook`` and ``GET /healthz``.

A thin adapter: it reads at most the body limit, hands bytes and headers to
:func:`tglake.ingest.webhook.receive`, and maps the outcome through :mod:`tglake.adapters.status`.
The 200 goes out only after the raw object is written, so Telegram retries anything we lost.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
import time
from collections.abc import AsyncIterator, Callable
from typing import Any, Protocol, runtime_checkable

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tglake.adapters.status import Summary, accept, error_body, reject
from tglake.config import Settings
from tglake.errors import PayloadTooLargeError, StorageUnavailableError, TglakeError
from tglake.ingest import webhook as ingest
from tglake.storage import ObjectStore

log = logging.getLogger(__name__)

JSON = "application/json"


async def read_limited(request: Request, limit: int) -> bytes:
    """The body, refusing more than ``limit`` bytes without reading them all."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLargeError(f"body is {declared} bytes, over the {limit}-byte limit")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLargeError(f"body is over the {limit}-byte limit")
        chunks.append(chunk)
    return b"".join(chunks)


@runtime_checkable
class _Selective(Protocol):
    """A responder that can tell cheaply, on the event loop, whether it has anything to say."""

    def wants(self, outcome: ingest.Outcome) -> bool: ...


def _answer_filter(responder: ingest.Responder | None) -> Callable[[ingest.Outcome], bool]:
    """Which outcomes pay for the hop to a worker thread: only an update the bot may answer.
    Most updates (group chatter, edits, reactions) get their plain 200 on the event loop."""
    if responder is None:
        return lambda outcome: False
    selective = responder if isinstance(responder, _Selective) else None

    def may_answer(outcome: ingest.Outcome) -> bool:
        # accept() answers a stored update, a conflicting one kept beside it, and a redelivery
        if outcome.status not in ("stored", "conflict", "duplicate"):
            return False
        return selective is None or selective.wants(outcome)

    return may_answer


def create_app(
    settings: Settings,
    store: ObjectStore,
    *,
    responder: ingest.Responder | None = None,
    clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    extra_routes: list[Route] | None = None,
    lifespan: Any = None,
) -> Starlette:
    """Build the webhook app around a store; ``responder`` adds the bot's reply to the 200."""

    may_answer = _answer_filter(responder)
    summary = Summary()  # one INFO line a minute; each update's line is DEBUG

    async def webhook(request: Request) -> Response:
        started = time.perf_counter()
        try:
            # the secret first: a request without it never reads its body or touches storage
            secret = settings.webhook_secret.reveal() if settings.webhook_secret else None
            ingest.check_secret(request.headers, secret)
            body = await read_limited(request, settings.max_body_bytes)
            receive = functools.partial(  # the secret is checked: store_delivery, not receive
                ingest.store_delivery, body, settings=settings, store=store, now=clock()
            )
            # a page-cache write costs less than the hop to a worker thread; S3 does not
            outcome = receive() if store.local else await run_in_threadpool(receive)
        except TglakeError as exc:
            status, error = reject(exc, started, summary=summary)
            return Response(error, status_code=status, media_type=JSON)
        if not may_answer(outcome):
            body = accept(outcome, None, started, summary=summary)
        elif store.local:  # an answer takes well under a millisecond, its event a local write:
            body = accept(outcome, responder, started, summary=summary)  # less than a thread hop
        else:  # the bot's work (search, its event write to S3) runs off the event loop
            body = await run_in_threadpool(
                functools.partial(accept, outcome, responder, started, summary=summary)
            )
        return Response(body, status_code=200, media_type=JSON)

    async def healthz(request: Request) -> Response:
        try:
            await run_in_threadpool(
                functools.partial(ingest.check_ready, store, settings=settings, now=clock())
            )
        except StorageUnavailableError as exc:
            return Response(error_body(exc), status_code=503, media_type=JSON)
        return Response(b'{"ok":true}', status_code=200, media_type=JSON)

    @contextlib.asynccontextmanager
    async def lifespan_with_summary(app: Any) -> AsyncIterator[None]:
        """The caller's lifespan, then the last summary line at shutdown."""
        try:
            if lifespan is None:
                yield
            else:
                async with lifespan(app):
                    yield
        finally:
            summary.flush()

    routes = [
        Route("/webhook", webhook, methods=["POST"]),
        Route("/healthz", healthz, methods=["GET"]),
        *(extra_routes or []),
    ]
    return Starlette(routes=routes, lifespan=lifespan_with_summary)
