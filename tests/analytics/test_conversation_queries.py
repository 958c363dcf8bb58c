"""Sessions, resolution, retention and re-asks, on conversations held with the real bot.

The lake is built from raw updates answered by the bot (tests/analytics/bot_sessions.py);
the sessions are counted from the script, the other answers follow from how it was designed
(its table says which person rephrases, abandons, returns or asks again).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.analytics.bot_sessions import (
    GAP_S1_S2_MINUTES,
    SCRIPT,
    TZ,
    build_sessions_lake,
    expected_sessions,
    merged,
)
from tests.analytics.test_cli import invoke
from tglake.analytics.duckdb_engine import DuckDBEngine
from tglake.analytics.sql import Period, load_query

WHOLE = Period(dt.date(2024, 9, 30), dt.date(2024, 10, 14))
FROM_WEEK_1 = Period(dt.date(2024, 10, 7), dt.date(2024, 10, 14))


@pytest.fixture(scope="module")
def sessions_lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sessions_lake(tmp_path_factory.mktemp("sessions") / "lake")


def rows(lake: Path, name: str, period: Period = WHOLE, gap: int = 30) -> list[tuple[Any, ...]]:
    engine = DuckDBEngine(str(lake / "enriched"), timezone=TZ, session_gap_minutes=gap)
    return [
        tuple(float(v) if isinstance(v, Decimal) else v for v in row)
        for row in engine.run(load_query(name), period).rows
    ]


def test_sessions_per_day_are_the_scripts_sessions(sessions_lake: Path) -> None:
    assert rows(sessions_lake, "sessions") == expected_sessions()
    # spelled out for the first two days: Ana twice and Bruno on Monday; Ana, Carla, Fábio
    # on Tuesday (turns 1, 2, 2; durations 0, 120 and 30 s)
    assert rows(sessions_lake, "sessions")[:2] == [
        (dt.date(2024, 9, 30), 3, 2, 4, 1.0, 0.0),
        (dt.date(2024, 10, 1), 3, 3, 5, 2.0, 30.0),
    ]


def test_a_longer_session_gap_joins_anas_first_two_sessions(sessions_lake: Path) -> None:
    # GIVEN Ana's 59 minutes of silence between S1 and S2
    # WHEN a gap of 60 minutes cuts the sessions
    found = rows(sessions_lake, "sessions", gap=GAP_S1_S2_MINUTES + 1)
    # THEN S1 and S2 are one session of three turns and one hour
    assert found == expected_sessions(merged(SCRIPT, 0, 1))
    assert found[0] == (dt.date(2024, 9, 30), 2, 2, 4, 2.0, 1800.0)


def test_resolution_per_intent_and_in_total(sessions_lake: Path) -> None:
    assert rows(sessions_lake, "resolution") == [
        # asked, first try, after a rephrase, never answered, abandoned, % first try, % resolved
        ("(all)", 12, 8, 2, 1, 1, 66.7, 83.3),
        # S1 (Ana, after a rephrase), S3 (Bruno, abandoned), S4, S6 (Fábio: the button
        # answered), S7, S8, S10's second question (a new one: the one before was answered)
        ("/candidato", 7, 4, 2, 0, 1, 57.1, 85.7),
        ("/partido", 3, 3, 0, 0, 0, 100.0, 100.0),
        ("/bairro", 1, 0, 0, 1, 0, 0.0, 0.0),  # Carla rephrased in vain: asked once
        ("votes", 1, 1, 0, 0, 0, 100.0, 100.0),  # the parser's intent for Eva's sentence
    ]


def test_weekly_cohorts_count_who_came_back(sessions_lake: Path) -> None:
    assert rows(sessions_lake, "retention") == [
        # five people start in week 0; Diego comes back in week 1, Bruno in week 2
        (dt.date(2024, 9, 30), 0, 5, 5, 100.0),
        (dt.date(2024, 9, 30), 1, 5, 1, 20.0),
        (dt.date(2024, 9, 30), 2, 5, 1, 20.0),
        # Eva starts in week 1 and does not come back
        (dt.date(2024, 10, 7), 0, 1, 1, 100.0),
        (dt.date(2024, 10, 7), 1, 1, 0, 0.0),
    ]


def test_a_reask_within_a_day_and_one_after_and_a_follow_up_that_is_neither(
    sessions_lake: Path,
) -> None:
    assert rows(sessions_lake, "reasks") == [
        # ten asks that found one thing, by five people
        ("(all)", 5, 10, 1, 1),
        # Ana asked for 22 again 22 h later, in a new session; Eva twice in one session
        ("22", 2, 4, 1, 0),
        ("20", 1, 2, 0, 1),  # Diego, 48 h later
    ]


def test_a_period_counts_its_own_questions_and_cohorts(sessions_lake: Path) -> None:
    # from week 1: Diego's and Bruno's /partido PT and Eva's two questions, all answered
    everything = ("(all)", 4, 4, 0, 0, 0, 100.0, 100.0)
    assert rows(sessions_lake, "resolution", FROM_WEEK_1)[0] == everything
    # Diego is not new in week 1: only Eva's cohort is there
    assert rows(sessions_lake, "retention", FROM_WEEK_1) == [
        (dt.date(2024, 10, 7), 0, 1, 1, 100.0),
        (dt.date(2024, 10, 7), 1, 1, 0, 0.0),
    ]
    # partido:13 twice, but by two people; 22 twice, but in one session: no repeat
    assert rows(sessions_lake, "reasks", FROM_WEEK_1) == [("(all)", 3, 4, 0, 0)]


def test_the_cli_takes_the_session_gap_as_a_flag_and_from_the_environment(
    sessions_lake: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ("query", "sessions", "--lake", str(sessions_lake), "--format", "json")
    code, out, _ = invoke(*args, "--session-gap", "60")
    assert code == 0
    assert json.loads(out)[0] == {
        "local_day": "2024-09-30",
        "sessions": 2,
        "people": 2,
        "turns": 4,
        "median_turns": 2.0,
        "median_seconds": 1800.0,
    }
    monkeypatch.setenv("TGLAKE_SESSION_GAP_MINUTES", "60")
    assert invoke(*args) == (0, out, "")
    code, _, err = invoke(*args, "--session-gap", "0")
    assert code == 2
    assert "Invalid value for '--session-gap': 0 is not in the range 1<=x<=1440." in err
    monkeypatch.setenv("TGLAKE_SESSION_GAP_MINUTES", "half an hour")
    assert invoke(*args) == (
        1,
        "",
        "Error: TGLAKE_SESSION_GAP_MINUTES must be a whole number of minutes, not 'half an hour'\n",
    )
