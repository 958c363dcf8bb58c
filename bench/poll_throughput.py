"""How fast `tglake poll` moves updates from getUpdates into a folder lake.

Runs the fake Bot API server of the tests on loopback, queues N real-shaped updates and polls
them in batches of 100 (the Bot API's maximum), then polls the same batches again as if the
offset had been lost (every update a duplicate). Prints updates per second for both.

    python bench/poll_throughput.py [N]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fake_bot_api import TOKEN, running_fake_bot
from tests.helpers import load_fixture, update_fixture_names

from tglake import layout
from tglake.adapters.telegram_api import TelegramApi
from tglake.config import Secret, Settings
from tglake.ingest.poll import poll
from tglake.storage import LocalStore


def main(count: int) -> None:
    names = [n for n in update_fixture_names() if n != "unknown_kind"]
    updates = [
        {**load_fixture(names[i % len(names)]), "update_id": 1_000 + i} for i in range(count)
    ]
    with running_fake_bot() as fake, tempfile.TemporaryDirectory() as tmp:
        store = LocalStore(Path(tmp) / "raw")
        api = TelegramApi(fake.url, Secret(TOKEN))
        for label in ("new updates", "redelivered (duplicates)"):
            fake.reset()
            fake.queue(*updates)
            store.delete(layout.POLL_OFFSET_KEY)
            started = time.perf_counter()
            report = poll(api, store, Settings(), once=True)
            elapsed = time.perf_counter() - started
            print(
                f"poll {label}: {count} updates in {report.batches} batches, "
                f"{elapsed:.2f} s, {count / elapsed:,.0f} updates/s "
                f"({report.stored} stored, {report.duplicate} duplicate)"
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2_000)
