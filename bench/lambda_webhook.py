"""The webhook Lambda's package: size, cold import time, and warm latency per event.

Builds build/lambda-webhook.zip, then
* cold import: a fresh ``python -S`` that sees only the unpacked zip and boto3 imports the
  handler (what a Lambda cold start pays on top of the runtime's own start), median of N;
* warm: the handler called in-process with API Gateway v2 events, raw zone in a temp folder and
  (``--s3``) on a moto S3 server over HTTP on loopback.
Prints numbers; no pass/fail. On a shared machine, read them as orders of magnitude.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

import boto3

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tglake.adapters.lambda_handlers import WebhookFunction  # noqa: E402
from tglake.config import Settings  # noqa: E402
from tglake.storage import LocalStore, ObjectStore  # noqa: E402

COLD = (
    "import sys, time; sys.path[:0] = sys.argv[1:3]; t0 = time.perf_counter();"
    "import boto3, botocore.config; t1 = time.perf_counter();"
    "import tglake.adapters.lambda_handlers as h, tglake.adapters.s3_store;"
    "t2 = time.perf_counter();"
    "h.build_webhook({'TGLAKE_RAW_URI': sys.argv[3]}); t3 = time.perf_counter();"
    "print((t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000)"
)


def build() -> Path:
    subprocess.run(
        [sys.executable, "scripts/package_lambdas.py", "--out", "build"], cwd=ROOT, check=True
    )
    return ROOT / "build" / "lambda-webhook.zip"


def cold_imports(zip_path: Path, runs: int) -> tuple[list[float], list[float], list[float]]:
    """(boto3's import, ours on top of it, then building the function: settings, store, the
    bot with its candidate data), in ms."""
    site = str(Path(boto3.__file__).parent.parent)
    sdk, ours, built = [], [], []
    with tempfile.TemporaryDirectory() as unpacked, tempfile.TemporaryDirectory() as raw:
        with zipfile.ZipFile(zip_path) as archive:
            archive.extractall(unpacked)
        for _ in range(runs):
            out = (
                subprocess.run(
                    [sys.executable, "-S", "-c", COLD, unpacked, site, raw],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                .stdout.splitlines()[-1]
                .split()
            )  # the function logs JSON lines before it
            sdk.append(float(out[0]))
            ours.append(float(out[1]))
            built.append(float(out[2]))
    return sdk, ours, built


def event(update_id: int) -> dict[str, Any]:
    body = {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "from": {"id": 5550001, "is_bot": False, "first_name": "Ana"},
            "chat": {"id": 5550001, "type": "private"},
            "date": 1727740800,
            "text": "/candidato Mara Bertaiolli",
        },
    }
    return {
        "version": "2.0",
        "rawPath": "/webhook",
        "requestContext": {"http": {"method": "POST", "path": "/webhook"}},
        "headers": {"x-telegram-bot-api-secret-token": "bench-secret"},
        "body": json.dumps(body),
        "isBase64Encoded": False,
    }


def warm(store: ObjectStore, events: int) -> list[float]:
    settings = Settings.from_env({"TGLAKE_WEBHOOK_SECRET": "bench-secret"})
    function = WebhookFunction(settings, store, clock=lambda: dt.datetime.now(dt.UTC))
    timings = []
    for update_id in range(events):
        started = time.perf_counter()
        answer = function(event(update_id), None)
        timings.append((time.perf_counter() - started) * 1000)
        assert answer["statusCode"] == 200
    return timings


def show(label: str, values: list[float]) -> None:
    values = sorted(values)
    p95 = values[int(len(values) * 0.95) - 1] if len(values) >= 20 else values[-1]
    print(f"{label:<34} median {statistics.median(values):7.2f} ms   p95 {p95:7.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold-runs", type=int, default=10)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--s3", action="store_true", help="also time a moto S3 server")
    args = parser.parse_args()
    zip_path = build()
    with zipfile.ZipFile(zip_path) as archive:
        unpacked = sum(i.file_size for i in archive.infolist())
        files = len(archive.infolist())
    print(
        f"lambda-webhook.zip: {zip_path.stat().st_size} bytes ({files} files, {unpacked} unpacked)"
    )
    sdk, ours, built = cold_imports(zip_path, args.cold_runs)
    show(f"cold import of boto3 ({args.cold_runs} runs)", sdk)
    show("cold import of tglake on top", ours)
    show("cold build (settings, store, bot)", built)
    with tempfile.TemporaryDirectory() as lake:
        show(f"warm event, local raw ({args.events})", warm(LocalStore(lake), args.events))
    if args.s3:
        from moto.server import ThreadedMotoServer

        from tglake.adapters.s3_store import S3Store

        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        try:
            host, port = server.get_host_and_port()
            endpoint = f"http://{host}:{port}"
            client = boto3.client(
                "s3",
                endpoint_url=endpoint,
                region_name="us-east-1",
                aws_access_key_id="bench",
                aws_secret_access_key="bench",
            )
            client.create_bucket(Bucket="bench")
            events = max(args.events // 5, 20)
            show(
                f"warm event, moto S3 ({events})",
                warm(S3Store("s3://bench", client=client), events),
            )
        finally:
            server.stop()
    print("(a machine shared with other work: orders of magnitude, not a benchmark of Lambda)")


if __name__ == "__main__":
    main()
