"""Cleaning and deduplication rules, one scenario per rule, plus properties of the dedupe the ETL
runs (``etl.run._keep`` over ``clean.Seen``)."""

from __future__ import annotations

import random
from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tglake.etl import clean, workers
from tglake.etl.run import _keep, _Tally


def dedupe(
    items: list[tuple[int, str]],
    seen_before: Sequence[tuple[int, str]] = (),
) -> tuple[list[tuple[int, str]], int, int]:
    """The ETL's own dedupe of ``items`` as one batch: (kept, duplicates, conflicts)."""
    result = workers.BatchResult(
        pairs=list(items), labels=["message"] * len(items), rejects=[], tables={}
    )
    tally = _Tally()
    batch = [f"k{i}" for i in range(len(items))]
    kept = _keep(batch, result, clean.Seen(seen_before), frozenset({"message"}), tally)
    assert tally.updates_read == len(items)
    return [items[i] for i in kept], tally.duplicates, tally.conflicts


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Olá, Mogi!  ", "Olá, Mogi!"),
        ("Cafe\u0301", "Café"),  # decomposed é → composed (NFC)
        ("linha 1\r\nlinha 2\tfim", "linha 1\nlinha 2\tfim"),  # \r is a control char; \n, \t stay
        ("bip\x07\x00 bop\x7f\x9b", "bip bop"),
        ("   \n\t  ", None),
        ("", None),
        (None, None),
        (42, None),
        ("\u200bzero width stays\u200b", "\u200bzero width stays\u200b"),  # format, not control
    ],
)
def test_clean_text(raw: object, expected: str | None) -> None:
    assert clean.clean_text(raw) == expected


def test_text_length_counts_characters_not_bytes_or_utf16_units() -> None:
    text = clean.clean_text("Cafe\u0301 👍")
    assert text == "Caf\u00e9 👍"  # NFC: e + combining acute became one character
    assert len(text) == 6
    assert len(text.encode()) == 10


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("/candidato@MogiEleicoesBot Mara Bertaiolli", "/candidato"),
        ("/START", "/start"),
        ("/Votar_Agora\nsegunda linha", "/votar_agora"),
        ("/help@bot", "/help"),
        ("quero /ajuda", None),
        ("/", None),
        ("/ olá", None),
        ("/ção", None),
        ("/cmd@", None),
        (None, None),
        ("", None),
    ],
)
def test_bot_command_is_lower_case_without_botname(text: str | None, command: str | None) -> None:
    assert clean.bot_command(text) == command


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"text": "oi"}, "text"),
        ({"photo": [{"file_id": "x"}], "caption": "c"}, "photo"),
        ({"animation": {}, "document": {}}, "animation"),
        ({"document": {"file_id": "x"}}, "document"),
        ({"venue": {}, "location": {}}, "venue"),
        ({"location": {"latitude": 1.0}}, "location"),
        ({"voice": {"duration": 3}}, "voice"),
        ({"new_chat_members": [{"id": 1}]}, "new_chat_members"),
        ({"left_chat_member": {"id": 1}}, "left_chat_member"),
        ({"group_chat_created": True}, "group_chat_created"),
        ({"new_chat_members": []}, "other"),
        ({}, "other"),
    ],
)
def test_content_type_comes_from_the_message_fields(
    fields: dict[str, object], expected: str
) -> None:
    assert clean.content_type({"message_id": 1, "date": 0, **fields}) == expected


def test_epoch_ms_is_utc_milliseconds_and_rejects_non_numbers() -> None:
    assert clean.epoch_ms(1727740800) == 1727740800000
    assert clean.epoch_ms(True) is None
    assert clean.epoch_ms("1727740800") is None
    assert clean.epoch_ms(10**20) is None


def test_dedupe_drops_redeliveries_and_keeps_conflicting_payloads() -> None:
    items = [(1, "aaaaaaaaaaaa"), (2, "bbbbbbbbbbbb"), (1, "aaaaaaaaaaaa"), (1, "cccccccccccc")]
    kept, duplicates, conflicts = dedupe(items)
    assert kept == [(1, "aaaaaaaaaaaa"), (2, "bbbbbbbbbbbb"), (1, "cccccccccccc")]
    assert (duplicates, conflicts) == (1, 1)


def test_dedupe_against_the_day_before_drops_a_redelivery_that_crossed_midnight() -> None:
    yesterday = [(9, "aaaaaaaaaaaa")]
    kept, duplicates, conflicts = dedupe([(9, "aaaaaaaaaaaa"), (10, "bbbbbbbbbbbb")], yesterday)
    assert (kept, duplicates, conflicts) == ([(10, "bbbbbbbbbbbb")], 1, 0)


hashes = st.text(alphabet="0123456789abcdef", min_size=12, max_size=12)
payloads = st.lists(st.tuples(st.integers(-(2**40), 2**40), hashes), max_size=60)


@given(payloads)
def test_dedupe_is_idempotent(items: list[tuple[int, str]]) -> None:
    kept, _, _ = dedupe(items)
    again, duplicates, conflicts = dedupe(kept)
    assert again == kept
    assert duplicates == 0
    assert conflicts == len(kept) - len({i for i, _ in kept})


@given(payloads, st.randoms(use_true_random=False))
def test_dedupe_is_order_independent(items: list[tuple[int, str]], rnd: random.Random) -> None:
    shuffled = items[:]
    rnd.shuffle(shuffled)
    kept_a, dup_a, con_a = dedupe(items)
    kept_b, dup_b, con_b = dedupe(shuffled)
    assert sorted(kept_a) == sorted(kept_b)
    assert (dup_a, con_a) == (dup_b, con_b)
    assert set(kept_a) == set(items)


_PAIRS = st.lists(
    st.tuples(st.integers(0, 40), st.sampled_from(["a" * 12, "b" * 12, "0123456789ab"])),
    max_size=60,
)


@given(_PAIRS, _PAIRS, st.lists(st.integers(-5, 45), max_size=30))
def test_seen_with_expected_ids_gives_the_same_verdicts_as_without(
    before: list[tuple[int, str]], pairs: list[tuple[int, str]], expected: list[int]
) -> None:
    """The compact slots for the ids the day's names carry are a memory saving only: any
    expected ids (missing, extra, repeated) give the verdicts plain sets give."""
    from array import array

    plain = clean.Seen(before)
    compact = clean.Seen(before, expected_ids=array("q", sorted(expected)))
    assert [compact.add(*p) for p in pairs] == [plain.add(*p) for p in pairs]
    assert len(compact) == len(plain)
