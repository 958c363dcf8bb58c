"""Benchmark of the nightly ETL: updates/s and peak memory, on a folder and on an S3 server.

    python bench/etl.py                       # 100,000 updates local, 5,000 on S3 (modest)
    python bench/etl.py --updates 1000000 --s3-updates 20000 --naive-updates 20000

It generates a realistic raw day (mixed kinds, ~1% redeliveries that crossed midnight, a few
conflicting payloads), then runs each measurement in a fresh child process so that its peak
memory (``ru_maxrss``) is its own:

* ``tglake`` on the local day (``etl.run_day``, what ``tglake etl`` calls);
* the same on a smaller day, against a *naive* ETL written here the way the course template
  does it: one file at a time, a one-row table per update, ``pa.concat_tables`` in the loop;
* on moto's S3 server on loopback: parallel reads (``read_workers=32``) against one-by-one
  reads (``read_workers=1``) over the same objects.

Numbers on a shared machine are noisy; rerun on a quiet one before quoting them. "per CPU-s"
(updates per second of the worker's own CPU time) is the figure least disturbed by other load.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import random
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

DAY = dt.date(2024, 10, 6)
KEY = "bench-pseudonym-key-0123456789abcdef"
SENTENCE = (
    "quem é o candidato a prefeito de Mogi das Cruzes qual o número da Mara Bertaiolli "
    "Caio Cunha vereador Braz Cubas Jundiapeba onde voto zona seção debate hoje 20h proposta "
    "saúde educação transporte"
)
WORDS = tuple(SENTENCE.split())


# ---------------------------------------------------------------- generating a raw day
def _user(rnd: random.Random) -> dict[str, Any]:
    uid = 5_000_000 + rnd.randrange(20_000)
    return {"id": uid, "is_bot": False, "first_name": f"Pessoa{uid}", "language_code": "pt-br"}


def _chat(rnd: random.Random) -> dict[str, Any]:
    if rnd.random() < 0.6:
        return {"id": -1001234567890, "title": "Eleições Mogi 2024", "type": "supergroup"}
    uid = 5_000_000 + rnd.randrange(20_000)
    return {"id": uid, "first_name": f"Pessoa{uid}", "type": "private"}


def make_update(update_id: int, rnd: random.Random) -> dict[str, Any]:
    """One update of a realistic mix of kinds."""
    ts = 1728183600 + rnd.randrange(86_400)
    text = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(2, 18)))
    message: dict[str, Any] = {
        "message_id": rnd.randrange(1, 10**6),
        "from": _user(rnd),
        "chat": _chat(rnd),
        "date": ts,
    }
    roll = rnd.random()
    if roll < 0.62:
        if rnd.random() < 0.2:
            text = f"/{rnd.choice(['candidato', 'numero', 'ajuda', 'start'])} {text}"
        return {"update_id": update_id, "message": {**message, "text": text}}
    if roll < 0.70:
        return {
            "update_id": update_id,
            "edited_message": {**message, "text": text, "edit_date": ts + 60},
        }
    if roll < 0.75:
        photo = [{"file_id": "AgAC" + "x" * 60, "file_unique_id": "AQAD", "width": 800}]
        return {"update_id": update_id, "message": {**message, "photo": photo, "caption": text}}
    if roll < 0.78:
        sticker = {"file_id": "CAAC" + "x" * 60, "type": "regular", "emoji": "👍"}
        return {"update_id": update_id, "message": {**message, "sticker": sticker}}
    if roll < 0.81:
        voice = {"duration": rnd.randint(1, 60), "file_id": "AwAC" + "x" * 60}
        return {"update_id": update_id, "message": {**message, "voice": voice}}
    if roll < 0.86:
        query = {
            "id": str(rnd.randrange(10**18)),
            "from": _user(rnd),
            "message": {**message, "text": "Encontrei 2 candidatos:"},
            "chat_instance": "-8475639101",
            "data": f"cand:{rnd.randrange(400)}",
        }
        return {"update_id": update_id, "callback_query": query}
    if roll < 0.92:
        reaction = {
            "chat": message["chat"],
            "message_id": message["message_id"],
            "user": _user(rnd),
            "date": ts,
            "old_reaction": [],
            "new_reaction": [{"type": "emoji", "emoji": rnd.choice("👍🔥❤👎")}],
        }
        return {"update_id": update_id, "message_reaction": reaction}
    if roll < 0.96:
        user = _user(rnd)
        member = {
            "chat": message["chat"],
            "from": user,
            "date": ts,
            "old_chat_member": {"status": "left", "user": user},
            "new_chat_member": {"status": "member", "user": user},
        }
        return {"update_id": update_id, "chat_member": member}
    poll = {"id": str(rnd.randrange(10**18)), "question": text, "options": [], "type": "regular"}
    return {"update_id": update_id, "poll": poll}


def generate(n: int, seed: int = 5) -> dict[str, bytes]:
    """``{raw key: body}`` for the day before (a few updates) and DAY (``n`` objects, ~1% of
    them redeliveries of the day before's updates, ~0.1% conflicting payloads)."""
    from tglake import layout

    rnd = random.Random(seed)
    objects: dict[str, bytes] = {}
    before = DAY - dt.timedelta(days=1)
    first = 900_000_000
    carried = max(1, n // 100)
    for i in range(carried):
        body = json.dumps(make_update(first + i, rnd), ensure_ascii=False).encode()
        objects[layout.raw_key(before, first + i)] = body
        objects[layout.raw_key(DAY, first + i)] = body  # redelivered after midnight
    for i in range(carried, n):
        update = make_update(first + i, rnd)
        body = json.dumps(update, ensure_ascii=False).encode()
        objects[layout.raw_key(DAY, first + i)] = body
        if i % 1000 == 7:  # a different payload reusing this update_id
            other = json.dumps({**update, "edited": True}).encode()
            objects[layout.raw_key(DAY, first + i, layout.content_hash(other))] = other
    return objects


def write_local(root: Path, objects: dict[str, bytes]) -> None:
    for key, body in objects.items():
        path = root.joinpath(*key.split("/"))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)


# ---------------------------------------------------------------- the naive ETL
def naive_day(raw: Any, day: dt.date, out: Path) -> int:
    """The common way: one object at a time, one-row tables, concat_tables in the loop."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tglake import layout, schema
    from tglake.etl import flatten
    from tglake.pseudonym import Pseudonymizer

    ctx = flatten.Context(user_key=Pseudonymizer(KEY.encode()))
    table = None
    for key in raw.list(layout.partition_prefix(layout.RAW_SOURCE, day)):
        update = json.loads(raw.get(key))
        for row in flatten.messages(update, ctx):
            row["payload_hash"] = layout.content_hash(b"")
            one = pa.Table.from_pylist([row], schema=schema.MESSAGES)
            table = one if table is None else pa.concat_tables([table, one])
    if table is not None:
        pq.write_table(table, out, compression="zstd")
    return 0 if table is None else table.num_rows


# ---------------------------------------------------------------- the lean floor
def floor_day(root: str, day: dt.date, out: Path) -> tuple[int, int]:
    """The least an ETL of a day can do, written plainly as a user would: read every raw file
    of the day, parse it with the fastest well-kept parser (orjson), keep a few fields of the
    message it carries (no cleaning, no dedupe, no pseudonyms, no other tables), and write one
    Parquet file (zstd). ``(objects, rows)``."""
    import orjson
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = os.path.join(root, "telegram", f"context_date={day}")
    columns: dict[str, list[Any]] = {
        k: [] for k in ("update_id", "kind", "message_id", "chat_id", "user_id", "date", "text")
    }
    objects = 0
    with os.scandir(folder) as entries:
        for entry in entries:
            with open(entry.path, "rb") as handle:
                update = orjson.loads(handle.read())
            objects += 1
            kind = next((k for k in update if k != "update_id"), "")
            message = update[kind] if kind in ("message", "edited_message") else {}
            columns["update_id"].append(update["update_id"])
            columns["kind"].append(kind)
            columns["message_id"].append(message.get("message_id"))
            columns["chat_id"].append(message.get("chat", {}).get("id"))
            columns["user_id"].append(message.get("from", {}).get("id"))
            columns["date"].append(message.get("date"))
            columns["text"].append(message.get("text", message.get("caption")))
    pq.write_table(pa.table(columns), out, compression="zstd")
    return objects, objects


# ---------------------------------------------------------------- one measurement (child)
def worker(mode: str, raw_uri: str, enriched_uri: str, workers: int) -> None:
    from tglake import etl
    from tglake.adapters.stores import open_store
    from tglake.config import Settings

    settings = Settings.from_env(
        {**os.environ, "TGLAKE_PSEUDONYM_KEY": KEY},
        lake=str(Path(tempfile.gettempdir()) / "unused"),
        raw_uri=raw_uri,
        enriched_uri=enriched_uri,
    )
    raw = open_store(raw_uri, endpoint_url=settings.aws_endpoint_url)
    enriched = open_store(enriched_uri, endpoint_url=settings.aws_endpoint_url)
    before = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = before.ru_utime + before.ru_stime
    started = time.perf_counter()
    if mode == "floor":
        with tempfile.TemporaryDirectory() as folder:
            updates, rows = floor_day(raw_uri, DAY, Path(folder) / "floor.parquet")
    elif mode == "naive":
        with tempfile.TemporaryDirectory() as folder:
            rows = naive_day(raw, DAY, Path(folder) / "naive.parquet")
        updates = len(list(raw.list(f"telegram/context_date={DAY}/")))
    else:
        report = etl.run_day(
            DAY, settings=settings, raw=raw, enriched=enriched, read_workers=workers or None
        )
        rows, updates = report.rows["messages"], report.updates_read + len(report.rejects)
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result = {
        "seconds": seconds,
        "cpu_seconds": usage.ru_utime + usage.ru_stime - cpu_before + _children_cpu(),
        "updates": updates,
        "rows": rows,
        "peak_mb": _own_peak_mb(usage),
        "worker_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }
    print(json.dumps(result))


def _own_peak_mb(usage: resource.struct_rusage) -> float:
    """Peak RSS of this process only: Linux's VmHWM (ru_maxrss also counts the RSS the parent
    had when it forked this process)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return usage.ru_maxrss / 1024


