"""Who fills the seats of a proportional election, by the method of the law in force for 2024.

Pure computation (no I/O, no Mogi-specific facts); sources and worked reasoning in
``docs/camara.md``. The steps, from the Código Eleitoral (Lei 4.737/1965) as amended by Lei
14.211/2021, read with the STF's judgment of ADIs 7228, 7263 and 7325 (28 Feb 2024):

1. **Quociente eleitoral** (art. 106): valid votes (nominal + legenda) ÷ seats, a fraction of
   one half or less dropped, above one half rounded up.
2. **Quociente partidário** (art. 107): each list's votes ÷ QE, fraction dropped. A *list* is a
   party, or a federation counted as one party (Lei 9.096/1995 art. 11-A).
3. **Seats by QP** (art. 108): a list gets at most its QP seats, filled by its candidates with
   at least 10% of the QE, in order of their own votes.
4. **Remainders, phase 2** (art. 109 I–II and § 2): seat by seat, each list's votes ÷ (seats
   already won + 1); the largest average wins, among lists with at least 80% of the QE that
   still have an unelected candidate with at least 20% of the QE.
5. **Remainders, last phase** (art. 109 III as interpreted by the STF): when no list meets both
   requirements, *every* list competes by the same averages, with no 80%/20% requirement.

If no list reaches the QE, the most voted candidates are elected (art. 111). Ties: between
candidates of a list the older one wins (art. 110), then the lower ballot number when the ages
are unknown; between lists with the same average, the one with more votes, then the one whose
next candidate has more votes. A list's unelected candidates are its *suplentes* when it won a
seat (art. 112, no minimum vote), otherwise *não eleitos*.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Literal

Situation = Literal["eleito por QP", "eleito por média", "suplente", "não eleito"]
ELECTED: tuple[Situation, ...] = ("eleito por QP", "eleito por média")


@dataclasses.dataclass(frozen=True)
class Contender:
    """One candidate whose votes count (annulled candidacies are left out by the caller)."""

    number: int
    list_id: str
    """The party or federation the candidate's votes count for."""
    votes: int
    born: dt.date | None = None
    """Birth date, for the art. 110 tie-break (older first); None when unknown."""


@dataclasses.dataclass(frozen=True)
class ListResult:
    list_id: str
    votes: int
    quotient: int
    """Quociente partidário (votes ÷ QE, fraction dropped)."""
    seats_qp: int
    seats_average: int

    @property
    def seats(self) -> int:
        return self.seats_qp + self.seats_average


@dataclasses.dataclass(frozen=True)
class Allocation:
    """The result: the quotient, each list's seats and each candidate's situation."""

    seats: int
    valid_votes: int
    electoral_quotient: int
    lists: tuple[ListResult, ...]
    situation: Mapping[int, Situation]
    elected: tuple[int, ...]
    """Ballot numbers in the order the seats were filled."""
    last_phase_seats: int
    """Seats given in the STF's last phase (no 80%/20% requirement)."""


def electoral_quotient(valid_votes: int, seats: int) -> int:
    """Art. 106: a fraction of one half or less is dropped, above one half rounded up."""
    if seats <= 0 or valid_votes <= 0:
        raise ValueError("an election needs seats and valid votes")
    whole, rest = divmod(valid_votes, seats)
    return whole + (1 if 2 * rest > seats else 0)


def _candidate_order(c: Contender) -> tuple[int, int, dt.date, int]:
    return (-c.votes, c.born is None, c.born or dt.date.max, c.number)


def allocate(
    seats: int, list_votes: Mapping[str, int], candidates: Sequence[Contender]
) -> Allocation:
    """Fill ``seats`` from each list's total votes and its candidates' own votes."""
    unknown = {c.list_id for c in candidates} - list_votes.keys()
    if unknown:
        raise ValueError(f"candidates of lists without votes: {sorted(unknown)}")
    valid = sum(list_votes.values())
    qe = electoral_quotient(valid, seats)
    queue = {
        lid: sorted((c for c in candidates if c.list_id == lid), key=_candidate_order)
        for lid in list_votes
    }
    won: dict[str, list[int]] = {lid: [] for lid in list_votes}
    how: dict[int, Situation] = {}
    order: list[int] = []

    def give(lid: str, situation: Situation) -> None:
        c = queue[lid].pop(0)
        won[lid].append(c.number)
        how[c.number] = situation
        order.append(c.number)

    quotients = {lid: votes // qe for lid, votes in list_votes.items()}
    if not any(quotients.values()):  # art. 111: nobody reached the quotient
        for c in sorted(candidates, key=_candidate_order)[:seats]:
            queue[c.list_id].remove(c)
            won[c.list_id].append(c.number)
            how[c.number] = "eleito por média"
            order.append(c.number)
    for lid in sorted(list_votes, key=lambda lid: (-list_votes[lid], lid)):
        qualified = sum(1 for c in queue[lid] if 10 * c.votes >= qe)
        for _ in range(min(quotients[lid], qualified)):
            give(lid, "eleito por QP")
    qp_seats = {lid: len(w) for lid, w in won.items()}

    def best(pool: list[str]) -> str | None:
        if not pool:
            return None
        return max(
            pool,
            key=lambda lid: (
                Fraction(list_votes[lid], len(won[lid]) + 1),
                list_votes[lid],
                queue[lid][0].votes,
                lid,
            ),
        )

    last_phase = 0
    while len(order) < seats:
        strict = [
            lid
            for lid in list_votes
            if 5 * list_votes[lid] >= 4 * qe and queue[lid] and 5 * queue[lid][0].votes >= qe
        ]
        chosen = best(strict)
        if chosen is None:
            chosen = best([lid for lid in list_votes if queue[lid]])
            if chosen is None:
                break  # fewer candidates than seats: the rest stay empty
            last_phase += 1
        give(chosen, "eleito por média")
    situation: dict[int, Situation] = dict(how)
    for c in candidates:
        if c.number not in situation:
            situation[c.number] = "suplente" if won[c.list_id] else "não eleito"
    results = tuple(
        ListResult(
            lid,
            list_votes[lid],
            quotients[lid],
            qp_seats[lid],
            len(won[lid]) - qp_seats[lid],
        )
        for lid in sorted(list_votes, key=lambda lid: (-len(won[lid]), -list_votes[lid], lid))
    )
    return Allocation(seats, valid, qe, results, situation, tuple(order), last_phase)
