"""``tglake forget``, end to end on a folder and on the S3 server: real updates posted to the real
webhook (bot on), the real ETL, ``tglake expire`` on an old day, then the CLI; afterwards no
byte of either zone holds the person, and everyone else's rows are as they were."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests import export_shapes as xs
from tests import people as p
from tests.adapters.lambda_chat import KEY as LAMBDA_KEY
from tests.adapters.lambda_chat import LambdaChat
from tests.helpers import free_port
from tglake.adapters.stores import open_store
from tglake.candidates.catalog import CandidateData
from tglake.cli import main_group
from tglake.cli.context import run_guarded
from tglake.config import Secret, Settings
from tglake.erasure import forget, redact
from tglake.erasure.expire import expire_raw
from tglake.errors import StorageUnavailableError
from tglake.etl.run import run_day
from tglake.ingest.export import import_export
from tglake.pseudonym import Pseudonymizer
from tglake.storage import LocalStore, ObjectStore

KEY = "forget-test-pseudonym-key-0123456789"
GODOFREDO = 7410000002
DAY0, DAY1, DAY2 = dt.date(2024, 9, 29), dt.date(2024, 10, 1), dt.date(2024, 10, 2)
OLD_WORDS = "o viaduto da Perimetral atrasou de novo"
HIS = ("7410000002", "Godofredo", "Anhanguera", "godo_anh", "ponte do Socorro sai", OLD_WORDS)
"""His id, names, username, and (ASCII, as JSON escapes the rest) the words he wrote."""
FORWARDS_OF_HIM = {900007, 900008, 900009}
"""Other people's messages that forward his words (one through a hidden-user forward)."""


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(15), dt.UTC)


def old_day() -> list[dict[str, Any]]:
    said = {"message_id": 5, "chat": p.GROUP, "date": p.DATE - 2 * 86400}
    return [
        {"update_id": 899990, "message": {**said, "from": p.GODOFREDO, "text": OLD_WORDS}},
        {"update_id": 899991, "message": {**said, "message_id": 6, "from": p.ZULMIRA,
                                          "text": "concordo"}},
    ]  # fmt: skip


def build_lake(lake: str, data: CandidateData) -> tuple[ObjectStore, ObjectStore]:
    """Three days through webhook and ETL; the oldest then expired from the raw zone."""
    settings = Settings(
        lake=lake, webhook_secret=Secret("forget-test-webhook-secret"), pseudonym_key=Secret(KEY)
    )
    raw, enriched = open_store(settings.raw_uri), open_store(settings.enriched_uri)
    updates = p.day_of_updates()
    timed = [(at(DAY0), u) for u in old_day()]
    timed += [(at(DAY1 if i < 15 else DAY2), u) for i, u in enumerate(updates)]
    p.post_all(settings, raw, data, timed)
    for day in (DAY0, DAY1, DAY2):
        run_day(day, settings=settings, raw=raw, enriched=enriched)
    assert expire_raw(raw, DAY1).days == [DAY0]
    return raw, enriched


def snapshot(store: ObjectStore) -> dict[str, bytes]:
    return {key: store.get(key) for key in store.list("")}


def readable(body: bytes) -> str:
    """A raw body as text with JSON's \\u escapes undone (Telegram escapes non-ASCII)."""
    try:
        return json.dumps(json.loads(body), ensure_ascii=False)
    except ValueError:
        return body.decode("utf-8", "replace")


def every_version(store: ObjectStore) -> dict[str, bytes]:
    """Every stored body, old versions of a versioned bucket included (key#version)."""
    client = getattr(store, "client", None)
    if client is None:
        return snapshot(store)
    bucket = store.bucket  # type: ignore[attr-defined]
    found = {}
    for page in client.get_paginator("list_object_versions").paginate(Bucket=bucket):
        for v in page.get("Versions", []):
            body = client.get_object(Bucket=bucket, Key=v["Key"], VersionId=v["VersionId"])
            found[f"{v['Key']}#{v['VersionId']}"] = body["Body"].read()
    return found


