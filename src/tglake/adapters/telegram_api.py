"""A small Bot API client (https://core.telegram.org/bots/api) over httpx2, httpx's maintained line.

Every answer is ``{"ok": true, "result": …}`` or ``{"ok": false, "error_code": …,
"description": …, "parameters": {"retry_after": …}}``; the second becomes a
:class:`~tglake.errors.TelegramApiError`. 429 is honoured (a bounded number of waits of
``retry_after`` seconds); 5xx answers and network failures are retried with capped exponential
backoff and jitter, then reported in one clear sentence.

The token never leaves this module in readable form: httpx2 only ever sees a URL with a
placeholder (``/bot**********/getMe``), so its own log lines, its exceptions and our messages
cannot show the token; a thin transport puts the real token in just before the bytes go out.
Tests pass their own ``transport`` (habit 5) or point ``base_url`` at a fake server.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote

import httpx2

from tglake.botapi import BotCommand, User, WebhookInfo
from tglake.config import Secret
from tglake.errors import TelegramApiError

log = logging.getLogger(__name__)

PLACEHOLDER = "**********"
DEFAULT_TIMEOUT = 15.0
"""Seconds for an ordinary call; getUpdates adds its long-poll timeout to it."""
MAX_ATTEMPTS = 5
"""Attempts for one call when Telegram cannot be reached or answers 5xx."""
MAX_RATE_LIMIT_WAITS = 3
"""How many 429 answers one call waits out before giving up."""
MAX_RETRY_AFTER = 120.0
"""A 429 asking for a longer wait than this is reported instead of slept through."""


class _TokenTransport(httpx2.BaseTransport):
    """Swap the placeholder for the real token at the last moment, below httpx2's logging."""

    def __init__(self, inner: httpx2.BaseTransport, token: Secret) -> None:
        self._inner = inner
        self._token = token

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        marker = f"/bot{PLACEHOLDER}/".encode()
        real = f"/bot{quote(self._token.reveal(), safe=':')}/".encode()
        url = request.url.copy_with(raw_path=request.url.raw_path.replace(marker, real, 1))
        outgoing = httpx2.Request(
            request.method,
            url,
            headers=request.headers,
            stream=request.stream,
            extensions=request.extensions,
        )
        return self._inner.handle_request(outgoing)

    def close(self) -> None:
        self._inner.close()


def _describe_failure(method: str, answer: dict[str, Any]) -> TelegramApiError:
    code = answer.get("error_code")
    code = code if isinstance(code, int) and not isinstance(code, bool) else None
    description = str(answer.get("description") or "no description")
    parameters = answer.get("parameters")
    retry_after = parameters.get("retry_after") if isinstance(parameters, dict) else None
    retry = float(retry_after) if isinstance(retry_after, int | float) else None
    if code == 401:
        message = (
            f"the Bot API rejected the bot token ({code} {description}): "
            "check TGLAKE_BOT_TOKEN (the token @BotFather gave you)"
        )
    elif code == 404 and method == "getMe":
        message = (
            f"the Bot API answered {code} {description} to getMe: "
            "TGLAKE_BOT_TOKEN is malformed, or TGLAKE_TELEGRAM_API_URL is not a Bot API server"
        )
    elif code == 429:
        message = f"{method}: Telegram is rate-limiting this bot ({description})"
    else:
        message = f"{method} failed: {code} {description}"
    return TelegramApiError(message, error_code=code, retry_after=retry)


