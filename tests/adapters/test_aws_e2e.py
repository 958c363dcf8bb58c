"""The AWS path end to end, offline: API Gateway v2 events → the webhook Lambda handler → the
raw bucket → an EventBridge Scheduler event → the ETL Lambda handler → Parquet in the enriched
bucket → DuckDB reading it over the S3 protocol. The handlers are the real entry points, built
from the environment as on a cold start, with the secrets in SSM and Secrets Manager; S3, SSM
and Secrets Manager are the moto server over HTTP on loopback."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import boto3
import duckdb
import pyarrow.dataset as ds
import pytest
from pyarrow import fs

from tests.adapters.events import proxy_event
from tests.helpers import fixture_bytes, load_fixture
from tglake.adapters import lambda_handlers
from tglake.errors import StorageUnavailableError

SECRET = "e2e-webhook-secret"
PSEUDONYM_KEY = "e2e-pseudonym-key-0123456789abcdef"
SP = ZoneInfo("America/Sao_Paulo")
SENT = [
    # (fixture, payload version, base64 body?)
    ("message_text", "v2", False),
    ("private_message", "v2", True),
    ("edited_message", "v1", False),
    ("photo_caption", "v1", True),
    ("callback_query", "v2", False),
    ("unknown_kind", "v2", False),
]


@pytest.fixture
def cold_start() -> Iterator[None]:
    lambda_handlers._cold.clear()
    yield
    lambda_handlers._cold.clear()
    logging.getLogger().handlers.clear()


@pytest.fixture
def aws(
    s3_endpoint: str, s3_bucket: tuple[str, Any], monkeypatch: pytest.MonkeyPatch, cold_start: None
) -> dict[str, Any]:
    """Two buckets, the secrets where the template puts them, the functions' environment."""
    raw_bucket, s3 = s3_bucket
    enriched_bucket = f"{raw_bucket}-enriched"
    s3.create_bucket(Bucket=enriched_bucket)
    ssm = boto3.client("ssm", endpoint_url=s3_endpoint, region_name="us-east-1")
    ssm.put_parameter(Name="/tglake/e2e/webhook", Value=SECRET, Type="SecureString", Overwrite=True)
    secrets = boto3.client("secretsmanager", endpoint_url=s3_endpoint, region_name="us-east-1")
    arn = secrets.create_secret(Name=f"tglake-e2e-{raw_bucket}", SecretString=PSEUDONYM_KEY)["ARN"]
    for key, value in {
        "TGLAKE_RAW_URI": f"s3://{raw_bucket}",
        "TGLAKE_ENRICHED_URI": f"s3://{enriched_bucket}",
        "TGLAKE_WEBHOOK_SECRET_REF": "/tglake/e2e/webhook",
        "TGLAKE_PSEUDONYM_KEY_REF": arn,
        "TGLAKE_BOT_REPLIES": "off",
    }.items():
        monkeypatch.setenv(key, value)
    return {"s3": s3, "raw": raw_bucket, "enriched": enriched_bucket, "endpoint": s3_endpoint}


def read_table(aws: dict[str, Any], table: str) -> duckdb.DuckDBPyConnection:
    """DuckDB over the enriched bucket, read through PyArrow's S3 filesystem (hive partitions)."""
    s3fs = fs.S3FileSystem(
        endpoint_override=aws["endpoint"],
        access_key="testing",
        secret_key="testing",
        region="us-east-1",
    )
    dataset = ds.dataset(
        f"{aws['enriched']}/telegram/{table}",
        filesystem=s3fs,
        format="parquet",
        partitioning="hive",
    )
    connection = duckdb.connect()
    connection.register(table, dataset.to_table())
    return connection


def user_key(user_id: int) -> str:
    """The documented pseudonym: hex HMAC-SHA256 of the user id under the key."""
    return hmac.new(PSEUDONYM_KEY.encode(), str(user_id).encode(), hashlib.sha256).hexdigest()


