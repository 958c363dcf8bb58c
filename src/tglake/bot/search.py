"""Find candidates, parties and bairros from what people type: accents and case ignored,
typos tolerated (rapidfuzz), several plausible answers returned as a short list."""

from __future__ import annotations

import dataclasses
import functools
import re
from typing import Literal

from rapidfuzz import fuzz

from tglake.candidates.catalog import Candidate, CandidateData, Party
from tglake.candidates.text import fold

MatchKind = Literal["number", "exact", "name", "fuzzy", "none"]

MAX_RESULTS = 8
FUZZY_CUTOFF = 82.0
"""Below this score a name is not offered (checked on typo tests in tests/bot)."""
CLEAR_WINNER_GAP = 8.0
_NUMBER = re.compile(r"^\s*(?:n[uú]mero\s*|n[ºo°]\.?\s*)?(\d{2}|\d{5})\s*$", re.IGNORECASE)


@dataclasses.dataclass(frozen=True)
class Found:
    """What a search found, best first; ``kind`` says how sure the match is."""

    kind: MatchKind
    candidates: tuple[Candidate, ...]

    @property
    def unique(self) -> Candidate | None:
        return self.candidates[0] if len(self.candidates) == 1 else None


_ABBREVIATIONS = {"dr": "doutor", "dra": "doutora", "prof": "professor", "profa": "professora"}


@functools.lru_cache(maxsize=8192)
def key(text: str) -> str:
    """Folded text with the titles people abbreviate spelt out (``dr`` → ``doutor``)."""
    return " ".join(_ABBREVIATIONS.get(word, word) for word in fold(text).split())


def _names(c: Candidate) -> list[str]:
    names = [key(c.ballot_name)]
    full = c.profile.get("nome_completo")
    if isinstance(full, str) and full:
        names.append(key(full))
    return names


def _score(query: str, name: str) -> float:
    """Each query word against its best name word, averaged; or the whole strings compared
    (``marabertaioli``). Word-wise scoring keeps one shared first name from winning."""
    words = name.split()
    per_word = [max(float(fuzz.ratio(q, w)) for w in words) for q in query.split()]
    return max(sum(per_word) / len(per_word), float(fuzz.ratio(query, name)))


def find_candidates(data: CandidateData, query: str) -> Found:
    """Number, exact name, all words contained, then fuzzy; best first."""
    number = _NUMBER.match(query)
    if number:
        hit = data.by_number.get(int(number[1]))
        return Found("number", (hit,)) if hit else Found("none", ())
    q = key(query)
    if len(q) < 2:
        return Found("none", ())
    exact = [c for c in data.candidates if q in _names(c)]
    if exact:
        return Found("exact", tuple(exact[:MAX_RESULTS]))
    words = q.split()
    contained = [
        c
        for c in data.candidates
        if any(all(w in name.split() for w in words) for name in _names(c))
    ]
    if contained:
        contained.sort(key=lambda c: (-c.votes, c.number))
        return Found("name", tuple(contained[:MAX_RESULTS]))
    scored = sorted(
        ((max(_score(q, n) for n in _names(c)), c) for c in data.candidates),
        key=lambda sc: (-sc[0], -sc[1].votes),
    )
    good = [(s, c) for s, c in scored if s >= FUZZY_CUTOFF]
    if not good:
        return Found("none", ())
    if len(good) == 1 or good[0][0] - good[1][0] >= CLEAR_WINNER_GAP:
        return Found("fuzzy", (good[0][1],))
    return Found("fuzzy", tuple(c for _, c in good[:MAX_RESULTS]))


def find_party(data: CandidateData, query: str) -> Party | None:
    """By number (``13``), sigla (``pt``, ``pcdob``) or name, tolerating typos."""
    q = fold(query)
    if not q:
        return None
    if q.isdigit():
        return data.party_by_number.get(int(q))
    compact = q.replace(" ", "")
    for party in data.parties:
        if compact == fold(party.sigla).replace(" ", ""):
            return party
    best: tuple[float, Party | None] = (0.0, None)
    for party in data.parties:
        score = max(
            float(fuzz.ratio(compact, fold(party.sigla).replace(" ", ""))),
            float(fuzz.WRatio(q, fold(party.name))) if len(q) > 3 else 0.0,
        )
        if score > best[0]:
            best = (score, party)
    return best[1] if best[0] >= FUZZY_CUTOFF else None


def find_bairro(data: CandidateData, query: str) -> list[str]:
    """Display names of the bairros that match, best first (empty when none is close)."""
    q = fold(query)
    if not q:
        return []
    if q in data.bairros:
        return [data.bairros[q]]
    scored = sorted(
        ((float(fuzz.WRatio(q, key)), name) for key, name in data.bairros.items()),
        key=lambda sn: (-sn[0], sn[1]),
    )
    good = [(s, n) for s, n in scored if s >= FUZZY_CUTOFF]
    if good and (len(good) == 1 or good[0][0] - good[1][0] >= CLEAR_WINNER_GAP):
        return [good[0][1]]
    return [n for _, n in good[:MAX_RESULTS]]
