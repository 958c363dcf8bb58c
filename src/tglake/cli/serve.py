"""``tglake serve``: the webhook server on one machine."""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

import click

from tglake.adapters.console_logging import setup_logging
from tglake.cli.context import lake_option, load_settings

if TYPE_CHECKING:
    from tglake.adapters.scheduler import DailyScheduler
    from tglake.config import Settings
    from tglake.storage import ObjectStore

log = logging.getLogger(__name__)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--etl-at",
    default="03:00",
    show_default=True,
    metavar="HH:MM",
    help="Time of day (TGLAKE_TIMEZONE) of the nightly ETL of yesterday.",
)
@click.option("--no-schedule", is_flag=True, help="Do not run the nightly ETL in this server.")
@click.option("--no-bot", is_flag=True, help="Store updates without answering them.")
@click.option(
    "--fsync",
    is_flag=True,
    default=None,
    help="fsync each raw write and its folder before the 200 (survives power loss; "
    "default: $TGLAKE_FSYNC).",
)
@lake_option
def serve(
    host: str,
    port: int,
    etl_at: str,
    no_schedule: bool,
    no_bot: bool,
    fsync: bool | None,
    lake: str | None,
) -> None:
    """Receive Telegram's webhook: POST /webhook stores each update in the raw zone.

    GET /healthz answers 200 when the raw zone is writable; GET /metrics gives the counts in
    the Prometheus text format."""
    import uvicorn

    from tglake.adapters import scheduler
    from tglake.adapters.http import create_app
    from tglake.adapters.lake_check import check_lake
    from tglake.adapters.prometheus import metrics_route
    from tglake.adapters.report_route import report_route
    from tglake.adapters.stores import open_store

    try:
        at = scheduler.parse_at(etl_at)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--etl-at") from None

    settings = load_settings(lake=lake, fsync=fsync or None)
    setup_logging(settings)
    store = open_store(
        settings.raw_uri, endpoint_url=settings.aws_endpoint_url, fsync=settings.fsync
    )
    check_lake(store)  # not "serving" and then a 503 for every update
    if settings.webhook_secret is None:
        log.warning("TGLAKE_WEBHOOK_SECRET is not set: anyone who knows this URL can post updates")
    responder = None
    if not no_bot:
        from tglake.adapters.running_bot import build_responder
        from tglake.cli.bot import own_username

        api = None
        if settings.bot_token is not None:  # a button's ack and long replies' other parts
            from tglake.adapters.telegram_api import TelegramApi

            api = TelegramApi(settings.telegram_api_url, settings.bot_token)
        responder = build_responder(
            settings,
            store,
            bot_username=own_username(settings, api),
            sender=api.send if api is not None else None,
        )
    nightly = None if no_schedule else make_scheduler(settings, store, at, lake)
    app = create_app(
        settings,
        store,
        responder=responder,
        extra_routes=[report_route(settings), metrics_route()],
        lifespan=scheduler.lifespan_for(nightly),
    )
    log.info(
        "serving webhook on http://%s:%d/webhook, raw zone %s%s",
        host, port, settings.raw_uri, " (fsync)" if settings.fsync else "",
    )  # fmt: skip
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)


def make_scheduler(
    settings: Settings, raw: ObjectStore, at: dt.time, lake: str | None
) -> DailyScheduler:
    """The nightly ETL: each day a child ``tglake etl`` process, never the webhook's process."""
    from tglake import etl
    from tglake.adapters.lake_check import check_lake
    from tglake.adapters.scheduler import DailyScheduler, subprocess_job
    from tglake.adapters.stores import open_store

    enriched = open_store(settings.enriched_uri, endpoint_url=settings.aws_endpoint_url)
    check_lake(enriched)  # the nightly ETL writes there: find out now, not at 03:00
    log.info("nightly etl at %s %s", at.strftime("%H:%M"), settings.timezone)
    return DailyScheduler(
        subprocess_job(["--lake", lake] if lake else []),
        at=at,
        tz=settings.tz,
        pending=lambda today: etl.pending_days(raw, enriched, today),
    )
