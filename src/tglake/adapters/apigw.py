"""API Gateway Lambda proxy events ↔ what the webhook needs: method, path, headers, body bytes.

Both shapes reach the same handler: HTTP API payload format 2.0 (``"version": "2.0"``, lower-case
header names, ``requestContext.http.method``) and REST API proxy format 1.0 (``httpMethod``,
headers as the client spelled them, ``multiValueHeaders``). The body is returned as the exact
bytes the client sent: base64 bodies are decoded, text bodies are re-encoded as UTF-8 (API Gateway
passes a JSON body as text). Standard library only: this runs in the small ingest package.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
from collections.abc import Mapping
from typing import Any

from tglake.errors import InvalidUpdateError

JSON = "application/json"


@dataclasses.dataclass(frozen=True)
class ProxyRequest:
    """The parts of an HTTP request the webhook looks at; header names are lower-case.

    The body is decoded only on demand (:meth:`body`), so the secret header can be checked
    first and an unauthenticated request never has its body decoded."""

    method: str
    path: str
    headers: dict[str, str]
    version: str
    raw_body: str | None
    is_base64: bool

    def body(self) -> bytes:
        """The bytes the client sent (InvalidUpdateError for broken base64)."""
        if self.raw_body is None:
            return b""
        if self.is_base64:
            try:
                return base64.b64decode(self.raw_body, validate=True)
            except (binascii.Error, ValueError):
                raise InvalidUpdateError("body is not valid base64") from None
        return self.raw_body.encode("utf-8", "surrogateescape")


def _lower_headers(
    headers: Mapping[str, Any] | None, multi: Mapping[str, Any] | None
) -> dict[str, str]:
    """Lower-case names; a repeated header keeps its values comma-joined (as HTTP APIs do)."""
    merged: dict[str, str] = {}
    for name, values in (multi or {}).items():
        if isinstance(values, list) and values:
            merged[name.lower()] = ",".join(str(v) for v in values)
    for name, value in (headers or {}).items():
        if value is not None:
            merged.setdefault(name.lower(), str(value))
    return merged


def parse_event(event: Mapping[str, Any]) -> ProxyRequest:
    """A payload 2.0 or 1.0 proxy event as a :class:`ProxyRequest`."""
    if event.get("version") == "2.0":
        http = event.get("requestContext", {}).get("http", {})
        return ProxyRequest(
            method=str(http.get("method", "")).upper(),
            path=str(event.get("rawPath") or http.get("path") or "/"),
            headers=_lower_headers(event.get("headers"), None),
            version="2.0",
            raw_body=None if event.get("body") is None else str(event["body"]),
            is_base64=bool(event.get("isBase64Encoded")),
        )
    if "httpMethod" in event:
        return ProxyRequest(
            method=str(event["httpMethod"]).upper(),
            path=str(event.get("path") or "/"),
            headers=_lower_headers(event.get("headers"), event.get("multiValueHeaders")),
            version="1.0",
            raw_body=None if event.get("body") is None else str(event["body"]),
            is_base64=bool(event.get("isBase64Encoded")),
        )
    raise InvalidUpdateError("not an API Gateway proxy event (payload 1.0 or 2.0)")


def response(status: int, body: bytes, content_type: str = JSON) -> dict[str, Any]:
    """A proxy response valid for both payload formats; JSON bodies go out as text."""
    try:
        text, encoded = body.decode("utf-8"), False
    except UnicodeDecodeError:
        text, encoded = base64.b64encode(body).decode("ascii"), True
    return {
        "statusCode": status,
        "headers": {"content-type": content_type},
        "body": text,
        "isBase64Encoded": encoded,
    }
