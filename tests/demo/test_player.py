"""The player against the real webhook app under uvicorn: Telegram's delivery habits."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest

from tests.adapters.test_http import FlakyStore
from tests.demo.test_simulate import CANDIDATES
from tests.helpers import serve_in_thread
from tglake import layout
from tglake.adapters.http import create_app
from tglake.config import Settings
from tglake.demo.player import Player, PlayStats
from tglake.demo.server import simulated_clock, with_simulated_time
from tglake.demo.simulate import SimConfig, simulate

SECRET = "player-test-secret"
SETTINGS = Settings.from_env({"TGLAKE_WEBHOOK_SECRET": SECRET})
DELIVERIES = simulate(CANDIDATES, SimConfig(days=2, updates_per_day=60, seed=3))
FIRSTS = [d for d in DELIVERIES if not d.redelivery]


def stored_ids(store: FlakyStore) -> list[int]:
    keys = [layout.parse_raw_key(k) for k in store.list("telegram/")]
    return sorted(k.update_id for k in keys if k is not None)


def test_every_delivery_is_answered_200_and_stored_once(tmp_path: Path) -> None:
    store = FlakyStore(tmp_path / "raw")
    app = with_simulated_time(create_app(SETTINGS, store, clock=simulated_clock))
    with serve_in_thread(app) as url:
        stats = Player(f"{url}/webhook", secret=SECRET, concurrency=8,
                       send_simulated_time=True).play_sync(DELIVERIES)  # fmt: skip
    distinct = {d.update_id for d in DELIVERIES}
    assert (stats.posted, stats.ok, stats.failed, stats.retried) == (len(DELIVERIES),) * 2 + (0, 0)
    assert stats.acknowledged == distinct
    across = sum(
        1
        for d in DELIVERIES
        if d.first_received_at
        and layout.context_date(d.first_received_at, SETTINGS.tz)
        != layout.context_date(d.received_at, SETTINGS.tz)
    )
    assert len(stored_ids(store)) == len(distinct) + across
    assert set(stored_ids(store)) == distinct


def test_the_simulated_time_decides_the_partition_only_behind_the_demo_wrapper(
    tmp_path: Path,
) -> None:
    demo_store, prod_store = FlakyStore(tmp_path / "demo"), FlakyStore(tmp_path / "prod")
    first = DELIVERIES[:5]
    demo_app = with_simulated_time(create_app(SETTINGS, demo_store, clock=simulated_clock))
    for _store, app in ((demo_store, demo_app), (prod_store, create_app(SETTINGS, prod_store))):
        with serve_in_thread(app) as url:
            Player(f"{url}/webhook", secret=SECRET, send_simulated_time=True).play_sync(first)
    simulated_day = layout.context_date(first[0].received_at, SETTINGS.tz)
    assert {layout.parse_raw_key(k).day for k in demo_store.list("telegram/")} == {  # type: ignore[union-attr]
        simulated_day
    }
    today = dt.datetime.now(SETTINGS.tz).date()
    prod_days = {layout.parse_raw_key(k).day for k in prod_store.list("telegram/")}  # type: ignore[union-attr]
    assert prod_days <= {today, today - dt.timedelta(days=1)}  # the production app ignores it


def test_an_outage_gets_503s_that_are_retried_until_stored(tmp_path: Path) -> None:
    store = FlakyStore(tmp_path / "raw")
    store.down = True
    answers: list[int] = []

    app = create_app(SETTINGS, store)

    def on_done(delivery: object, status: int) -> None:
        answers.append(status)

    with serve_in_thread(app) as url:
        player = Player(f"{url}/webhook", secret=SECRET, concurrency=1, backoff=0.2)
        threading.Timer(0.3, lambda: setattr(store, "down", False)).start()
        stats = player.play_sync(FIRSTS[:3], on_done=on_done)
    assert stats.statuses[503] >= 1
    assert stats.retried == stats.statuses[503]
    assert stats.ok == 3
    assert stats.failed == 0
    assert answers == [200, 200, 200]
    assert stored_ids(store) == sorted(d.update_id for d in FIRSTS[:3])


def test_a_wrong_secret_is_given_up_after_the_last_attempt(tmp_path: Path) -> None:
    store = FlakyStore(tmp_path / "raw")
    with serve_in_thread(create_app(SETTINGS, store)) as url:
        player = Player(f"{url}/webhook", secret="not-the-secret", max_attempts=3, backoff=0.001)
        stats = player.play_sync(DELIVERIES[:2])
    assert (stats.ok, stats.failed, stats.retried, stats.statuses[401]) == (0, 2, 4, 6)
    assert store.writes_attempted == 0
    assert stats.acknowledged == set()


def test_latency_percentiles_are_taken_over_the_answered_attempts() -> None:
    stats = PlayStats(latencies=[i / 1000 for i in range(1, 101)])
    assert stats.percentile(50) == pytest.approx(50.0)
    assert stats.percentile(99) == pytest.approx(99.0)
    assert PlayStats().percentile(99) == 0.0
