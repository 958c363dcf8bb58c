"""Faults: a storage outage, the S3 server stopped mid-run, ``kill -9`` of the server during a
load, a full disk. In each, every update Telegram delivers ends up stored exactly once, or is
answered with a non-2xx so that Telegram delivers it again; and ``kill -9`` of the ETL at any
moment, then a rerun, gives the same bytes as a run that was never interrupted."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import duckdb
import httpx2
import pyarrow.parquet as pq

from tests import export_shapes as xs
from tests.helpers import free_port, serve_in_thread, wait_until_healthy
from tglake import etl
from tglake.adapters.http import create_app
from tglake.adapters.s3_store import S3Store
from tglake.config import Settings
from tglake.storage import LocalStore

SECRET = "fault-test-secret"
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET}


def update_body(update_id: int, text: str = "olá") -> bytes:
    return json.dumps(
        {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": 1727740800,
                "text": text,
                "chat": {"id": -100, "type": "supergroup", "title": "Mogi"},
            },
        },
        ensure_ascii=False,
    ).encode()


def deliver_like_telegram(
    url: str, body: bytes, *, attempts: int = 60, pause: float = 0.05
) -> list[int]:
    """Post until a 2xx, as Telegram does (it retries for 24 h; we stop after ``attempts``)."""
    codes: list[int] = []
    for _ in range(attempts):
        try:
            code = httpx2.post(
                f"{url}/webhook", content=body, headers=HEADERS, timeout=10
            ).status_code
        except httpx2.TransportError:
            code = 0
        codes.append(code)
        if 200 <= code < 300:
            break
        time.sleep(pause)
    return codes


def test_s3_server_stopped_mid_run_gives_503s_then_every_update_stored_once(
    s3_bucket: tuple[str, Any], s3_endpoint: str
) -> None:
    from moto.server import ThreadedMotoServer

    # a second S3 server of our own, so that stopping it does not disturb other tests
    port = free_port()
    s3 = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    s3.start()
    bucket, _ = s3_bucket
    import boto3
    from botocore.config import Config

    client = boto3.client(
        "s3",
        endpoint_url=f"http://127.0.0.1:{port}",
        region_name="us-east-1",
        config=Config(retries={"max_attempts": 1}, connect_timeout=1, read_timeout=5),
    )
    client.create_bucket(Bucket=f"{bucket}-outage")
    store = S3Store(f"s3://{bucket}-outage/raw", client=client)
    settings = Settings.from_env({"TGLAKE_WEBHOOK_SECRET": SECRET})
    bodies = [update_body(i) for i in range(1, 41)]
    with serve_in_thread(create_app(settings, store)) as url:
        first = [deliver_like_telegram(url, b) for b in bodies[:10]]
        s3.stop()  # the outage
        during = [
            httpx2.post(f"{url}/webhook", content=b, headers=HEADERS).status_code
            for b in bodies[10:20]
        ]
        assert during == [503] * 10
        assert httpx2.get(f"{url}/healthz").status_code == 503
        s3 = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        s3.start()  # moto keeps its state in-process: the bucket is still there
        try:
            rest = [deliver_like_telegram(url, b) for b in bodies[10:]]
            keys = list(store.list("telegram/"))
            stored = sorted(store.get(k) for k in keys)
        finally:
            s3.stop()
    # every delivery eventually got a 200, and each update is stored once
    assert all(codes[-1] == 200 for codes in first + rest)
    assert len(keys) == 40
    assert stored == sorted(bodies)


def test_kill_9_during_a_load_loses_no_update_that_got_a_200(tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    port = free_port()
    env = {**os.environ, "TGLAKE_WEBHOOK_SECRET": SECRET, "TGLAKE_LAKE": str(lake)}
    server = subprocess.Popen(
        [sys.executable, "-m", "tglake", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url)

        acknowledged: list[int] = []
        client = httpx2.Client(timeout=5, limits=httpx2.Limits(max_connections=16))

        def post(update_id: int) -> None:
            try:
                response = client.post(
                    f"{url}/webhook", content=update_body(update_id), headers=HEADERS
                )
            except httpx2.TransportError:
                return
            if response.status_code == 200:
                acknowledged.append(update_id)

        pool = concurrent.futures.ThreadPoolExecutor(16)
        for i in range(1, 1001):
            pool.submit(post, i)
        while len(acknowledged) < 200:
            time.sleep(0.002)
        server.send_signal(signal.SIGKILL)
        server.wait()
        pool.shutdown(wait=True, cancel_futures=True)
        client.close()
    finally:
        server.kill()
        server.wait()
    assert 200 <= len(acknowledged) < 1000, "the kill should land in the middle of the load"
    stored = {int(p.stem): p.read_bytes() for p in lake.glob("raw/telegram/*/*.json")}
    missing = [i for i in acknowledged if stored.get(i) != update_body(i)]
    assert missing == []
    # and no half-written file is visible under a final name
    assert all(json.loads(body)["update_id"] == i for i, body in stored.items())


FULL_DISK_SCRIPT = textwrap.dedent(
    """
    import json, subprocess, sys
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", sys.argv[1]], check=True)
    import httpx2
    from tglake.adapters.http import create_app
    from tglake.config import Settings
    from tglake.storage import LocalStore
    from tests.helpers import serve_in_thread
    from pathlib import Path

    root = Path(sys.argv[1])
    store = LocalStore(root / "raw")
    bodies = {}
    results = []
    with serve_in_thread(create_app(Settings(), store)) as url:
        for i in range(1, 200):
            body = json.dumps({"update_id": i, "message": {"text": "x" * 20000}}).encode()
            bodies[i] = body
            r = httpx2.post(url + "/webhook", content=body)
            results.append([i, r.status_code, r.json()])
            if r.status_code == 503:
                break
        health = httpx2.get(url + "/healthz").status_code
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    intact = all(
        (root / "raw/telegram/context_date={}/{}.json".format(
            sorted((root / "raw/telegram").iterdir())[0].name.split("=")[1], i)).read_bytes()
        == bodies[i]
        for i, status, _ in results if status == 200
    )
    print(json.dumps({"results": results, "files": files, "intact": intact}))
    """
)


def test_a_full_disk_gives_a_clear_503_and_leaves_no_partial_file(tmp_path: Path) -> None:
    mountpoint = tmp_path / "small-disk"
    mountpoint.mkdir()
    # a real 256 KiB filesystem in a private mount namespace (no privileges needed)
    prefix = [] if os.geteuid() == 0 else ["--map-root-user"]
    completed = subprocess.run(
        ["unshare", *prefix, "--mount", sys.executable, "-c", FULL_DISK_SCRIPT, str(mountpoint)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parent.parent,
    )
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    statuses = [status for _, status, _ in report["results"]]
    assert statuses[-1] == 503, statuses
    assert set(statuses[:-1]) == {200}
    assert report["results"][-1][2] == {
        "ok": False,
        "error": f"cannot write telegram/{_day_of(report)}/{len(statuses)}.json: "
        "no space left on device",
    }
    assert report["intact"] is True
    # only complete updates under their final names: no temporary file is left behind
    assert all(f.endswith(".json") and "/.tmp-" not in f for f in report["files"])
    assert len(report["files"]) == len(statuses) - 1


def _day_of(report: dict[str, Any]) -> str:
    return str(report["files"][0].split("/")[2])


def _raw_day(lake: Path, count: int) -> None:
    from tglake.ingest import store_update

    raw = LocalStore(lake / "raw")
    day = dt.date(2024, 10, 6)
    for update_id in range(1, count + 1):
        store_update(raw, day, update_id, update_body(update_id, f"mensagem número {update_id}"))


def _enriched_files(lake: Path) -> dict[str, bytes]:
    root = lake / "enriched"
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _etl(lake: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "TGLAKE_LAKE": str(lake),
        "TGLAKE_PSEUDONYM_KEY": "fault-key-0123456789abcdef012345",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "tglake", "etl", "--date", "2024-10-06"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_kill_9_of_the_etl_at_random_points_then_a_rerun_gives_the_same_bytes(
    tmp_path: Path,
) -> None:
    lake = tmp_path / "lake"
    _raw_day(lake, 8_000)
    started = time.monotonic()
    assert _etl(lake).wait() == 0
    full_run = time.monotonic() - started
    expected = _enriched_files(lake)
    assert "telegram/messages/context_date=2024-10-06/data.parquet" in expected

    rng = random.Random(20241006)
    killed_mid_run = 0
    for _ in range(4):
        shutil.rmtree(lake / "enriched", ignore_errors=True)
        process = _etl(lake)
        time.sleep(rng.uniform(0.1, full_run))
        process.send_signal(signal.SIGKILL)
        killed_mid_run += process.wait() == -signal.SIGKILL
        # whatever the kill left is whole: every Parquet file under a final name reads back
        for name in _enriched_files(lake):
            if name.endswith(".parquet"):
                pq.read_metadata(lake / "enriched" / name)
        assert _etl(lake).wait() == 0
        assert _enriched_files(lake) == expected
    assert killed_mid_run >= 2, "most kills should land while the ETL runs"


def _worker_pids_script() -> str:
    return textwrap.dedent(
        """
        import multiprocessing, os, sys, time
        from concurrent.futures import ProcessPoolExecutor
        from tglake.etl import flatten, tables, workers

        if __name__ == "__main__":
            pool = ProcessPoolExecutor(
                2, mp_context=multiprocessing.get_context("spawn"),
                initializer=workers.init_worker,
                initargs=(".", tables.SPECS, flatten.Context(user_key=str), os.getpid()))
            tasks = [pool.submit(time.sleep, 0.2) for _ in range(2)]  # two workers spawn
            tasks[0].result()  # one worker up; the other may still be starting
            print(" ".join(str(p) for p in pool._processes), flush=True)
            time.sleep(60)
        """
    )


def test_the_etl_workers_end_when_the_etl_is_killed(tmp_path: Path) -> None:
    script = tmp_path / "etl_like.py"
    script.write_text(_worker_pids_script())
    # (stderr dropped: the killed parent's resource tracker complains about its semaphores)
    parent = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert parent.stdout is not None
    try:
        workers = [int(p) for p in parent.stdout.readline().split()]
        assert len(workers) == 2
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 10
        alive = workers
        while alive and time.monotonic() < deadline:
            time.sleep(0.1)
            alive = [p for p in workers if _running(p)]
    finally:
        parent.kill()
        parent.wait()
    assert alive == [], "workers outlived the killed ETL"


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def _many_days_export(folder: Path, days: int) -> Path:
    """An export of one message a day for ``days`` days (2020, before date_unixtime)."""
    start = dt.datetime(2020, 3, 1, 12, 0, tzinfo=xs.SAO_PAULO)
    messages = [
        xs.era_message(i + 1, start + dt.timedelta(days=i), 1001, "Ana Souza", f"dia {i}")
        for i in range(days)
    ]
    return xs.write(folder, {"name": "g", "type": "private_group", "id": 555, "messages": messages})


def _import(path: Path, lake: Path) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "TGLAKE_LAKE": str(lake),
        "TGLAKE_PSEUDONYM_KEY": "fault-key-0123456789abcdef012345",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "tglake", "import", "export", str(path)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def test_kill_9_of_an_import_while_it_rebuilds_its_days_is_finished_by_the_next_import(
    tmp_path: Path,
) -> None:
    # GIVEN an import of a 200-day export killed -9 once it has rebuilt some of its days
    lake, days = tmp_path / "lake", 200
    path = _many_days_export(tmp_path / "e", days)
    process = _import(path, lake)
    built = lake / "enriched/telegram/_manifests"
    deadline = time.monotonic() + 120
    while not (built.is_dir() and any(built.iterdir())) and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL
    done = len(list(built.iterdir()))
    assert 0 < done < days, "the kill should land while the days are rebuilt"
    # THEN the lake knows which days are owed: etl --pending sees them, of any age
    raw = LocalStore(lake / "raw")
    owed = etl.pending_days(raw, LocalStore(lake / "enriched"), dt.date(2026, 12, 1))
    assert days - done <= len(owed) <= days - done + 1  # the day being built when killed
    # WHEN the same file is imported again
    rerun = _import(path, lake)
    out, _ = rerun.communicate(timeout=300)
    # THEN it stores nothing, finishes the rebuild, and every message is a row
    assert rerun.returncode == 0
    assert f"finishing the rebuild of {len(owed)} day(s) cut short" in out
    assert len(list(built.iterdir())) == days
    files = f"{lake}/enriched/telegram/messages/*/*.parquet"
    assert duckdb.sql(f"SELECT count(*) FROM read_parquet('{files}')").fetchall() == [(days,)]
    assert list(raw.list("export/rebuild/")) == []
    again = _import(path, lake)
    assert "already imported (sha256 " in again.communicate(timeout=60)[0]