def materialize(files: dict[str, bytes], folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    for key, body in files.items():
        (folder / key).parent.mkdir(parents=True, exist_ok=True)
        (folder / key).write_bytes(body)
    return folder


def rows(folder: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    con = duckdb.connect()
    for path in sorted(folder.rglob("*.parquet")):
        table = path.relative_to(folder).parts[1]
        cursor = con.execute("SELECT * FROM read_parquet(?)", [str(path)])
        names = [d[0] for d in cursor.description]
        for row in cursor.fetchall():
            yield table, {"day": path.parent.name, **dict(zip(names, row, strict=True))}


def owner(row: dict[str, Any]) -> Any:
    """Whose row it is: its user_key, or the member's for a member change."""
    return row.get("member_user_key", row.get("user_key"))


def tglake(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = run_guarded(main_group, list(args))
    captured = capsys.readouterr()
    return code, captured.out if code == 0 else captured.out + captured.err


@pytest.fixture(params=["folder", "s3"])
def lake_uri(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    monkeypatch.setenv("TGLAKE_PSEUDONYM_KEY", KEY)
    if request.param == "folder":
        return str(tmp_path / "lake")
    bucket, client = request.getfixturevalue("s3_bucket")
    # versioned, as the SAM template's raw bucket: old bytes must not survive as old versions
    client.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    return f"s3://{bucket}/lake"


def test_forget_removes_every_trace_of_one_person_and_nothing_of_anyone_else(
    lake_uri: str, shipped: CandidateData, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # GIVEN three days of real traffic in which Godofredo writes, is replied to, forwarded,
    # @-mentioned, named as a channel post's author, acts as admin; the oldest day's raw expired
    raw, enriched = build_lake(lake_uri, shipped)
    his_key = Pseudonymizer(KEY.encode())(GODOFREDO)
    raw_before, enriched_before = snapshot(raw), snapshot(enriched)
    before = list(rows(materialize(enriched_before, tmp_path / "before")))
    assert any(owner(r) == his_key for _, r in before)
    assert any(r["day"] == f"context_date={DAY0}" and owner(r) == his_key for _, r in before)
    assert any(his in readable(body) for body in raw_before.values() for his in HIS)

    # WHEN a dry run, then the erasure, by username
    code, dry = tglake(capsys, "forget", "--username", "@godo_anh", "--dry-run", "--lake", lake_uri)
    assert code == 0, dry
    assert (snapshot(raw), snapshot(enriched)) == (raw_before, enriched_before)
    code, out = tglake(capsys, "forget", "--username", "godo_anh", "--lake", lake_uri)
    assert code == 0, out

    # THEN the dry run said what the erasure did
    lines = out.splitlines()
    assert lines[0] == f"user_key   {his_key}"
    assert "raw zone   4 object(s) deleted (theirs)" in lines
    assert "           9 object(s) rewritten (quoting them)" in lines
    assert f"enriched   days rebuilt: {DAY1}, {DAY2}" in lines
    assert f"           days without raw data, rows removed: {DAY0}" in lines
    assert "raw zone   4 object(s) would be deleted (theirs)" in dry
    assert f"           days without raw data, rows would be removed: {DAY0}" in dry
    assert dry.count("\ndelete     ") == 4
    assert "Dry run: nothing changed." in dry
    # no byte of the raw zone holds his id, names, username or words (JSON escapes undone),
    # nor any old version of an object in a versioned bucket
    raw_after = snapshot(raw)
    if lake_uri.startswith("s3://"):
        assert len(every_version(raw)) > len(raw_after)  # versions are kept...
    for key, body in every_version(raw).items():  # ...but none of his
        text = readable(body)
        assert [his for his in HIS if his in text] == [], key
    # the audit record: when, counts, days, user_key; never the id
    audits = [k for k in raw_after if k.startswith("_erasures/")]
    for key, body in every_version(enriched).items():  # old versions of Parquet files too
        if ".parquet" in key:
            values = pq.read_table(pa.BufferReader(body)).to_pylist()
            assert [r for r in values if his_key in r.values()] == [], key
    assert len(audits) == 1
    record = json.loads(raw_after[audits[0]])
    assert record["status"] == "done"
    assert record["user_key"] == his_key
    assert (record["raw_objects_deleted"], record["raw_objects_redacted"]) == (4, 9)
    assert record["days_rebuilt"] == [str(DAY1), str(DAY2)]
    assert record["enriched_only_days"] == [str(DAY0)]
    # the enriched zone: not his key, id, names or words in any value or file
    after_folder = materialize(snapshot(enriched), tmp_path / "after")
    people = p.People(ids={GODOFREDO}, names={"Godofredo", "Anhanguera", *HIS[4:]},
                      usernames={"godo_anh"})  # fmt: skip
    assert p.leaks(after_folder, people) == []
    after = list(rows(after_folder))
    assert [r for _, r in after if his_key in r.values()] == []
    # everyone else's rows are as they were, but for his key gone from them, his words gone
    # from the messages that forwarded them, and the hash of the raw objects rewritten
    rewritten = {int(line.rsplit("/", 1)[1][:-5]) for line in dry.splitlines()
                 if line.startswith("rewrite    ")}  # fmt: skip
    assert rewritten >= FORWARDS_OF_HIM

    def comparable(row: dict[str, Any]) -> dict[str, Any]:
        if row["update_id"] in rewritten:
            return {k: v for k, v in row.items() if k != "payload_hash"}
        return row

    expected = []
    for table, row in before:
        if owner(row) == his_key:
            continue
        row = {k: None if v == his_key else v for k, v in row.items()}
        if table == "messages" and row["update_id"] in FORWARDS_OF_HIM:
            row.update(text=redact.ERASED_TEXT, text_length=len(redact.ERASED_TEXT))
        expected.append((table, comparable(row)))
    assert len(expected) > 20
    got = [(table, comparable(row)) for table, row in after]
    assert sorted(got, key=repr) == sorted(expected, key=repr)

    # AND a second run, by id, finds nothing and changes nothing
    enriched_after = snapshot(enriched)
    code, again = tglake(capsys, "forget", "--user-id", str(GODOFREDO), "--lake", lake_uri)
    assert (code, again.splitlines()[-1]) == (
        0, "Nothing of this person is left in the lake: nothing changed."
    )  # fmt: skip
    assert (snapshot(raw), snapshot(enriched)) == (raw_after, enriched_after)
    code, gone = tglake(capsys, "forget", "--username", "godo_anh", "--lake", lake_uri)
    assert (code, gone) == (0, "No update in the raw zone has the username @godo_anh: nothing "
                               "to erase.\n")  # fmt: skip


class FailingOnce(LocalStore):
    """An enriched zone whose first Parquet write fails, as a disk or a network would."""

    failed = False

    def put_file(self, key: str, source: Path) -> None:
        if not self.failed:
            type(self).failed = True
            raise StorageUnavailableError(f"cannot write {key}: simulated outage")
        super().put_file(key, source)


def test_an_erasure_that_died_half_way_is_finished_by_the_next_run(
    tmp_path: Path, shipped: CandidateData
) -> None:
    # GIVEN a lake, and an erasure whose rebuild of the first day fails after the raw changes
    raw, _ = build_lake(str(tmp_path / "lake"), shipped)
    settings = Settings(lake=str(tmp_path / "lake"), pseudonym_key=Secret(KEY))
    broken = FailingOnce(tmp_path / "lake" / "enriched")
    with pytest.raises(StorageUnavailableError):
        forget(settings=settings, raw=raw, enriched=broken, user_id=GODOFREDO,
               open_store=open_store)  # fmt: skip
    his_key = Pseudonymizer(KEY.encode())(GODOFREDO)
    enriched = LocalStore(tmp_path / "lake" / "enriched")
    assert any(owner(r) == his_key for _, r in rows(tmp_path / "lake" / "enriched"))
    started = [json.loads(raw.get(k)) for k in raw.list("_erasures/")]
    assert [r["status"] for r in started] == ["started"]

    # WHEN it runs again: nothing left in the raw zone, but the record says which days
    report = forget(settings=settings, raw=raw, enriched=enriched, user_id=GODOFREDO,
                    open_store=open_store)  # fmt: skip

    # THEN those days are rebuilt, and both records say how it ended
    assert (report.deleted, report.redacted, report.days) == ([], [], [DAY1, DAY2])
    assert [r for _, r in rows(tmp_path / "lake" / "enriched") if owner(r) == his_key] == []
    records = {k: json.loads(raw.get(k)) for k in raw.list("_erasures/")}
    assert sorted(r["status"] for r in records.values()) == ["done", "finished"]
    first = next(r for r in records.values() if r["status"] == "finished")
    assert first["finished_by"] == report.audit_key
    assert forget(settings=settings, raw=raw, enriched=enriched, user_id=GODOFREDO,
                  open_store=open_store).changed is False  # fmt: skip


EXPORT_DAYS = [dt.date(2024, 8, 16), dt.date(2024, 8, 17)]
FULL_NAME = "Godofredo Anhanguera"


def godofredos_export() -> dict[str, Any]:
    """The group before the bot joined, as tdesktop exports it: Godofredo writes, acts, is
    @-mentioned, mentioned by name (``mention_name``), forwarded and listed as invited."""
    zul, z = p.ZULMIRA["id"], "Zulmira Quixabeira"
    return xs.single_chat([
        xs.message(1, xs.at(16, 10), GODOFREDO, FULL_NAME, text="ponte do Socorro sai"),
        xs.message(2, xs.at(16, 11), zul, z, text=["fala ", {"type": "mention",
                                                             "text": "@godo_anh"}, " tudo bem"]),
        xs.service(3, xs.at(16, 12), zul, z, "invite_members", members=[FULL_NAME]),
        xs.message(4, xs.at(17, 9), zul, z, text=[{"type": "mention_name", "text": "Godofredo",
                                                   "user_id": GODOFREDO}, " concordo"]),
        xs.message(5, xs.at(17, 10), zul, z, forwarded_from=FULL_NAME, text=OLD_WORDS),
        xs.service(6, xs.at(17, 11), GODOFREDO, FULL_NAME, "join_group_by_link"),
        xs.message(7, xs.at(17, 12), zul, z, text="bom dia a todos"),
    ])  # fmt: skip


def whole_lake(lake_uri: str) -> dict[str, bytes]:
    """Every body of every zone (raw, enriched, reference), old versions included."""
    if lake_uri.startswith("s3://"):  # the whole bucket, every version, keys from the lake
        every = every_version(open_store(lake_uri))
        return {k.removeprefix("lake/"): body for k, body in every.items()}
    found = {}
    for zone in ("raw", "enriched", "reference"):
        store = open_store(f"{lake_uri}/{zone}")
        found |= {f"{zone}/{k}": body for k, body in snapshot(store).items()}
    return found


def traces(files: dict[str, bytes], user_key: str) -> list[str]:
    """Where a byte of Godofredo is: his id, names, username or words (JSON escapes undone,
    Parquet values read), or his user_key in a key or a value (but for the audit record's)."""
    hits = []
    for key, body in files.items():
        if ".parquet" in key:
            values = pq.read_table(pa.BufferReader(body)).to_pylist()
            text = json.dumps(values, ensure_ascii=False, default=str)
        else:
            text = readable(body)
        # the audit record keeps his user_key, the keyed hash, and nothing else of him
        his = (*HIS, user_key) if not key.startswith("raw/_erasures/") else HIS
        hits += [f"{key}: {h}" for h in his if h in text or h in key]
    return hits


def test_forget_reaches_exports_bot_state_and_every_zone_and_a_full_rebuild_brings_none_back(
    lake_uri: str, shipped: CandidateData, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN a lake built with names kept: webhook traffic (the bot answering, so bot events),
    # Godofredo's group before the bot as an imported export, his profile and a conversation
    # context the bot keeps under reference/bot/
    settings = Settings(lake=lake_uri, webhook_secret=Secret("forget-test-webhook-secret"),
                        pseudonym_key=Secret(KEY), keep_names=True)  # fmt: skip
    raw, enriched = open_store(settings.raw_uri), open_store(settings.enriched_uri)
    updates = p.day_of_updates()
    p.post_all(settings, raw, shipped, [(at(DAY1 if i < 15 else DAY2), u) for i, u in
                                        enumerate(updates)])  # fmt: skip
    folder = Path(tempfile.mkdtemp(prefix="tglake-forget-export-"))
    import_export(xs.write(folder, godofredos_export()), settings=settings, raw=raw)
    days = [*EXPORT_DAYS, DAY1, DAY2]
    for day in days:
        run_day(day, settings=settings, raw=raw, enriched=enriched)
    his_key = Pseudonymizer(KEY.encode())(GODOFREDO)
    reference = open_store(f"{lake_uri}/reference")
    reference.put(f"bot/profiles/{his_key}.json", b'{"bairro": "Socorro"}')
    reference.put(f"bot/context/{his_key}.json", b'{"last": "ponte do Socorro sai"}')
    reference.put("bot/context/someone-else.json", b"{}")
    before = traces(whole_lake(lake_uri), his_key)
    assert [h for h in before if h.startswith("raw/export/files/")]
    assert [h for h in before if h.startswith("raw/export/context_date=")]
    assert [h for h in before if h.startswith("reference/bot/")]

    # WHEN he is forgotten by @username (the lake remembers it keeps names; no flag given)
    code, out = tglake(capsys, "forget", "--username", "godo_anh", "--lake", lake_uri)
    assert code == 0, out

    # THEN the export's days were rebuilt with the rest, and the bot's state of him erased
    assert f"enriched   days rebuilt: {', '.join(map(str, days))}" in out.splitlines()
    assert "other      bot_state: 2 object(s) erased" in out.splitlines()
    assert list(reference.list("bot/")) == ["bot/context/someone-else.json"]
    # no byte of any zone holds him, old versions included
    assert traces(whole_lake(lake_uri), his_key) == []
    # other people's names are still kept (in the rebuilt export days too)
    kept = {r["user_first_name"] for t, r in rows(materialize(snapshot(enriched), folder / "e"))
            if t == "messages" and r["source"] == "export"}  # fmt: skip
    assert kept == {"Zulmira Quixabeira"}

    # AND an ETL over every day brings nothing of him back, and a second forget finds nothing
    for day in days:
        run_day(day, settings=dataclasses.replace(settings, keep_names=False), raw=raw,
                enriched=enriched)  # fmt: skip
    assert traces(whole_lake(lake_uri), his_key) == []
    code, again = tglake(capsys, "forget", "--user-id", str(GODOFREDO), "--lake", lake_uri)
    assert again.splitlines()[-1] == "Nothing of this person is left in the lake: nothing changed."


def test_forget_erases_the_persons_bot_contexts_in_the_context_table(
    context_table: tuple[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # GIVEN Iracema's contexts in private and in a group and Joaquim's, left by the real Lambda
    iracema, joaquim = 5550303, 5550404
    name, client = context_table
    chat = LambdaChat(monkeypatch, tmp_path / "lake", name)
    chat.say(iracema, "quem ganhou no jundiapeba?")
    chat.say(iracema, "quem ganhou no centro?", group=True)
    chat.say(joaquim, "quem ganhou no centro?")
    capsys.readouterr()

    def holders() -> list[str]:
        items = client.scan(TableName=name, ConsistentRead=True)["Items"]
        return sorted(item["user_key"]["S"] for item in items)

    her_key, his_key = (Pseudonymizer(LAMBDA_KEY.encode())(i) for i in (iracema, joaquim))
    assert holders() == sorted([her_key, her_key, his_key])
    # WHEN a dry run of forget, THEN it counts her two and erases nothing
    code, out = tglake(capsys, "forget", "--user-id", str(iracema), "--dry-run")
    assert code == 0, out
    assert "other      bot_contexts: 2 object(s) would be erased" in out.splitlines()
    assert len(holders()) == 3
    # WHEN forget runs, THEN her contexts are gone with the rest of her, Joaquim's is kept
    code, out = tglake(capsys, "forget", "--user-id", str(iracema))
    assert code == 0, out
    assert "other      bot_contexts: 2 object(s) erased" in out.splitlines()
    assert holders() == [his_key]
    # AND a second run finds nothing of her anywhere
    code, again = tglake(capsys, "forget", "--user-id", str(iracema))
    assert again.splitlines()[-1] == "Nothing of this person is left in the lake: nothing changed."


def test_forget_stops_with_one_line_when_the_context_table_cannot_be_reached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN a lake whose context table's endpoint is down
    monkeypatch.setenv("TGLAKE_LAKE", str(tmp_path / "lake"))
    monkeypatch.setenv("TGLAKE_PSEUDONYM_KEY", KEY)
    monkeypatch.setenv("TGLAKE_CONTEXT_TABLE", "tglake-contexts")
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL_DYNAMODB": f"http://127.0.0.1:{free_port()}",
    }.items():
        monkeypatch.setenv(key, value)
    # WHEN forget runs, THEN it fails (exit 1) saying what it could not do: never "done"
    code, out = tglake(capsys, "forget", "--user-id", str(GODOFREDO))
    assert code == 1
    assert (
        out.strip()
        .splitlines()[-1]
        .startswith("Error: cannot erase a person's contexts: EndpointConnectionError")
    )
