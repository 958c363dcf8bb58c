"""``tglake serve``: the webhook server on one machine."""

from __future__ import annotations

import logging

import click

from tglake.cli.context import lake_option, load_settings, setup_logging

log = logging.getLogger(__name__)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=int, help="Port to listen on.")
@click.option("--no-bot", is_flag=True, help="Store updates without answering them.")
@lake_option
def serve(host: str, port: int, no_bot: bool, lake: str | None) -> None:
    """Receive Telegram's webhook: POST /webhook stores each update in the raw zone."""
    import uvicorn

    from tglake.adapters.http import create_app
    from tglake.adapters.report_route import report_route
    from tglake.adapters.stores import open_store

    settings = load_settings(lake=lake)
    setup_logging(settings)
    if settings.webhook_secret is None:
        log.warning("TGLAKE_WEBHOOK_SECRET is not set: anyone who knows this URL can post updates")
    store = open_store(settings.raw_uri, endpoint_url=settings.aws_endpoint_url)
    responder = None
    if not no_bot:
        from tglake.bot.responder import make_responder
        from tglake.cli.candidates import lake_candidates

        responder = make_responder(settings, store, lake_candidates(settings))
    app = create_app(settings, store, responder=responder, extra_routes=[report_route(settings)])
    log.info("serving webhook on http://%s:%d/webhook, raw zone %s", host, port, settings.raw_uri)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