def _children_cpu() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return children.ru_utime + children.ru_stime


class TreePeak:
    """Peak resident memory of a process and all its descendants together (the ETL's worker
    processes included), sampled every ``every`` seconds from /proc."""

    def __init__(self, pid: int, every: float = 0.05) -> None:
        self.pid, self.every, self.peak_mb = pid, every, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _tree_rss_mb(self) -> float:
        parents: dict[int, int] = {}
        rss: dict[int, int] = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                stat = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()
                rss[int(entry.name)] = int(Path(entry.path, "statm").read_text().split()[1])
            except (OSError, IndexError):
                continue
            parents[int(entry.name)] = int(stat[1])
        tree, frontier = {self.pid}, [self.pid]
        while frontier:
            parent = frontier.pop()
            children = [p for p, pp in parents.items() if pp == parent and p not in tree]
            tree.update(children)
            frontier.extend(children)
        return sum(rss.get(p, 0) for p in tree) * os.sysconf("SC_PAGE_SIZE") / 2**20

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.peak_mb = max(self.peak_mb, self._tree_rss_mb())

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak_mb


def measure(mode: str, raw_uri: str, enriched_uri: str, workers: int = 0) -> dict[str, Any]:
    """One run in a fresh child process: its own figures plus the peak memory of its whole
    process tree (sampled from here)."""
    command = [sys.executable, __file__, "--worker", mode, raw_uri, enriched_uri, str(workers)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = TreePeak(child.pid)
    out, err = child.communicate()
    tree_peak = peak.stop()
    if child.returncode != 0:
        raise RuntimeError(f"{mode} run failed: {err[-2000:]}")
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["rate"] = result["updates"] / result["seconds"]
    result["tree_peak_mb"] = tree_peak
    return result


def line(label: str, r: dict[str, Any]) -> str:
    return (
        f"  {label:<30} {r['updates']:>9,} updates {r['seconds']:7.2f} s "
        f"{r['rate']:>8,.0f} updates/s ({r['updates'] / r['cpu_seconds']:>7,.0f} per CPU-s)"
        f"  peak {r['tree_peak_mb']:4.0f} MB (process tree)"
    )


# ---------------------------------------------------------------- S3
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class LatencyProxy:
    """A TCP proxy on loopback that delays each request chunk by ``delay`` seconds: a stand-in
    for the first-byte latency of a real S3 GET, which moto on loopback does not have."""

    def __init__(self, target_port: int, delay: float) -> None:
        self.target_port = target_port
        self.delay = delay
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            threading.Thread(target=self._pipe, args=(client, upstream, self.delay)).start()
            threading.Thread(target=self._pipe, args=(upstream, client, 0.0)).start()

    @staticmethod
    def _pipe(source: socket.socket, target: socket.socket, delay: float) -> None:
        try:
            while data := source.recv(65536):
                if delay:
                    time.sleep(delay)
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.server.close()


def _process_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def bench_s3(n: int, latency_n: int, latency_ms: float) -> None:
    import boto3

    # moto in a process of its own: in this one it would share a GIL with the latency proxy
    # and measure the stand-in's limits rather than the ETL's
    port = free_port()
    moto = Path(sys.executable).with_name("moto_server")
    server = subprocess.Popen(
        [str(moto), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            break
        if time.monotonic() > deadline or server.poll() is not None:
            raise RuntimeError("moto_server did not start")
        time.sleep(0.1)
    endpoint = f"http://127.0.0.1:{port}"
    os.environ.update(
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_ENDPOINT_URL=endpoint,
    )
    try:
        client = boto3.client("s3", endpoint_url=endpoint)
        if n:
            client.create_bucket(Bucket="bench")
            objects = generate(n)
            with ThreadPoolExecutor(16) as pool:
                list(
                    pool.map(
                        lambda kv: client.put_object(
                            Bucket="bench", Key=f"raw/{kv[0]}", Body=kv[1]
                        ),
                        objects.items(),
                    )
                )
            parallel = measure("tglake", "s3://bench/raw", "s3://bench/enriched", 0)
            serial = measure("tglake", "s3://bench/raw", "s3://bench/enriched-serial", 1)
            print(f"S3 protocol server on loopback (moto), {n:,} updates")
            print(line("tglake, parallel reads", parallel))
            print(line("tglake, one object at a time", serial))
            speedup = serial["seconds"] / parallel["seconds"]
            print(f"  parallel / one-by-one speed-up: {speedup:.1f}x")
        if latency_n:
            proxy = LatencyProxy(port, latency_ms / 1000)
            os.environ["AWS_ENDPOINT_URL"] = f"http://127.0.0.1:{proxy.port}"
            client.create_bucket(Bucket="latency")
            some = list(generate(latency_n).items())
            with ThreadPoolExecutor(16) as pool:
                list(
                    pool.map(
                        lambda kv: client.put_object(
                            Bucket="latency", Key=f"raw/{kv[0]}", Body=kv[1]
                        ),
                        some,
                    )
                )
            moto_cpu = _process_cpu(server.pid)
            parallel = measure("tglake", "s3://latency/raw", "s3://latency/enriched", 0)
            parallel["server_cpu"] = _process_cpu(server.pid) - moto_cpu
            wide = measure("tglake", "s3://latency/raw", "s3://latency/enriched-64", 64)
            moto_cpu = _process_cpu(server.pid)
            serial = measure("tglake", "s3://latency/raw", "s3://latency/enriched-serial", 1)
            serial["server_cpu"] = _process_cpu(server.pid) - moto_cpu
            proxy.close()
            print(f"the same behind a proxy adding {latency_ms:.0f} ms per request, {latency_n:,}")
            print(line("tglake etl, parallel reads (default)", parallel))
            print(line("tglake etl, 64 parallel reads", wide))
            print(line("tglake etl, one object at a time", serial))
            speedup = serial["seconds"] / parallel["seconds"]
            print(f"  parallel / one-by-one speed-up: {speedup:.1f}x (64 reads: "
                  f"{serial['seconds'] / wide['seconds']:.1f}x)")  # fmt: skip
            for label, r in (("parallel", parallel), ("one by one", serial)):
                print(
                    f"  {label}: ETL process tree {r['cpu_seconds']:.1f} CPU-s, S3 stand-in "
                    f"(moto) {r['server_cpu']:.1f} CPU-s, over {r['seconds']:.1f} s"
                )
    finally:
        server.terminate()
        server.wait(timeout=15)


def compare_to_floor(root: Path, updates: int, rounds: int) -> None:
    """The lean floor and tglake on the same raw day, interleaved ``rounds`` times; each
    round's ratio compares runs seconds apart. Wall-clock ratio first; the CPU ratio (CPU
    seconds of the whole process tree) is the one least moved by other load on the machine."""
    day = root / f"day-{updates}"
    started = time.perf_counter()
    write_local(day, generate(updates))
    print(f"{updates:,} updates/day: generated in {time.perf_counter() - started:.1f} s")
    walls, cpus, peaks = [], [], []
    for round_ in range(rounds):
        floor = measure("floor", str(day), str(root / "unused"))
        ours = measure("tglake", str(day), str(root / f"enriched-{updates}-{round_}"))
        walls.append(ours["seconds"] / floor["seconds"])
        cpus.append(ours["cpu_seconds"] / floor["cpu_seconds"])
        peaks.append(ours["tree_peak_mb"])
        print(line(f"round {round_ + 1} lean floor", floor))
        print(line(f"round {round_ + 1} tglake (all tables)", ours))
    print(
        f"  ratio tglake / floor at {updates:,}: time {median_spread(walls)}×, "
        f"CPU {median_spread(cpus)}×; tglake peak memory, whole process tree: "
        f"{max(peaks):.0f} MB"
    )
    shutil.rmtree(day)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes", default="100000", help="updates/day to compare with the floor (comma list)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="interleaved floor/tglake rounds")
    parser.add_argument("--naive-updates", type=int, default=5_000, help="0 skips it")
    parser.add_argument("--s3-updates", type=int, default=5_000, help="0 skips S3")
    parser.add_argument("--latency-updates", type=int, default=2_000, help="0 skips it")
    parser.add_argument("--latency-ms", type=float, default=30.0)
    parser.add_argument("--quick", action="store_true", help="20,000 updates, 1 round, small S3")
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.rounds, args.naive_updates = "20000", 1, 0
        args.s3_updates, args.latency_updates = 1_000, 500
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    with tempfile.TemporaryDirectory(prefix="tglake-bench-") as tmp:
        root = Path(tmp)
        for size in (int(s) for s in args.sizes.split(",") if int(s)):
            compare_to_floor(root, size, args.rounds)
        if args.naive_updates:
            write_local(root / "small", generate(args.naive_updates))
            ours = measure("tglake", str(root / "small"), str(root / "small-enriched"))
            naive = measure("naive", str(root / "small"), str(root / "unused"))
            print(line("tglake (small day)", ours))
            print(line("naive: one file, concat_tables", naive))
            speedup = naive["seconds"] / ours["seconds"]
            print(f"  tglake / naive speed-up on the small day: {speedup:.1f}x")
    if args.s3_updates or args.latency_updates:
        bench_s3(args.s3_updates, args.latency_updates, args.latency_ms)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
    else:
        sys.path.insert(0, str(Path(__file__).parent))
        from _common import median_spread

        main()
