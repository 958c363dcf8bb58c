"""Every query of the library on the known conversation of dataset.py, posted as raw updates
through ingest and turned into Parquet by the real ETL, read back by DuckDB. The expected
numbers are counted by hand on the raw updates listed in dataset.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.lakebuild import Updates, build_lake, messages_lake
from tglake.analytics.duckdb_engine import DuckDBEngine
from tglake.analytics.sql import Period, list_queries, load_query

D = dt.date
WHOLE = Period(D(2024, 9, 30), D(2024, 10, 2))
SP = "America/Sao_Paulo"


@pytest.fixture
def engine(known_lake_master: Path) -> DuckDBEngine:
    # read-only use of the session's lake: nothing here writes to it
    return DuckDBEngine(str(known_lake_master / "enriched"), timezone=SP)


def rows(engine: DuckDBEngine, name: str, period: Period = WHOLE) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in engine.run(load_query(name), period).rows]


def test_summary_counts_new_messages_users_and_chats_by_kind(engine: DuckDBEngine) -> None:
    # m1..m12 (the edits e1..e3 left out); u1..u5; SG, BG, CH and the private chats of u1 u3 u4
    # (which the lake keeps with no chat id: counted by user_key)
    assert rows(engine, "summary") == [(12, 5, 6, 2, 1, 3, D(2024, 9, 30), D(2024, 10, 2))]


def test_messages_per_day_uses_the_local_day(engine: DuckDBEngine) -> None:
    # m4 was sent at 02:00 UTC on 10-01, which is 23:00 on Monday 09-30 in São Paulo
    assert rows(engine, "messages_per_day") == [
        (D(2024, 9, 30), 4),  # m1 m2 m3 m4
        (D(2024, 10, 1), 4),  # m5 m6 m7 m8
        (D(2024, 10, 2), 4),  # m9 m10 m11 m12
    ]


def test_messages_per_hour_uses_the_local_hour(engine: DuckDBEngine) -> None:
    # m1 m2 m9 m12 m10 at 9h; m5 m6 at 10h; m11 11h; m3 12h; m7 19h; m8 20h; m4 23h (02:00 UTC)
    assert rows(engine, "messages_per_hour") == [
        (9, 5),
        (10, 2),
        (11, 1),
        (12, 1),
        (19, 1),
        (20, 1),
        (23, 1),
    ]


def test_messages_per_weekday_counts_iso_weekdays(engine: DuckDBEngine) -> None:
    # Monday 09-30: 4 (m4 included), Tuesday: 4, Wednesday: 4
    assert rows(engine, "messages_per_weekday") == [(1, 4), (2, 4), (3, 4)]


def test_active_users_per_day(engine: DuckDBEngine) -> None:
    # Mon u1 u2; Tue u3 u1 u5; Wed u4 u1 (u5's edit e3 is not a message; the channel post has
    # no user)
    assert rows(engine, "active_users_per_day") == [
        (D(2024, 9, 30), 2),
        (D(2024, 10, 1), 3),
        (D(2024, 10, 2), 2),
    ]


def test_new_vs_returning_users(engine: DuckDBEngine) -> None:
    assert rows(engine, "new_vs_returning_users") == [
        (D(2024, 9, 30), 2, 0),  # u1, u2 first seen
        (D(2024, 10, 1), 2, 1),  # u3 u5 new, u1 back
        (D(2024, 10, 2), 1, 1),  # u4 new, u1 back
    ]


def test_new_vs_returning_remembers_days_before_the_period(engine: DuckDBEngine) -> None:
    # on Wednesday alone, u1 is still returning: it was first seen on Monday
    assert rows(engine, "new_vs_returning_users", Period(D(2024, 10, 2), D(2024, 10, 2))) == [
        (D(2024, 10, 2), 1, 1)
    ]


def test_messages_per_user_is_a_distribution_without_names(engine: DuckDBEngine) -> None:
    # u1 sent 4 (m1 m2 m7 m10), u2 2, u3 2, u4 2, u5 1
    result = engine.run(load_query("messages_per_user"), WHOLE)
    assert result.columns == ("bucket", "users", "messages")
    assert [tuple(r) for r in result.rows] == [("1", 1, 1), ("2-5", 4, 10)]


def test_messages_per_user_buckets_have_the_right_edges(lake: Path) -> None:
    sent = {1: 5, 2: 6, 3: 10, 4: 11, 5: 21, 6: 51}
    messages_lake(
        lake,
        [("2024-10-01 12:00", "oi", user) for user, count in sent.items() for _ in range(count)],
    )
    result = DuckDBEngine(str(lake / "enriched"), timezone=SP).run(
        load_query("messages_per_user"), WHOLE
    )
    assert [tuple(r) for r in result.rows] == [
        ("2-5", 1, 5),
        ("6-10", 2, 16),
        ("11-20", 1, 11),
        ("21-50", 1, 21),
        ("51+", 1, 51),
    ]


def test_content_types_with_their_share(engine: DuckDBEngine) -> None:
    assert rows(engine, "content_types") == [
        ("text", 10, 83.3),
        ("photo", 1, 8.3),
        ("sticker", 1, 8.3),
    ]


def test_message_length_average_and_median(engine: DuckDBEngine) -> None:
    # lengths 6 22 28 37 37 15 21 40 24 50 62 (the sticker has none, the edits are left out):
    # sum 342 / 11 = 31.1; sorted 6 15 21 22 24 [28] 37 37 40 50 62
    assert rows(engine, "message_length") == [(11, 31.1, 28.0)]


def test_message_length_median_of_an_even_count_is_the_mean_of_the_middle_two(
    lake: Path,
) -> None:
    messages_lake(lake, [("2024-10-01 12:00", "x" * n, 1) for n in (10, 2, 7, 3)])
    result = DuckDBEngine(str(lake / "enriched"), timezone=SP).run(
        load_query("message_length"), WHOLE
    )
    assert [tuple(r) for r in result.rows] == [(4, 5.5, 5.0)]  # (3 + 7) / 2


def test_edits_ratio(engine: DuckDBEngine) -> None:
    # e1 e2 e3 on 12 messages: the history of edits stays counted
    assert rows(engine, "edits_ratio") == [(12, 3, 25.0)]


def test_top_commands(engine: DuckDBEngine) -> None:
    # m2 m7 (u1) and m12 (u4); m1
    assert rows(engine, "top_commands") == [("/candidato", 3, 2), ("/start", 1, 1)]


def test_top_hashtags_read_the_latest_version_lower_case_with_accents(
    engine: DuckDBEngine,
) -> None:
    # m3 at e2: #Eleição2024 #Mogi; m4 #eleição2024 #mogi (u2); m10 #Mogi (u1); m8 at e3 (an edit
    # a day later): #BrazCubas (u5). Each message once, however many edits it had.
    assert rows(engine, "top_hashtags") == [
        ("mogi", 3, 2),
        ("eleição2024", 2, 1),
        ("brazcubas", 1, 1),
    ]


def test_top_words_read_the_latest_version_and_skip_stopwords_commands_hashtags_and_links(
    engine: DuckDBEngine,
) -> None:
    # m3 at its last edit e2 ("quem vai votar? … mara bertaiolli!"): not e1's "caio cunha";
    # quem vai tem para meu com https are stopwords; links, /commands and #tags are dropped
    assert rows(engine, "top_words") == [
        ("bertaiolli", 2, 2),  # m3 (u2), m5 (u3)
        ("fernandes", 2, 1),  # m8 (u5), m11 (the channel: nobody)
        ("malu", 2, 1),
        ("mara", 2, 2),
        ("maria", 2, 1),  # m2, m10 (u1); not the link's /maria
        ("votar", 2, 1),  # m3, m4 (u2)
        ("boas", 1, 1),
        ("caio", 1, 1),  # m9 only
        ("candidata", 1, 1),
        ("cunha", 1, 1),
        ("debate", 1, 0),
        ("fulano", 1, 1),
        ("hoje", 1, 0),
        ("importante", 1, 1),
        ("joão", 1, 1),
        ("komura", 1, 0),
        ("pedro", 1, 0),
        ("propostas", 1, 1),
        ("santinho", 1, 1),
        ("saúde", 1, 1),
        ("silva", 1, 1),
        ("tal", 1, 1),
        ("valverde", 1, 0),
        ("voto", 1, 1),
        ("vou", 1, 1),
    ]


def test_messages_per_chat_counts_private_conversations_without_ids(
    engine: DuckDBEngine,
) -> None:
    result = engine.run(load_query("messages_per_chat"), WHOLE)
    assert "chat_id" not in result.columns
    assert [tuple(r) for r in result.rows] == [
        ("private", None, 3, 6, 3),  # P1 P3 P4: m1 m2 m7 m5 m6 m12
        ("supergroup", "Eleição Mogi", 1, 4, 3),  # m3 m4 m9 m10
        ("channel", "Canal Notícias", 1, 1, 0),
        ("group", "Bairro Braz Cubas", 1, 1, 1),
    ]


def test_a_message_at_0200_utc_counts_at_2300_of_the_previous_day_in_sao_paulo(
    lake: Path,
) -> None:
    messages_lake(lake, [("2024-10-02 02:00", "oi", 1)])
    engine = DuckDBEngine(str(lake / "enriched"), timezone=SP)
    period = Period(D(2024, 10, 1), D(2024, 10, 2))
    assert rows(engine, "messages_per_day", period) == [(D(2024, 10, 1), 1)]
    assert rows(engine, "messages_per_hour", period) == [(23, 1)]
    assert rows(engine, "messages_per_weekday", period) == [(2, 1)]  # Tuesday


def test_the_time_zone_is_a_parameter(lake: Path) -> None:
    messages_lake(lake, [("2024-10-02 02:00", "oi", 1)], timezone="UTC")
    engine = DuckDBEngine(str(lake / "enriched"), timezone="UTC")
    period = Period(D(2024, 10, 1), D(2024, 10, 2))
    assert rows(engine, "messages_per_day", period) == [(D(2024, 10, 2), 1)]
    assert rows(engine, "messages_per_hour", period) == [(2, 1)]


def test_the_period_selects_partitions(engine: DuckDBEngine) -> None:
    tuesday = Period(D(2024, 10, 1), D(2024, 10, 1))
    assert rows(engine, "messages_per_day", tuesday) == [(D(2024, 10, 1), 4)]
    # m5 m6 m7 m8: u3 u1 u5; BG and the private chats of u3 and u1
    assert rows(engine, "summary", tuesday) == [(4, 3, 3, 1, 0, 2, D(2024, 10, 1), D(2024, 10, 1))]


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
    updates = Updates()
    for ms in range(20, 0, -1):
        updates.bot_event(
            {"update_id": ms, "answered": True, "latency_ms": float(ms),
             "reply_ts": "2024-10-01T12:00:00.000+00:00"}
        )  # fmt: skip
    updates.message(None, {"id": -1, "title": "c", "type": "channel"}, "2024-10-01 12:00", "oi")
    build_lake(lake, updates)
    result = DuckDBEngine(str(lake / "enriched"), timezone=SP).run(load_query("bot_latency"), WHOLE)
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
    # b2 (u2) and b8 (u8) are one search by two people; nobody found anything after a miss
    # (tests/bot/test_loop.py has people who resolve their misses)
    assert rows(engine, "bot_unresolved_misses") == [
        ("fulano de tal", 2, 2, D(2024, 10, 2)),
        ("quem ganhou em suzano", 1, 1, D(2024, 10, 2)),
    ]


def test_bot_miss_resolutions_lists_each_miss_with_what_its_person_found_after(
    engine: DuckDBEngine,
) -> None:
    result = engine.run(load_query("bot_miss_resolutions"), WHOLE)
    # the misses b2, b8, b9; nobody here found a single match within ten minutes after one
    assert [(r[1], r[4], r[5]) for r in result.rows] == [
        (1002, "fulano de tal", None),
        (1008, "Fulano de Tal ", None),
        (1009, "quem ganhou em suzano?", None),
    ]
    assert result.columns[:5] == ("day", "miss_id", "user_key", "command", "query")


# ---------------------------------------------------------------- candidate mentions


def test_top_mentioned_candidates_count_names_added_by_edits_once_a_day(
    engine: DuckDBEngine,
) -> None:
    assert rows(engine, "top_mentioned_candidates") == [
        (22222, "vereador", "PL", 3, 1),  # m8, e3 (its edit, next day: counted there), m11
        (20, "prefeito", "PODE", 2, 2),  # e1 (u2, added by the edit), m9 (u4)
        (22, "prefeito", "PL", 2, 2),  # e1 (e2 names her again: same message), m5 (u3)
        (13, "prefeito", "PT", 1, 0),  # the channel post: nobody
        (44000, "vereador", "UNIÃO", 1, 0),
    ]


def test_top_mentioned_parties(engine: DuckDBEngine) -> None:
    assert rows(engine, "top_mentioned_parties") == [
        ("PL", 5, 2, 3),  # 22 twice, 22222 three times; u2 u3 u5
        ("PODE", 2, 1, 2),
        ("PT", 1, 1, 0),
        ("UNIÃO", 1, 1, 0),
    ]


def test_mentions_per_day_counts_on_the_day_the_message_was_sent(engine: DuckDBEngine) -> None:
    assert rows(engine, "mentions_per_day") == [
        (D(2024, 9, 30), 20, 1),  # e1, an edit of m3 (sent Monday)
        (D(2024, 9, 30), 22, 1),
        (D(2024, 10, 1), 22, 1),  # m5
        (D(2024, 10, 1), 22222, 2),  # m8, and e3 (edited Wednesday, m8 was sent Tuesday)
        (D(2024, 10, 2), 13, 1),
        (D(2024, 10, 2), 20, 1),
        (D(2024, 10, 2), 22222, 1),
        (D(2024, 10, 2), 44000, 1),
    ]


def test_party_mentions_per_day(engine: DuckDBEngine) -> None:
    assert rows(engine, "party_mentions_per_day") == [
        (D(2024, 9, 30), "PL", 1),
        (D(2024, 9, 30), "PODE", 1),
        (D(2024, 10, 1), "PL", 3),
        (D(2024, 10, 2), "PL", 1),
        (D(2024, 10, 2), "PODE", 1),
        (D(2024, 10, 2), "PT", 1),
        (D(2024, 10, 2), "UNIÃO", 1),
    ]


# ---------------------------------------------------------------- messages_latest


def test_messages_latest_has_one_row_per_message_at_its_last_edit(engine: DuckDBEngine) -> None:
    result = engine.sql(
        "SELECT chat_type, message_id, update_type, edit_count, context_date, text "
        "FROM messages_latest WHERE edit_count > 0 ORDER BY message_ts"
    )
    assert [tuple(r) for r in result.rows] == [
        ("supergroup", 1, "message", 2, D(2024, 9, 30),
         "Quem vai votar? #Eleição2024 #Mogi Mara Bertaiolli!"),  # m3 at e2
        ("group", 1, "message", 1, D(2024, 10, 1),
         "Vou de Malu Fernandes #BrazCubas"),  # m8 at e3, still on the day it was sent
    ]  # fmt: skip
    counts = engine.sql("SELECT count(*), sum(edit_count) FROM messages_latest").rows
    assert counts == ((12, 3),)  # m1..m12; e1 e2 e3


def test_messages_latest_tells_private_chats_apart_by_person(engine: DuckDBEngine) -> None:
    # m1 (P1) and m5 (P3) are both message 1 of their chat, and neither chat has an id
    result = engine.sql(
        "SELECT count(*), count(DISTINCT user_key) FROM messages_latest "
        "WHERE chat_type = 'private' AND message_id = 1"
    )
    assert result.rows == ((3, 3),)


# ---------------------------------------------------------------- sessions with the bot
# b1..b13 of dataset.py; every asker wrote in private. More cases, held with the real bot:
# tests/analytics/test_conversation_queries.py.


def test_sessions_cut_each_persons_turns_at_thirty_minutes(engine: DuckDBEngine) -> None:
    assert rows(engine, "sessions") == [
        # u1 b1 b2 (2 turns, 60 s); u3 b3 at 23:30 local on Monday (1 turn)
        (D(2024, 9, 30), 2, 2, 3, 1.5, Decimal("30.0")),
        # u1 b7 (1); u3 b4 b5 b6 (3 turns, 120 s)
        (D(2024, 10, 1), 2, 2, 4, 2.0, Decimal("60.0")),
        # u1 b11 b12 b13 (3 turns, 600 s); u4 b8 b9 b10 (3 turns, 1200 s)
        (D(2024, 10, 2), 2, 2, 6, 3.0, Decimal("900.0")),
    ]


def test_resolution_counts_each_question_once_with_its_outcome(engine: DuckDBEngine) -> None:
    pct = Decimal
    assert rows(engine, "resolution") == [
        ("(all)", 8, 6, 0, 1, 1, pct("75.0"), pct("75.0")),
        # b1 b11 b4 found; b2 abandoned (u1 left); b8 never answered (b9 and the expired
        # button b10 are u4's tries again, not new questions)
        ("/candidato", 5, 3, 0, 1, 1, pct("60.0"), pct("60.0")),
        ("/bairro", 1, 1, 0, 0, 0, pct("100.0"), pct("100.0")),  # b7
        ("fuzzy", 1, 1, 0, 0, 0, pct("100.0"), pct("100.0")),  # b5: a choice list answers
        ("party", 1, 1, 0, 0, 0, pct("100.0"), pct("100.0")),  # b3
    ]  # /start and /foo have no words: not questions


def test_retention_of_one_week_is_its_first_week(engine: DuckDBEngine) -> None:
    assert rows(engine, "retention") == [(D(2024, 9, 30), 0, 3, 3, Decimal("100.0"))]


def test_reasks_count_a_later_session_on_the_same_subject(engine: DuckDBEngine) -> None:
    # asks that found one thing: b1 b7 b11 (u1), b3 b4 b6 (u3); u1 asks for 22 again two days on
    assert rows(engine, "reasks") == [("(all)", 2, 6, 0, 1), ("22", 1, 2, 0, 1)]
