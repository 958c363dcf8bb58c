"""user_key: a keyed hash of the user id, with a key that stays the same between runs."""

from __future__ import annotations

import hashlib
import hmac
import stat
from pathlib import Path

import pytest

from tglake.config import Settings
from tglake.errors import ConfigError
from tglake.pseudonym import KEY_FILE, Pseudonymizer, load_or_create_key


def test_user_key_is_hmac_sha256_of_the_user_id() -> None:
    expected = hmac.new(b"segredo", b"5550001", hashlib.sha256).hexdigest()
    assert Pseudonymizer(b"segredo")(5550001) == expected


def test_different_keys_give_unrelated_user_keys() -> None:
    assert Pseudonymizer(b"a")(5550001) != Pseudonymizer(b"b")(5550001)
    assert Pseudonymizer(b"a")(5550001) != Pseudonymizer(b"a")(5550002)


def test_the_key_never_shows_in_repr() -> None:
    assert "segredo" not in repr(Pseudonymizer(b"segredo"))


def test_the_setting_wins_and_no_key_file_is_created(lake: Path) -> None:
    settings = Settings.from_env({"TGLAKE_PSEUDONYM_KEY": "k1" * 16}, lake=str(lake))
    assert load_or_create_key(settings) == b"k1" * 16
    assert not (lake / KEY_FILE).exists()


def test_a_key_too_short_to_resist_guessing_is_refused_from_the_setting_and_the_file(
    lake: Path,
) -> None:
    # whoever knows one person's id and user_key could try short keys until one matches
    with pytest.raises(ConfigError, match=r"^TGLAKE_PSEUDONYM_KEY is 31 characters long: use "):
        Settings.from_env({"TGLAKE_PSEUDONYM_KEY": "k" * 31}, lake=str(lake))
    lake.mkdir(parents=True, exist_ok=True)
    (lake / KEY_FILE).write_text("short\n")
    with pytest.raises(ConfigError, match=r"key file .* is 5 characters long"):
        load_or_create_key(Settings(lake=str(lake)))


def test_a_local_lake_gets_one_private_key_file_reused_on_every_run(lake: Path) -> None:
    settings = Settings(lake=str(lake))
    first = load_or_create_key(settings)
    path = lake / KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_key(Settings(lake=str(lake))) == first
    assert len(first) == 64
    assert [p.name for p in lake.iterdir()] == [KEY_FILE]  # no temporary file left behind


def test_two_lakes_get_different_keys(tmp_path: Path) -> None:
    a = load_or_create_key(Settings(lake=str(tmp_path / "a")))
    b = load_or_create_key(Settings(lake=str(tmp_path / "b")))
    assert a != b


@pytest.mark.parametrize(
    "settings",
    [
        Settings(lake="s3://bucket/lake"),
        Settings(lake="./lake", enriched_uri="s3://bucket/enriched"),
    ],
)
def test_an_s3_lake_without_a_key_is_a_clear_config_error(settings: Settings) -> None:
    with pytest.raises(ConfigError, match="TGLAKE_PSEUDONYM_KEY is not set: an S3 lake needs it"):
        load_or_create_key(settings)


def test_an_empty_key_file_is_an_error_not_a_silent_new_key(lake: Path) -> None:
    lake.mkdir()
    (lake / KEY_FILE).write_text("\n")
    with pytest.raises(ConfigError, match="is empty"):
        load_or_create_key(Settings(lake=str(lake)))


def built_lake(tmp_path: Path) -> Path:
    """A lake whose enriched zone the real ETL built, with a generated key file."""
    import datetime as dt

    from tests.helpers import fixture_bytes
    from tglake.etl.run import run_day
    from tglake.ingest import store_update
    from tglake.storage import LocalStore

    lake = tmp_path / "lake"
    day = dt.date(2024, 10, 6)
    store_update(LocalStore(lake / "raw"), day, 100000001, fixture_bytes("message_text"))
    settings = Settings(lake=str(lake))
    run_day(day, settings=settings, raw=LocalStore(lake / "raw"),
            enriched=LocalStore(lake / "enriched"))  # fmt: skip
    return lake


def test_a_lake_with_tables_whose_key_file_is_lost_refuses_a_new_key_and_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tglake.cli import main_group
    from tglake.cli.context import run_guarded

    lake = built_lake(tmp_path)
    (lake / KEY_FILE).unlink()
    code = run_guarded(main_group, ["etl", "--date", "2024-10-06", "--lake", str(lake)])
    err = capsys.readouterr().err
    assert code == 1
    assert "a new key would give every person a new user_key" in err
    assert "Restore the key file or set TGLAKE_PSEUDONYM_KEY" in err
    assert not (lake / KEY_FILE).exists()


def test_a_dry_run_erasure_on_a_lake_without_a_key_writes_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tglake.cli import main_group
    from tglake.cli.context import run_guarded

    lake = tmp_path / "lake"
    (lake / "raw").mkdir(parents=True)
    args = ["forget", "--user-id", "5550001", "--dry-run", "--lake", str(lake)]
    assert run_guarded(main_group, args) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "user_key   - (the lake has no pseudonym key yet)"
    assert not (lake / KEY_FILE).exists()


def test_another_key_than_the_lakes_is_refused_from_the_setting_and_on_s3_by_its_check(
    tmp_path: Path,
) -> None:
    import datetime as dt

    from tglake import lakestate
    from tglake.config import Secret
    from tglake.etl.run import run_day
    from tglake.storage import LocalStore

    lake = built_lake(tmp_path)
    other = Settings(lake=str(lake), pseudonym_key=Secret("another-key-" + "x" * 32))
    with pytest.raises(ConfigError, match="is not the key in"):
        load_or_create_key(other)
    # without the key file (as on S3, where the setting is all there is), the enriched zone's
    # recorded check value still tells the keys apart
    (lake / KEY_FILE).unlink()
    raw, enriched = LocalStore(lake / "raw"), LocalStore(lake / "enriched")
    assert lakestate.read(enriched) is not None
    with pytest.raises(ConfigError, match="not the one the enriched zone was built with"):
        run_day(dt.date(2024, 10, 6), settings=other, raw=raw, enriched=enriched)
