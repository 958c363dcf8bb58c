"""The demo, start to end: a fresh lake, the real webhook server (with the bot), the simulated
conversation posted over HTTP, the ETL of every simulated day, a few queries and the report."""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import secrets
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

from tglake import layout, pseudonym
from tglake.config import Secret, Settings
from tglake.demo.candidates import load_candidates
from tglake.demo.loop import Batch, LoopOutcome, learn, measure, merge, split, split_day
from tglake.demo.pipeline import (
    EtlTotals,
    QueryPreview,
    ReportOutcome,
    build_report,
    etl_all_days,
    raw_inventory,
    showcase,
)
from tglake.demo.player import Player, PlayStats
from tglake.demo.simulate import Delivery, SimConfig, iter_deliveries
from tglake.errors import ConfigError
from tglake.ingest.export import ImportReport
from tglake.storage import LocalStore

MARKER = ".tglake-demo"
"""A lake folder holding this file was made by the demo, and the next demo may wipe it."""


class Reporter(Protocol):
    """Where the demo shows its progress (a rich console in the CLI, nothing in tests)."""

    def stage(self, name: str, total: int | None) -> Callable[[int], None]:
        """Start a stage; the returned function advances it."""

    def end_stage(self) -> None: ...


class QuietReporter:
    def stage(self, name: str, total: int | None) -> Callable[[int], None]:
        return lambda n: None

    def end_stage(self) -> None:
        return None


@dataclasses.dataclass(frozen=True)
class DemoOptions:
    lake: Path = Path("demo-lake")
    days: int = 7
    updates_per_day: int = 3000
    seed: int = 2024
    concurrency: int = 16
    etl_batch_size: int | None = None
    """Raw objects per ETL batch (None: the ETL's own); the progress bar moves per batch."""


@dataclasses.dataclass
class Traffic:
    """What the simulation sent, counted as it went by."""

    deliveries: int = 0
    redeliveries: int = 0
    across_midnight: int = 0
    kinds: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)

    @property
    def distinct(self) -> int:
        return self.deliveries - self.redeliveries


@dataclasses.dataclass
class DemoResult:
    lake: Path
    first_day: dt.date
    last_day: dt.date
    traffic: Traffic
    play: PlayStats
    raw_objects: int
    raw_days: list[dt.date]
    etl: EtlTotals
    queries: list[QueryPreview]
    report: ReportOutcome
    before: ImportReport
    """The group's export of the days before the bot joined, as imported."""
    settings: Settings | None = dataclasses.field(default=None, repr=False)
    """The run's settings (its random webhook secret, and the key of the lake's key file; never
    shown)."""
    loop: LoopOutcome | None = None
    """Aliases learned from the first days, and the held-out days' answered share (None for a
    one-day demo: no day is left to hold out)."""


def prepare_lake(path: Path) -> None:
    """An empty lake at ``path``: a previous demo lake is wiped, anything else is refused."""
    if path.exists():
        if (path / MARKER).is_file():
            shutil.rmtree(path)
        elif not path.is_dir() or any(path.iterdir()):
            raise ConfigError(
                f"{path} exists and is not a demo lake (it has no {MARKER} file); "
                "choose another --lake or remove it yourself"
            )
    path.mkdir(parents=True, exist_ok=True)
    (path / MARKER).write_text("made by `tglake demo`; the next demo run deletes this folder\n")


def demo_settings(lake: Path) -> Settings:
    """Self-contained settings: the developer's TGLAKE_* environment never steers the demo.

    The pseudonym key is the lake's own key file (``<lake>/.pseudonym-key``, made here for the
    fresh lake), so every later command on the demo lake (``tglake etl --date … --lake
    demo-lake``, ``tglake forget``…) finds the same key and rebuilds a day byte for byte."""
    bare = Settings(lake=str(lake.resolve()))
    return dataclasses.replace(
        bare,
        webhook_secret=Secret(secrets.token_urlsafe(32)),
        pseudonym_key=Secret(pseudonym.load_or_create_key(bare).decode()),
    )


