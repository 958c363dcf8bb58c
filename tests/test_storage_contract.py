"""One contract, every backend: LocalStore on a folder and S3Store on a real S3 server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tglake.adapters.s3_store import S3Store
from tglake.errors import ObjectExistsError, ObjectNotFoundError, StorageUnavailableError
from tglake.storage import LocalStore, ObjectStore


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ObjectStore]:
    if request.param == "local":
        yield LocalStore(tmp_path / "zone")
    else:
        bucket, client = request.getfixturevalue("s3_bucket")
        yield S3Store(f"s3://{bucket}/raw", client=client)


def test_put_then_get_returns_the_same_bytes(store: ObjectStore) -> None:
    store.put("a/b/c.json", b'{"x": "\xc3\xa1"}')
    assert store.get("a/b/c.json") == b'{"x": "\xc3\xa1"}'


def test_put_replaces_existing_content(store: ObjectStore) -> None:
    store.put("k.json", b"old")
    store.put("k.json", b"new")
    assert store.get("k.json") == b"new"


def test_put_if_absent_refuses_to_overwrite(store: ObjectStore) -> None:
    store.put_if_absent("k.json", b"first")
    with pytest.raises(ObjectExistsError):
        store.put_if_absent("k.json", b"second")
    assert store.get("k.json") == b"first"


def test_get_of_missing_key_raises_not_found(store: ObjectStore) -> None:
    with pytest.raises(ObjectNotFoundError):
        store.get("nope.json")


def test_list_returns_sorted_keys_under_prefix_only(store: ObjectStore) -> None:
    for key in ["p/2.json", "p/1.json", "p/sub/3.json", "q/4.json"]:
        store.put(key, b"x")
    assert list(store.list("p/")) == ["p/1.json", "p/2.json", "p/sub/3.json"]
    assert list(store.list("missing/")) == []


def test_list_and_list_names_page_past_one_thousand_keys(store: ObjectStore) -> None:
    for i in range(1105):
        store.put(f"many/{i:05d}.json", b"{}")
    keys = list(store.list("many/"))
    assert len(keys) == 1105
    assert keys[0] == "many/00000.json"
    assert keys[-1] == "many/01104.json"
    assert sorted(store.list_names("many/")) == [k.removeprefix("many/") for k in keys]


def test_list_names_gives_the_folders_own_objects_without_the_folder(store: ObjectStore) -> None:
    for key in ["day/2.json", "day/1.json", "day/sub/3.json", "dayafter/4.json"]:
        store.put(key, b"x")
    assert sorted(store.list_names("day/")) == ["1.json", "2.json"]
    assert store.list_names("missing/") == []


def test_get_many_reads_in_order_and_a_missing_key_as_none(store: ObjectStore) -> None:
    store.put("m/a.json", b"A")
    store.put("m/b.json", b"B")
    assert store.get_many(["m/b.json", "m/gone.json", "m/a.json"]) == [b"B", None, b"A"]
    assert store.get_many([]) == []


def test_put_file_publishes_a_local_file_whole(store: ObjectStore, tmp_path: Path) -> None:
    source = tmp_path / "part.parquet"
    source.write_bytes(b"P" * 300_000)
    store.put("t/old.parquet", b"old")
    store.put_file("t/old.parquet", source)
    assert store.get("t/old.parquet") == b"P" * 300_000


def test_local_root_is_where_the_objects_are_files_or_none(store: ObjectStore) -> None:
    store.put("r/k.json", b"here")
    if store.local_root is None:
        assert not store.local  # a remote store: workers cannot open its objects as files
    else:
        assert (store.local_root / "r" / "k.json").read_bytes() == b"here"


def test_delete_removes_and_tolerates_missing(store: ObjectStore) -> None:
    store.put("d.json", b"x")
    store.delete("d.json")
    store.delete("d.json")
    with pytest.raises(ObjectNotFoundError):
        store.get("d.json")


def test_check_writable_passes_on_a_healthy_store(store: ObjectStore) -> None:
    store.check_writable()


def test_concurrent_put_if_absent_leaves_exactly_one_winner(store: ObjectStore) -> None:
    results: list[str] = []
    lock = threading.Lock()

    def attempt(i: int) -> None:
        try:
            store.put_if_absent("race.json", f"writer-{i}".encode())
            outcome = "won"
        except ObjectExistsError:
            outcome = "lost"
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("won") == 1
    assert store.get("race.json").startswith(b"writer-")


def test_local_store_leaves_no_temporary_files(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    store.put_if_absent("x/1.json", b"a")
    with pytest.raises(ObjectExistsError):
        store.put_if_absent("x/1.json", b"b")
    store.put("x/2.json", b"c")
    assert sorted(p.name for p in (tmp_path / "x").iterdir()) == ["1.json", "2.json"]


@pytest.mark.parametrize("key", ["../escape.json", "/abs.json", "a//b.json", "a/./b.json", ""])
def test_local_store_refuses_keys_that_leave_its_root(tmp_path: Path, key: str) -> None:
    with pytest.raises(ValueError, match="unsafe key"):
        LocalStore(tmp_path / "root").put(key, b"x")


def test_local_store_unwritable_folder_is_unavailable(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    store = LocalStore(blocker / "lake")
    with pytest.raises(StorageUnavailableError, match="cannot write"):
        store.put_if_absent("a.json", b"x")
    with pytest.raises(StorageUnavailableError):
        store.check_writable()


def test_local_store_read_failure_names_the_key_and_the_reason(tmp_path: Path) -> None:
    # GIVEN a key whose path is a folder: open() fails with an errno other than "not found"
    store = LocalStore(tmp_path)
    (tmp_path / "d" / "k.json").mkdir(parents=True)
    # THEN reading it in bulk fails as get does: unavailable, with the OS's reason
    with pytest.raises(StorageUnavailableError, match=r"^cannot read d/k\.json: Is a directory$"):
        store.get_many(["d/k.json"])
    with pytest.raises(StorageUnavailableError, match=r"^cannot read d/k\.json: Is a directory$"):
        store.get("d/k.json")


@pytest.mark.parametrize(
    "key", ["../escape.json", "a/../../b", "/abs.json", "a//b.json", "a/./b.json", "a/", ""]
)
def test_local_store_bulk_reads_refuse_keys_that_leave_its_root(tmp_path: Path, key: str) -> None:
    with pytest.raises(ValueError, match="unsafe key"):
        LocalStore(tmp_path / "root").get_many(["ok.json", key])


def test_s3_store_on_a_stopped_server_is_unavailable() -> None:
    import boto3
    from botocore.config import Config

    from tests.helpers import free_port

    client: Any = boto3.client(
        "s3",
        endpoint_url=f"http://127.0.0.1:{free_port()}",
        region_name="us-east-1",
        aws_access_key_id="x",
        aws_secret_access_key="x",
        config=Config(retries={"max_attempts": 1}, connect_timeout=1),
    )
    store = S3Store("s3://bucket/raw", client=client)
    with pytest.raises(StorageUnavailableError, match=r"cannot write a\.json"):
        store.put_if_absent("a.json", b"x")
    with pytest.raises(StorageUnavailableError):
        list(store.list(""))
