"""The evaluator: figures for any typed question, from the seção tally.

Every figure is a sum over the seções of a scope (:mod:`tglake.candidates.tally`): a
candidate's votes, a race's valid, blank and null votes, a party's nominal and legenda votes,
positions and shares within any scope or party. Nothing here words an answer (that is
:mod:`tglake.bot.render`); nothing here invents one: a scope the data does not have gives no
figure.
"""

from __future__ import annotations

import dataclasses

from tglake.candidates.catalog import Candidate, CandidateData, Party
from tglake.candidates.tally import (
    CITY,
    Scope,
    blank_key,
    candidate_key,
    legenda_key,
    null_key,
)


@dataclasses.dataclass(frozen=True)
class Standing:
    """One candidate's result in one scope (and, with ``party``, among that party's)."""

    candidate: Candidate
    scope: Scope
    votes: int
    share: float | None
    """% of the office's valid votes in the scope; None when the candidate's votes are
    annulled."""
    rank: int | None
    of: int
    """Candidates ranked in that field (valid votes only)."""
    party: Party | None = None


@dataclasses.dataclass(frozen=True)
class Totals:
    office: str
    scope: Scope
    valid: int
    blank: int
    null: int
    annulled: int
    legenda: int

    @property
    def counted(self) -> int:
        """Votes counted for this office: every voter casts one, so this is the turnout."""
        return self.valid + self.blank + self.null + self.annulled


def votes(data: CandidateData, c: Candidate, scope: Scope = CITY) -> int:
    if scope.is_city:
        return c.votes
    return data.tally.sum(candidate_key(c.number), scope)


def totals(data: CandidateData, office: str, scope: Scope = CITY) -> Totals:
    race = [c for c in data.in_race(office)]
    nominal = sum(votes(data, c, scope) for c in race if c.rank is not None)
    annulled = sum(votes(data, c, scope) for c in race if c.rank is None)
    legenda = (
        sum(data.tally.sum(legenda_key(p.number), scope) for p in data.parties)
        if office == "vereador"
        else 0
    )
    if scope.is_city:
        r = data.races[office]
        return Totals(office, scope, r.valid, r.blank, r.null, r.nominal_annulled, r.legenda)
    return Totals(
        office,
        scope,
        nominal + legenda,
        data.tally.sum(blank_key(office), scope),
        data.tally.sum(null_key(office), scope),
        annulled,
        legenda,
    )


def _ranking(
    data: CandidateData, office: str, scope: Scope, party: int | None
) -> tuple[tuple[Candidate, int], ...]:
    key = ("ranking", office, scope, party)
    found: tuple[tuple[Candidate, int], ...] | None = data.memo.get(key)
    if found is None:
        found = data.memo[key] = _rank(data, office, scope, party)
    return found


def _rank(
    data: CandidateData, office: str, scope: Scope, party: int | None
) -> tuple[tuple[Candidate, int], ...]:
    pool = [c for c in data.in_race(office) if c.rank is not None]
    if party is not None:
        pool = [c for c in pool if c.party.number == party]
    scored = [(c, votes(data, c, scope)) for c in pool]
    return tuple(sorted(scored, key=lambda cv: (-cv[1], cv[0].number)))


def ranking(
    data: CandidateData, office: str, scope: Scope = CITY, party: Party | None = None
) -> tuple[tuple[Candidate, int], ...]:
    """The office's candidates whose votes count, most voted in the scope first."""
    return _ranking(data, office, scope, party.number if party else None)


def standing(
    data: CandidateData, c: Candidate, scope: Scope = CITY, party: Party | None = None
) -> Standing:
    count = votes(data, c, scope)
    if c.rank is None:
        return Standing(c, scope, count, None, None, 0, party)
    field = ranking(data, c.office, scope, party)
    ahead = sum(1 for _, v in field if v > count)
    valid = totals(data, c.office, scope).valid
    share = 100.0 * count / valid if valid else None
    if party is not None:
        own = party_votes(data, party, c.office, scope)
        share = 100.0 * count / own if own else None
    return Standing(c, scope, count, share, ahead + 1, len(field), party)


