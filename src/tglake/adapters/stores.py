"""Choose a storage backend from a URI: a folder path, or ``s3://bucket/prefix``."""

from __future__ import annotations

from typing import Any

from tglake.config import Settings
from tglake.storage import LocalStore, ObjectStore


def open_store(
    uri: str, *, endpoint_url: str | None = None, client: Any = None, fsync: bool = False
) -> ObjectStore:
    """A LocalStore for a path, an S3Store for ``s3://`` (boto3 imported only then).

    ``fsync`` (``TGLAKE_FSYNC``) makes a local write durable before it returns; an S3 PUT is
    durable when it returns anyway."""
    if uri.startswith("s3://"):
        from tglake.adapters.s3_store import S3Store

        return S3Store(uri, client=client, endpoint_url=endpoint_url)
    if "://" in uri:
        from tglake.errors import ConfigError

        raise ConfigError(f"unsupported lake URI {uri!r}: use a folder path or s3://bucket/prefix")
    return LocalStore(uri, fsync=fsync)


def reference_store(settings: Settings) -> ObjectStore:
    """The lake's reference zone (where ``tglake candidates import`` writes the overlay)."""
    from tglake.candidates.overlay import reference_uri

    return open_store(reference_uri(settings), endpoint_url=settings.aws_endpoint_url)
