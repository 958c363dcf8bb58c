"""S3 (or any S3-compatible server) as an ObjectStore, over boto3.

botocore errors are translated here, once: a missing key becomes ObjectNotFoundError, a failed
``If-None-Match: *`` precondition becomes ObjectExistsError, and everything else (throttling,
5xx, access denied, connection refused) becomes StorageUnavailableError.
"""

from __future__ import annotations

import builtins
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from tglake.errors import (
    ConfigError,
    ObjectExistsError,
    ObjectNotFoundError,
    StorageUnavailableError,
)

try:
    import boto3
    from boto3.exceptions import S3UploadFailedError
    from botocore.config import Config
    from botocore.exceptions import (
        BotoCoreError,
        ClientError,
        EndpointConnectionError,
        NoCredentialsError,
        PartialCredentialsError,
    )
except ImportError as exc:  # pragma: no cover - exercised in the no-extras check
    raise ConfigError("s3:// storage needs boto3: pip install 'tglake[aws]'") from exc


def split_s3_uri(uri: str) -> tuple[str, str]:
    """``s3://bucket/some/prefix`` → (``bucket``, ``some/prefix/``)."""
    if not uri.startswith("s3://"):
        raise ConfigError(f"not an s3:// URI: {uri!r}")
    bucket, _, prefix = uri[5:].partition("/")
    if not bucket:
        raise ConfigError(f"no bucket in {uri!r}")
    prefix = prefix.strip("/")
    return bucket, f"{prefix}/" if prefix else ""


def make_client(endpoint_url: str | None = None) -> Any:
    """A thread-safe S3 client with a connection pool sized for the webhook's concurrency."""
    config = Config(
        max_pool_connections=64,
        retries={"max_attempts": 3, "mode": "standard"},
        connect_timeout=5,
        read_timeout=30,
    )
    return boto3.client(
        "s3", endpoint_url=endpoint_url or os.environ.get("AWS_ENDPOINT_URL"), config=config
    )


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


CREDENTIALS_HINT = (
    "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or run where an IAM role "
    "gives them"
)
ENDPOINT_HINT = (
    "is the S3 server up? For a server other than AWS set AWS_ENDPOINT_URL (http://host:port); "
    "for AWS leave it unset"
)

REFUSED = frozenset(
    {"AccessDenied", "403", "Forbidden", "InvalidAccessKeyId", "SignatureDoesNotMatch"}
)


def failure_hint(exc: Exception, bucket: str) -> str:
    """What to do about an S3 failure, said to the person who started the command."""
    if isinstance(exc, NoCredentialsError | PartialCredentialsError):
        return f"no AWS credentials: {CREDENTIALS_HINT}"
    if isinstance(exc, EndpointConnectionError):
        return f"could not connect: {ENDPOINT_HINT}"
    if isinstance(exc, ClientError):
        code = _code(exc)
        if code in ("NoSuchBucket", "404", "NotFound"):
            return f"no bucket {bucket!r} there: create it, or check the lake's s3:// URI"
        if code in REFUSED:
            return f"refused: check that the credentials (AWS_ACCESS_KEY_ID…) may use {bucket!r}"
        return "S3 refused the request; a retry may work"
    return "a network or S3 failure; a retry may work"


