"""Ingestion throughput of `tglake serve`: N distinct updates at a given concurrency, over real
HTTP on loopback, then a check that every 200 is backed by a stored object with the exact bytes.

    .venv/bin/python bench/ingest.py --updates 20000 --concurrency 64
    .venv/bin/python bench/ingest.py --wrk --seconds 10 --concurrency 64   # needs wrk (apt)

The wrk mode posts a realistic mix (``wrk_mix.lua``: 85% group chatter the bot ignores, 15%
commands and private questions it answers; a fresh update_id each time) to three servers in
turn, interleaved and repeated: the floor (``floor_webhook.py``), ``tglake serve`` with the bot
on, and ``tglake serve --no-bot``; it prints each as a ratio to the floor of the same round and
counts the stored files behind the 2xx.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _common import machine, median, median_spread, print_ingest

from tglake.demo.load import run_load, serve_command, stored_bodies
from tglake.demo.server import free_port, wait_ready
from tglake.storage import LocalStore

WRK_SCRIPT = Path(__file__).with_name("wrk_mix.lua")
FLOOR_APP = Path(__file__).with_name("floor_webhook.py")
SERVERS = ("floor", "tglake serve (bot on)", "tglake serve --no-bot")


@dataclasses.dataclass
class WrkRun:
    ok: int
    per_second: float
    p50_ms: float
    p99_ms: float
    replies: int
    cpu_us: float
    """Server CPU time (user + system) per 2xx, in microseconds: far less noisy than
    throughput on a shared machine."""


def _ms(text: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if found is None:
        raise ValueError(f"wrk latency not understood: {text!r}")
    value, unit = found.groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclasses.dataclass
class Server:
    name: str
    url: str
    pid: int
    lake: Path
    secret: str
    runs: int = 0

    def stored(self) -> int:
        if self.name == "floor":
            return sum(1 for p in self.lake.iterdir() if p.suffix == ".json")
        return sum(len(b) for b in stored_bodies(LocalStore(self.lake / "raw")).values())


@contextlib.contextmanager
def start(name: str, workdir: Path) -> Iterator[Server]:
    """One server of ``SERVERS`` as a child process with a fresh lake (stopped at the end)."""
    lake, secret, port = workdir / name.replace(" ", "_"), secrets.token_urlsafe(32), free_port()
    env = {"PATH": "/usr/bin:/bin", "TGLAKE_WEBHOOK_SECRET": secret}
    if name == "floor":
        command = [sys.executable, str(FLOOR_APP), "--port", str(port), "--folder", str(lake)]
    else:
        command = serve_command(port, lake, bot="--no-bot" not in name)
    with (workdir / f"{lake.name}.log").open("ab") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=log, cwd=workdir)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url, process)
        yield Server(name, url, process.pid, lake, secret)
    finally:
        process.terminate()
        process.wait(timeout=15)


def wrk_once(server: Server, seconds: int, concurrency: int, threads: int) -> WrkRun:
    """One wrk run of the mix against a running server, with its CPU time."""
    server.runs += 1
    wrk = [shutil.which("wrk") or "wrk", "-t", str(threads), "-c", str(concurrency)]
    cpu = _cpu_seconds(server.pid)
    out = subprocess.run(
        [*wrk, "-d", f"{seconds}s", "--latency", "-s", str(WRK_SCRIPT),
         f"{server.url}/webhook", "--", server.secret, str(server.runs)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    cpu = _cpu_seconds(server.pid) - cpu

    def find(pattern: str) -> str:
        found = re.search(pattern, out, re.M)
        if found is None:
            raise ValueError(f"wrk output without {pattern!r}")
        return found.group(1)

    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    ok = int(find(r"(\d+) requests in")) - (int(bad.group(1)) if bad else 0)
    return WrkRun(
        ok=ok,
        per_second=float(find(r"Requests/sec:\s+([\d.]+)")),
        p50_ms=_ms(find(r"^\s+50%\s+(\S+)")),
        p99_ms=_ms(find(r"^\s+99%\s+(\S+)")),
        replies=int(find(r"bot replies: (\d+)")),
        cpu_us=cpu / max(ok, 1) * 1e6,
    )


def run_wrk(seconds: int, concurrency: int, threads: int, rounds: int, base: str | None) -> int:
    """The three servers run side by side; wrk drives them in turn (floor, bot on, --no-bot,
    floor, …) ``rounds`` times, so each round's ratio compares runs seconds apart. Reported:
    median (min–max) over the rounds. Then every 2xx is checked against the stored files."""
    if shutil.which("wrk") is None:
        print("wrk is not installed (Debian: apt-get install -y wrk)")
        return 1
    print(
        f"load          {WRK_SCRIPT.name}: 85% group chatter, 15% commands and private "
        f"questions; {concurrency} connections, {seconds:g} s per run, {rounds} rounds"
    )
    runs: dict[str, list[WrkRun]] = {s: [] for s in SERVERS}
    with (
        tempfile.TemporaryDirectory(prefix="tglake-bench-", dir=base) as folder,
        contextlib.ExitStack() as stack,
    ):
        servers = [stack.enter_context(start(name, Path(folder))) for name in SERVERS]
        for server in servers:  # warm up: imports, first files of the day's folder
            wrk_once(server, 1, concurrency, threads)
        warm = {server.name: server.stored() for server in servers}
        for round_ in range(rounds):
            for server in servers:
                run = wrk_once(server, seconds, concurrency, threads)
                runs[server.name].append(run)
                print(
                    f"  round {round_ + 1} {server.name:<24} {run.per_second:>7,.0f}/s  p50 "
                    f"{run.p50_ms:5.1f} ms  p99 {run.p99_ms:6.1f} ms  {run.cpu_us:4.0f} CPU-µs/upd"
                    f"  2xx {run.ok:,}  bot replies {run.replies:,}"
                )
        backed = True
        for server in servers:
            ok = sum(r.ok for r in runs[server.name])
            stored = server.stored() - warm[server.name]
            backed &= ok <= stored  # every 2xx is a stored file
            print(
                f"stored        {server.name:<24} {ok:,} 2xx, {stored:,} files ({stored - ok:,} "
                "stored without a counted 2xx: cut off by wrk's stop or timed out)"
            )
    floor = runs["floor"]
    for name in SERVERS[1:]:
        pairs = list(zip(runs[name], floor, strict=True))
        through = [r.per_second / f.per_second for r, f in pairs]
        p99 = [r.p99_ms / f.p99_ms for r, f in pairs]
        cpu = [f.cpu_us / r.cpu_us for r, f in pairs]
        print(
            f"ratio         {name:<24} throughput {median_spread(through)}× the floor, p99 "
            f"{median_spread(p99)}× the floor's; CPU efficiency {median_spread(cpu)}×"
        )
    print(
        f"absolute      floor median {median([r.per_second for r in floor]):,.0f}/s, p99 "
        f"{median([r.p99_ms for r in floor]):.1f} ms, "
        f"{median([r.cpu_us for r in floor]):.0f} CPU-µs/update"
    )
    print(f"stored        every 2xx backed by a stored file: {'yes' if backed else 'NO'}")
    return 0 if backed else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--updates", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--wrk", action="store_true", help="drive the server with wrk instead")
    parser.add_argument("--seconds", type=int, default=3, help="wrk mode: one run")
    parser.add_argument("--rounds", type=int, default=7, help="wrk mode: interleaved rounds")
    parser.add_argument(
        "--tmpfs",
        action="store_true",
        help="wrk mode: lakes in /dev/shm (the software alone, without the shared disk)",
    )
    parser.add_argument("--quick", action="store_true", help="wrk mode: 3 rounds of 2 s")
    parser.add_argument("--threads", type=int, default=2, help="wrk mode: threads")
    parser.add_argument("--no-bot", action="store_true", help="serve without the bot's replies")
    args = parser.parse_args()
    print(f"machine       {machine()}")
    if args.wrk:
        if args.quick:
            args.rounds, args.seconds = 3, 2
        base = "/dev/shm" if args.tmpfs else None
        return run_wrk(args.seconds, args.concurrency, args.threads, args.rounds, base)
    print("server        tglake serve " + ("--no-bot" if args.no_bot else "(bot on)"))
    with tempfile.TemporaryDirectory(prefix="tglake-bench-") as folder:
        result = run_load(
            Path(folder), updates=args.updates, concurrency=args.concurrency,
            redelivery_rate=0.0, run_etl=False, bot=not args.no_bot,
        )  # fmt: skip
    print_ingest(result, args.concurrency)
    return 0 if result.nothing_lost else 1


if __name__ == "__main__":
    sys.exit(main())
