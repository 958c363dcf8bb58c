"""Secrets on Lambda: read once per cold start from SSM Parameter Store or Secrets Manager.

The function's environment names where each secret lives, never the secret itself:
``TGLAKE_BOT_TOKEN_REF``, ``TGLAKE_WEBHOOK_SECRET_REF``, ``TGLAKE_PSEUDONYM_KEY_REF``. A reference
that is a Secrets Manager ARN (``arn:…:secretsmanager:…``) is read with GetSecretValue; anything
else is an SSM parameter name, read with GetParameter and decryption (SecureString). A plain
``TGLAKE_BOT_TOKEN`` etc. in the environment wins, so local runs need no AWS at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from tglake.errors import ConfigError

SECRET_VARS = ("TGLAKE_BOT_TOKEN", "TGLAKE_WEBHOOK_SECRET", "TGLAKE_PSEUDONYM_KEY")
REF_SUFFIX = "_REF"

ClientFactory = Callable[[str], Any]
"""``service name → boto3 client``; injected by tests, ``boto3.client`` on Lambda."""


def _default_factory(service: str) -> Any:
    import boto3

    return boto3.client(service)


def read_ref(ref: str, client_for: ClientFactory) -> str:
    """The value behind one reference (SSM parameter name or Secrets Manager ARN)."""
    try:
        if ref.startswith("arn:") and ":secretsmanager:" in ref:
            secret: str = client_for("secretsmanager").get_secret_value(SecretId=ref)[
                "SecretString"
            ]
            return secret
        parameter = client_for("ssm").get_parameter(Name=ref, WithDecryption=True)
        value: str = parameter["Parameter"]["Value"]
        return value
    except Exception as exc:  # botocore's errors, translated once, with the name not the value
        raise ConfigError(f"cannot read secret {ref}: {type(exc).__name__}") from None


def resolve_secrets(
    environ: Mapping[str, str], client_for: ClientFactory | None = None
) -> dict[str, str]:
    """A copy of ``environ`` with each ``*_REF`` replaced by the secret it points to."""
    resolved = dict(environ)
    for var in SECRET_VARS:
        ref = environ.get(var + REF_SUFFIX, "").strip()
        if environ.get(var) or not ref:
            continue
        resolved[var] = read_ref(ref, client_for or _default_factory)
    return resolved