class TelegramApi:
    """The Bot API methods tglake uses, plus :meth:`call` for any other one."""

    def __init__(
        self,
        base_url: str,
        token: Secret,
        *,
        transport: httpx2.BaseTransport | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_attempts: int = MAX_ATTEMPTS,
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
        max_rate_limit_waits: int = MAX_RATE_LIMIT_WAITS,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not token.reveal():
            raise TelegramApiError("the bot token is empty: set TGLAKE_BOT_TOKEN")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.max_attempts = max(1, max_attempts)
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.max_rate_limit_waits = max_rate_limit_waits
        self._token = token
        self._sleep = sleep
        self._client = httpx2.Client(
            base_url=f"{self.base_url}/bot{PLACEHOLDER}/",
            transport=_TokenTransport(transport or httpx2.HTTPTransport(), token),
            timeout=timeout,
        )

    def __repr__(self) -> str:
        return f"TelegramApi({self.base_url!r}, token={self._token!r})"

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> TelegramApi:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the generic call ---------------------------------------------------------------

    def backoff(self, attempt: int) -> float:
        """Seconds to wait before retry number ``attempt`` (1-based): capped doubling, jittered
        to between half and all of it so that many clients do not retry in step."""
        ceiling = min(self.backoff_cap, self.backoff_base * 2 ** (attempt - 1))
        return float(ceiling / 2 + random.uniform(0, ceiling / 2))  # noqa: S311 - jitter

    def send(self, method: dict[str, Any]) -> Any:
        """Make the call a bot reply describes (``{"method": "sendMessage", …params}``), the
        same dict the webhook puts in its 200 body."""
        params = {k: v for k, v in method.items() if k != "method"}
        return self.call(str(method["method"]), params)

    def call(
        self, method: str, params: dict[str, Any] | None = None, *, timeout: float | None = None
    ) -> Any:
        """Call ``method`` with ``params`` (sent as JSON; None values left out) and return its
        ``result``; ``timeout`` overrides the per-request timeout (for long polling)."""
        timeout = self.timeout if timeout is None else timeout
        payload = {k: v for k, v in (params or {}).items() if v is not None}
        attempt = 0
        rate_limit_waits = 0
        while True:
            attempt += 1
            failure: str | None = None
            try:
                response = self._client.post(method, json=payload, timeout=timeout)
            except httpx2.TimeoutException:
                failure = "timed out"
            except httpx2.RequestError as exc:  # its message may hold a URL: keep only the name
                failure = type(exc).__name__
            if failure is None:
                answer = self._decode(method, response)
                if answer is None:
                    failure = f"HTTP {response.status_code} without a Bot API answer"
                elif answer.get("ok") is True:
                    return answer.get("result")
                else:
                    error = _describe_failure(method, answer)
                    if error.error_code == 429:
                        wait = error.retry_after if error.retry_after is not None else 1.0
                        if rate_limit_waits >= self.max_rate_limit_waits or wait > MAX_RETRY_AFTER:
                            raise TelegramApiError(
                                f"{error} - still limited after {rate_limit_waits} waits; "
                                f"retry after {wait:g} s",
                                error_code=429,
                                retry_after=wait,
                            )
                        rate_limit_waits += 1
                        attempt -= 1  # a rate limit is not a failed attempt
                        log.warning("Bot API %s rate-limited; waiting %g s", method, wait)
                        self._sleep(wait)
                        continue
                    if error.error_code is None or error.error_code < 500:
                        raise error
                    failure = f"{error.error_code} {answer.get('description', '')}".strip()
            if attempt >= self.max_attempts:
                raise TelegramApiError(
                    f"cannot reach the Bot API at {self.base_url} ({method}): {failure} "
                    f"after {attempt} attempts; check the network or TGLAKE_TELEGRAM_API_URL"
                )
            delay = self.backoff(attempt)
            log.warning(
                "Bot API %s failed (%s), attempt %d of %d; retrying in %.2f s",
                method,
                failure,
                attempt,
                self.max_attempts,
                delay,
            )
            self._sleep(delay)

    @staticmethod
    def _decode(method: str, response: httpx2.Response) -> dict[str, Any] | None:
        """The Bot API answer in a response, or None when a 5xx proxy page stands in its place."""
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if isinstance(answer, dict) and "ok" in answer:
            return answer
        if response.status_code >= 500:
            return None
        raise TelegramApiError(
            f"{method}: HTTP {response.status_code} is not a Bot API answer; "
            "is TGLAKE_TELEGRAM_API_URL a Bot API server?",
            error_code=response.status_code,
        )

    # -- the methods tglake uses ----------------------------------------------------------

    def get_me(self) -> User:
        result: User = self.call("getMe")
        return result

    def get_updates(
        self,
        offset: int | None = None,
        timeout: int = 50,
        allowed_updates: Iterable[str] | None = None,
        limit: int = 100,
    ) -> list[Any]:
        """One long poll: waits up to ``timeout`` s for updates with ``update_id >= offset``
        (which confirms every earlier one to Telegram)."""
        params = {
            "offset": offset,
            "timeout": timeout,
            "limit": limit,
            "allowed_updates": list(allowed_updates) if allowed_updates is not None else None,
        }
        result = self.call("getUpdates", params, timeout=self.timeout + timeout)
        if not isinstance(result, list):
            raise TelegramApiError(f"getUpdates returned a {type(result).__name__}, not a list")
        return result

    def set_webhook(
        self,
        url: str,
        secret_token: str | None = None,
        allowed_updates: Iterable[str] | None = None,
        drop_pending_updates: bool = False,
        max_connections: int | None = None,
    ) -> bool:
        result: bool = self.call(
            "setWebhook",
            {
                "url": url,
                "secret_token": secret_token,
                "allowed_updates": list(allowed_updates) if allowed_updates is not None else None,
                "drop_pending_updates": drop_pending_updates,
                "max_connections": max_connections,
            },
        )
        return result

    def get_webhook_info(self) -> WebhookInfo:
        result: WebhookInfo = self.call("getWebhookInfo")
        return result

    def delete_webhook(self, drop_pending_updates: bool = False) -> bool:
        result: bool = self.call("deleteWebhook", {"drop_pending_updates": drop_pending_updates})
        return result

    def send_message(self, chat_id: int | str, text: str, **kw: Any) -> dict[str, Any]:
        result: dict[str, Any] = self.call("sendMessage", {"chat_id": chat_id, "text": text, **kw})
        return result

    def set_my_commands(self, commands: list[BotCommand]) -> bool:
        """The "/" menu Telegram shows every user (default scope, any language)."""
        result: bool = self.call("setMyCommands", {"commands": commands})
        return result
