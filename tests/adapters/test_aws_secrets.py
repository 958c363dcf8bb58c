"""Secrets come from SSM SecureString or Secrets Manager, named by ``*_REF`` variables; the moto
server over HTTP plays both services."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from tglake.adapters.aws_secrets import resolve_secrets
from tglake.errors import ConfigError


@pytest.fixture
def client_for(s3_endpoint: str, s3_bucket: tuple[str, Any]) -> Any:
    def factory(service: str) -> Any:
        return boto3.client(service, endpoint_url=s3_endpoint, region_name="us-east-1")

    return factory


def test_ssm_securestring_and_secrets_manager_refs_are_resolved(client_for: Any) -> None:
    client_for("ssm").put_parameter(
        Name="/tglake/test/webhook-secret", Value="s3cr3t-from-ssm", Type="SecureString"
    )
    arn = client_for("secretsmanager").create_secret(
        Name="tglake-test-pseudonym", SecretString="key-from-secrets-manager"
    )["ARN"]
    env = resolve_secrets(
        {
            "TGLAKE_WEBHOOK_SECRET_REF": "/tglake/test/webhook-secret",
            "TGLAKE_PSEUDONYM_KEY_REF": arn,
            "TGLAKE_RAW_URI": "s3://raw",
        },
        client_for,
    )
    assert env["TGLAKE_WEBHOOK_SECRET"] == "s3cr3t-from-ssm"
    assert env["TGLAKE_PSEUDONYM_KEY"] == "key-from-secrets-manager"
    assert env["TGLAKE_RAW_URI"] == "s3://raw"
    assert "TGLAKE_BOT_TOKEN" not in env


def test_a_plain_value_wins_and_no_service_is_called() -> None:
    def no_aws(service: str) -> Any:
        raise AssertionError(f"{service} called")

    env = {"TGLAKE_BOT_TOKEN": "123:abc", "TGLAKE_BOT_TOKEN_REF": "/tglake/bot-token"}
    assert resolve_secrets(env, no_aws)["TGLAKE_BOT_TOKEN"] == "123:abc"


def test_an_unreadable_secret_names_the_ref_not_a_value(client_for: Any) -> None:
    expected = r"^cannot read secret /tglake/missing: ParameterNotFound$"
    with pytest.raises(ConfigError, match=expected):
        resolve_secrets({"TGLAKE_WEBHOOK_SECRET_REF": "/tglake/missing"}, client_for)
