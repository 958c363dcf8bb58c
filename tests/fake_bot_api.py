"""A stand-in for Telegram's Bot API server, for tests on loopback.

It answers ``POST /bot<token>/<method>`` with the shapes the Bot API documents
(https://core.telegram.org/bots/api#making-requests): ``{"ok": true, "result": …}`` or
``{"ok": false, "error_code": …, "description": …, "parameters": {"retry_after": …}}``.
A test queues updates, scripts failures (``fail_next``) and reads what was called
(``calls``, ``sent``). tglake knows nothing of it but the base URL it is given.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import re
import threading
from collections.abc import Iterator
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.helpers import serve_in_thread

TOKEN = "123456:TEST-token-not-real"
BOT_USER = {
    "id": 123456,
    "is_bot": True,
    "first_name": "Tglake Test Bot",
    "username": "tglake_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
    "can_connect_to_business": False,
    "has_main_web_app": False,
}
HTTPS_REQUIRED = "An HTTPS URL must be provided for webhook"
WEBHOOK_CONFLICT = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"  # noqa: E501 - Telegram's exact words


@dataclasses.dataclass
class Failure:
    status: int
    description: str
    retry_after: int | None = None
    raw: bytes | None = None  # a non-JSON body, as a proxy in front of Telegram might send


@dataclasses.dataclass
class FakeBotApi:
    """The server's state; every field may be read or set by a test."""

    url: str = ""
    """Base URL of the running server (what TGLAKE_TELEGRAM_API_URL is set to)."""
    token: str = TOKEN
    pending: list[tuple[int, Any]] = dataclasses.field(default_factory=list)
    """(update_id slot, entry) pairs Telegram holds; an entry may be malformed on purpose."""
    webhook: dict[str, Any] = dataclasses.field(default_factory=dict)
    failures: dict[str, list[Failure]] = dataclasses.field(default_factory=dict)
    calls: list[tuple[str, dict[str, Any]]] = dataclasses.field(default_factory=list)
    sent: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    commands: list[dict[str, str]] = dataclasses.field(default_factory=list)
    """The menu set by setMyCommands (default scope)."""
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)

    def reset(self) -> None:
        """Forget every update, webhook, script and call: a fresh Telegram for the next test."""
        fresh = FakeBotApi(url=self.url)
        for field in dataclasses.fields(self):
            setattr(self, field.name, getattr(fresh, field.name))

    def queue(self, *entries: Any) -> None:
        """Hold updates for getUpdates; a malformed entry takes the next update_id slot."""
        with self.lock:
            for entry in entries:
                update_id = entry.get("update_id") if isinstance(entry, dict) else None
                if isinstance(update_id, int) and abs(update_id) < 2**63:
                    slot = update_id
                else:
                    slot = self.pending[-1][0] + 1 if self.pending else 1
                self.pending.append((slot, entry))

    def fail_next(
        self,
        method: str,
        status: int,
        description: str,
        *,
        retry_after: int | None = None,
        times: int = 1,
        raw: bytes | None = None,
    ) -> None:
        self.failures.setdefault(method, []).extend(
            [Failure(status, description, retry_after, raw)] * times
        )

    def methods_called(self) -> list[str]:
        return [method for method, _ in self.calls]

    # -- the methods ---------------------------------------------------------------------

    def get_updates(self, params: dict[str, Any]) -> Any:
        if self.webhook.get("url"):
            return Failure(409, WEBHOOK_CONFLICT)
        offset = params.get("offset")
        limit = int(params.get("limit") or 100)
        with self.lock:
            if isinstance(offset, int):  # confirms every update before it
                self.pending = [(s, e) for s, e in self.pending if s >= offset]
            return [entry for _, entry in self.pending[:limit]]

    def set_webhook(self, params: dict[str, Any]) -> Any:
        url = str(params.get("url") or "")
        if not url.startswith("https://"):
            return Failure(400, f"Bad Request: bad webhook: {HTTPS_REQUIRED}")
        if params.get("drop_pending_updates"):
            self.pending.clear()
        self.webhook = {
            "url": url,
            "secret_token": params.get("secret_token"),
            "allowed_updates": params.get("allowed_updates"),
            "max_connections": params.get("max_connections") or 40,
        }
        return True

    def get_webhook_info(self, params: dict[str, Any]) -> Any:
        info = {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self.pending),
        }
        if self.webhook.get("url"):
            info["max_connections"] = self.webhook["max_connections"]
            info["ip_address"] = "127.0.0.1"
            if self.webhook.get("allowed_updates"):
                info["allowed_updates"] = self.webhook["allowed_updates"]
            for key in ("last_error_date", "last_error_message"):
                if key in self.webhook:
                    info[key] = self.webhook[key]
        return info

    def delete_webhook(self, params: dict[str, Any]) -> Any:
        if params.get("drop_pending_updates"):
            self.pending.clear()
        self.webhook = {}
        return True

    def send_message(self, params: dict[str, Any]) -> Any:
        if not params.get("text"):
            return Failure(400, "Bad Request: message text is empty")
        self.sent.append(params)
        return {
            "message_id": len(self.sent),
            "from": {k: BOT_USER[k] for k in ("id", "is_bot", "first_name", "username")},
            "chat": {"id": params.get("chat_id"), "type": "private"},
            "date": 1728226800,
            "text": params["text"],
        }

    def set_my_commands(self, params: dict[str, Any]) -> Any:
        """Telegram's checks: 1-32 of a-z, 0-9, _ for a command; 1-256 characters of
        description; at most 100 commands."""
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            return Failure(400, "Bad Request: commands must be a list of at most 100")
        for entry in commands:
            name = entry.get("command") if isinstance(entry, dict) else None
            if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                return Failure(400, "Bad Request: BOT_COMMAND_INVALID")
            text = entry.get("description")
            if not isinstance(text, str) or not 1 <= len(text) <= 256:
                return Failure(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands = [
            {"command": e["command"], "description": e["description"]} for e in commands
        ]
        return True

    # -- HTTP ----------------------------------------------------------------------------

    async def endpoint(self, request: Request) -> Response:
        token, method = request.path_params["token"], request.path_params["method"]
        params: dict[str, Any] = dict(request.query_params)
        body = await request.body()
        if body:
            params.update(json.loads(body))
        self.calls.append((method, params))
        if token != self.token:
            return _error(Failure(401, "Unauthorized"))
        scripted = self.failures.get(method)
        if scripted:
            return _error(scripted.pop(0))
        handler = {
            "getMe": lambda _: BOT_USER,
            "getUpdates": self.get_updates,
            "setWebhook": self.set_webhook,
            "getWebhookInfo": self.get_webhook_info,
            "deleteWebhook": self.delete_webhook,
            "sendMessage": self.send_message,
            "answerCallbackQuery": lambda _: True,
            "setMyCommands": self.set_my_commands,
            "getMyCommands": lambda _: self.commands,
        }.get(method)
        if handler is None:
            return _error(Failure(404, "Not Found"))
        result = handler(params)
        if isinstance(result, Failure):
            return _error(result)
        if method == "getUpdates" and not result:
            await asyncio.sleep(min(float(params.get("timeout") or 0), 0.01))  # a long poll
        return JSONResponse({"ok": True, "result": result})

    def app(self) -> Starlette:
        return Starlette(
            routes=[Route("/bot{token}/{method}", self.endpoint, methods=["GET", "POST"])]
        )


def _error(failure: Failure) -> Response:
    if failure.raw is not None:
        return Response(failure.raw, status_code=failure.status, media_type="text/html")
    answer: dict[str, Any] = {
        "ok": False,
        "error_code": failure.status,
        "description": failure.description,
    }
    if failure.retry_after is not None:
        answer["parameters"] = {"retry_after": failure.retry_after}
    return JSONResponse(answer, status_code=failure.status)


@contextlib.contextmanager
def running_fake_bot() -> Iterator[FakeBotApi]:
    """A fake Bot API server on loopback; its ``url`` is the base URL to give tglake."""
    fake = FakeBotApi()
    with serve_in_thread(fake.app()) as url:
        fake.url = url
        yield fake
