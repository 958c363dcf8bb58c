"""The typed question: what a message asks, about whom, where, which position.

:func:`tglake.bot.parse.parse` turns a message into a :class:`Question`; the evaluator answers
any question from the seção tally, so a new combination of who, where and what needs no new
code path. Nothing here holds text a person typed: a question is ids and small enums, which is
also what a conversation's context keeps (:mod:`tglake.bot.context`).
"""

from __future__ import annotations

import dataclasses
import enum

from tglake.candidates.tally import CITY, Scope


class Ask(enum.StrEnum):
    """What is asked. The values are what bot events record as ``matched_kind``."""

    CARD = "candidate"
    """Everything about one candidate (a name alone)."""
    VOTES = "votes"
    SHARE = "share"
    RANK = "rank"
    """The position of given candidates in a scope (or within their party)."""
    POSITION = "position"
    """Who is n-th (or last) in a scope, an office, a party."""
    WINNER = "winner"
    COMPARE = "compare"
    DIFFERENCE = "difference"
    SUM = "sum"
    BEST = "best"
    WORST = "worst"
    WON_ANY = "won_any"
    WON_ALL = "won_all"
    ELECTED = "elected"
    """Was this candidate elected / who was elected / how many a party elected."""
    PARTY_OF = "party_of"
    NUMBER_OF = "number_of"
    PARTY = "party"
    """A party's votes, candidates, mayoral candidate."""
    TOTALS = "totals"
    """Valid, blank, null, turnout of a race in a scope."""
    LEGENDA = "legenda"
    COUNT = "count"
    ZERO_VOTES = "zero_votes"
    PLACE_INFO = "place_info"
    SECOND_ROUND = "second_round"
    SEATS_TOTAL = "seats_total"
    HELP = "help"
    LIMIT = "limit"
    """Something the data cannot say: :attr:`Question.limit` says what."""
    CLARIFY = "clarify"
    """Several things fit: the reply asks which (buttons)."""


class Unit(enum.StrEnum):
    """What a count, a best/worst or a «ganhou em…» is about."""

    SECTION = "secao"
    ZONE = "zone"
    BAIRRO = "bairro"
    PLACE = "place"
    CANDIDATE = "candidate"
    PARTY = "party"


class Limit(enum.StrEnum):
    """Why a question cannot be answered from the data (each has one sentence in limits)."""

    OTHER_CITY = "other_city"
    OTHER_YEAR = "other_year"
    ELECTORATE = "electorate"
    PROFILE = "profile"
    OPINION = "opinion"
    PREDICTION = "prediction"
    WHY = "why"
    UNKNOWN_NAME = "unknown_name"
    UNKNOWN_PLACE = "unknown_place"
    NOT_IN_DATA = "not_in_data"
    ABSENT_PARTY = "absent_party"
    WHICH_PLACE = "which_place"
    """«aqui», «lá» with no place said or remembered."""
    OTHER_OFFICE = "other_office"


class Measure(enum.StrEnum):
    VALID = "valid"
    BLANK = "blank"
    NULL = "null"
    BLANK_NULL = "blank_null"
    TURNOUT = "turnout"
    ALL = "all"


@dataclasses.dataclass(frozen=True)
class Question:
    ask: Ask
    candidates: tuple[int, ...] = ()
    """Ballot numbers, in the order the message names them."""
    parties: tuple[int, ...] = ()
    office: str | None = None
    """``prefeito`` or ``vereador`` when the message (or the subject) says which."""
    scope: Scope = CITY
    position: int | None = None
    """1-based; -1 is the last."""
    within_party: bool = False
    """A position or a ranking among the candidates of :attr:`parties` [0]."""
    unit: Unit | None = None
    measure: Measure | None = None
    share_of_party: bool = False
    by_share: bool = False
    """A best/worst place by the share of the valid votes there, not by the votes."""
    limit: Limit | None = None
    options: tuple[str, ...] = ()
    """For :attr:`Ask.CLARIFY`: entity ids (``cand:22``, ``bairro:<name>``, ``place:3``)."""
    detail: str = ""
    """A word for the reply (the other city, the unknown name), never stored in a context."""
