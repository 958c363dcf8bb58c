"""The webhook over real HTTP against a real uvicorn server: 200 for a stored or redelivered
update, 400/401/413 for bad input, 503 while storage is down (adapters/status.py)."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest

from tests.helpers import fixture_bytes, serve_in_thread, update_fixture_names
from tglake.adapters.http import create_app
from tglake.config import Settings
from tglake.errors import StorageUnavailableError
from tglake.ingest import Outcome
from tglake.storage import LocalStore

SECRET = "webhook-secret-for-tests"
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
FIXED_NOW = dt.datetime(2024, 10, 6, 15, 0, tzinfo=dt.UTC)


class FlakyStore(LocalStore):
    """A LocalStore that fails every write while ``down`` is set (a storage outage)."""

    down = False
    writes_attempted = 0

    def put_if_absent(self, key: str, data: bytes) -> None:
        self.writes_attempted += 1
        if self.down:
            raise StorageUnavailableError("cannot write: simulated outage")
        super().put_if_absent(key, data)

    def check_writable(self, folder: str = "") -> None:
        if self.down:
            raise StorageUnavailableError("cannot write: simulated outage")
        super().check_writable(folder)


@pytest.fixture
def store(tmp_path: Path) -> FlakyStore:
    return FlakyStore(tmp_path / "raw")


@pytest.fixture
def server(store: FlakyStore) -> Iterator[str]:
    settings = Settings.from_env({"TGLAKE_WEBHOOK_SECRET": SECRET})
    with serve_in_thread(create_app(settings, store, clock=lambda: FIXED_NOW)) as url:
        yield url


def post(url: str, body: bytes, headers: dict[str, str] | None = None) -> httpx2.Response:
    return httpx2.post(
        f"{url}/webhook", content=body, headers=HEADERS if headers is None else headers
    )


@pytest.mark.parametrize("name", update_fixture_names())
def test_every_kind_posted_is_answered_200_and_stored_exactly(
    server: str, store: FlakyStore, name: str
) -> None:
    body = fixture_bytes(name)
    response = post(server, body)
    assert response.status_code == 200
    keys = list(store.list("telegram/"))
    assert len(keys) == 1
    assert keys[0].startswith("telegram/context_date=2024-10-06/")
    assert store.get(keys[0]) == body


@pytest.mark.parametrize(
    ("body", "headers", "status", "error"),
    [
        (b"{not json", None, 400, "body is not JSON: JSONDecodeError"),
        (b"[]", None, 400, "body is a JSON list, not an object"),
        (b'{"message": {}}', None, 400, "body has no integer update_id"),
        (b'{"update_id": 1}', {}, 401, "missing X-Telegram-Bot-Api-Secret-Token header"),
        (
            b'{"update_id": 1}',
            {"X-Telegram-Bot-Api-Secret-Token": "nope"},
            401,
            "wrong X-Telegram-Bot-Api-Secret-Token header",
        ),
        (
            b'{"update_id": 1, "x": "' + b"a" * (1024 * 1024) + b'"}',
            None,
            413,
            "over the 1048576-byte limit",
        ),
    ],
)
def test_bad_requests_get_the_contract_answer_and_store_nothing(
    server: str,
    store: FlakyStore,
    body: bytes,
    headers: dict[str, str] | None,
    status: int,
    error: str,
) -> None:
    response = post(server, body, headers)
    assert response.status_code == status
    assert error in response.json()["error"]
    assert list(store.list("")) == []


HUGE = b"9" * 5000
"""A 5,000-digit integer: valid JSON, past Python's 4,300-digit cap on integer parsing."""


@pytest.mark.parametrize(
    "body",
    [
        b'{"update_id": ' + HUGE + b"}",
        b'{"update_id": 1, "message": {"message_id": 1, "date": ' + HUGE + b"}}",
        b'{"update_id": 1, "message": {"entities": [{"offset": -' + HUGE + b"}]}}",
        b"[" + HUGE + b"]",
    ],
    ids=["update_id", "nested field", "negative in an array", "top-level list"],
)
def test_an_integer_too_long_to_parse_anywhere_in_the_body_is_a_400_not_a_500(
    server: str, store: FlakyStore, body: bytes
) -> None:
    # GIVEN a body Python's JSON parser refuses although it is valid JSON (it raised a plain
    # ValueError that no table mapped: a 500 with a traceback, and Telegram retrying)
    # WHEN it is delivered
    response = post(server, body)
    # THEN it is a 400 that says why, and nothing is stored
    assert response.status_code == 400
    assert response.json() == {
        "ok": False,
        "error": "body holds an integer of more than 4300 digits, more than can be parsed",
    }
    assert list(store.list("")) == []


