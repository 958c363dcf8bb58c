"""A load run against the real ``tglake serve``: many updates, many connections, redeliveries,
then proof that nothing was lost: every 200 is a stored object holding the exact bytes posted,
and (once the ETL exists) the enriched rows equal the distinct updates.

Used by ``bench/load.py`` and ``bench/ingest.py`` at full size, and by the tests at a small one.
"""

from __future__ import annotations

import dataclasses
import secrets
import sys
from collections.abc import Callable
from pathlib import Path

from tglake import layout
from tglake.config import Settings
from tglake.demo.candidates import load_candidates
from tglake.demo.pipeline import EtlTotals, etl_all_days
from tglake.demo.player import Player, PlayStats
from tglake.demo.server import free_port, spawn_server
from tglake.demo.simulate import SimConfig, simulate
from tglake.storage import LocalStore


@dataclasses.dataclass
class LoadResult:
    play: PlayStats
    distinct: int
    redeliveries: int
    stored: int
    unacknowledged_stored: int
    missing: list[int]
    mismatched: list[int]
    etl: EtlTotals | None = None
    """None when the ETL is not in this build (or was not asked for)."""

    @property
    def nothing_lost(self) -> bool:
        """Every delivery acknowledged, every acknowledged update stored with its exact bytes,
        and (with the ETL) one enriched row or unknown-kind count per distinct update."""
        stored_ok = not self.missing and not self.mismatched and self.play.failed == 0
        return stored_ok and (self.etl is None or self.etl.accounted == self.distinct)


def serve_command(port: int, lake: Path, *, bot: bool = True) -> list[str]:
    """The production server, exactly as an operator starts it (``bot=False``: --no-bot)."""
    command = [sys.executable, "-m", "tglake", "serve", "--port", str(port), "--lake", str(lake)]
    return command if bot else [*command, "--no-bot"]


def stored_bodies(raw: LocalStore) -> dict[int, list[bytes]]:
    """Every raw object by update_id (a redelivery after midnight makes two)."""
    found: dict[int, list[bytes]] = {}
    for key in raw.list(f"{layout.RAW_SOURCE}/"):
        parsed = layout.parse_raw_key(key)
        if parsed is not None:
            found.setdefault(parsed.update_id, []).append(raw.get(key))
    return found


def run_load(
    workdir: Path,
    *,
    updates: int,
    concurrency: int,
    redelivery_rate: float = 0.10,
    seed: int = 2024,
    run_etl: bool = True,
    bot: bool = True,
    on_done: Callable[[int], None] | None = None,
) -> LoadResult:
    """Post ``updates`` distinct updates (plus redeliveries) to a fresh ``tglake serve``."""
    config = SimConfig(days=1, updates_per_day=updates, seed=seed, redelivery_rate=redelivery_rate)
    deliveries = simulate(load_candidates(), config)
    lake = workdir / "lake"
    secret = secrets.token_urlsafe(32)
    env = {"PATH": "/usr/bin:/bin", "TGLAKE_WEBHOOK_SECRET": secret}
    port = free_port()
    command = serve_command(port, lake, bot=bot)
    with spawn_server(command, env, port, workdir / "serve.log", cwd=workdir) as url:
        player = Player(f"{url}/webhook", secret=secret, concurrency=concurrency)
        play = player.play_sync(deliveries, (lambda d, s: on_done(1)) if on_done else None)
    posted = {d.update_id: d.body for d in deliveries}
    stored = stored_bodies(LocalStore(lake / "raw"))
    result = LoadResult(
        play=play,
        distinct=len(posted),
        redeliveries=len(deliveries) - len(posted),
        stored=sum(len(bodies) for bodies in stored.values()),
        unacknowledged_stored=len(set(stored) - play.acknowledged),
        missing=sorted(play.acknowledged - set(stored)),
        mismatched=sorted(i for i, bodies in stored.items() if set(bodies) != {posted.get(i)}),
    )
    if run_etl:
        result.etl = etl_all_days(Settings(lake=str(lake)))
    return result
