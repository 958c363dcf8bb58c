"""The ways an update comes in: the webhook (``webhook``, shared by the server and the Lambda)
and long polling (``poll``). Both store it, byte for byte, in the raw zone."""

from tglake.ingest.webhook import (
    SECRET_HEADER,
    Outcome,
    Responder,
    check_secret,
    receive,
    store_delivery,
    store_update,
)

__all__ = [
    "SECRET_HEADER",
    "Outcome",
    "Responder",
    "check_secret",
    "receive",
    "store_delivery",
    "store_update",
]
