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
    from botocore.exceptions import BotoCoreError, ClientError
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
        if isinstance(exc, ClientError):
            return StorageUnavailableError(f"cannot {what}: S3 error {_code(exc)}")
        return StorageUnavailableError(f"cannot {what}: {type(exc).__name__}")

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