def test_updates_flow_from_api_gateway_to_parquet_read_by_duckdb(aws: dict[str, Any]) -> None:
    # GIVEN real updates arriving as API Gateway events (v1 and v2, text and base64 bodies),
    # one of them delivered twice, as Telegram does after a lost answer
    context = SimpleNamespace(aws_request_id="e2e")
    answers = []
    for name, version, encoded in [*SENT, SENT[0]]:
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
        event = proxy_event(version, fixture_bytes(name), headers, base64_body=encoded)
        answers.append(lambda_handlers.webhook_handler(event, context))
    unauthenticated = proxy_event("v2", fixture_bytes("poll"), {})
    refused = lambda_handlers.webhook_handler(unauthenticated, context)

    # THEN every delivery got 200, the stranger 401, and the raw bucket holds each body once
    assert [a["statusCode"] for a in answers] == [200] * (len(SENT) + 1)
    assert all(json.loads(a["body"]) == {"ok": True} for a in answers)
    assert refused["statusCode"] == 401
    day = dt.datetime.now(dt.UTC).astimezone(SP).date()
    raw = aws["s3"].list_objects_v2(Bucket=aws["raw"])["Contents"]
    stored = {
        o["Key"]: aws["s3"].get_object(Bucket=aws["raw"], Key=o["Key"])["Body"].read() for o in raw
    }
    assert sorted(stored.values()) == sorted(fixture_bytes(name) for name, _, _ in SENT)
    assert all(key.startswith(f"telegram/context_date={day}/") for key in stored)

    # WHEN EventBridge Scheduler fires the next night at 03:00 in São Paulo
    schedule = load_fixture("scheduler", "events")
    fired_at = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(3), SP)
    schedule["scheduled_time"] = fired_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    summary = lambda_handlers.etl_handler(schedule, context)

    # THEN yesterday's partitions are in the enriched bucket, and DuckDB reads the rows
    assert [d["day"] for d in summary["days"]] == [day.isoformat()]
    assert summary["days"][0]["updates_read"] == len(SENT)
    messages = (
        read_table(aws, "messages")
        .sql(
            "SELECT update_id, update_type, message_id, chat_id, chat_type, user_key,"
            " CAST(context_date AS VARCHAR) FROM messages ORDER BY update_id"
        )
        .fetchall()
    )
    expected_messages = []
    for name, _, _ in SENT:
        update = load_fixture(name)
        kind = next((k for k in ("message", "edited_message") if k in update), None)
        if kind is None:
            continue
        message = update[kind]
        expected_messages.append(
            (
                update["update_id"],
                kind,
                message["message_id"],
                # a private chat's id is its user's id: null unless names are kept (schema.py)
                None if message["chat"]["type"] == "private" else message["chat"]["id"],
                message["chat"]["type"],
                user_key(message["from"]["id"]),
                day.isoformat(),
            )
        )
    assert messages == sorted(expected_messages)

    callback = load_fixture("callback_query")["callback_query"]
    callbacks = (
        read_table(aws, "callbacks")
        .sql("SELECT update_id, data, user_key FROM callbacks")
        .fetchall()
    )
    assert callbacks == [
        (
            load_fixture("callback_query")["update_id"],
            callback["data"],
            user_key(callback["from"]["id"]),
        )
    ]


def test_a_failing_etl_raises_so_the_scheduler_retries(aws: dict[str, Any]) -> None:
    # GIVEN the enriched bucket is gone (an outage, a wrong policy)
    aws["s3"].delete_bucket(Bucket=aws["enriched"])
    body = base64.b64encode(fixture_bytes("message_text")).decode()
    event = proxy_event("v2", b"{}", {"X-Telegram-Bot-Api-Secret-Token": SECRET})
    event["body"], event["isBase64Encoded"] = body, True
    assert lambda_handlers.webhook_handler(event, None)["statusCode"] == 200
    day = dt.datetime.now(dt.UTC).astimezone(SP).date()
    # WHEN the backfill event asks for that day THEN the handler raises (never returns False):
    # the first thing the run reads of the enriched zone is what the lake records
    gone = r"^cannot read _lake/settings.json: S3 error NoSuchBucket"
    with pytest.raises(StorageUnavailableError, match=gone):
        lambda_handlers.etl_handler({"date": day.isoformat()}, None)
