"""Raw and enriched key naming."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tglake import layout

SP = ZoneInfo("America/Sao_Paulo")


def test_raw_key_follows_the_design_layout() -> None:
    key = layout.raw_key(dt.date(2024, 10, 6), 123)
    assert key == "telegram/context_date=2024-10-06/123.json"


def test_conflicting_payload_key_carries_the_content_hash() -> None:
    h = layout.content_hash(b"{}")
    assert (
        layout.raw_key(dt.date(2024, 10, 6), 5, h) == f"telegram/context_date=2024-10-06/5-{h}.json"
    )


def test_context_date_is_the_day_in_the_configured_zone() -> None:
    # 02:30 UTC on Oct 7 is still Oct 6 in Sao Paulo (UTC-3)
    received = dt.datetime(2024, 10, 7, 2, 30, tzinfo=dt.UTC)
    assert layout.context_date(received, SP) == dt.date(2024, 10, 6)
    assert layout.context_date(received, ZoneInfo("UTC")) == dt.date(2024, 10, 7)


def test_context_date_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="aware"):
        layout.context_date(dt.datetime(2024, 1, 1), SP)


@given(
    day=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)),
    update_id=st.integers(min_value=-(2**63), max_value=2**63 - 1),
    body=st.one_of(st.none(), st.binary()),
)
def test_raw_key_round_trips(day: dt.date, update_id: int, body: bytes | None) -> None:
    h = layout.content_hash(body) if body is not None else None
    parsed = layout.parse_raw_key(layout.raw_key(day, update_id, h))
    assert parsed == layout.RawKey("telegram", day, update_id, h)


@pytest.mark.parametrize(
    "key",
    [
        "telegram/context_date=2024-10-06/../x.json",
        "telegram/2024-10-06/1.json",
        "telegram/context_date=2024-10-06/abc.json",
        "other/context_date=2024-10-06/1.json",
    ],
)
def test_parse_raw_key_rejects_foreign_keys(key: str) -> None:
    assert layout.parse_raw_key(key) is None


def test_enriched_partition_is_hive_style() -> None:
    assert (
        layout.enriched_partition("messages", dt.date(2024, 10, 6))
        == "telegram/messages/context_date=2024-10-06/"
    )


def test_day_range_is_inclusive_and_ordered() -> None:
    days = layout.day_range(dt.date(2024, 2, 28), dt.date(2024, 3, 1))
    assert days == [dt.date(2024, 2, 28), dt.date(2024, 2, 29), dt.date(2024, 3, 1)]
    with pytest.raises(ValueError, match="before"):
        layout.day_range(dt.date(2024, 3, 1), dt.date(2024, 2, 1))


def test_the_pollers_keys_sit_outside_what_the_etl_reads() -> None:
    rejected = layout.poll_rejected_key(dt.date(2024, 10, 6), "0123456789ab")
    assert rejected == "_rejected/getupdates/context_date=2024-10-06/0123456789ab.json"
    for key in (rejected, layout.POLL_OFFSET_KEY):
        assert not key.startswith(f"{layout.RAW_SOURCE}/")
        assert layout.parse_raw_key(key) is None
    with pytest.raises(ValueError, match="12 lowercase hex"):
        layout.poll_rejected_key(dt.date(2024, 10, 6), "../../etc")
