"""Find candidates, parties and bairros from what people type: accents and case ignored,
typos tolerated (rapidfuzz), several plausible answers returned as a short list."""

from __future__ import annotations

import dataclasses
import functools
import re
from typing import Literal

from rapidfuzz import fuzz, process

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


@dataclasses.dataclass(frozen=True)
class _Names:
    """Every candidate's searchable names as word tuples, and the vocabulary of those words:
    a query word is scored once against each distinct word (in C), not once per name."""

    names: tuple[tuple[Candidate, tuple[tuple[str, tuple[str, ...]], ...]], ...]
    vocabulary: tuple[str, ...]
    whole: tuple[str, ...]
    by_name: dict[str, list[int]]
    """Each name → positions (in ``data.candidates``) of the candidates bearing it."""
    by_word: dict[str, set[tuple[int, int]]]
    """Each word → the (candidate position, name index) pairs whose name has that word."""


_NAMES: dict[int, tuple[CandidateData, _Names]] = {}


def _names_of(data: CandidateData) -> _Names:
    cached = _NAMES.get(id(data))
    if cached is None or cached[0] is not data:
        names = tuple((c, tuple((n, tuple(n.split())) for n in _names(c))) for c in data.candidates)
        vocabulary = sorted({w for _, ns in names for _, words in ns for w in words})
        whole = sorted({n for _, ns in names for n, _ in ns})
        by_name: dict[str, list[int]] = {}
        by_word: dict[str, set[tuple[int, int]]] = {}
        for position, (_, ns) in enumerate(names):
            for i, (name, words) in enumerate(ns):
                if position not in by_name.get(name, ()):
                    by_name.setdefault(name, []).append(position)
                for word in words:
                    by_word.setdefault(word, set()).add((position, i))
        index = _Names(names, tuple(vocabulary), tuple(whole), by_name, by_word)
        cached = (data, index)
        _NAMES[id(data)] = cached
    return cached[1]


def _fuzzy_scores(data: CandidateData, q: str, cutoff: float) -> list[tuple[float, Candidate]]:
    """``(max(_score(q, name)), candidate)`` for the candidates scoring at least ``cutoff``,
    the string comparisons done in bulk by rapidfuzz (the same scores as :func:`_score`). An
    average of per-word scores reaches the cutoff only if one word does, so a candidate with
    no word (and no whole name) at the cutoff is skipped unscored."""
    index = _names_of(data)
    per_query_word = [
        {w: float(s) for w, s, _ in process.extract(qw, index.vocabulary, scorer=fuzz.ratio,
                                                     limit=None)}
        for qw in q.split()
    ]  # fmt: skip
    whole = {n: float(s) for n, s, _ in process.extract(q, index.whole, scorer=fuzz.ratio,
                                                        limit=None)}  # fmt: skip
    hot = {w for ws in per_query_word for w, s in ws.items() if s >= cutoff}
    hot |= {n for n, s in whole.items() if s >= cutoff}
    count = len(per_query_word)
    out = []
    for c, names in index.names:
        if not any(n in hot or not hot.isdisjoint(words) for n, words in names):
            continue
        best = max(
            max(sum(max(map(ws.__getitem__, words)) for ws in per_query_word) / count, whole[n])
            for n, words in names
        )
        if best >= cutoff:
            out.append((best, c))
    return out


def find_candidates(data: CandidateData, query: str) -> Found:
    """Number, exact name, all words contained, then fuzzy; best first."""
    number = _NUMBER.match(query)
    if number:
        hit = data.by_number.get(int(number[1]))
        return Found("number", (hit,)) if hit else Found("none", ())
    q = key(query)
    if len(q) < 2:
        return Found("none", ())
    index = _names_of(data)
    exact = [data.candidates[p] for p in index.by_name.get(q, ())]
    if exact:
        return Found("exact", tuple(exact[:MAX_RESULTS]))
    words = q.split()
    pairs = set.intersection(*(index.by_word.get(w, set()) for w in words))
    contained = [data.candidates[p] for p in sorted({p for p, _ in pairs})]
    if contained:
        contained.sort(key=lambda c: (-c.votes, c.number))
        return Found("name", tuple(contained[:MAX_RESULTS]))
    good = sorted(_fuzzy_scores(data, q, FUZZY_CUTOFF), key=lambda sc: (-sc[0], -sc[1].votes))
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


@functools.lru_cache(maxsize=8192)
def bairro_key(text: str) -> str:
    """Folded, with the common abbreviations spelt out (``Cj. Hab.`` → ``conjunto
    habitacional``)."""
    return " ".join(BAIRRO_ABBREVIATIONS.get(w, w) for w in fold(text).split())


_BAIRRO_KEYS: dict[int, tuple[CandidateData, dict[str, str]]] = {}


def _bairro_keys(data: CandidateData) -> dict[str, str]:
    """``bairro_key(name) → name`` of every bairro, built once per data (as the names are)."""
    cached = _BAIRRO_KEYS.get(id(data))
    if cached is None or cached[0] is not data:
        cached = (data, {bairro_key(name): name for name in data.bairros.values()})
        _BAIRRO_KEYS[id(data)] = cached
    return cached[1]


def find_bairro(data: CandidateData, query: str) -> list[str]:
    """Display names of the bairros that match, best first (empty when none is close).

    Abbreviations are spelt out on both sides; then the query's distinctive words (not
    ``jardim``, ``vila``…) are looked for in the names, allowing a typo per word; one bairro
    holding them all is the answer. Else the old whole-string fuzzy match."""
    q = bairro_key(query)
    if not q:
        return []
    keys = _bairro_keys(data)
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
