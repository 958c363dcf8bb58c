"""The two Lambda entry points: ``webhook_handler`` (API Gateway) and ``etl_handler`` (the
nightly EventBridge Scheduler run).

Thin on purpose: the webhook decodes the proxy event (:mod:`tglake.adapters.apigw`), calls
:func:`tglake.ingest.webhook.receive`, and maps outcomes and errors through the same table as
``tglake serve`` (:mod:`tglake.adapters.status`), so Telegram gets the same answers from both.
Settings come from the environment and the secrets from SSM / Secrets Manager
(:mod:`tglake.adapters.aws_secrets`), read once per cold start. The webhook's import chain is
stdlib + boto3 only (tested); the ETL (PyArrow) is imported inside its handler.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import sys
import time
from collections.abc import Callable, Mapping
from typing import Any, TextIO

from tglake import layout
from tglake.adapters import apigw, emf
from tglake.adapters.aws_secrets import ClientFactory, resolve_secrets
from tglake.adapters.lambda_logging import JsonFormatter, setup_json_logging
from tglake.adapters.status import accept, reject
from tglake.adapters.stores import open_store
from tglake.config import Settings
from tglake.errors import ConfigError, TglakeError
from tglake.ingest import webhook as ingest
from tglake.metrics import METRICS
from tglake.storage import ObjectStore

log = logging.getLogger(__name__)

Responder = ingest.Responder
Clock = Callable[[], dt.datetime]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def load_responder(settings: Settings, store: ObjectStore) -> Responder | None:
    """The bot's responder when ``tglake.bot`` is in the package and ``TGLAKE_BOT_REPLIES`` is
    not off; otherwise None (updates are still stored, with a plain ``{"ok": true}``)."""
    if not settings.bot_replies:
        return None
    try:  # RapidFuzz comes from the bot's layer: without it, updates are stored, not answered
        from tglake.adapters.running_bot import build_responder
    except ImportError as exc:
        log.warning("bot replies off: %s", exc)
        return None
    sender = None
    if settings.bot_token is not None:  # a button's ack and long replies' other parts
        try:
            from tglake.adapters.telegram_api import TelegramApi
        except ImportError as exc:
            log.warning("no Bot API client, replies in the webhook body only: %s", exc)
        else:
            sender = TelegramApi(settings.telegram_api_url, settings.bot_token).send
    # no getMe per cold start: TGLAKE_BOT_USERNAME (the template's BotUsername) is the only source
    return build_responder(settings, store, sender=sender)


def _request_id(context: Any) -> str | None:
    value = getattr(context, "aws_request_id", None)
    return str(value) if value else None


class WebhookFunction:
    """The webhook as a callable ``(event, context) → proxy response``."""

    def __init__(
        self,
        settings: Settings,
        store: ObjectStore,
        *,
        responder: Responder | None = None,
        clock: Clock = utcnow,
        formatter: JsonFormatter | None = None,
        namespace: str = emf.DEFAULT_NAMESPACE,
        metrics_out: TextIO | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.responder = responder
        self.clock = clock
        self.formatter = formatter
        self.namespace = namespace
        self.metrics_out = metrics_out

    def __call__(self, event: Mapping[str, Any], context: Any) -> dict[str, Any]:
        """Answer one event, then print its counts as EMF lines (CloudWatch metrics)."""
        before = METRICS.snapshot()
        try:
            return self.answer(event, context)
        finally:
            stamp = int(self.clock().timestamp() * 1000)
            objects = emf.changes(
                before, METRICS.snapshot(), namespace=self.namespace, timestamp_ms=stamp
            )
            out = self.metrics_out or sys.stdout  # Lambda sends stdout to CloudWatch Logs
            out.write(emf.lines(objects))
            out.flush()

    def answer(self, event: Mapping[str, Any], context: Any) -> dict[str, Any]:
        if self.formatter is not None:
            self.formatter.request_id = _request_id(context)
        started = time.perf_counter()
        try:
            request = apigw.parse_event(event)
            if request.method == "GET" and request.path.endswith("/healthz"):
                ingest.check_ready(self.store, settings=self.settings, now=self.clock())
                return apigw.response(200, b'{"ok":true}')
            if request.method != "POST":
                return apigw.response(405, b'{"ok":false,"error":"use POST"}')
            # the secret first: a request without it never has its body decoded or stored
            secret = self.settings.webhook_secret.reveal() if self.settings.webhook_secret else None
            ingest.check_secret(request.headers, secret)
            outcome = ingest.receive(
                request.body(),
                request.headers,
                settings=self.settings,
                store=self.store,
                now=self.clock(),
            )
        except TglakeError as exc:
            return apigw.response(*reject(exc, started))
        return apigw.response(200, accept(outcome, self.responder, started))


def build_webhook(
    environ: Mapping[str, str],
    *,
    client_for: ClientFactory | None = None,
    s3_client: Any = None,
    clock: Clock = utcnow,
) -> WebhookFunction:
    """Everything a cold start does once: secrets, settings, JSON logs, the raw store, the bot."""
    settings = Settings.from_env(resolve_secrets(environ, client_for))
    formatter = setup_json_logging(settings.secrets(), level=settings.log_level)
    if settings.webhook_secret is None:
        log.warning("TGLAKE_WEBHOOK_SECRET is not set: anyone who knows the URL can post updates")
    store = open_store(settings.raw_uri, endpoint_url=settings.aws_endpoint_url, client=s3_client)
    responder = load_responder(settings, store)
    return WebhookFunction(
        settings,
        store,
        responder=responder,
        clock=clock,
        formatter=formatter,
        namespace=environ.get("TGLAKE_METRICS_NAMESPACE") or emf.DEFAULT_NAMESPACE,
    )


def days_from_event(event: Mapping[str, Any], tz: dt.tzinfo, now: dt.datetime) -> list[dt.date]:
    """The days one ETL event asks for.

    ``{"date": "YYYY-MM-DD"}`` or ``{"from": …, "to": …}`` (inclusive) for backfills; otherwise
    the day before the scheduled time (``scheduled_time``, filled by EventBridge Scheduler from
    ``<aws.scheduler.scheduled-time>``, or an EventBridge rule's ``time``), or before ``now``, in
    ``tz``. Basing it on the scheduled time makes a retry hours later still run the right day.
    """
    try:
        if event.get("date"):
            return [dt.date.fromisoformat(str(event["date"]))]
        if event.get("from") or event.get("to"):
            first = dt.date.fromisoformat(str(event.get("from") or event.get("to")))
            last = dt.date.fromisoformat(str(event.get("to") or event.get("from")))
            return layout.day_range(first, last)
        stamp = event.get("scheduled_time") or event.get("time")
        reference = dt.datetime.fromisoformat(str(stamp).replace("Z", "+00:00")) if stamp else now
    except ValueError as exc:
        raise ConfigError(f"bad ETL event: {exc}") from None
    if reference.tzinfo is None:
        raise ConfigError(f"bad ETL event: scheduled time {stamp!r} has no time zone")
    return [reference.astimezone(tz).date() - dt.timedelta(days=1)]


def _jsonable(report: Any) -> dict[str, Any]:
    data: dict[str, Any] = dataclasses.asdict(report)
    data["day"] = str(data.get("day"))
    data["rejects"] = len(data.get("rejects") or ())
    return data


class EtlFunction:
    """The nightly ETL as a callable ``(event, context) → summary``; failures raise, so
    EventBridge Scheduler retries and then sends the event to the dead-letter queue."""

    def __init__(
        self,
        settings: Settings,
        raw: ObjectStore,
        enriched: ObjectStore,
        *,
        clock: Clock = utcnow,
        formatter: JsonFormatter | None = None,
    ) -> None:
        self.settings = settings
        self.raw = raw
        self.enriched = enriched
        self.clock = clock
        self.formatter = formatter

    def __call__(self, event: Mapping[str, Any], context: Any) -> dict[str, Any]:
        if self.formatter is not None:
            self.formatter.request_id = _request_id(context)
        from tglake import etl

        days = days_from_event(event or {}, self.settings.tz, self.clock())
        reports = []
        for day in days:
            report = etl.run_day(
                day,
                settings=self.settings,
                raw=self.raw,
                enriched=self.enriched,
            )
            log.info(
                "etl day=%s updates_read=%d rows=%s duplicates=%d conflicts=%d rejects=%d "
                "seconds=%.2f",
                day,
                report.updates_read,
                sum(report.rows.values()),
                report.duplicates_dropped,
                report.conflicts_kept,
                len(report.rejects),
                report.seconds,
            )
            reports.append(_jsonable(report))
        return {"days": reports}


def build_etl(
    environ: Mapping[str, str],
    *,
    client_for: ClientFactory | None = None,
    s3_client: Any = None,
    clock: Clock = utcnow,
) -> EtlFunction:
    settings = Settings.from_env(resolve_secrets(environ, client_for))
    formatter = setup_json_logging(settings.secrets(), level=settings.log_level)
    endpoint = settings.aws_endpoint_url
    raw = open_store(settings.raw_uri, endpoint_url=endpoint, client=s3_client)
    enriched = open_store(settings.enriched_uri, endpoint_url=endpoint, client=s3_client)
    return EtlFunction(settings, raw, enriched, clock=clock, formatter=formatter)


_cold: dict[str, Any] = {}


def webhook_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Lambda entry point of the webhook (built once per cold start)."""
    if "webhook" not in _cold:
        _cold["webhook"] = build_webhook(os.environ)
    function: WebhookFunction = _cold["webhook"]
    return function(event, context)


def etl_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Lambda entry point of the nightly ETL (built once per cold start)."""
    if "etl" not in _cold:
        _cold["etl"] = build_etl(os.environ)
    function: EtlFunction = _cold["etl"]
    return function(event, context)
