"""Where the simulation gets the 2024 candidates from: the bot's bundled TSE data, the one
place that knows them. The simulation needs only number, ballot name, office, party and votes
(people talk more about the candidates who got more votes)."""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Candidate:
    """What the simulation needs of a candidate."""

    number: int
    ballot_name: str
    office: str  # "Prefeito" or "Vereador"
    party: str
    votes: int = 0


def load_candidates() -> list[Candidate]:
    """The real 2024 candidates of Mogi das Cruzes, from the bot's bundled TSE data."""
    from tglake.candidates.catalog import bundled

    return [
        Candidate(c.number, c.ballot_name, c.office.title(), c.party.sigla, c.votes)
        for c in bundled().candidates
    ]
