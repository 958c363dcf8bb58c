"""Outgoing replies in polling mode, paced below Telegram's limits, off the poll loop.

Telegram asks bots to stay under about 30 messages per second overall and 20 per minute in
one group (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this),
and about one per second in one private chat. :class:`Pacer` keeps one queue per chat and a
thread that sends what each limit allows: a 429's ``retry_after`` holds back only that chat's
queue, the other chats go on, and the poll loop never waits (it only enqueues).

The scheduling is :meth:`Pacer.pump` (send everything due at a given time, say when the next
is due), so tests drive it with their own clock; :meth:`start` runs it on a thread.
"""

from __future__ import annotations

import collections
import dataclasses
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from tglake.errors import TelegramApiError

log = logging.getLogger(__name__)

PER_SECOND = 25
"""Messages per second over all chats (Telegram: about 30)."""
GROUP_PER_MINUTE = 19
"""Messages per minute in one group (Telegram: 20)."""
PRIVATE_INTERVAL = 1.0
"""Seconds between two messages in one private chat (Telegram: about one per second)."""

Method = dict[str, Any]


@dataclasses.dataclass
class _Chat:
    queue: collections.deque[Method] = dataclasses.field(default_factory=collections.deque)
    sent: collections.deque[float] = dataclasses.field(default_factory=collections.deque)
    held_until: float = 0.0
    """Not before this time (a 429's retry_after, or the chat's own limit)."""


class Pacer:
    """Per-chat queues of Bot API calls, sent through ``send`` within the limits."""

    def __init__(
        self,
        send: Callable[[Method], object],
        *,
        clock: Callable[[], float] = time.monotonic,
        per_second: int = PER_SECOND,
        group_per_minute: int = GROUP_PER_MINUTE,
        private_interval: float = PRIVATE_INTERVAL,
    ) -> None:
        self._send = send
        self._clock = clock
        self.per_second = per_second
        self.group_per_minute = group_per_minute
        self.private_interval = private_interval
        self._chats: dict[object, _Chat] = {}
        self._order: collections.deque[object] = collections.deque()
        self._recent: collections.deque[float] = collections.deque()
        self._lock = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._drain_deadline = 0.0
        self.sent = 0
        self.failed = 0

    @property
    def pending(self) -> int:
        with self._lock:
            return sum(len(c.queue) for c in self._chats.values())

    def submit(self, method: Method) -> None:
        """Queue one call (``{"method": …, "chat_id": …}``); returns at once."""
        key: object = method.get("chat_id", ("callback", method.get("callback_query_id")))
        with self._lock:
            chat = self._chats.setdefault(key, _Chat())
            if not chat.queue:
                self._order.append(key)
            chat.queue.append(method)
            self._lock.notify_all()

    def _chat_ready(self, key: object, chat: _Chat, now: float) -> float:
        """When this chat may send next (its hold, then its own rate)."""
        ready = chat.held_until
        if isinstance(key, int) and key < 0:  # a group or channel: n per minute
            while chat.sent and chat.sent[0] <= now - 60.0:
                chat.sent.popleft()
            if len(chat.sent) >= self.group_per_minute:
                ready = max(ready, chat.sent[0] + 60.0)
        elif isinstance(key, int) and chat.sent:
            ready = max(ready, chat.sent[-1] + self.private_interval)
        return ready

    def pump(self, now: float | None = None) -> float | None:
        """Send every call due at ``now``; the time the next one is due (None: nothing left)."""
        now = self._clock() if now is None else now
        while True:
            with self._lock:
                while self._recent and self._recent[0] <= now - 1.0:
                    self._recent.popleft()
                if not self._order:
                    return None
                if len(self._recent) >= self.per_second:
                    return self._recent[0] + 1.0
                ready = {k: self._chat_ready(k, self._chats[k], now) for k in self._order}
                due = [k for k in self._order if ready[k] <= now]
                if not due:
                    return min(ready.values())
                key = due[0]
                chat = self._chats[key]
                method = chat.queue[0]
                self._recent.append(now)
            wait = 0.0
            try:
                self._send(method)
                outcome = "sent"
            except TelegramApiError as exc:
                outcome = "held" if exc.error_code == 429 else "failed"
                wait = exc.retry_after if exc.retry_after is not None else 1.0
                if outcome == "held":
                    log.warning("chat %s rate-limited: held for %g s", key, wait)
                else:
                    log.warning("reply failed %s: %s", method.get("method"), exc)
            except Exception as exc:  # a reply must never stop the others
                outcome = "failed"
                log.warning("reply failed %s: %s", method.get("method"), exc)
            with self._lock:
                if outcome == "held":
                    chat.held_until = now + wait
                    continue
                chat.queue.popleft()
                chat.sent.append(now)
                self._order.remove(key)
                if chat.queue:
                    self._order.append(key)  # round robin: one chat does not starve others
                if outcome == "sent":
                    self.sent += 1
                else:
                    self.failed += 1

    def start(self) -> None:
        """Send on a background thread until :meth:`stop`."""
        self._thread = threading.Thread(target=self._run, name="tglake-pacer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            next_due = self.pump()
            with self._lock:
                deadline_passed = self._drain_deadline <= time.monotonic()
                if self._stopping and (next_due is None or deadline_passed):
                    return
                wait = None if next_due is None else max(0.0, next_due - self._clock())
                self._lock.wait(timeout=0.5 if self._stopping else wait)

    def stop(self, drain_seconds: float = 10.0) -> None:
        """Stop the thread after sending what is queued (at most ``drain_seconds``)."""
        with self._lock:
            self._stopping = True
            self._drain_deadline = time.monotonic() + drain_seconds
            self._lock.notify_all()
        if self._thread is not None:
            self._thread.join(drain_seconds + 1.0)
