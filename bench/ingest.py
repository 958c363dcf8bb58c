"""Ingestion throughput of `tglake serve`: N distinct updates at a given concurrency, over real
HTTP on loopback, then a check that every 200 is backed by a stored object with the exact bytes.

    .venv/bin/python bench/ingest.py --updates 20000 --concurrency 64
    .venv/bin/python bench/ingest.py --wrk --seconds 10 --concurrency 64   # needs wrk (apt)

The wrk mode posts a fixed message whose update_id a Lua script varies per request (a fixed id
would measure only the duplicate path), then counts the stored objects.
"""

from __future__ import annotations

import argparse
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _common import machine, print_ingest

from tglake.demo.load import run_load, serve_command, stored_bodies
from tglake.demo.server import free_port, spawn_server
from tglake.storage import LocalStore

WRK_SCRIPT = Path(__file__).with_name("wrk_post_update.lua")


def run_wrk(seconds: int, concurrency: int, threads: int, *, bot: bool) -> int:
    wrk = shutil.which("wrk")
    if wrk is None:
        print("wrk is not installed (Debian: apt-get install -y wrk)")
        return 1
    with tempfile.TemporaryDirectory(prefix="tglake-bench-") as folder:
        workdir = Path(folder)
        lake, secret, port = workdir / "lake", secrets.token_urlsafe(32), free_port()
        env = {"PATH": "/usr/bin:/bin", "TGLAKE_WEBHOOK_SECRET": secret}
        command = serve_command(port, lake, bot=bot)
        with spawn_server(command, env, port, workdir / "serve.log", cwd=workdir) as url:
            out = subprocess.run(
                [wrk, "-t", str(threads), "-c", str(concurrency), "-d", f"{seconds}s",
                 "--latency", "-s", str(WRK_SCRIPT), f"{url}/webhook", "--", secret],
                capture_output=True, text=True, check=True,
            ).stdout  # fmt: skip
        print(out.replace(secret, "**********"))
        done = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
        bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        ok = done - (int(bad.group(1)) if bad else 0)
        stored = sum(len(b) for b in stored_bodies(LocalStore(lake / "raw")).values())
        print(
            f"wrk           {ok:,} answered 2xx; raw zone holds {stored:,} objects "
            f"(at most {concurrency} more than the 2xx: requests cut off by wrk's stop)"
        )
        return 0 if ok <= stored <= ok + concurrency else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--updates", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--wrk", action="store_true", help="drive the server with wrk instead")
    parser.add_argument("--seconds", type=int, default=10, help="wrk mode: duration")
    parser.add_argument("--threads", type=int, default=2, help="wrk mode: threads")
    parser.add_argument("--no-bot", action="store_true", help="serve without the bot's replies")
    args = parser.parse_args()
    print(f"machine       {machine()}")
    print("server        tglake serve " + ("--no-bot" if args.no_bot else "(the bot answers)"))
    if args.wrk:
        return run_wrk(args.seconds, args.concurrency, args.threads, bot=not args.no_bot)
    with tempfile.TemporaryDirectory(prefix="tglake-bench-") as folder:
        result = run_load(
            Path(folder), updates=args.updates, concurrency=args.concurrency,
            redelivery_rate=0.0, run_etl=False, bot=not args.no_bot,
        )  # fmt: skip
    print_ingest(result, args.concurrency)
    return 0 if result.nothing_lost else 1


if __name__ == "__main__":
    sys.exit(main())
