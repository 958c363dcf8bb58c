"""``GET /metrics`` after real deliveries to a real server: the counts moved by what happened.

The counts are process-wide (like a Prometheus client's default registry), so each test reads
them before and after its own requests and checks the difference.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from tests.helpers import load_fixture, serve_in_thread
from tglake.adapters.http import create_app
from tglake.adapters.prometheus import metrics_route, registry_for
from tglake.bot.responder import make_responder
from tglake.config import Settings
from tglake.metrics import Metrics
from tglake.storage import LocalStore

SECRET = "metrics-test-secret"
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(url: str) -> Samples:
    response = httpx2.get(f"{url}/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(response.text)
        for s in family.samples
    }


def delta(before: Samples, after: Samples, name: str, **labels: str) -> float:
    key = (name, tuple(sorted(labels.items())))
    return after.get(key, 0.0) - before.get(key, 0.0)


def update(update_id: int, text: str) -> bytes:
    body = load_fixture("message_text")
    body["update_id"] = update_id
    body["message"] = {**body["message"], "text": text, "entities": []}
    return json.dumps(body).encode()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    settings = Settings.from_env({"TGLAKE_WEBHOOK_SECRET": SECRET})
    store = LocalStore(tmp_path / "raw")
    app = create_app(
        settings,
        store,
        responder=make_responder(settings, store),
        extra_routes=[metrics_route()],
    )
    with serve_in_thread(app) as url:
        yield url


def test_metrics_count_what_the_webhook_and_the_bot_did(server: str) -> None:
    before = scrape(server)
    # GIVEN two new updates (one the bot answers, one it cannot), a redelivery, bad input
    answered = update(700000001, "/prefeito")
    statuses = [
        httpx2.post(f"{server}/webhook", content=answered, headers=HEADERS).status_code,
        httpx2.post(
            f"{server}/webhook", content=update(700000002, "/candidato zzzxxqq"), headers=HEADERS
        ).status_code,
        httpx2.post(f"{server}/webhook", content=answered, headers=HEADERS).status_code,
        httpx2.post(f"{server}/webhook", content=b"{not json", headers=HEADERS).status_code,
        httpx2.post(f"{server}/webhook", content=answered).status_code,
    ]
    assert statuses == [200, 200, 200, 400, 401]
    # WHEN the server is scraped
    after = scrape(server)
    # THEN every answer, outcome and bot reply is counted once
    assert delta(before, after, "tglake_updates_total", outcome="stored", kind="message") == 2
    assert delta(before, after, "tglake_updates_total", outcome="duplicate", kind="message") == 1
    assert delta(before, after, "tglake_webhook_responses_total", status="200") == 3
    assert delta(before, after, "tglake_webhook_responses_total", status="400") == 1
    assert delta(before, after, "tglake_webhook_responses_total", status="401") == 1
    assert delta(before, after, "tglake_bot_replies_total", result="answered") == 1
    assert delta(before, after, "tglake_bot_replies_total", result="missed") == 1
    assert delta(before, after, "tglake_webhook_latency_seconds_count") == 5
    assert delta(before, after, "tglake_webhook_latency_seconds_bucket", le="+Inf") == 5
    assert delta(before, after, "tglake_webhook_latency_seconds_sum") > 0
    assert ("process_resident_memory_bytes", ()) in after


def test_the_histogram_is_cumulative_and_the_etl_gauges_appear_after_a_run() -> None:
    metrics = Metrics()
    for seconds in (0.0005, 0.003, 0.003, 7.0):
        metrics.delivery(200, seconds, outcome="stored", kind="message")
    registry = registry_for(metrics)  # a private registry: only this test's counts
    first = generate_latest(registry).decode()
    assert "tglake_etl_last_success" not in first
    metrics.etl_success(
        dt.date(2024, 10, 6), 12.5, dt.datetime(2024, 10, 7, 6, 0, 30, tzinfo=dt.UTC)
    )
    samples = {
        (s.name, s.labels.get("le")): s.value
        for family in text_string_to_metric_families(generate_latest(registry).decode())
        for s in family.samples
    }
    assert samples[("tglake_webhook_latency_seconds_bucket", "0.001")] == 1
    assert samples[("tglake_webhook_latency_seconds_bucket", "0.005")] == 3
    assert samples[("tglake_webhook_latency_seconds_bucket", "5.0")] == 3
    assert samples[("tglake_webhook_latency_seconds_bucket", "+Inf")] == 4
    assert samples[("tglake_etl_last_success_day_timestamp_seconds", None)] == 1728172800
    assert samples[("tglake_etl_last_success_duration_seconds", None)] == 12.5
    assert samples[("tglake_etl_last_success_timestamp_seconds", None)] == 1728280830


def test_a_scraper_asking_for_openmetrics_gets_it(server: str) -> None:
    response = httpx2.get(
        f"{server}/metrics", headers={"Accept": "application/openmetrics-text; version=1.0.0"}
    )
    assert response.headers["content-type"].startswith("application/openmetrics-text")
    assert response.text.endswith("# EOF\n")
