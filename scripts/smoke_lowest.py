"""Smoke-test tglake installed at the lowest versions ``pyproject.toml`` allows (``make lowest``).

``make lowest`` resolves the runtime dependencies with ``uv pip compile --resolution
lowest-direct`` (every direct dependency at its lower bound, setuptools at 77 for the build),
installs them and tglake into ``.venv-lowest``, then runs this script with the dev venv's
Python. It drives the lowest venv the way a user would:

1. ``tglake demo`` on a small simulated chat: ingest over HTTP (starlette, uvicorn, httpx2),
   the bot (rapidfuzz), the ETL (pyarrow), the queries (duckdb) and the report (jinja2);
2. the S3 store against moto's S3 server over HTTP: ``put_if_absent`` twice on one key, which
   needs S3 conditional writes (``IfNoneMatch``) in boto3/botocore;
3. ``GET /metrics`` of the real app (prometheus-client).

    python scripts/smoke_lowest.py .venv-lowest
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
from pathlib import Path

S3_CHECK = """
import sys
import boto3
from tglake.adapters.s3_store import S3Store
from tglake.errors import ObjectExistsError

client = boto3.client(
    "s3", endpoint_url=sys.argv[1], region_name="us-east-1",
    aws_access_key_id="test", aws_secret_access_key="test",
)
client.create_bucket(Bucket="lowest")
store = S3Store("s3://lowest/raw", client=client)
store.put_if_absent("telegram/context_date=2024-10-06/1.json", b"{}")
try:
    store.put_if_absent("telegram/context_date=2024-10-06/1.json", b"{}")
except ObjectExistsError:
    print("s3 put_if_absent: second write refused, as it must be")
else:
    sys.exit("s3 put_if_absent overwrote an existing object")
"""

METRICS = """
import sys, threading, time
import httpx2, uvicorn
from tglake.adapters.http import create_app
from tglake.adapters.prometheus import metrics_route
from tglake.config import Settings
from tglake.storage import LocalStore

port, lake = int(sys.argv[1]), sys.argv[2]
app = create_app(Settings(lake=lake), LocalStore(lake), extra_routes=[metrics_route()])
server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
threading.Thread(target=server.run, daemon=True).start()
while not server.started:
    time.sleep(0.05)
url = f"http://127.0.0.1:{port}"
assert httpx2.post(f"{url}/webhook", content=b'{"update_id": 1}').status_code == 200
text = httpx2.get(f"{url}/metrics").text
assert 'tglake_webhook_responses_total{status="200"} 1.0' in text, text
print("metrics: /metrics counts the delivery")
server.should_exit = True
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run(venv: Path, *args: str) -> None:
    subprocess.run([str(venv / "bin" / "python"), *args], check=True)  # noqa: S603


def main() -> None:
    venv = Path(sys.argv[1]).resolve()
    from moto.server import ThreadedMotoServer  # the dev venv's moto, over HTTP

    versions = subprocess.run(  # noqa: S603
        [str(venv / "bin" / "python"), "-m", "pip", "list", "--format=freeze"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    print("lowest:", " ".join(line for line in versions.split() if not line.startswith("pip=")))
    with tempfile.TemporaryDirectory() as tmp:
        run(venv, "-m", "tglake", "demo", "--days", "1", "--updates-per-day", "40",
            "--lake", str(Path(tmp) / "demo"))  # fmt: skip
        port = free_port()
        s3 = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        s3.start()
        try:
            run(venv, "-c", S3_CHECK, f"http://127.0.0.1:{port}")
        finally:
            s3.stop()
        run(venv, "-c", METRICS, str(free_port()), str(Path(tmp) / "raw"))
    print("lowest bounds: smoke test passed")


if __name__ == "__main__":
    main()
