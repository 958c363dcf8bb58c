"""``make package``: the webhook artifact holds only what the webhook imports and runs with
nothing but the stdlib and boto3; two builds give the same bytes."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import boto3
import pytest

from tests.helpers import fixture_bytes
from tests.infra.scripts import load_script

package = load_script("package_lambdas")


@pytest.fixture(scope="module")
def wheel_cache() -> Path:
    """The wheels the first ``make`` fetched into the virtual environment: no index needed."""
    cache: Path = package.WHEEL_CACHE
    assert any(cache.glob("*.whl")), f"{cache} is empty: run make (it fetches the wheels once)"
    return cache


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, wheel_cache: Path) -> dict[str, Path]:
    artifacts: dict[str, Path] = package.build(
        tmp_path_factory.mktemp("build"), wheel_cache=wheel_cache
    )
    return artifacts


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_two_builds_give_byte_identical_artifacts(
    built: dict[str, Path], tmp_path: Path, wheel_cache: Path
) -> None:
    again = package.build(tmp_path, wheel_cache=wheel_cache)
    assert sorted(again) == sorted(built)
    for kind, path in built.items():
        assert digest(again[kind]) == digest(path), kind


def test_the_webhook_zip_holds_only_tglake_modules_of_the_ingest_path(
    built: dict[str, Path],
) -> None:
    with zipfile.ZipFile(built["webhook"]) as archive:
        names = archive.namelist()
        infos = archive.infolist()
    assert names == sorted(names)
    assert all(name.startswith("tglake/") for name in names)
    data = ("tglake/candidates/data/", "tglake/bot/data/")
    code = [n for n in names if not n.startswith(data)]
    assert all(name.endswith(".py") for name in code)
    assert {
        "tglake/adapters/lambda_handlers.py",
        "tglake/adapters/apigw.py",
        "tglake/adapters/s3_store.py",
        "tglake/ingest/webhook.py",
    } <= set(names)
    # the pseudonym function (stdlib, shared): the bot computes user_key at answer time
    assert "tglake/pseudonym.py" in names
    offline = ("tglake/candidates/build.py", "tglake/candidates/tse_votes.py")
    for heavy in (
        "tglake/etl/",
        "tglake/adapters/http.py",
        "tglake/cli/",
        "tglake/analytics/",
        *offline,
    ):
        assert not any(n.startswith(heavy) for n in names), heavy
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}


# The real Lambda runtime: the standard library and the AWS SDK, nothing else.
ONLY_STDLIB_AND_BOTO3 = """
import json, os, sys
ALLOWED = {"boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six", "tglake"}
ALLOWED |= set(os.environ["ALSO_ALLOWED"].split())

class OnlyStdlibAndBoto3:
    def find_spec(self, name, path=None, target=None):
        top = name.partition(".")[0]
        stdlib = top in sys.stdlib_module_names or top.startswith("_")
        if top in ALLOWED or stdlib:
            return None
        raise ModuleNotFoundError(f"blocked in the Lambda runtime: {name}", name=name)

sys.meta_path.insert(0, OnlyStdlibAndBoto3())
sys.path[:0] = [os.environ["PACKAGE_DIR"], os.environ["BOTO3_SITE"]]

from tglake.adapters.lambda_handlers import webhook_handler

