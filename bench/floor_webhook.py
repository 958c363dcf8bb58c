"""The webhook floor: the least a Telegram webhook can do, written as plainly as possible.

Starlette + uvicorn (the same stack and options as ``tglake serve``), doing only: check the
secret in constant time, parse the JSON, write the body atomically (temporary file, rename) to
``<folder>/<update_id>.json``. No validation beyond ``update_id``, no day partition, no
duplicate check, no bot. ``bench/ingest.py --wrk`` measures ``tglake serve`` as a ratio to it.

    TGLAKE_WEBHOOK_SECRET=s python bench/floor_webhook.py --port 8081 --folder /tmp/floor
"""

from __future__ import annotations

import argparse
import hmac
import itertools
import json
import os

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


def create_floor(folder: str, secret: str) -> Starlette:
    os.makedirs(folder, exist_ok=True)
    expected = secret.encode()
    counter = itertools.count()
    pid = os.getpid()

    async def webhook(request: Request) -> Response:
        given = request.headers.get("x-telegram-bot-api-secret-token", "").encode()
        if not hmac.compare_digest(given, expected):
            return Response(b'{"ok":false}', status_code=401)
        body = await request.body()
        try:
            update_id = int(json.loads(body)["update_id"])
        except (ValueError, KeyError, TypeError):
            return Response(b'{"ok":false}', status_code=400)
        path = os.path.join(folder, f"{update_id}.json")
        tmp = os.path.join(folder, f".{pid}.{next(counter)}.tmp")
        with open(tmp, "wb") as handle:
            handle.write(body)
        os.replace(tmp, path)
        return Response(b'{"ok":true}', media_type="application/json")

    async def healthz(request: Request) -> Response:
        return Response(b'{"ok":true}', media_type="application/json")

    return Starlette(
        routes=[Route("/webhook", webhook, methods=["POST"]), Route("/healthz", healthz)]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--folder", required=True)
    args = parser.parse_args()
    app = create_floor(args.folder, os.environ["TGLAKE_WEBHOOK_SECRET"])
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
