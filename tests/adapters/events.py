"""Build API Gateway proxy events from the recorded fixtures, with another body or headers."""

from __future__ import annotations

import base64
import copy
from typing import Any

from tests.helpers import load_fixture


def proxy_event(
    version: str, body: bytes, headers: dict[str, str], *, base64_body: bool = False
) -> dict[str, Any]:
    """The recorded ``apigw_v1``/``apigw_v2`` event carrying ``body`` and ``headers`` (as the
    client spelled them; v2 lower-cases names as HTTP APIs do)."""
    event = copy.deepcopy(load_fixture(f"apigw_{version}", "events"))
    if base64_body:
        event["body"] = base64.b64encode(body).decode()
    else:
        event["body"] = body.decode("utf-8")
    event["isBase64Encoded"] = base64_body
    if version == "v2":
        event["headers"] = {k.lower(): v for k, v in headers.items()}
    else:
        event["headers"] = dict(headers)
        event["multiValueHeaders"] = {k: [v] for k, v in headers.items()}
    return event
