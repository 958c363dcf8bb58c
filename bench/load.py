"""Load: 100,000 updates at 64 connections to a real `tglake serve`, 10% of them delivered twice,
then the ETL, and the proof that nothing was lost or doubled: every 200 is a stored object with
the exact bytes posted, and enriched rows (+ unknown kinds) = distinct updates.

    .venv/bin/python bench/load.py --updates 100000 --concurrency 64
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _common import machine, print_ingest

from tglake.demo.load import run_load


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--updates", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--redelivered", type=float, default=0.10, help="share delivered twice")
    parser.add_argument("--no-bot", action="store_true", help="serve without the bot's replies")
    args = parser.parse_args()
    print(f"machine       {machine()}")
    print("server        tglake serve " + ("--no-bot" if args.no_bot else "(the bot answers)"))
    with tempfile.TemporaryDirectory(prefix="tglake-load-") as folder:
        result = run_load(
            Path(folder), updates=args.updates, concurrency=args.concurrency,
            redelivery_rate=args.redelivered, bot=not args.no_bot,
        )  # fmt: skip
    print_ingest(result, args.concurrency)
    if result.etl is None:
        print("etl           not in this build: rows not checked")
    else:
        etl = result.etl
        print(
            f"etl           {etl.updates_read:,} raw objects read in {etl.seconds:.1f} s, "
            f"{etl.duplicates_dropped:,} duplicates dropped, {etl.rejects} rejects"
        )
        print(
            f"rows          {etl.rows}; one-per-update rows {etl.update_rows:,} + unknown kinds "
            f"{etl.unknown_kinds:,} = {etl.accounted:,} vs {result.distinct:,} distinct updates"
        )
    print("verdict       " + ("nothing lost, nothing doubled" if result.nothing_lost else "FAILED"))
    return 0 if result.nothing_lost else 1


if __name__ == "__main__":
    sys.exit(main())
