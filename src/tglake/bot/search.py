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


PARTY_NAMES = {"podemos": "PODE", "uniao brasil": "UNIÃO", "pcdob": "PC do B",
               "republicano": "REPUBLICANOS", "solidariedade": "SOLIDARIEDADE"}  # fmt: skip
"""Names people use for a party instead of its sigla (folded, spaces removed is also tried)."""


def find_party(data: CandidateData, query: str) -> Party | None:
    """By number (``13``), exact sigla (``pt``, ``pcdob``; accents, case and spaces aside) or a
    close spelling of the party's full name. A near miss on a sigla is not a match: ``PSDB``
    is not ``PSB``, ``NOVO`` is not ``PODE``."""
    q = fold(query)
    if not q:
        return None
    if q.isdigit():
        return data.party_by_number.get(int(q))
    compact = q.replace(" ", "")
    by_sigla = {fold(p.sigla).replace(" ", ""): p for p in data.parties}
    if compact in by_sigla:
        return by_sigla[compact]
    alias = PARTY_NAMES.get(q) or PARTY_NAMES.get(compact)
    if alias is not None:
        return by_sigla.get(fold(alias).replace(" ", ""))
    if len(q) < 8:  # short text: a sigla-like word, and siglas are exact
        return None
    best: tuple[float, Party | None] = (0.0, None)
    for party in data.parties:
        score = float(fuzz.ratio(q, fold(party.name).replace(" legenda", "")))
        if score > best[0]:
            best = (score, party)
    return best[1] if best[0] >= 90.0 else None


BAIRRO_ABBREVIATIONS = {
    "jd": "jardim", "jdm": "jardim", "jard": "jardim", "vl": "vila", "v": "vila",
    "pq": "parque", "pque": "parque", "cj": "conjunto", "conj": "conjunto",
    "cjto": "conjunto", "res": "residencial", "resid": "residencial", "hab": "habitacional",
    "sta": "santa", "sto": "santo", "s": "sao", "sao": "sao", "n": "nossa", "sra": "senhora",
    "ch": "chacara", "chac": "chacara", "vla": "vila", "jardin": "jardim",
}  # fmt: skip
"""How people shorten bairro names (``jd``, ``vl``, ``pq``, ``cj``, ``res``, ``conj``)."""
_GENERIC_WORDS = (
    "jardim vila parque conjunto residencial habitacional chacara bairro de do da dos das sao "
    "santa santo no na em i ii iii"
)
_GENERIC = frozenset(_GENERIC_WORDS.split())


def bairro_key(text: str) -> str:
    """Folded, with the common abbreviations spelt out (``Cj. Hab.`` → ``conjunto
    habitacional``)."""
    return " ".join(BAIRRO_ABBREVIATIONS.get(w, w) for w in fold(text).split())


def find_bairro(data: CandidateData, query: str) -> list[str]:
    """Display names of the bairros that match, best first (empty when none is close).

    Abbreviations are spelt out on both sides; then the query's distinctive words (not
    ``jardim``, ``vila``…) are looked for in the names, allowing a typo per word; one bairro
    holding them all is the answer. Else the old whole-string fuzzy match."""
    q = bairro_key(query)
    if not q:
        return []
    keys = {bairro_key(name): name for name in data.bairros.values()}
    if q in keys:
        return [keys[q]]
    distinctive = [w for w in q.split() if w not in _GENERIC and len(w) >= 3]
    if distinctive:

        def fits(word: str, name: str) -> bool:
            return any(
                w == word or (len(word) >= 4 and fuzz.ratio(w, word) >= 75) for w in name.split()
            )

        hits = [name for key, name in keys.items() if all(fits(w, key) for w in distinctive)]
        if hits:
            generic = [w for w in q.split() if w in _GENERIC]
            kinds = {n: {w for w in bairro_key(n).split() if w in _GENERIC} for n in hits}
            same = [n for n in hits if kinds[n] == set(generic)]  # "jd x" → Jardim X
            more = [n for n in hits if kinds[n] >= set(generic)]  # "cj x" → Cj Res. X
            hits = same or more or hits
            if len(hits) > 1 and q in {bairro_key(n) for n in hits}:
                return [keys[q]]
            return sorted(hits, key=lambda n: (len(n), n))[:MAX_RESULTS]
    scored = sorted(
        ((float(fuzz.WRatio(q, key)), name) for key, name in keys.items()),
        key=lambda sn: (-sn[0], sn[1]),
    )
    good = [(s, n) for s, n in scored if s >= FUZZY_CUTOFF]
    if good and (len(good) == 1 or good[0][0] - good[1][0] >= CLEAR_WINNER_GAP):
        return [good[0][1]]
    return [n for _, n in good[:MAX_RESULTS]]
