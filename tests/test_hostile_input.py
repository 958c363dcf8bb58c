"""Hostile input: whatever is posted, the answer is one of the defined ones and nothing leaks.

Property-based (hypothesis) over the ingest core, plus a sample over real HTTP.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import string
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import serve_in_thread
from tglake import layout
from tglake.adapters.http import create_app
from tglake.config import Settings
from tglake.errors import BadSecretError, InvalidUpdateError, PayloadTooLargeError
from tglake.ingest import webhook as ingest
from tglake.storage import LocalStore

NOW = dt.datetime(2024, 10, 6, 15, 0, tzinfo=dt.UTC)
SECRET = "hostile-test-secret"
DEFINED_ERRORS = (InvalidUpdateError, PayloadTooLargeError, BadSecretError)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
update_ids = st.integers(min_value=-(2**63), max_value=2**63 - 1)


@st.composite
def updates(draw: st.DrawFn) -> dict[str, Any]:
    """Any JSON object with an integer update_id: known kinds, unknown kinds, nulls, junk."""
    body: dict[str, Any] = draw(st.dictionaries(st.text(max_size=20), json_values, max_size=5))
    body["update_id"] = draw(update_ids)
    return body


@contextlib.contextmanager
def fresh_store() -> Iterator[tuple[LocalStore, Path]]:
    """A new empty lake per hypothesis example (function fixtures are shared across examples)."""
    with tempfile.TemporaryDirectory(prefix="tglake-hostile-") as root:
        yield LocalStore(root), Path(root)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.binary(max_size=2048))
def test_any_bytes_get_a_defined_answer(body: bytes) -> None:
    with fresh_store() as (store, _):
        try:
            outcome = ingest.receive(body, {}, settings=Settings(), store=store, now=NOW)
        except DEFINED_ERRORS:
            assert list(store.list("")) == []
        else:
            assert outcome.status == "stored"
            assert outcome.key is not None
            assert store.get(outcome.key) == body


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(update=updates())
def test_any_object_with_an_integer_update_id_is_stored_under_a_safe_key(
    update: dict[str, Any],
) -> None:
    with fresh_store() as (store, root):
        body = json.dumps(update).encode()
        outcome = ingest.receive(body, {}, settings=Settings(), store=store, now=NOW)
        assert outcome.status == "stored"
        assert outcome.key == f"telegram/context_date=2024-10-06/{update['update_id']}.json"
        # the key is built only from an integer and a date: the file sits where it should
        stored = list(root.rglob("*.json"))
        assert stored == [root / outcome.key]
        assert stored[0].read_bytes() == body


@given(text=st.text(alphabet=string.printable + "/\\.\x00ã€😀", max_size=40))
def test_keys_cannot_be_steered_by_content(text: str) -> None:
    body = json.dumps({"update_id": 1, "message": {"text": text, "chat": {"id": text}}}).encode()
    with fresh_store() as (store, _):
        outcome = ingest.receive(body, {}, settings=Settings(), store=store, now=NOW)
    assert outcome.key == "telegram/context_date=2024-10-06/1.json"
    assert layout.parse_raw_key(outcome.key) is not None


@pytest.mark.parametrize(
    ("label", "body", "expected"),
    [
        (
            "very long text",
            b'{"update_id": 1, "message": {"text": "' + b"x" * 900_000 + b'"}}',
            "stored",
        ),
        (
            "deep nesting within the limit",
            b'{"update_id": 2, "m": ' + b"[" * 500 + b"]" * 500 + b"}",
            "stored",
        ),
        (
            "nesting deeper than the parser",
            b'{"update_id": 3, "m": ' + b"[" * 200_000 + b"]" * 200_000 + b"}",
            InvalidUpdateError,
        ),
        ("invalid UTF-8", b'{"update_id": 4, "message": {"text": "\xff\xfe"}}', InvalidUpdateError),
        ("lone surrogate escape", b'{"update_id": 5, "message": {"text": "\\ud800"}}', "stored"),
        ("duplicate keys", b'{"update_id": 6, "update_id": 7}', "stored"),
        ("null where an object is expected", b'{"update_id": 8, "message": null}', "stored"),
        ("update_id as a float", b'{"update_id": 9.0}', InvalidUpdateError),
        ("update_id beyond int64", b'{"update_id": 9223372036854775808}', InvalidUpdateError),
        ("update_id at int64 max", b'{"update_id": 9223372036854775807}', "stored"),
        ("NaN literal", b'{"update_id": 10, "x": NaN}', "stored"),
        ("UTF-8 BOM prefix (json accepts it)", b'\xef\xbb\xbf{"update_id": 11}', "stored"),
        ("empty body", b"", InvalidUpdateError),
    ],
)
def test_edge_case_bodies(tmp_path: Path, label: str, body: bytes, expected: Any) -> None:
    store = LocalStore(tmp_path)
    if expected == "stored":
        outcome = ingest.receive(body, {}, settings=Settings(), store=store, now=NOW)
        assert outcome.key is not None, label
        assert store.get(outcome.key) == body, label
    else:
        with pytest.raises(expected):
            ingest.receive(body, {}, settings=Settings(), store=store, now=NOW)
        assert list(store.list("")) == [], label


def test_duplicate_keys_are_stored_under_the_id_json_parsing_sees(tmp_path: Path) -> None:
    # Python's json keeps the last duplicate; the raw bytes keep both for later inspection
    store = LocalStore(tmp_path)
    outcome = ingest.receive(
        b'{"update_id": 6, "update_id": 7}', {}, settings=Settings(), store=store, now=NOW
    )
    assert outcome.update_id == 7


def test_secret_is_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    real = ingest.hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(ingest.hmac, "compare_digest", spy)
    with pytest.raises(BadSecretError):
        ingest.check_secret({"X-Telegram-Bot-Api-Secret-Token": "guess"}, SECRET)
    ingest.check_secret({"X-Telegram-Bot-Api-Secret-Token": SECRET}, SECRET)
    assert calls == [(b"guess", SECRET.encode()), (SECRET.encode(), SECRET.encode())]


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("hostile-http")
    settings_ = Settings.from_env({"TGLAKE_WEBHOOK_SECRET": SECRET})
    with serve_in_thread(create_app(settings_, LocalStore(root), clock=lambda: NOW)) as url:
        yield url, root


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    body=st.binary(max_size=512) | updates().map(lambda u: json.dumps(u).encode()),
    with_secret=st.booleans(),
)
def test_any_body_over_http_never_gets_a_500(
    hostile_server: tuple[str, Path], body: bytes, with_secret: bool
) -> None:
    url, _ = hostile_server
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET} if with_secret else {}
    response = httpx2.post(f"{url}/webhook", content=body, headers=headers)
    if not with_secret:
        assert response.status_code == 401
    else:
        assert response.status_code in (200, 400)
    assert response.headers["content-type"] == "application/json"


@pytest.mark.parametrize("header_value", ["é-not-ascii", "x" * 10_000, ""])
def test_odd_secret_headers_are_refused_not_crashed(
    hostile_server: tuple[str, Path], header_value: str
) -> None:
    url, _ = hostile_server
    response = httpx2.post(
        f"{url}/webhook",
        content=b'{"update_id": 1}',
        headers={"X-Telegram-Bot-Api-Secret-Token": header_value.encode()},
    )
    assert response.status_code == 401


HOSTILE_BUT_STORED = [
    b'{"update_id": 1, "message": {"text": "' + b"x" * 900_000 + b'", "date": 1}}',
    b'{"update_id": 2, "message": {"text": "\\ud800 lone surrogate", "chat": {"id": 1}}}',
    b'{"update_id": 3, "message": {"text": "a", "date": NaN, "chat": {"id": Infinity}}}',
    b'{"update_id": 4, "update_id": 5, "message": {"text": "duplicate keys"}}',
    b'{"update_id": 6, "message": null, "edited_message": [], "callback_query": "x"}',
    b'{"update_id": 7, "message": {"chat": null, "from": [], "date": "yesterday"}}',
    b'{"update_id": 8, "message": {"message_id": 99999999999999999999999, "date": -5}}',
    b'{"update_id": 9, "m": ' + b"[" * 500 + b"]" * 500 + b"}",
    b'{"update_id": 10, "message_reaction": {"new_reaction": [null, {"type": 5}]}}',
    b'{"update_id": 11, "chat_member": {"new_chat_member": {"status": {"x": 1}}}}',
]


def test_the_etl_never_crashes_on_what_ingest_accepted(tmp_path: Path) -> None:
    import datetime as _dt

    from tglake import etl

    settings_ = Settings.from_env({"TGLAKE_LAKE": str(tmp_path), "TGLAKE_PSEUDONYM_KEY": "k" * 32})
    raw, enriched = LocalStore(tmp_path / "raw"), LocalStore(tmp_path / "enriched")
    for body in HOSTILE_BUT_STORED:
        assert ingest.receive(body, {}, settings=settings_, store=raw, now=NOW).status == "stored"
    report = etl.run_day(_dt.date(2024, 10, 6), settings=settings_, raw=raw, enriched=enriched)
    # every stored object is read, and each is flattened, counted as a kind without a table,
    # or listed as a reject: nothing vanishes and nothing stops the day
    assert report.updates_read + len(report.rejects) == len(HOSTILE_BUT_STORED)
    assert report.written
    assert report.rows["messages"] >= 3


def test_a_lone_surrogate_gets_the_bot_reply_and_its_event_stored(tmp_path: Path) -> None:
    from tglake.bot.responder import make_responder

    store = LocalStore(tmp_path / "raw")
    app = create_app(
        Settings(), store, responder=make_responder(Settings(), store), clock=lambda: NOW
    )
    body = (
        b'{"update_id": 77, "message": {"message_id": 1, "date": 1728268200, '
        b'"chat": {"id": 5, "type": "private"}, "text": "/candidato \\ud800"}}'
    )
    with serve_in_thread(app) as url:
        response = httpx2.post(f"{url}/webhook", content=body)
    assert response.status_code == 200
    assert response.json()["method"] == "sendMessage"
    event = json.loads(store.get("bot/context_date=2024-10-06/77.json"))
    assert event["query"] == "\ud800"


def test_json_bytes_escape_only_what_utf8_cannot_hold() -> None:
    from tglake import jsonbytes

    assert jsonbytes.dumps({"t": "ação"}) == '{"t": "ação"}'.encode()
    assert jsonbytes.dumps({"t": "\ud800"}) == b'{"t": "\\ud800"}'
    assert json.loads(jsonbytes.dumps({"t": "\ud800"})) == {"t": "\ud800"}
