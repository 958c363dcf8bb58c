"""``GET /report`` for ``tglake serve``: the latest report, built on demand.

The page is rebuilt from the enriched zone when the cached one is older than ``max_age``
seconds, in a worker thread, one build at a time. An empty lake answers 404 with a short page
that says so; a lake that cannot be read answers 503.
"""

from __future__ import annotations

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
from tglake.errors import EmptyResultError, StorageUnavailableError, TglakeError

log = logging.getLogger(__name__)

Builder = Callable[[Settings], str]


def _default_builder(settings: Settings) -> str:
    from tglake.analytics.service import report_html

    return report_html(settings)


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
        self._page: str | None = None
        self._built_at = 0.0

    def page(self) -> str:
        with self._lock:
            page = self._page
            if page is None or self.clock() - self._built_at >= self.max_age:
                page = self.builder(self.settings)
                self._page, self._built_at = page, self.clock()
                log.info("report built bytes=%d", len(page.encode()))
            return page


def report_route(settings: Settings, cache: ReportCache | None = None) -> Route:
    """The Route to pass in ``create_app(..., extra_routes=[...])``."""
    reports = cache or ReportCache(settings)

    async def report(request: Request) -> Response:
        try:
            page = await run_in_threadpool(reports.page)
        except EmptyResultError as exc:
            return _notice(404, "Ainda não há relatório", f"Sem mensagens no lago: {exc}.")
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
