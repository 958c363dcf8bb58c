"""Fixtures every test may use: a clean environment, a tmp lake, a real S3-protocol server (which
serves DynamoDB too), and the candidate document rebuilt once per session from the shared TSE
folder."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.analytics.dataset import build_known_lake
from tests.fake_bot_api import FakeBotApi, running_fake_bot
from tests.helpers import free_port
from tglake.candidates import build
from tglake.candidates.catalog import CandidateData, bundled, from_document, read_document
from tglake.cli.candidates import build_cmd
from tglake.cli.context import run_guarded


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """No TGLAKE_* or AWS_* variable of the developer's leaks into a test."""
    for key in list(os.environ):
        if key.startswith(("TGLAKE_", "AWS_")):
            monkeypatch.delenv(key)


@pytest.fixture
def lake(tmp_path: Path) -> Path:
    return tmp_path / "lake"


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """moto's S3 server over real HTTP on loopback, for the whole session."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


_bucket_counter = iter(range(1_000_000))


def _moto_credentials(monkeypatch: pytest.MonkeyPatch, endpoint: str) -> None:
    """The stand-in credentials and endpoint every AWS client of a test reaches moto with."""
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": endpoint,
    }.items():
        monkeypatch.setenv(key, value)


@pytest.fixture
def s3_bucket(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Any]:
    """A fresh bucket on the S3 server; returns (name, boto3 client)."""
    import boto3

    _moto_credentials(monkeypatch, s3_endpoint)
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    name = f"tglake-test-{next(_bucket_counter)}"
    client.create_bucket(Bucket=name)
    return name, client


_table_counter = iter(range(1_000_000))


@pytest.fixture
def context_table(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Any]:
    """A fresh DynamoDB table on the same moto server (it serves every AWS API on one endpoint),
    created as ``infra/template.yaml`` defines ``ContextTable``: its keys, billing and TTL
    attribute, so the code meets the table the stack deploys. Returns (name, boto3 client)."""
    import boto3

    from tests.infra.scripts import load_template

    _moto_credentials(monkeypatch, s3_endpoint)
    spec = load_template()["Resources"]["ContextTable"]["Properties"]  # type: ignore[index]
    client = boto3.client("dynamodb", endpoint_url=s3_endpoint, region_name="us-east-1")
    name = f"tglake-contexts-{next(_table_counter)}"
    client.create_table(
        TableName=name,
        KeySchema=spec["KeySchema"],
        AttributeDefinitions=spec["AttributeDefinitions"],
        BillingMode=spec["BillingMode"],
    )
    client.update_time_to_live(
        TableName=name, TimeToLiveSpecification=spec["TimeToLiveSpecification"]
    )
    return name, client


@pytest.fixture(scope="session")
def fake_bot_server() -> Iterator[FakeBotApi]:
    """A fake Bot API server on loopback (documented response shapes), for the whole run."""
    with running_fake_bot() as running:
        yield running


@pytest.fixture
def fake(fake_bot_server: FakeBotApi) -> FakeBotApi:
    """The fake Bot API, emptied of updates, failures and recorded calls for this test."""
    fake_bot_server.reset()
    return fake_bot_server


@pytest.fixture(scope="session")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``tglake candidates build --out …`` run once, from the real shared folder."""
    out = tmp_path_factory.mktemp("built") / "candidates.json.gz"
    code = run_guarded(build_cmd, ["--shared", str(build.DEFAULT_SHARED), "--out", str(out)])
    assert code == 0
    return out


@pytest.fixture(scope="session")
def document(rebuilt: Path) -> dict[str, Any]:
    return read_document(rebuilt)


@pytest.fixture(scope="session")
def data(document: dict[str, Any]) -> CandidateData:
    return from_document(document)


@pytest.fixture(scope="session")
def shipped() -> CandidateData:
    return bundled()


# ---------------------------------------------------------------- the known conversation
# tests/analytics/dataset.py, posted through ingest and turned into Parquet by the real ETL
# once per session, then copied for each test that uses it.


@pytest.fixture(scope="session")
def known_lake_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once: raw updates and bot events → ingest → ETL of every day."""
    return build_known_lake(tmp_path_factory.mktemp("known") / "lake")


@pytest.fixture(scope="session")
def known_lake_without_bot_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_known_lake(tmp_path_factory.mktemp("known-no-bot") / "lake", bot=False)


@pytest.fixture
def known_lake(known_lake_master: Path, lake: Path) -> Path:
    """A lake root holding the conversation of dataset.py (a copy this test may change)."""
    shutil.copytree(known_lake_master, lake)
    return lake


@pytest.fixture
def known_lake_without_bot(known_lake_without_bot_master: Path, lake: Path) -> Path:
    """The same conversation with no bot events (so no ``bot_replies``)."""
    shutil.copytree(known_lake_without_bot_master, lake)
    return lake
