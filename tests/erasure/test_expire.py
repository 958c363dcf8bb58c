"""``tglake expire --raw-older-than DAYS``: raw days past retention go; the rest stays."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tglake import layout
from tglake.cli import main_group
from tglake.cli.context import run_guarded
from tglake.layout import context_date
from tglake.storage import LocalStore


def test_expire_deletes_raw_days_past_retention_and_keeps_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN raw days 10 and 2 days ago (updates, bot events, a rejected entry), an audit
    # record, the poller's offset and an enriched file
    lake = tmp_path / "lake"
    raw, enriched = LocalStore(lake / "raw"), LocalStore(lake / "enriched")
    today = context_date(dt.datetime.now(dt.UTC), ZoneInfo("America/Sao_Paulo"))
    old, recent = today - dt.timedelta(days=10), today - dt.timedelta(days=2)
    for day in (old, recent):
        raw.put(layout.raw_key(day, 1), b'{"update_id":1}')
        raw.put(layout.raw_key(day, 1, source=layout.BOT_SOURCE), b'{"update_id":1}')
    raw.put(layout.poll_rejected_key(old, "0" * 12), b"[]")
    kept = ["_erasures/x.json", layout.POLL_OFFSET_KEY]
    for key in kept:
        raw.put(key, b"{}")
    enriched.put(f"telegram/messages/context_date={old}/data.parquet", b"PAR1")

    # WHEN a dry run, then the real one, with a 7-day retention
    dry = run_guarded(
        main_group, ["expire", "--raw-older-than", "7", "--dry-run", "--lake", str(lake)]
    )
    said = capsys.readouterr().out
    before = sorted(raw.list(""))
    code = run_guarded(main_group, ["expire", "--raw-older-than", "7", "--lake", str(lake)])
    done = capsys.readouterr().out

    # THEN the dry run counted and kept; the run deleted only the old day's three objects
    assert (dry, code) == (0, 0)
    cutoff = today - dt.timedelta(days=7)
    assert said == f"3 raw object(s) of 1 day(s) before {cutoff} would be deleted ({old} … {old})\n"
    assert done == f"3 raw object(s) of 1 day(s) before {cutoff} deleted ({old} … {old})\n"
    assert len(before) == 7
    assert sorted(raw.list("")) == sorted([
        *kept, layout.raw_key(recent, 1), layout.raw_key(recent, 1, source=layout.BOT_SOURCE)
    ])  # fmt: skip
    assert list(enriched.list("")) == [f"telegram/messages/context_date={old}/data.parquet"]
