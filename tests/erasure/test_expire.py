"""``tglake expire --raw-older-than DAYS``: raw days past retention go; the rest stays."""

from __future__ import annotations

import datetime as dt
import json
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


def test_an_export_expires_by_the_days_it_covers_with_its_file_manifest_and_slices(
    tmp_path: Path,
) -> None:
    # GIVEN an imported export covering a day 10 days ago and one 2 days ago
    from tests import export_shapes as xs
    from tglake import etl
    from tglake.config import Settings
    from tglake.erasure.expire import expire_raw
    from tglake.ingest.export import import_export

    settings = Settings(lake=str(tmp_path / "lake"))
    raw, enriched = LocalStore(settings.raw_uri), LocalStore(settings.enriched_uri)
    now = dt.datetime.now(dt.UTC)
    today = context_date(now, settings.tz)
    old, recent = now - dt.timedelta(days=10), now - dt.timedelta(days=2)
    document = xs.single_chat([
        xs.message(1, old, 111, "Ana Velha", text="faz tempo"),
        xs.message(2, recent, 222, "Bia Nova", text="agora"),
    ])  # fmt: skip
    report = import_export(xs.write(tmp_path / "e", document), settings=settings, raw=raw)
    digest = report.digest
    old_day, recent_day = (context_date(t, settings.tz) for t in (old, recent))
    assert sorted(raw.list("export/")) == sorted([
        layout.export_file_key(digest), layout.export_manifest_key(digest),
        layout.export_slice_key(old_day, digest), layout.export_slice_key(recent_day, digest),
        layout.export_rebuild_key(old_day, digest), layout.export_rebuild_key(recent_day, digest),
    ])  # fmt: skip

    # WHEN raw data older than 7 days expires
    done = expire_raw(raw, today - dt.timedelta(days=7))

    # THEN the old day's slice, its rebuild marker and the original file (it holds that day)
    # go; the manifest stays for the recent slice, says the original expired, and the recent
    # day still builds (which clears its marker)
    assert (done.days, done.objects) == ([old_day], 3)
    assert sorted(raw.list("export/")) == sorted([
        layout.export_manifest_key(digest), layout.export_slice_key(recent_day, digest),
        layout.export_rebuild_key(recent_day, digest),
    ])  # fmt: skip
    manifest = json.loads(raw.get(layout.export_manifest_key(digest)))
    assert (manifest["original_stored"], manifest["original_expired"]) == (False, True)
    assert etl.run_day(recent_day, settings=settings, raw=raw, enriched=enriched).exported.rows == 1
    assert b"Ana Velha" not in b"".join(raw.get(k) for k in raw.list(""))

    # AND when the recent day expires too, the manifest goes with its last slice
    done = expire_raw(raw, today)
    assert (done.days, done.objects) == ([recent_day], 2)
    assert list(raw.list("export/")) == []