def _counted(deliveries: Iterator[Delivery], traffic: Traffic, tz: Any) -> Iterator[Delivery]:
    for delivery in deliveries:
        traffic.deliveries += 1
        traffic.kinds[delivery.kind] += 1
        if delivery.first_received_at is not None:
            traffic.redeliveries += 1
            first_day = layout.context_date(delivery.first_received_at, tz)
            if layout.context_date(delivery.received_at, tz) != first_day:
                traffic.across_midnight += 1
        yield delivery


def post_conversation(
    options: DemoOptions, settings: Settings, reporter: Reporter
) -> tuple[Traffic, PlayStats, Batch | None]:
    """Start the webhook server and play the simulated conversation into it, in two parts with
    the lake's lessons applied between them (:mod:`tglake.demo.loop`)."""
    from tglake.demo.server import demo_server

    config = SimConfig(
        days=options.days, updates_per_day=options.updates_per_day, seed=options.seed
    )
    traffic = Traffic()
    deliveries = _counted(iter_deliveries(load_candidates(), config), traffic, settings.tz)
    secret = settings.webhook_secret.reveal() if settings.webhook_secret else None
    expected = round(options.days * options.updates_per_day * (1 + config.redelivery_rate))
    advance = reporter.stage("webhook: POST /webhook", expected)
    with demo_server(settings, options.lake / "webhook.log") as base_url:
        player = Player(
            f"{base_url}/webhook",
            secret=secret,
            concurrency=options.concurrency,
            send_simulated_time=True,
        )
        last = split_day(config.first_day, options.days)
        if last is None:
            return traffic, player.play_sync(deliveries, on_done=lambda d, s: advance(1)), None
        first, rest = split(deliveries, last, settings.tz)
        stats = player.play_sync(first, on_done=lambda d, s: advance(1))
        batch = learn(settings, last, config.first_day)  # the running server reloads them
        stats = merge(stats, player.play_sync(rest, on_done=lambda d, s: advance(1)))
    reporter.end_stage()
    return traffic, stats, batch


def import_before(options: DemoOptions, settings: Settings, reporter: Reporter) -> ImportReport:
    """The admin's export of the group before the bot joined, imported (the ETL comes later,
    over every day, export days included)."""
    from tglake.demo.before import export_before, write_export
    from tglake.ingest.export import import_export

    config = SimConfig(
        days=options.days, updates_per_day=options.updates_per_day, seed=options.seed
    )
    path = write_export(export_before(load_candidates(), config), options.lake / "before-the-bot")
    advance = reporter.stage("import: the group's export before the bot", 2 * path.stat().st_size)
    report = import_export(
        path, settings=settings, raw=LocalStore(settings.raw_uri), progress=advance
    )
    reporter.end_stage()
    return report


def run_demo(options: DemoOptions, reporter: Reporter | None = None) -> DemoResult:
    """The whole demo; returns what a summary needs."""
    reporter = reporter or QuietReporter()
    prepare_lake(options.lake)
    settings = demo_settings(options.lake)
    raw = LocalStore(settings.raw_uri)
    before = import_before(options, settings, reporter)
    traffic, play, batch = post_conversation(options, settings, reporter)
    raw_objects, raw_days = raw_inventory(raw)
    bot_events = sum(1 for _ in raw.list(f"{layout.BOT_SOURCE}/"))
    advance = reporter.stage("ETL: raw → Parquet", raw_objects + bot_events)
    etl = etl_all_days(settings, on_batch=advance, batch_size=options.etl_batch_size)
    reporter.end_stage()
    advance = reporter.stage("report: SQL → HTML", 1)
    queries = showcase(settings)
    report = build_report(settings, options.lake / "report.html")
    advance(1)
    reporter.end_stage()
    config = SimConfig(days=options.days, updates_per_day=options.updates_per_day)
    loop = measure(settings, batch, config.last_day) if batch is not None else None
    return DemoResult(
        lake=options.lake,
        first_day=config.first_day,
        last_day=config.last_day,
        traffic=traffic,
        play=play,
        raw_objects=raw_objects,
        raw_days=raw_days,
        etl=etl,
        queries=queries,
        report=report,
        settings=settings,
        before=before,
        loop=loop,
    )