event = json.loads(os.environ["EVENT"])
answer = webhook_handler(event, None)
import tglake
print(json.dumps({
    "status": answer["statusCode"],
    "body": json.loads(answer["body"]),
    "tglake_from": tglake.__file__,
    "heavy": sorted(m for m in ("pyarrow", "duckdb", "starlette", "click", "httpx2")
                    if m in sys.modules),
}))
"""


@pytest.mark.parametrize(
    "layer",
    [
        pytest.param("", id="runtime only: stored, no reply"),
        # the layer holds the arm64 wheel of the pinned RapidFuzz; here the host's build of it
        pytest.param("rapidfuzz", id="with the bot layer: stored and answered"),
    ],
)
def test_the_built_webhook_runs_with_only_the_stdlib_and_boto3(
    built: dict[str, Path], tmp_path: Path, s3_bucket: tuple[str, Any], layer: str
) -> None:
    # GIVEN the webhook zip unpacked, and an interpreter without site-packages that blocks any
    # import outside the stdlib and the AWS SDK (what the Lambda runtime has), plus the layer
    bucket, client = s3_bucket
    unpacked = tmp_path / "task"
    with zipfile.ZipFile(built["webhook"]) as archive:
        archive.extractall(unpacked)
    body = fixture_bytes("private_message")
    event = {
        "version": "2.0",
        "rawPath": "/webhook",
        "requestContext": {"http": {"method": "POST", "path": "/webhook"}},
        "headers": {"x-telegram-bot-api-secret-token": "s3cr3t-s3cr3t-s3cr3t"},
        "body": body.decode(),
        "isBase64Encoded": False,
    }
    env = {
        **{k: v for k, v in os.environ.items() if k.startswith("AWS_")},
        "PATH": os.environ.get("PATH", ""),
        "PACKAGE_DIR": str(unpacked),
        "BOTO3_SITE": str(Path(boto3.__file__).parent.parent),
        "EVENT": json.dumps(event),
        "TGLAKE_RAW_URI": f"s3://{bucket}/raw",
        "TGLAKE_WEBHOOK_SECRET": "s3cr3t-s3cr3t-s3cr3t",
        "ALSO_ALLOWED": layer,
    }
    # WHEN a real API Gateway v2 event goes through its handler to the S3 server
    result = subprocess.run(
        [sys.executable, "-S", "-c", ONLY_STDLIB_AND_BOTO3],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    # THEN it answered 200 from the unpacked package, loaded nothing heavy, and stored the update
    assert report["status"] == 200
    assert report["tglake_from"].startswith(str(unpacked))
    assert report["heavy"] == []
    keys = [o["Key"] for o in client.list_objects_v2(Bucket=bucket)["Contents"]]
    update_keys = [k for k in keys if k.startswith("raw/telegram/")]
    assert len(update_keys) == 1
    assert client.get_object(Bucket=bucket, Key=update_keys[0])["Body"].read() == body
    if layer:  # the bot found its modules and data in the zip: the same reply as tglake serve
        assert report["body"]["method"] == "sendMessage"
        assert report["body"]["chat_id"] == 5550006
        assert "Braz Cubas" in report["body"]["text"]
        assert any(k.startswith("raw/bot/") for k in keys)
    else:
        assert report["body"] == {"ok": True}
        assert keys == update_keys


def test_the_bot_layer_holds_only_python_packages_under_python(built: dict[str, Path]) -> None:
    with zipfile.ZipFile(built["bot-deps"]) as archive:
        names = archive.namelist()
    assert names
    assert all(name.startswith("python/") for name in names)
    assert not any(name.startswith(("python/boto3/", "python/pyarrow/")) for name in names)


def test_the_built_etl_imports_with_only_the_runtime_and_the_pandas_layer(
    built: dict[str, Path], tmp_path: Path
) -> None:
    # GIVEN the ETL zip unpacked, and an interpreter that sees the stdlib, boto3 and what the AWS
    # SDK for pandas layer brings (PyArrow, NumPy), nothing else
    unpacked = tmp_path / "task"
    with zipfile.ZipFile(built["etl"]) as archive:
        archive.extractall(unpacked)
    code = ONLY_STDLIB_AND_BOTO3.split("from tglake.adapters")[0] + (
        "import importlib, tglake\n"
        "importlib.import_module('tglake.etl.run')\n"
        "from tglake.adapters.lambda_handlers import etl_handler\n"
        "print(json.dumps({'tglake_from': tglake.__file__}))\n"
    )
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PACKAGE_DIR": str(unpacked),
        "BOTO3_SITE": str(Path(boto3.__file__).parent.parent),
        "ALSO_ALLOWED": "pyarrow numpy",
    }
    # WHEN it imports the ETL handler's whole chain
    result = subprocess.run(
        [sys.executable, "-S", "-c", code], env=env, capture_output=True, text=True, check=False
    )
    # THEN nothing was missing, and tglake came from the zip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["tglake_from"].startswith(str(unpacked))
