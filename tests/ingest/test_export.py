"""``import_export``: a Telegram Desktop export into the raw zone, whole or not at all."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from tests import export_shapes as xs
from tglake import layout
from tglake.adapters.s3_store import S3Store
from tglake.config import Settings
from tglake.errors import InvalidExportError, StorageUnavailableError
from tglake.ingest import export
from tglake.storage import LocalStore, ObjectStore


def settings(lake: Path, **env: str) -> Settings:
    return Settings.from_env({"TGLAKE_LAKE": str(lake), **env})


def keys(store: ObjectStore) -> list[str]:
    return list(store.list(""))


def test_a_single_chat_export_is_kept_byte_for_byte_with_its_manifest(
    tmp_path: Path, lake: Path
) -> None:
    path = xs.write(tmp_path / "ChatExport_2024-09-01", xs.single_chat())
    raw = LocalStore(lake / "raw")
    report = export.import_export(path.parent, settings=settings(lake), raw=raw)
    digest = export.file_digest(path)
    assert raw.get(layout.export_file_key(digest)) == path.read_bytes()
    manifest = json.loads(raw.get(layout.export_manifest_key(digest)))
    assert manifest["kind"] == "single_chat"
    assert manifest["original_stored"] is True
    assert manifest["days"] == {"2024-08-16": 15, "2024-08-17": 1}
    assert manifest["undated_messages"] == 1  # {"id": 17, "type": "unsupported"}
    [chat] = manifest["chats"]
    assert chat == {
        "export_type": "public_supergroup",
        "export_id": xs.SUPERGROUP_ID,
        "chat_type": "supergroup",
        "chat_id": xs.BOT_API_SUPERGROUP,
        "title": "Grupo Mogi 2024",
        "messages": 12,
        "service_messages": 4,
        "first_date": "2024-08-16T11:00:00Z",
        "last_date": "2024-08-17T03:30:00Z",
        "skipped": None,
    }
    assert report.kept == 16
    lines = raw.get(layout.export_slice_key(xs.at(17, 0).date(), digest)).splitlines()
    assert [json.loads(line)["message"]["id"] for line in lines] == [16]


def test_the_day_of_a_message_comes_from_date_unixtime_not_the_local_date(
    tmp_path: Path, lake: Path
) -> None:
    # GIVEN a message written by a machine in Moscow (UTC+3): its local "date" says 17 August,
    # while in São Paulo (the lake's zone) it was sent at 23:30 on the 16th
    when = xs.at(16, 23, 30)
    body = xs.message(1, when, 1001, "Ana Souza", text="boa noite")
    body["date"] = (
        when.astimezone(xs.dt.timezone(xs.dt.timedelta(hours=3))).replace(tzinfo=None).isoformat()
    )
    assert body["date"].startswith("2024-08-17")
    path = xs.write(tmp_path / "e", xs.single_chat([body]))
    report = export.import_export(path, settings=settings(lake), raw=LocalStore(lake / "raw"))
    assert report.days == {"2024-08-16": 1}


def test_an_export_without_date_unixtime_is_placed_by_its_local_date_and_says_so(
    tmp_path: Path, lake: Path
) -> None:
    body = xs.message(1, xs.at(16, 9), 1001, "Ana Souza", text="export antigo")
    del body["date_unixtime"]
    path = xs.write(tmp_path / "e", xs.single_chat([body]))
    report = export.import_export(path, settings=settings(lake), raw=LocalStore(lake / "raw"))
    assert report.days == {"2024-08-16": 1}
    assert report.local_dates == 1


def test_importing_the_same_file_twice_stores_nothing_new(tmp_path: Path, lake: Path) -> None:
    path = xs.write(tmp_path / "e", xs.single_chat())
    raw = LocalStore(lake / "raw")
    export.import_export(path, settings=settings(lake), raw=raw)
    before = {k: raw.get(k) for k in keys(raw)}
    again = export.import_export(path, settings=settings(lake), raw=raw)
    assert again.already_imported
    assert again.kept == 16
    assert {k: raw.get(k) for k in keys(raw)} == before


def test_a_full_account_export_reads_every_chat_type_and_the_left_chats(
    tmp_path: Path, lake: Path
) -> None:
    path = xs.write(tmp_path / "DataExport_2024-09-01", xs.full_account())
    report = export.import_export(path, settings=settings(lake), raw=LocalStore(lake / "raw"))
    assert report.kind == "full_account"
    assert [(c.export_type, c.chat_type, c.chat_id, c.messages) for c in report.chats] == [
        ("personal_chat", "private", None, 1),
        ("bot_chat", "private", None, 2),
        ("saved_messages", "private", None, 1),
        ("private_group", "group", -555, 1),
        ("private_supergroup", "supergroup", -1001400000003, 1),
        ("private_channel", "channel", -1001500000001, 1),
        ("public_supergroup", "supergroup", xs.BOT_API_SUPERGROUP, 1),
        ("public_channel", "channel", -1001600000002, 1),
    ]
    # private chats are people: their names stay out of the manifest
    assert [c.title for c in report.chats if c.chat_type == "private"] == [None, None, None]


def test_it_works_on_s3(tmp_path: Path, s3_bucket: tuple[str, Any]) -> None:
    bucket, client = s3_bucket
    raw = S3Store(f"s3://{bucket}/raw", client=client)
    path = xs.write(tmp_path / "e", xs.single_chat())
    lake_settings = settings(tmp_path / "unused")
    report = export.import_export(path, settings=lake_settings, raw=raw)
    assert raw.get(layout.export_file_key(report.digest)) == path.read_bytes()
    assert export.import_export(path, settings=lake_settings, raw=raw).already_imported
    assert len(keys(raw)) == 6  # the file, the manifest, two days, two days still to rebuild


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (
            "<!DOCTYPE html>\n<html><head><title>Exported Data</title>",
            "messages.html",
            "messages.html is HTML; export again with format 'Machine-readable JSON'",
        ),
        (
            '{"update_id": 1, "message": {"text": "oi"}}',
            "update.json",
            "update.json holds no chat (a Telegram Desktop export has 'messages' or "
            "'chats.list'); nothing was imported",
        ),
        ("[1, 2, 3]", "list.json", "list.json is not a JSON object: not a Telegram Desktop export"),
    ],
)
def test_what_is_not_a_json_export_is_refused_and_nothing_is_stored(
    tmp_path: Path, lake: Path, content: str, name: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    raw = LocalStore(lake / "raw")
    with pytest.raises(InvalidExportError) as caught:
        export.import_export(path, settings=settings(lake), raw=raw)
    assert str(caught.value) == message
    assert keys(raw) == []


def test_an_html_export_folder_is_named_as_such(tmp_path: Path, lake: Path) -> None:
    folder = tmp_path / "ChatExport_2024-09-01"
    folder.mkdir()
    (folder / "messages.html").write_text("<html></html>", encoding="utf-8")
    with pytest.raises(InvalidExportError, match="holds an HTML export; export again"):
        export.import_export(folder, settings=settings(lake), raw=LocalStore(lake / "raw"))


def test_a_truncated_export_is_refused_and_nothing_is_stored(tmp_path: Path, lake: Path) -> None:
    whole = xs.write(tmp_path / "e", xs.single_chat()).read_bytes()
    path = tmp_path / "cut.json"
    path.write_bytes(whole[: len(whole) * 2 // 3])  # a download or a copy cut short
    raw = LocalStore(lake / "raw")
    with pytest.raises(InvalidExportError) as error:
        export.import_export(path, settings=settings(lake), raw=raw)
    # one line: yajl's caret diagram under the message is left out
    assert str(error.value) == (
        "cut.json is truncated or not valid JSON (parse error: premature EOF); nothing was imported"
    )
    assert keys(raw) == []


def test_an_export_nested_100000_levels_is_refused_in_memory_linear_in_the_file(
    tmp_path: Path, lake: Path
) -> None:
    # GIVEN a 200 kB file nested 100,000 levels deep (the import once took 23.9 GB on it:
    # ijson.parse builds each event's dotted prefix, as long as the nesting is deep)
    path = tmp_path / "deep.json"
    path.write_text('{"messages": [{"id": 1, "x": ' + "[" * 100_000 + "]" * 100_000 + "}]}")
    raw = LocalStore(lake / "raw")
    tracemalloc.start()
    try:
        with pytest.raises(InvalidExportError) as error:
            export.import_export(path, settings=settings(lake), raw=raw)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(error.value) == (
        "deep.json is nested deeper than 64 levels (a Telegram Desktop export is not); "
        "nothing was imported"
    )
    assert peak < 8 * 2**20  # the read buffers (1 MiB chunks); refused at level 65
    assert keys(raw) == []


def test_a_chat_the_allowlist_excludes_is_skipped_and_nothing_is_stored(
    tmp_path: Path, lake: Path
) -> None:
    path = xs.write(tmp_path / "e", xs.single_chat())
    raw = LocalStore(lake / "raw")
    only_other = settings(lake, TGLAKE_ALLOWED_CHAT_IDS="-1009999")
    report = export.import_export(path, settings=only_other, raw=raw)
    assert [c.skipped for c in report.chats] == ["allowlist"]
    assert report.kept == 0
    assert keys(raw) == []


def test_a_full_export_keeps_only_allowed_chats_and_not_the_original(
    tmp_path: Path, lake: Path
) -> None:
    path = xs.write(tmp_path / "e", xs.full_account())
    raw = LocalStore(lake / "raw")
    group = settings(lake, TGLAKE_ALLOWED_CHAT_IDS=str(xs.BOT_API_SUPERGROUP))
    report = export.import_export(path, settings=group, raw=raw)
    assert [c.chat_id for c in report.chats if not c.skipped] == [xs.BOT_API_SUPERGROUP]
    assert not report.original_stored
    assert layout.export_file_key(report.digest) not in keys(raw)
    [day_slice] = [k for k in keys(raw) if k.endswith(".jsonl")]
    assert [json.loads(line)["chat"]["id"] for line in raw.get(day_slice).splitlines()] == [
        xs.SUPERGROUP_ID
    ]


def test_a_failed_write_leaves_nothing_half_imported(tmp_path: Path, lake: Path) -> None:
    # GIVEN a lake where the manifest cannot be written (a file squats its folder's name)
    raw = LocalStore(lake / "raw")
    (lake / "raw" / "export").mkdir(parents=True)
    (lake / "raw" / "export" / "manifests").write_text("in the way")
    path = xs.write(tmp_path / "e", xs.single_chat())
    with pytest.raises(StorageUnavailableError):
        export.import_export(path, settings=settings(lake), raw=raw)
    # THEN the day slices written before the failure are gone again
    assert [k for k in keys(raw) if k.endswith(".jsonl")] == []


def test_a_large_export_is_read_with_bounded_memory(
    tmp_path: Path, lake: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export, "SPOOL_BYTES", 2**20)
    monkeypatch.setattr(export, "SMALL_FILE", 2**20)
    one = xs.message(1, xs.at(16, 9), 1001, "Ana Souza", text="texto de campanha " * 20)
    messages = [
        {**one, "id": i, "date_unixtime": str(int(xs.at(1 + i % 28, 9).timestamp()) + i)}
        for i in range(12_000)
    ]
    path = xs.write(tmp_path / "big", xs.single_chat(messages))
    size = path.stat().st_size
    assert size > 6 * 2**20
    seen: list[int] = []
    tracemalloc.start()
    try:
        report = export.import_export(
            path, settings=settings(lake), raw=LocalStore(lake / "raw"), progress=seen.append
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert report.kept == 12_000
    assert sum(seen) == 2 * size
    assert peak < size / 3, f"peak {peak} bytes for a {size}-byte file"
