"""Every query of the library on the known conversation of dataset.py, read back by DuckDB from
real Parquet files. The expected numbers are counted by hand from the table in dataset.py."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tests.analytics.lakefiles import ts, write_by_local_day, write_messages
from tglake.analytics.duckdb_engine import DuckDBEngine
from tglake.analytics.sql import Period, list_queries, load_query

D = dt.date
WHOLE = Period(D(2024, 9, 30), D(2024, 10, 2))
SP = "America/Sao_Paulo"


@pytest.fixture
def engine(known_lake: Path) -> DuckDBEngine:
    return DuckDBEngine(str(known_lake / "enriched"), timezone=SP)


def rows(engine: DuckDBEngine, name: str, period: Period = WHOLE) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in engine.run(load_query(name), period).rows]


def test_summary_counts_new_messages_users_and_chats(engine: DuckDBEngine) -> None:
    # 11 rows, one of them an edit: 10 messages; u1..u4; chats 101, 103, -200, -300
    assert rows(engine, "summary") == [(10, 4, 4, D(2024, 9, 30), D(2024, 10, 2))]


def test_messages_per_day_uses_the_local_day(engine: DuckDBEngine) -> None:
    # m4 was sent at 02:00 UTC on 10-01, which is 23:00 on Monday 09-30 in São Paulo
    assert rows(engine, "messages_per_day") == [
        (D(2024, 9, 30), 4),
        (D(2024, 10, 1), 3),
        (D(2024, 10, 2), 3),
    ]


def test_messages_per_hour_uses_the_local_hour(engine: DuckDBEngine) -> None:
    # m1 m2 m9 m10 at 9h; m5 m6 at 10h; m11 11h; m3 12h; m7 19h; m4 23h (02:00 UTC)
    assert rows(engine, "messages_per_hour") == [
        (9, 4),
        (10, 2),
        (11, 1),
        (12, 1),
        (19, 1),
        (23, 1),
    ]


def test_messages_per_weekday_counts_iso_weekdays(engine: DuckDBEngine) -> None:
    # Monday 09-30: 4 (m4 included), Tuesday: 3, Wednesday: 3
    assert rows(engine, "messages_per_weekday") == [(1, 4), (2, 3), (3, 3)]


def test_active_users_per_day(engine: DuckDBEngine) -> None:
    # Mon u1 u2; Tue u3 u1; Wed u4 u1 (the channel post has no user)
    assert rows(engine, "active_users_per_day") == [
        (D(2024, 9, 30), 2),
        (D(2024, 10, 1), 2),
        (D(2024, 10, 2), 2),
    ]


def test_new_vs_returning_users(engine: DuckDBEngine) -> None:
    assert rows(engine, "new_vs_returning_users") == [
        (D(2024, 9, 30), 2, 0),  # u1, u2 first seen
        (D(2024, 10, 1), 1, 1),  # u3 new, u1 back
        (D(2024, 10, 2), 1, 1),  # u4 new, u1 back
    ]


def test_new_vs_returning_remembers_days_before_the_period(engine: DuckDBEngine) -> None:
    # on Wednesday alone, u1 is still returning: it was first seen on Monday
    assert rows(engine, "new_vs_returning_users", Period(D(2024, 10, 2), D(2024, 10, 2))) == [
        (D(2024, 10, 2), 1, 1)
    ]


def test_messages_per_user_is_a_distribution_without_names(engine: DuckDBEngine) -> None:
    # u1 sent 4, u2 2, u3 2, u4 1
    result = engine.run(load_query("messages_per_user"), WHOLE)
    assert result.columns == ("bucket", "users", "messages")
    assert [tuple(r) for r in result.rows] == [("1", 1, 1), ("2-5", 3, 8)]


def test_messages_per_user_buckets_have_the_right_edges(lake: Path) -> None:
    sent = {"a": 5, "b": 6, "c": 10, "d": 11, "e": 21, "f": 51}
    write_messages(
        lake,
        [
            {"user_key": user, "message_ts": ts("2024-10-01 12:00"), "content_type": "text"}
            for user, count in sent.items()
            for _ in range(count)
        ],
    )
    result = DuckDBEngine(str(lake), timezone=SP).run(load_query("messages_per_user"), WHOLE)
    assert [tuple(r) for r in result.rows] == [
        ("2-5", 1, 5),
        ("6-10", 2, 16),
        ("11-20", 1, 11),
        ("21-50", 1, 21),
        ("51+", 1, 51),
    ]


def test_content_types_with_their_share(engine: DuckDBEngine) -> None:
    assert rows(engine, "content_types") == [
        ("text", 8, 80.0),
        ("photo", 1, 10.0),
        ("sticker", 1, 10.0),
    ]


def test_message_length_average_and_median(engine: DuckDBEngine) -> None:
    # lengths 6 22 28 37 27 15 41 50 36 (the sticker has none, the edit is left out):
    # sum 262 / 9 = 29.1; sorted 6 15 22 27 [28] 36 37 41 50
    assert rows(engine, "message_length") == [(9, 29.1, 28.0)]


def test_message_length_median_of_an_even_count_is_the_mean_of_the_middle_two(
    lake: Path,
) -> None:
    write_messages(
        lake,
        [
            {"message_ts": ts("2024-10-01 12:00"), "text": "x", "text_length": n}
            for n in (10, 2, 7, 3)
        ],
    )
    result = DuckDBEngine(str(lake), timezone=SP).run(load_query("message_length"), WHOLE)
    assert [tuple(r) for r in result.rows] == [(4, 5.5, 5.0)]  # (3 + 7) / 2


def test_edits_ratio(engine: DuckDBEngine) -> None:
    assert rows(engine, "edits_ratio") == [(10, 1, 10.0)]


def test_top_commands(engine: DuckDBEngine) -> None:
    assert rows(engine, "top_commands") == [("/candidato", 2, 1), ("/start", 1, 1)]


def test_top_hashtags_are_lower_case_and_keep_accents(engine: DuckDBEngine) -> None:
    # m3 #Eleição2024, m4 #eleição2024 #mogi (u2), m10 #Mogi (u1); the edit m8 is not counted
    assert rows(engine, "top_hashtags") == [("eleição2024", 2, 1), ("mogi", 2, 2)]


def test_top_words_skip_stopwords_commands_hashtags_and_links(engine: DuckDBEngine) -> None:
    assert rows(engine, "top_words") == [
        ("maria", 4, 3),  # m2 (u1), m5 (u3), m9 (u4), m10 (u1); not the link's /maria
        ("silva", 2, 2),
        ("votar", 2, 1),
        ("boas", 1, 1),
        ("candidata", 1, 1),
        ("candidatos", 1, 0),
        ("debate", 1, 0),
        ("hoje", 1, 0),
        ("importante", 1, 1),
        ("joão", 1, 1),
        ("propostas", 1, 1),
        ("santinho", 1, 1),
        ("saúde", 1, 1),
        ("voto", 1, 1),
    ]


def test_messages_per_chat_never_shows_private_chat_ids(engine: DuckDBEngine) -> None:
    result = engine.run(load_query("messages_per_chat"), WHOLE)
    assert "chat_id" not in result.columns
    assert [tuple(r) for r in result.rows] == [
        ("private", None, 2, 5, 2),
        ("supergroup", "Eleição Mogi", 1, 4, 3),
        ("channel", "Canal Notícias", 1, 1, 0),
    ]


def test_a_message_at_0200_utc_counts_at_2300_of_the_previous_day_in_sao_paulo(
    lake: Path,
) -> None:
    write_messages(lake, [{"user_key": "u", "message_ts": ts("2024-10-02 02:00")}])
    engine = DuckDBEngine(str(lake), timezone=SP)
    period = Period(D(2024, 10, 1), D(2024, 10, 2))
    assert rows(engine, "messages_per_day", period) == [(D(2024, 10, 1), 1)]
    assert rows(engine, "messages_per_hour", period) == [(23, 1)]
    assert rows(engine, "messages_per_weekday", period) == [(2, 1)]  # Tuesday


def test_the_time_zone_is_a_parameter(lake: Path) -> None:
    write_messages(lake, [{"user_key": "u", "message_ts": ts("2024-10-02 02:00")}])
    engine = DuckDBEngine(str(lake), timezone="UTC")
    period = Period(D(2024, 10, 1), D(2024, 10, 2))
    assert rows(engine, "messages_per_day", period) == [(D(2024, 10, 2), 1)]
    assert rows(engine, "messages_per_hour", period) == [(2, 1)]


def test_the_period_selects_partitions(engine: DuckDBEngine) -> None:
    tuesday = Period(D(2024, 10, 1), D(2024, 10, 1))
    assert rows(engine, "messages_per_day", tuesday) == [(D(2024, 10, 1), 3)]
    assert rows(engine, "summary", tuesday) == [(3, 2, 2, D(2024, 10, 1), D(2024, 10, 1))]


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_every_query_runs_on_an_empty_period(engine: DuckDBEngine, query: Any) -> None:
    result = engine.run(query, Period(D(2023, 1, 1), D(2023, 1, 31)))
    assert result.columns  # the columns are there even with no rows


def test_every_query_has_a_test_here() -> None:
    source = Path(__file__).read_text(encoding="utf-8")
    untested = [q.name for q in list_queries() if f'"{q.name}"' not in source]
    assert untested == []


# ---------------------------------------------------------------- the bot (b1..b13)


def test_bot_questions_per_day_split_answered_and_not_found(engine: DuckDBEngine) -> None:
    # b3 was answered at 02:30 UTC on 10-01: 23:30 on Monday in São Paulo
    assert rows(engine, "bot_questions_per_day") == [
        (D(2024, 9, 30), 3, 2, 1),  # b1 b3 answered, b2 not found
        (D(2024, 10, 1), 4, 4, 0),  # b4 b5 b6 b7
        (D(2024, 10, 2), 6, 2, 4),  # b11 b12 answered; b8 b9 b10 b13 not
    ]


def test_bot_latency_nearest_rank_percentiles_skip_missing_latencies(
    engine: DuckDBEngine,
) -> None:
    # 13 questions, 8 answered (61.5 %); 12 latencies (b12 has none), sorted:
    # 2 3 5 8 10 [12] 15 20 25 30 40 [100]: p50 is rank ceil(6) = 12 ms, p95 rank ceil(11.4) = 12
    assert rows(engine, "bot_latency") == [(13, 61.5, 12.0, 100.0, 100.0)]


def test_bot_latency_p95_is_below_the_maximum_with_twenty_answers(lake: Path) -> None:
    write_by_local_day(
        lake,
        "bot_replies",
        [
            {"reply_ts": ts("2024-10-01 12:00"), "answered": True, "latency_ms": float(ms)}
            for ms in range(20, 0, -1)
        ],
        "reply_ts",
    )
    result = DuckDBEngine(str(lake), timezone=SP).run(load_query("bot_latency"), WHOLE)
    # 1..20 ms: p50 is rank 10, p95 rank 19
    assert [tuple(r) for r in result.rows] == [(20, 100.0, 10.0, 19.0, 20.0)]


def test_bot_top_searched_counts_single_matches_and_buttons(engine: DuckDBEngine) -> None:
    # b1 b11 → 22; b4 → 20; b6 (the button after b5's list) → 22222; b3 → PL (partido 22);
    # b5 (two matches) and b7 (a bairro) do not count
    assert rows(engine, "bot_top_searched") == [
        ("candidato", "22", 2, 1),
        ("candidato", "20", 1, 1),
        ("candidato", "22222", 1, 1),
        ("partido", "22", 1, 1),
    ]


def test_bot_not_found_groups_the_same_words_and_skips_buttons_and_commands(
    engine: DuckDBEngine,
) -> None:
    # b2 and b8 are the same search once trimmed and lower-cased; b10 (an expired button) and
    # b13 (an unknown command, no text) are not searches
    assert rows(engine, "bot_not_found") == [
        ("fulano de tal", 2, D(2024, 10, 2)),
        ("quem ganhou em suzano?", 1, D(2024, 10, 2)),
    ]


def test_bot_answered_per_day_counts_searches_with_words_not_buttons(
    engine: DuckDBEngine,
) -> None:
    # questions: b1 b2 b3 | b4 b5 b7 | b8 b9 b11 (b6 b10 are buttons; b12 b13 have no words)
    assert rows(engine, "bot_answered_per_day") == [
        (D(2024, 9, 30), 3, 2, 66.7, 0),
        (D(2024, 10, 1), 3, 3, 100.0, 0),
        (D(2024, 10, 2), 3, 1, 33.3, 0),
    ]


def test_bot_unresolved_misses_groups_words_without_the_closing_punctuation(
    engine: DuckDBEngine,
) -> None:
    # this lake's replies have no user_key, so nobody resolved anything, and nobody is counted
    # (tests/bot/test_loop.py builds a lake with people through the webhook and the ETL)
    assert rows(engine, "bot_unresolved_misses") == [
        ("fulano de tal", 0, 2, D(2024, 10, 2)),
        ("quem ganhou em suzano", 0, 1, D(2024, 10, 2)),
    ]


def test_bot_miss_resolutions_needs_people(engine: DuckDBEngine) -> None:
    result = engine.run(load_query("bot_miss_resolutions"), WHOLE)
    assert result.rows == ()  # no user_key here: see tests/bot/test_loop.py for real rows
    assert result.columns[:5] == ("day", "miss_id", "user_key", "command", "query")


# ---------------------------------------------------------------- candidate mentions (c1..c10)


def test_top_mentioned_candidates(engine: DuckDBEngine) -> None:
    assert rows(engine, "top_mentioned_candidates") == [
        (22, "prefeito", "PL", 4, 3),  # c1 c3 (u2), c4 (u3), c7 (u1)
        (20, "prefeito", "PODE", 2, 2),  # c2 (u2), c6 (u4)
        (13, "prefeito", "PT", 1, 0),  # a channel post: nobody
        (22222, "vereador", "PL", 1, 1),
        (25555, "vereador", "PRD", 1, 0),
        (50050, "vereador", "PSOL", 1, 0),
    ]


def test_top_mentioned_parties(engine: DuckDBEngine) -> None:
    assert rows(engine, "top_mentioned_parties") == [
        ("PL", 5, 2, 3),  # c1 c3 c4 c5 c7: candidates 22 and 22222; u2 u3 u1
        ("PODE", 2, 1, 2),
        ("PRD", 1, 1, 0),
        ("PSOL", 1, 1, 0),
        ("PT", 1, 1, 0),
    ]


def test_mentions_per_day_follows_the_five_most_mentioned(engine: DuckDBEngine) -> None:
    # 22 (4), 20 (2), then 13, 22222, 25555, 50050 with one each: 50050 is the sixth
    assert rows(engine, "mentions_per_day") == [
        (D(2024, 9, 30), 20, 1),
        (D(2024, 9, 30), 22, 2),  # c1 and c3 (23:00 on Monday)
        (D(2024, 10, 1), 22, 1),
        (D(2024, 10, 1), 22222, 1),
        (D(2024, 10, 2), 13, 1),
        (D(2024, 10, 2), 20, 1),
        (D(2024, 10, 2), 22, 1),
        (D(2024, 10, 2), 25555, 1),
    ]


def test_party_mentions_per_day(engine: DuckDBEngine) -> None:
    assert rows(engine, "party_mentions_per_day") == [
        (D(2024, 9, 30), "PL", 2),
        (D(2024, 9, 30), "PODE", 1),
        (D(2024, 10, 1), "PL", 2),
        (D(2024, 10, 2), "PL", 1),
        (D(2024, 10, 2), "PODE", 1),
        (D(2024, 10, 2), "PRD", 1),
        (D(2024, 10, 2), "PSOL", 1),
        (D(2024, 10, 2), "PT", 1),
    ]