def test_requests_without_the_secret_never_touch_storage(server: str, store: FlakyStore) -> None:
    post(server, fixture_bytes("message_text"), {})
    assert store.writes_attempted == 0


def test_chunked_body_over_the_limit_is_refused(server: str, store: FlakyStore) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"update_id": 1, "x": "'
        for _ in range(20):
            yield b"a" * 65536
        yield b'"}'

    response = httpx2.post(f"{server}/webhook", content=chunks(), headers=HEADERS)
    assert response.status_code == 413


def test_storage_outage_gives_503_then_the_retry_is_stored(server: str, store: FlakyStore) -> None:
    body = fixture_bytes("message_text")
    store.down = True
    assert post(server, body).status_code == 503
    assert httpx2.get(f"{server}/healthz").status_code == 503
    store.down = False
    assert httpx2.get(f"{server}/healthz").status_code == 200
    assert post(server, body).status_code == 200
    assert [store.get(k) for k in store.list("telegram/")] == [body]


def test_the_same_update_posted_concurrently_makes_one_object(
    server: str, store: FlakyStore
) -> None:
    body = fixture_bytes("photo_caption")
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        codes = list(pool.map(lambda _: post(server, body).status_code, range(32)))
    assert codes == [200] * 32
    assert list(store.list("telegram/")) == ["telegram/context_date=2024-10-06/100000005.json"]


def test_each_update_has_a_debug_line_without_text_or_secret(
    server: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="tglake"):
        post(server, fixture_bytes("private_message"))
    lines = [r.getMessage() for r in caplog.records if r.name == "tglake.webhook"]
    assert lines
    assert lines[-1].startswith(
        "update update_id=100000014 kind=message outcome=stored latency_ms="
    )
    assert "Braz Cubas" not in caplog.text
    assert SECRET not in caplog.text


def test_stopping_the_server_logs_the_summary_of_its_last_minute(
    store: FlakyStore, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(Settings(), store, clock=lambda: FIXED_NOW)
    with caplog.at_level(logging.INFO, logger="tglake"), serve_in_thread(app) as url:
        assert post(url, fixture_bytes("private_message"), {}).status_code == 200
        assert post(url, fixture_bytes("private_message"), {}).status_code == 200
    lines = [r.getMessage() for r in caplog.records if r.name == "tglake.webhook"]
    assert lines == ["since the last summary: updates 2 (1 duplicate, 1 stored)"]


def test_at_info_a_stored_update_logs_no_line_of_its_own(
    server: str, caplog: pytest.LogCaptureFixture
) -> None:
    # a line per update costs a busy server more than storing it: the INFO log is a summary
    with caplog.at_level(logging.INFO, logger="tglake"):
        assert post(server, fixture_bytes("private_message")).status_code == 200
        assert post(server, b"{broken").status_code == 400
    lines = [r.getMessage() for r in caplog.records if r.name == "tglake.webhook"]
    assert lines == [lines[0]]  # the rejected one is still logged, each time
    assert lines[0].startswith("update rejected status=400")


def test_the_bot_reply_goes_back_in_the_200_body(store: FlakyStore) -> None:
    def responder(outcome: Outcome) -> dict[str, Any]:
        return {"method": "sendMessage", "chat_id": 1, "text": f"recebido {outcome.update_id}"}

    app = create_app(Settings(), store, responder=responder, clock=lambda: FIXED_NOW)
    with serve_in_thread(app) as url:
        response = post(url, fixture_bytes("private_message"), {})
    assert response.json() == {"method": "sendMessage", "chat_id": 1, "text": "recebido 100000014"}


def test_a_failing_reply_still_answers_200_and_keeps_the_update(store: FlakyStore) -> None:
    def responder(outcome: Outcome) -> dict[str, Any]:
        raise RuntimeError("bot crashed")

    app = create_app(Settings(), store, responder=responder, clock=lambda: FIXED_NOW)
    with serve_in_thread(app) as url:
        response = post(url, fixture_bytes("private_message"), {})
    assert response.status_code == 200
    assert response.json() == {"ok": True}
    assert len(list(store.list("telegram/"))) == 1
