"""``GET /report`` for ``tglake serve``: the latest report, built on demand, for its reader only.

The page says what people asked the bot in their own words, and the server faces the
internet for Telegram's webhook, so the route is closed by default: without
``TGLAKE_REPORT_TOKEN`` it answers 404 (as if it did not exist); with it, only a request with
``Authorization: Bearer <token>`` gets the page (compared in constant time; anything else is a
401). The webhook's secret header opens nothing here. There is no ``?token=`` form: a token in
a URL ends up in browser history, proxy logs and ``Referer`` headers.

The page is rebuilt from the enriched zone when the cached one is older than ``max_age``
seconds, in a worker thread, one build at a time. ``?chat=TITLE|ID|private`` (repeatable)
gives the report of those chats only (each selection cached on its own); a chat the lake does
not hold answers 404. An empty lake answers 404 with a short page that says so; a lake that
cannot be read answers 503.
"""

from __future__ import annotations

import hmac
import logging
import threading
import time
from collections.abc import Callable
from html import escape

from starlette.concurrency import run_in_threadpool
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route, request_response

from tglake.config import Settings
from tglake.errors import ConfigError, EmptyResultError, StorageUnavailableError, TglakeError

log = logging.getLogger(__name__)

Builder = Callable[[Settings, tuple[str, ...]], str]
MAX_SELECTIONS = 64
"""Cached chat selections at most (the oldest is dropped first)."""


def _default_builder(settings: Settings, chat: tuple[str, ...]) -> str:
    from tglake.analytics.service import report_html

    return report_html(settings, chat=chat)


def _notice(status: int, title: str, detail: str) -> HTMLResponse:
    body = (
        '<!doctype html><html lang="pt-BR"><meta charset="utf-8">'
        f"<title>{escape(title)}</title>"
        '<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto">'
        f"<h1>{escape(title)}</h1><p>{escape(detail)}</p></body></html>"
    )
    return HTMLResponse(body, status_code=status)


class ReportCache:
    """The last page built and when; a lock keeps concurrent requests to one build."""

    def __init__(
        self,
        settings: Settings,
        builder: Builder = _default_builder,
        max_age: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings, self.builder, self.max_age, self.clock = settings, builder, max_age, clock
        self._lock = threading.Lock()
        self._pages: dict[tuple[str, ...], tuple[str, float]] = {}

    def page(self, chat: tuple[str, ...] = ()) -> str:
        with self._lock:
            cached = self._pages.get(chat)
            if cached is not None and self.clock() - cached[1] < self.max_age:
                return cached[0]
            page = self.builder(self.settings, chat)
            self._pages.pop(chat, None)
            if len(self._pages) >= MAX_SELECTIONS:
                self._pages.pop(next(iter(self._pages)))
            self._pages[chat] = (page, self.clock())
            log.info("report built bytes=%d chats=%d", len(page.encode()), len(chat))
            return page


def authorized(authorization: str | None, token: str) -> bool:
    """True when an ``Authorization`` header carries ``Bearer <token>`` (constant time)."""
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())


def report_route(settings: Settings, cache: ReportCache | None = None) -> Route:
    """The Route to pass in ``create_app(..., extra_routes=[...])``."""
    reports = cache or ReportCache(settings)
    token = settings.report_token.reveal() if settings.report_token else None

    async def report(request: Request) -> Response:
        if token is None:
            return _notice(404, "Não encontrado", "Esta página não existe.")
        if not authorized(request.headers.get("authorization"), token):
            response = _notice(401, "Acesso restrito", "Este relatório pede um token de acesso.")
            response.headers["WWW-Authenticate"] = 'Bearer realm="tglake report"'
            return response
        chat = tuple(request.query_params.getlist("chat"))
        try:
            page = await run_in_threadpool(reports.page, chat)
        except EmptyResultError as exc:
            return _notice(404, "Ainda não há relatório", f"Sem mensagens no lago: {exc}.")
        except ConfigError as exc:
            log.info("report refused reason=%s", exc)
            return _notice(
                404, "Conversa não encontrada", "Nenhuma conversa do lago corresponde a ?chat=."
            )
        except StorageUnavailableError as exc:
            log.error("report failed reason=%s", exc)
            return _notice(503, "Relatório indisponível", "O lago não pôde ser lido agora.")
        except TglakeError as exc:
            log.error("report failed reason=%s", exc)
            return _notice(500, "Relatório indisponível", "O relatório não pôde ser gerado.")
        return HTMLResponse(page, headers={"Cache-Control": "no-cache"})

    # gzip when the client accepts it: the page is mostly plotly.js (1.3 MB → about 0.4 MB);
    # only this route, so the webhook's small JSON answers are never delayed by it
    return Route("/report", GZipMiddleware(request_response(report)), methods=["GET"])
