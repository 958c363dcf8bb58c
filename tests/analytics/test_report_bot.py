"""The report's parts on the bot and on candidate mentions: names and 2024 votes joined from
the bundled candidate data (the published totals), and a short note when the lake has none."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tests.lakebuild import messages_lake
from tglake.analytics import report
from tglake.analytics.candidate_votes import party_votes, with_candidates
from tglake.analytics.duckdb_engine import DuckDBEngine
from tglake.analytics.results import QueryResult
from tglake.analytics.sql import Period
from tglake.candidates.catalog import Candidate, CandidateData, Party, Race

PERIOD = Period(dt.date(2024, 9, 30), dt.date(2024, 10, 2))
NOW = dt.datetime(2024, 10, 3, 6, 0, tzinfo=dt.UTC)
SP = "America/Sao_Paulo"


def context_of(enriched: Path) -> dict[str, Any]:
    engine = DuckDBEngine(str(enriched), timezone=SP)
    return report.build_context(report.collect(engine, PERIOD), PERIOD, SP, NOW)


@pytest.fixture
def by_query(known_lake: Path) -> dict[str, dict[str, Any]]:
    return {s["query"]: s for s in context_of(known_lake / "enriched")["sections"]}


def test_the_most_mentioned_candidates_sit_next_to_their_published_2024_votes(
    by_query: dict[str, dict[str, Any]],
) -> None:
    section = by_query["top_mentioned_candidates"]
    assert section["table"]["headers"][-1] == "votos em 2024"
    # the published prefeito totals (data/tse README): 113,271 / 69,065 / 36,811
    assert section["table"]["rows"][1:4] == [
        ["20", "CAIO CUNHA", "prefeito", "PODE", "2", "2", "69.065"],
        ["22", "MARA BERTAIOLLI", "prefeito", "PL", "2", "2", "113.271"],
        ["13", "RODRIGO VALVERDE", "prefeito", "PT", "1", "0", "36.811"],
    ]
    mentions, votes = section["figure"]["data"]
    assert mentions["y"][-1] == votes["y"][-1] == "MALU FERNANDES (PL)"  # largest on top
    assert mentions["x"][-1] == 3  # m8, its next-day edit e3, m11
    # a council candidate: her own votes in the bundled data
    assert section["table"]["rows"][0] == [
        "22222", "MALU FERNANDES", "vereador", "PL", "3", "1", "5.089"
    ]  # fmt: skip
    assert votes["x"][-1] == 5089
    assert (mentions["xaxis"], votes["xaxis"]) == ("x", "x2")


def test_the_most_searched_are_named(by_query: dict[str, dict[str, Any]]) -> None:
    rows = by_query["bot_top_searched"]["table"]["rows"]
    assert rows[0] == ["candidato", "22", "MARA BERTAIOLLI", "2", "1"]
    assert rows[-1] == ["partido", "22", "PL", "1", "1"]
    labels = by_query["bot_top_searched"]["figure"]["data"][0]["y"]
    assert labels[0] == "partido PL (22)"
    assert labels[-1] == "MARA BERTAIOLLI (22)"


def test_mentions_over_time_are_one_line_per_candidate_with_empty_days_as_zero(
    by_query: dict[str, dict[str, Any]],
) -> None:
    lines = by_query["mentions_per_day"]["figure"]["data"]
    assert [(t["name"], t["y"]) for t in lines[:3]] == [
        ("MALU FERNANDES (22222)", [0, 2, 1]),
        ("CAIO CUNHA (20)", [1, 0, 1]),  # nobody named him on Tuesday
        ("MARA BERTAIOLLI (22)", [1, 1, 0]),
    ]
    assert lines[0]["x"] == ["seg 30/09", "ter 01/10", "qua 02/10"]
    parties = by_query["party_mentions_per_day"]["figure"]["data"]
    assert [t["name"] for t in parties] == ["PL", "PODE", "PT", "UNIÃO"]


def test_the_bot_figures_in_portuguese(by_query: dict[str, dict[str, Any]]) -> None:
    latency = by_query["bot_latency"]
    assert latency["table"]["rows"] == [["13", "61,5", "12", "100", "100"]]
    titles = [t["title"]["text"] for t in latency["figure"]["data"]]
    assert titles == ["perguntas", "respondidas", "p50 (ms)", "p95 (ms)"]
    per_day = by_query["bot_questions_per_day"]["figure"]["data"]
    assert [(t["name"], t["y"]) for t in per_day] == [
        ("respondidas", [2, 4, 2]),
        ("não encontradas", [1, 0, 4]),
    ]
    assert by_query["bot_not_found"]["table"]["rows"][0] == ["fulano de tal", "2", "02/10/2024"]


def test_a_lake_without_bot_events_or_candidate_names_gets_a_short_note_for_each_part(
    lake: Path,
) -> None:
    messages_lake(
        lake,
        [("2024-10-01 12:00", "bom dia #mogi", 1), ("2024-10-01 13:00", "/start", 2)],
    )
    context = context_of(lake / "enriched")
    groups = {g["key"]: g for g in context["groups"]}
    assert groups["conversation"]["empty"] is None
    assert groups["bot"]["empty"] == "Sem dados do bot neste período: nenhuma resposta registrada."
    assert groups["mentions"]["empty"] == "Sem menções a candidatos neste período."
    html = report.render_html(context)
    assert "Sem dados do bot neste período" in html
    assert 'id="top_mentioned_candidates"' not in html  # no empty cards under the note
    assert html.count('data-figure="fig-chart-') == 13  # the conversation's charts only


def test_the_bot_part_alone_can_be_empty(known_lake_without_bot: Path) -> None:
    groups = {g["key"]: g for g in context_of(known_lake_without_bot / "enriched")["groups"]}
    assert groups["bot"]["empty"] is not None
    assert groups["mentions"]["empty"] is None  # the ETL found names in the messages


def _tiny() -> CandidateData:
    pl, pt = (
        Party(22, "PL", "Partido Liberal", 100),
        Party(13, "PT", "Partido dos Trabalhadores", 7),
    )

    def cand(number: int, office: str, party: Party, votes: int, rank: int | None) -> Candidate:
        return Candidate(number, f"C{number}", office, party, votes, rank, None, {}, {})

    race = Race("vereador", 0, 0, 0, 0, 0, 0)
    return CandidateData(
        election={},
        parties=(pl, pt),
        races={"vereador": race, "prefeito": race},
        candidates=(
            cand(22, "prefeito", pl, 5000, 1),  # a mayor's votes are not the party's
            cand(22111, "vereador", pl, 300, 1),
            cand(22222, "vereador", pl, 40, 2),
            cand(22333, "vereador", pl, 9, None),  # annulled: not valid votes
            cand(13111, "vereador", pt, 50, 3),
        ),
    )


def test_a_party_s_votes_are_its_valid_council_votes_plus_the_legenda() -> None:
    data = _tiny()
    assert party_votes(data, "PL") == 300 + 40 + 100
    assert party_votes(data, "PT") == 50 + 7
    assert party_votes(data, "NOVO") is None
    parties = QueryResult(("party", "mentions"), (("PT", 3), ("XYZ", 1)))
    assert with_candidates("top_mentioned_parties", parties, data).rows == (
        ("PT", 3, 57),
        ("XYZ", 1, None),
    )


def test_an_unknown_candidate_number_keeps_its_row_without_a_name() -> None:
    result = QueryResult(
        ("candidate_number", "office", "party", "mentions", "users"),
        ((99999, "vereador", None, 2, 1),),
    )
    joined = with_candidates("top_mentioned_candidates", result, _tiny())
    assert joined.columns[:2] == ("candidate_number", "ballot_name")
    assert joined.rows == ((99999, None, "vereador", None, 2, 1, None),)
    other = QueryResult(("x",), ((1,),))
    assert with_candidates("messages_per_day", other, _tiny()) is other
