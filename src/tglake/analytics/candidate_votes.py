"""Names and 2024 votes beside what the lake counts about candidates and parties (pure).

The votes live in the candidate data bundled with the package, not in the lake. Joining them
here, on query results, keeps the shared SQL free of them, so the same files still run
unchanged on Athena, which has no copy of the bundled data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tglake.analytics.results import QueryResult
from tglake.candidates.catalog import CandidateData

VEREADOR = "vereador"


def party_votes(data: CandidateData, sigla: str) -> int | None:
    """The party's votes for vereador in 2024: its candidates' valid votes plus the legenda
    votes (the proportional race is where a party's own vote exists); None for an unknown
    sigla."""
    party = next((p for p in data.parties if p.sigla == sigla), None)
    if party is None:
        return None
    nominal = sum(
        c.votes
        for c in data.candidates
        if c.party.number == party.number and c.office == VEREADOR and c.rank is not None
    )
    return nominal + party.legenda_votes


def ballot_name(data: CandidateData, number: Any) -> str | None:
    text = str(number if number is not None else "")
    candidate = data.by_number.get(int(text)) if text.isdigit() else None
    return candidate.ballot_name if candidate else None


def candidate_votes(data: CandidateData, number: Any) -> int | None:
    candidate = data.by_number.get(number)
    return candidate.votes if candidate else None


def _insert(
    result: QueryResult, after: str, name: str, value: Callable[[dict[str, Any]], Any]
) -> QueryResult:
    """``result`` with a column ``name`` right after ``after`` (at the end when ``after`` is
    empty), computed from each row."""
    at = result.columns.index(after) + 1 if after else len(result.columns)
    columns = (*result.columns[:at], name, *result.columns[at:])
    rows = tuple(
        (*row[:at], value(record), *row[at:])
        for row, record in zip(result.rows, result.records(), strict=True)
    )
    return QueryResult(columns, rows)


def _searched_name(data: CandidateData, record: dict[str, Any]) -> Any:
    target = str(record["target"])
    if record["target_kind"] == "partido":
        party = data.party_by_number.get(int(target)) if target.isdigit() else None
        return party.sigla if party else None
    return ballot_name(data, target)


def with_candidates(query: str, result: QueryResult, data: CandidateData) -> QueryResult:
    """The result of ``query`` with names and 2024 votes added where it names candidates or
    parties; any other result unchanged."""
    if query in ("top_mentioned_candidates", "mentions_per_day"):
        named = _insert(
            result,
            "candidate_number",
            "ballot_name",
            lambda r: ballot_name(data, r["candidate_number"]),
        )
        if query == "mentions_per_day":
            return named
        return _insert(named, "", "votes", lambda r: candidate_votes(data, r["candidate_number"]))
    if query == "top_mentioned_parties":
        return _insert(result, "", "votes", lambda r: party_votes(data, str(r["party"])))
    if query == "bot_top_searched":
        return _insert(result, "target", "name", lambda r: _searched_name(data, r))
    if query == "reasks":
        return _insert(result, "subject", "name", lambda r: _subject_name(data, r["subject"]))
    return result


def _subject_name(data: CandidateData, subject: str) -> str | None:
    """The name of a re-asked subject: ``22`` a candidate, ``partido:22`` a party's sigla."""
    if subject.startswith("partido:"):
        number = subject.removeprefix("partido:")
        party = data.party_by_number.get(int(number)) if number.isdigit() else None
        return party.sigla if party else None
    return ballot_name(data, subject)
