"""API Gateway proxy events (payload 2.0 and 1.0) ↔ method, path, headers and exact body bytes."""

from __future__ import annotations

import base64

import pytest

from tests.adapters.events import proxy_event
from tests.helpers import fixture_bytes, load_fixture
from tglake.adapters import apigw
from tglake.errors import InvalidUpdateError


def test_recorded_v2_event_gives_the_update_bytes_and_lower_case_headers() -> None:
    request = apigw.parse_event(load_fixture("apigw_v2", "events"))
    assert (request.method, request.path, request.version) == ("POST", "/webhook", "2.0")
    assert request.body() == fixture_bytes("private_message")
    assert request.headers["x-telegram-bot-api-secret-token"] == "webhook-secret-for-tests"


def test_recorded_v1_event_lower_cases_header_names_as_the_client_spelled_them() -> None:
    request = apigw.parse_event(load_fixture("apigw_v1", "events"))
    assert (request.method, request.path, request.version) == ("POST", "/webhook", "1.0")
    assert request.body() == fixture_bytes("private_message")
    assert request.headers["x-telegram-bot-api-secret-token"] == "webhook-secret-for-tests"
    assert "X-Telegram-Bot-Api-Secret-Token" not in request.headers


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_base64_body_decodes_to_the_same_bytes_as_a_text_body(version: str) -> None:
    body = fixture_bytes("photo_caption")
    text = apigw.parse_event(proxy_event(version, body, {}))
    encoded = apigw.parse_event(proxy_event(version, body, {}, base64_body=True))
    assert text.body() == encoded.body() == body


def test_non_ascii_text_body_keeps_its_utf8_bytes() -> None:
    body = '{"update_id": 1, "message": {"text": "Eleições 🗳"}}'.encode()
    assert apigw.parse_event(proxy_event("v2", body, {})).body() == body


def test_broken_base64_is_an_invalid_update() -> None:
    event = proxy_event("v2", b"{}", {}, base64_body=True)
    event["body"] = "not base64!!"
    with pytest.raises(InvalidUpdateError, match="body is not valid base64"):
        apigw.parse_event(event).body()


def test_v1_repeated_header_is_comma_joined_like_http_apis_do() -> None:
    event = proxy_event("v1", b"{}", {"Accept": "a"})
    event["multiValueHeaders"]["Accept"] = ["a", "b"]
    assert apigw.parse_event(event).headers["accept"] == "a,b"


def test_missing_body_and_null_headers_are_empty() -> None:
    event = proxy_event("v1", b"{}", {})
    event["body"], event["headers"], event["multiValueHeaders"] = None, None, None
    request = apigw.parse_event(event)
    assert (request.body(), request.headers) == (b"", {})


def test_an_event_that_is_not_a_proxy_event_is_refused() -> None:
    with pytest.raises(InvalidUpdateError, match="not an API Gateway proxy event"):
        apigw.parse_event(load_fixture("scheduler", "events"))


def test_response_is_text_json_for_both_payload_formats() -> None:
    assert apigw.response(200, '{"text": "olá"}'.encode()) == {
        "statusCode": 200,
        "headers": {"content-type": "application/json"},
        "body": '{"text": "olá"}',
        "isBase64Encoded": False,
    }


def test_response_with_binary_body_is_base64() -> None:
    answer = apigw.response(200, b"\xff\x00", "application/octet-stream")
    assert answer["isBase64Encoded"] is True
    assert base64.b64decode(answer["body"]) == b"\xff\x00"