def at_position(
    data: CandidateData, office: str, n: int, scope: Scope = CITY, party: Party | None = None
) -> Standing | None:
    """The n-th (1-based; -1 the last with votes) in the scope, or None past the field."""
    field = [(c, v) for c, v in ranking(data, office, scope, party) if v > 0 or scope.is_city]
    if not field or n == 0 or n > len(field):
        return None
    c = field[n - 1][0] if n > 0 else field[-1][0]
    return standing(data, c, scope, party)


def party_votes(
    data: CandidateData, party: Party, office: str = "vereador", scope: Scope = CITY
) -> int:
    """Nominal (valid) votes of the party's candidates, plus its legenda votes for vereador."""
    nominal = sum(votes(data, c, scope) for c in data.in_race(office, party) if c.rank is not None)
    legenda = data.tally.sum(legenda_key(party.number), scope) if office == "vereador" else 0
    if scope.is_city and office == "vereador":
        legenda = party.legenda_votes
    return nominal + legenda


def legenda_votes(data: CandidateData, party: Party, scope: Scope = CITY) -> int:
    if scope.is_city:
        return party.legenda_votes
    return data.tally.sum(legenda_key(party.number), scope)


def by_area(data: CandidateData, c: Candidate, kind: str) -> list[tuple[Scope, int, int | None]]:
    """``(scope, votes, rank there)`` for every scope of one kind, most votes first."""
    out = []
    for scope in data.tally.scopes(kind):  # type: ignore[arg-type]
        s = standing(data, c, scope)
        out.append((scope, s.votes, s.rank))
    return sorted(out, key=lambda t: (-t[1], t[0]))


def by_area_share(data: CandidateData, c: Candidate, kind: str) -> list[Standing]:
    """The candidate's standing in every scope of one kind, largest share of the valid votes
    first (a scope with no valid votes of the office last)."""
    rows = [standing(data, c, scope) for scope in data.tally.scopes(kind)]  # type: ignore[arg-type]
    return sorted(rows, key=lambda s: (-(s.share or -1.0), s.scope))


def areas_won(data: CandidateData, c: Candidate, kind: str) -> tuple[list[Scope], int]:
    """The scopes of one kind where the candidate was the most voted of the race, and how many
    scopes of that kind there are."""
    scopes = data.tally.scopes(kind)  # type: ignore[arg-type]
    won = []
    for scope in scopes:
        top = ranking(data, c.office, scope)
        if top and top[0][0] == c and top[0][1] > 0:
            won.append(scope)
    return won, len(scopes)


def zero_vote_candidates(data: CandidateData) -> list[Candidate]:
    return [c for c in data.candidates if c.votes == 0]


def scope_name(data: CandidateData, scope: Scope) -> str:
    if scope.kind == "place":
        place = data.tally.places[int(scope.id)]
        return f"{place.name} ({place.bairro})"
    if scope.kind == "zone":
        return f"zona {scope.id}"
    if scope.kind == "section":
        zone, number = scope.id.split(":")
        return f"seção {number} da zona {zone}"
    return scope.id or "Mogi das Cruzes"


def scope_phrase(data: CandidateData, scope: Scope) -> str:
    """«em Mogi das Cruzes», «no bairro Jundiapeba», «na zona 0074», «no local …»."""
    if scope.kind == "bairro":
        return f"no bairro {scope.id}"
    if scope.kind == "zone":
        return f"na zona eleitoral {scope.id}"
    if scope.kind == "place":
        return f"no local de votação {scope_name(data, scope)}"
    if scope.kind == "section":
        return f"na {scope_name(data, scope)}"
    return "em Mogi das Cruzes"