class S3Store:
    """An S3 prefix as an object store. Put-if-absent uses S3's conditional write
    (``IfNoneMatch='*'``), so two concurrent deliveries of one update make one object."""

    local = False
    local_root: Path | None = None

    def __init__(self, uri: str, *, client: Any = None, endpoint_url: str | None = None) -> None:
        self.uri = uri.rstrip("/")
        self.bucket, self.prefix = split_s3_uri(uri)
        self.client = client if client is not None else make_client(endpoint_url)

    def _key(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def _fail(self, exc: Exception, what: str) -> StorageUnavailableError:
        """One line: what failed, the S3 error, the endpoint asked, and what to set or check."""
        reason = f"S3 error {_code(exc)}" if isinstance(exc, ClientError) else type(exc).__name__
        endpoint = self.client.meta.endpoint_url
        return StorageUnavailableError(
            f"cannot {what}: {reason} at {endpoint} ({failure_hint(exc, self.bucket)})"
        )

    def put(self, key: str, data: bytes) -> None:
        try:
            self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data)
        except (ClientError, BotoCoreError) as exc:
            raise self._fail(exc, f"write {key}") from None

    def put_file(self, key: str, source: Path) -> None:
        """Upload a local file; above the multipart threshold the object appears only when the
        upload completes, so a reader sees the old object or the new one, never a part."""
        try:
            self.client.upload_file(str(source), self.bucket, self._key(key))
        except (ClientError, BotoCoreError, S3UploadFailedError) as exc:
            raise self._fail(exc, f"write {key}") from None

    def put_if_absent(self, key: str, data: bytes) -> None:
        try:
            self.client.put_object(
                Bucket=self.bucket, Key=self._key(key), Body=data, IfNoneMatch="*"
            )
        except ClientError as exc:
            if _code(exc) in ("PreconditionFailed", "ConditionalRequestConflict", "412"):
                raise ObjectExistsError(key) from None
            raise self._fail(exc, f"write {key}") from None
        except BotoCoreError as exc:
            raise self._fail(exc, f"write {key}") from None

    def get(self, key: str) -> bytes:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self._key(key))
            body: bytes = response["Body"].read()
            return body
        except ClientError as exc:
            if _code(exc) in ("NoSuchKey", "404", "NotFound"):
                raise ObjectNotFoundError(key) from None
            raise self._fail(exc, f"read {key}") from None
        except BotoCoreError as exc:
            raise self._fail(exc, f"read {key}") from None

    def list(self, prefix: str) -> Iterator[str]:
        paginator = self.client.get_paginator("list_objects_v2")
        keys: list[str] = []
        try:
            for page in paginator.paginate(Bucket=self.bucket, Prefix=self._key(prefix)):
                keys.extend(obj["Key"][len(self.prefix) :] for obj in page.get("Contents", []))
        except (ClientError, BotoCoreError) as exc:
            raise self._fail(exc, f"list {prefix}") from None
        return iter(sorted(keys))

    def list_names(self, folder: str) -> builtins.list[str]:
        """One ``list_objects_v2`` walk with ``Delimiter='/'``: the folder's own objects only."""
        start = self._key(folder)
        paginator = self.client.get_paginator("list_objects_v2")
        names: builtins.list[str] = []
        try:
            for page in paginator.paginate(Bucket=self.bucket, Prefix=start, Delimiter="/"):
                names.extend(obj["Key"][len(start) :] for obj in page.get("Contents", []))
        except (ClientError, BotoCoreError) as exc:
            raise self._fail(exc, f"list {folder}") from None
        return names

    def get_many(self, keys: Sequence[str]) -> builtins.list[bytes | None]:
        """One request per key, in this thread (the ETL's reader runs several of these at once
        on its own threads)."""
        bodies: builtins.list[bytes | None] = []
        for key in keys:
            try:
                bodies.append(self.get(key))
            except ObjectNotFoundError:
                bodies.append(None)
        return bodies

    def delete(self, key: str) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self._key(key))
        except (ClientError, BotoCoreError) as exc:
            raise self._fail(exc, f"delete {key}") from None

    def purge_history(self, prefix: str) -> int:
        """Delete the noncurrent versions and delete markers of every key under ``prefix`` (an
        optional capability, used by ``tglake forget``: on a versioned bucket, a deleted or
        rewritten object keeps its old bytes as a noncurrent version). The current version of a
        key stays. Returns how many versions were removed; an unversioned bucket has none."""
        paginator = self.client.get_paginator("list_object_versions")
        doomed: list[dict[str, str]] = []
        try:
            for page in paginator.paginate(Bucket=self.bucket, Prefix=self._key(prefix)):
                for version in page.get("Versions", []):
                    if not version.get("IsLatest"):
                        doomed.append({"Key": version["Key"], "VersionId": version["VersionId"]})
                for marker in page.get("DeleteMarkers", []):
                    doomed.append({"Key": marker["Key"], "VersionId": marker["VersionId"]})
            for start in range(0, len(doomed), 1000):
                self.client.delete_objects(
                    Bucket=self.bucket,
                    Delete={"Objects": doomed[start : start + 1000], "Quiet": True},
                )
        except (ClientError, BotoCoreError) as exc:
            raise self._fail(exc, f"purge old versions under {prefix}") from None
        return len(doomed)

    def check_writable(self, folder: str = "") -> None:
        """The bucket answers (``folder`` is a key prefix: on S3 it cannot fill up or be
        denied on its own; a probe PUT would leave a version in a versioned bucket)."""
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except (ClientError, BotoCoreError) as exc:
            raise self._fail(exc, f"reach bucket {self.bucket}") from None

    def __repr__(self) -> str:
        return f"S3Store({self.uri!r})"
