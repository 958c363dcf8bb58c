"""``GET /report`` served by the webhook app under a real uvicorn server."""

from __future__ import annotations

from pathlib import Path

import httpx2

from tests.analytics.dataset import write_known_lake
from tests.analytics.lakefiles import ts, write_messages
from tests.helpers import serve_in_thread
from tglake.adapters.http import create_app
from tglake.adapters.report_route import ReportCache, report_route
from tglake.config import Settings
from tglake.storage import LocalStore


def app_for(lake: Path, cache: ReportCache | None = None) -> object:
    settings = Settings(lake=str(lake))
    store = LocalStore(settings.raw_uri)
    return create_app(settings, store, extra_routes=[report_route(settings, cache)])


def test_report_is_served_as_html_gzipped_when_accepted(lake: Path) -> None:
    write_known_lake(lake / "enriched")
    with serve_in_thread(app_for(lake)) as url:
        response = httpx2.get(f"{url}/report", timeout=30)  # sends Accept-Encoding: gzip, …
        plain = httpx2.get(f"{url}/report", headers={"Accept-Encoding": "identity"}, timeout=30)
        webhook = httpx2.post(f"{url}/webhook", content=b"{}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "Relatório de conversas do bot" in response.text
    assert "30/09/2024 a 02/10/2024" in response.text
    # the page crossed the wire compressed, and decodes to the same page sent plain
    assert response.headers["content-encoding"] == "gzip"
    wire = int(response.headers["content-length"])
    assert wire < len(response.content) / 2
    assert "content-encoding" not in plain.headers
    assert plain.content == response.content
    assert "content-encoding" not in webhook.headers  # only /report is compressed


def test_an_empty_lake_answers_404_with_a_page_that_says_why(lake: Path) -> None:
    with serve_in_thread(app_for(lake)) as url:
        response = httpx2.get(f"{url}/report", timeout=30)
    assert response.status_code == 404
    assert "Ainda não há relatório" in response.text


def test_the_report_is_rebuilt_once_it_is_older_than_max_age(lake: Path) -> None:
    write_known_lake(lake / "enriched")
    now = [0.0]
    settings = Settings(lake=str(lake))
    cache = ReportCache(settings, max_age=60, clock=lambda: now[0])
    with serve_in_thread(app_for(lake, cache)) as url:
        first = httpx2.get(f"{url}/report", timeout=30).text
        write_messages(
            lake / "enriched",
            [{"user_key": "u9", "message_ts": ts("2024-10-05 12:00"), "content_type": "text"}],
        )
        now[0] = 59.0
        cached = httpx2.get(f"{url}/report", timeout=30).text
        now[0] = 61.0
        rebuilt = httpx2.get(f"{url}/report", timeout=30).text
    assert cached == first
    assert "30/09/2024 a 02/10/2024" in first
    assert "30/09/2024 a 05/10/2024" in rebuilt


def test_the_webhook_still_answers_beside_the_report(lake: Path) -> None:
    with serve_in_thread(app_for(lake)) as url:
        assert httpx2.get(f"{url}/healthz").status_code == 200
