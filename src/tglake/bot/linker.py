"""The entity linker: which candidates, parties, bairros, polling places, zones, offices, other
cities and years a message names, and where.

Every name the data holds is indexed word by word (ballot names and their words, titles,
siglas and party names, bairros, polling places and their acronyms, zones). A message's words
are looked up exactly, then with one typo for words that are not ordinary Portuguese
(:data:`ORDINARY`, from wordfreq by ``scripts/build_lexicon.py``): «câmara» is a word, so it is
never the bairro Chácara …, and «paz» alone is not INÊS PAZ. An ordinary word still names
something when the message points at it (``no Centro``, ``o Farofa``, capitals). Runs of
matched words become :class:`Mention` values; overlapping mentions are settled by score, so
«no braz cubas» is the bairro and «a escola aprigio de oliveira» the polling place.

Pure: the index is built once per :class:`~tglake.candidates.catalog.CandidateData`.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable
from importlib import resources
from typing import Literal

from rapidfuzz import fuzz, process

from tglake.candidates.catalog import CandidateData
from tglake.candidates.text import fold

Kind = Literal[
    "candidate",
    "party",
    "absent_party",
    "bairro",
    "place",
    "zone",
    "office",
    "city",
    "year",
    "number",
    "maybe",
    "section",
    "near",
]


@dataclasses.dataclass(frozen=True)
class Token:
    word: str
    """Folded, with abbreviations spelt out (``jd`` → ``jardim``, ``dr`` → ``doutor``)."""
    raw: str
    """As typed (its capitals say «a name» in the middle of a sentence)."""


@dataclasses.dataclass(frozen=True)
class Mention:
    kind: Kind
    ids: tuple[str, ...]
    """Candidate numbers (most voted first), party numbers, bairro names, place indices, zone
    codes, an office, a city or a year."""
    start: int
    end: int
    score: float
    exact: bool = True


def _lines(name: str) -> frozenset[str]:
    text = resources.files("tglake.bot").joinpath("data", name).read_text(encoding="utf-8")
    return frozenset(w for w in text.split("\n") if w and not w.startswith("#"))


ORDINARY = _lines("ordinary_pt.txt")
"""Ordinary Portuguese words: never linked on a near match, and on an exact one only when the
message points at a name."""

ABBREVIATIONS = {
    "dr": "doutor",
    "dra": "doutor",
    "doutora": "doutor",
    "prof": "professor",
    "profa": "professor",
    "professora": "professor",
    "profo": "professor",
    "pr": "pastor",
    "jd": "jardim",
    "jdm": "jardim",
    "jard": "jardim",
    "jardin": "jardim",
    "vl": "vila",
    "vla": "vila",
    "pq": "parque",
    "pque": "parque",
    "cj": "conjunto",
    "conj": "conjunto",
    "cjto": "conjunto",
    "res": "residencial",
    "resid": "residencial",
    "hab": "habitacional",
    "sta": "santa",
    "sto": "santo",
    "ch": "chacara",
    "chac": "chacara",
    "ver": "vereador",
    "sgt": "sargento",
    "cel": "coronel",
    "del": "delegado",
    "bras": "braz",
    "irma": "irmao",
    "delegada": "delegado",
    "pastora": "pastor",
    "sargenta": "sargento",
}
"""How people (and the TSE's files) shorten titles and bairro words; both sides are spelt out,
and feminine titles meet masculine ones (``professora`` = ``professor``)."""
TITLES = frozenset(
    [
        "professor",
        "doutor",
        "pastor",
        "delegado",
        "sargento",
        "coronel",
        "policial",
        "irmao",
        "missionario",
        "bispo",
        "tenente",
        "cabo",
        "capitao",
        "enfermeiro",
        "enfermeira",
        "vereador",
        "pai",
        "mae",
        "tio",
        "tia",
        "seu",
        "dona",
        "dom",
        "frei",
        "maestro",
        "comendador",
        "engenheiro",
        "historiador",
        "desembargador",
    ]
)
"""Words of a ballot name that say what someone is, not who: part of a name, never a name."""
CONNECTORS = frozenset({"de", "da", "do", "dos", "das", "e"})
ARTICLES = frozenset({"o", "a", "os", "as", "um", "uma"})
"""Never a name word on their own («MARCOS O PATRIOTA» is not named by «o»)."""
GENERIC_PLACE = frozenset(
    [
        "jardim",
        "vila",
        "parque",
        "conjunto",
        "residencial",
        "habitacional",
        "chacara",
        "sao",
        "santa",
        "santo",
        "nossa",
        "senhora",
        "alto",
        "nova",
        "novo",
        "i",
        "ii",
        "iii",
        "bairro",
    ]
)
SCHOOL_WORDS = frozenset(
    [
        "e",
        "m",
        "ee",
        "em",
        "emef",
        "emeif",
        "cm",
        "cempre",
        "ceim",
        "cer",
        "ceeja",
        "colegio",
        "escola",
        "estadual",
        "municipal",
        "centro",
        "educacional",
        "universidade",
        "faculdade",
        "up",
        "sesi",
        "n",
        "cdp",
        "cdhu",
        "provisoria",
        "detencao",
    ]
)
PLACE_CUES = frozenset(
    [
        "escola",
        "colegio",
        "universidade",
        "faculdade",
        "ee",
        "emef",
        "cempre",
        "ceim",
        "creche",
        "sesi",
        "local",
        "predio",
        "estadual",
        "municipal",
    ]
)
AREA_CUES = frozenset({"no", "na", "em", "bairro", "do", "da", "pro", "pra", "pelo", "pela"})
PERSON_CUES = frozenset(
    {"o", "a", "do", "da", "pro", "pra", "pelo", "pela", "com", "ao", "outro", "outra"}
)
NOT_NAMES = frozenset(
    [
        "quem",
        "qual",
        "quais",
        "quanto",
        "quantos",
        "quanta",
        "quantas",
        "teve",
        "tem",
        "foi",
        "ficou",
        "mais",
        "menos",
        "voto",
        "votos",
        "votou",
        "candidato",
        "candidata",
        "candidatos",
        "prefeito",
        "prefeita",
        "vereador",
        "vereadora",
        "vereadores",
        "partido",
        "bairro",
        "zona",
        "secao",
        "secoes",
        "eleito",
        "eleita",
        "eleicao",
        "mogi",
        "cruzes",
        "cidade",
        "lugar",
        "oi",
        "ola",
        "bot",
        "ganhou",
        "perdeu",
        "venceu",
        "numero",
        "obrigado",
        "obrigada",
        "valeu",
        "voce",
        "vc",
        "sabe",
        "queria",
        "saber",
        "menu",
        "ajuda",
        "comandos",
        "help",
        "start",
        "ola",
        "bom",
        "dia",
        "boa",
        "tarde",
        "noite",
    ]
)
"""Question words that may also be words of some name: never a mention on their own."""
OFFICES = {
    "prefeito": "prefeito",
    "prefeita": "prefeito",
    "prefeitura": "prefeito",
    "prefeitos": "prefeito",
    "executivo": "prefeito",
    "vereador": "vereador",
    "vereadora": "vereador",
    "vereadores": "vereador",
    "vereadoras": "vereador",
    "camara": "vereador",
    "legislativo": "vereador",
    "bancada": "vereador",
}
OTHER_CITIES = (
    "suzano",
    "sao paulo",
    "sp capital",
    "guarulhos",
    "aruja",
    "itaquaquecetuba",
    "itaqua",
    "poa",
    "ferraz de vasconcelos",
    "ferraz",
    "biritiba mirim",
    "biritiba",
    "guararema",
    "salesopolis",
    "santa isabel",
    "santo andre",
    "sao bernardo",
    "osasco",
    "campinas",
    "santos",
    "rio de janeiro",
    "belo horizonte",
    "curitiba",
    "salvador",
    "brasilia",
    "mairipora",
    "sao jose dos campos",
    "taubate",
    "jacarei",
    "diadema",
    "maua",
)
"""Cities people compare with or ask about instead (Alto Tietê first): named, not matched by
typo to a candidate (``suzano`` is not SUZANA)."""
PARTY_NAMES = {
    "podemos": 20,
    "uniao brasil": 44,
    "pcdob": 65,
    "pc do b": 65,
    "republicano": 10,
    "partido liberal": 22,
    "liberal": 22,
    "partido dos trabalhadores": 13,
    "trabalhadores": 13,
    "democracia crista": 27,
    "mobilizacao nacional": 33,
    "partido verde": 43,
    "socialismo e liberdade": 50,
    "social democratico": 55,
    "partido progressista": 11,
    "progressistas": 11,
    "renovacao democratica": 25,
    "comunista do brasil": 65,
    "movimento democratico brasileiro": 15,
    "rede sustentabilidade": 18,
    "mulher brasileira": 35,
    "socialista brasileiro": 40,
    "democratico trabalhista": 12,
    "trabalhista": 12,
    "renovador trabalhista": 28,
}
EVERYDAY_SIGLAS = frozenset(
    {
        "pode",
        "rede",
        "avante",
        "solidariedade",
        "uniao",
        "mobiliza",
        "pp",
        "dc",
        "pv",
        "pl",
        "pt",
        "novo",
        "up",
        "agir",
        "dem",
        "pmb",
        "prd",
    }
)
"""Siglas that are also words (or two letters anyone types): a party only when announced
(``partido``, ``o``/``do``), written in capitals, or beside another party."""
ABSENT = ("psdb", "cidadania", "novo", "pcb", "pco", "pstu", "up", "agir", "pmn", "dem", "psc")
"""Parties of 2024 that had no candidate in Mogi das Cruzes."""
ZONE_WORDS = frozenset({"zona", "zonas", "ze"})
_WORD = re.compile(r"[0-9]+[ºª°]?|[^\W\d_]+", re.UNICODE)


def tokens(text: str) -> list[Token]:
    """The message's words, folded and spelt out; ordinals keep their digit (``2º`` → ``2o``)."""
    out = []
    for raw in _WORD.findall(text.replace("º", "o ").replace("ª", "a ").replace("°", "o ")):
        word = fold(raw)
        for part in word.split():
            out.append(Token(ABBREVIATIONS.get(part, part), raw))
    return _join_ordinals(out)


def _join_ordinals(found: list[Token]) -> list[Token]:
    """``2`` ``o`` (from ``2º``) → ``2o``."""
    out: list[Token] = []
    for tok in found:
        if out and tok.word in ("o", "a") and out[-1].word.isdigit() and len(out[-1].word) <= 3:
            if tok.raw in ("o", "a") and not tok.raw.isupper():
                prev = out.pop()
                out.append(Token(prev.word + "o", prev.raw + tok.raw))
                continue
        out.append(tok)
    return out


_SOUNDS = (
    ("ph", "f"),
    ("th", "t"),
    ("y", "i"),
    ("w", "v"),
    ("k", "c"),
    ("ss", "s"),
    ("z", "s"),
    ("ç", "s"),
    ("qu", "c"),
)


@functools.lru_cache(maxsize=65536)
def sound(word: str) -> str:
    """A name word as it sounds, roughly: ``jhony``, ``johnny`` → ``joni``; ``thiago``,
    ``tiago`` → ``tiago``; ``luiz``, ``luis`` → ``luis``. Doubled letters and a silent ``h``
    (not in ``ch``, ``lh``, ``nh``) go."""
    out = word
    for a, b in _SOUNDS:
        out = out.replace(a, b)
    out = re.sub(r"(?<![cln])h", "", out)
    return re.sub(r"(.)\1+", r"\1", out)


def key_words(name: str) -> tuple[str, ...]:
    return tuple(ABBREVIATIONS.get(w, w) for w in fold(name).split())


@dataclasses.dataclass(frozen=True, eq=False)
class _Names:
    """One kind's names as word tuples, and each word's owners."""

    names: dict[str, tuple[str, ...]]
    """Entity id → its words."""
    by_word: dict[str, frozenset[str]]
    vocabulary: tuple[str, ...]
    by_sound: dict[str, frozenset[str]] = dataclasses.field(default_factory=dict)
    """:func:`sound` of each word → its owners (``jhony`` meets ``johnny``)."""

    @classmethod
    def of(cls, names: dict[str, tuple[str, ...]], skip: frozenset[str]) -> _Names:
        by_word: dict[str, set[str]] = {}
        for ident, words in names.items():
            for w in words:
                if w not in skip:
                    by_word.setdefault(w, set()).add(ident)
        by_sound: dict[str, set[str]] = {}
        for w, owners in by_word.items():
            if len(w) >= 4:
                by_sound.setdefault(sound(w), set()).update(owners)
        return cls(
            names,
            {w: frozenset(s) for w, s in by_word.items()},
            tuple(sorted(by_word)),
            {k: frozenset(v) for k, v in by_sound.items()},
        )

    @functools.lru_cache(maxsize=32768)  # noqa: B019 - one index per data, kept for its life
    def owners(self, word: str, fuzzy: bool) -> tuple[frozenset[str], bool]:
        """Who has ``word`` in a name (exactly), else the owners of the nearest word (one typo,
        long words that are not ordinary); ``(owners, exact)``."""
        hit = self.by_word.get(word)
        if hit:
            return hit, True
        if not fuzzy or len(word) < 4 or word in ORDINARY or word in NOT_NAMES:
            return frozenset(), False
        alike = self.by_sound.get(sound(word))
        if alike:
            return alike, False
        cutoff = 80.0 if len(word) >= 7 else 83.0
        found = process.extract(
            word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=cutoff, limit=6
        )
        owners: set[str] = set()
        for w, _, _ in found:
            if abs(len(w) - len(word)) <= 2 and w[0] == word[0]:
                owners |= self.by_word[w]
        return frozenset(owners), False


@dataclasses.dataclass(frozen=True)
class Index:
    candidates: _Names
    bairros: _Names
    places: _Names
    acronyms: dict[str, str]
    votes: dict[str, int]
    single_word: frozenset[str]
    """Candidates whose ballot name is one word (FAROFA): that word alone names them."""


_INDEX: dict[int, tuple[CandidateData, Index]] = {}


def index_of(data: CandidateData) -> Index:
    cached = _INDEX.get(id(data))
    if cached is None or cached[0] is not data:
        cached = (data, _build(data))
        _INDEX[id(data)] = cached
    return cached[1]


def _build(data: CandidateData) -> Index:
    names = {str(c.number): key_words(c.ballot_name) for c in data.candidates}
    for c in data.candidates:
        full = c.profile.get("nome_completo")
        if isinstance(full, str) and full:
            names[str(c.number)] = names[str(c.number)] + key_words(full)
    bairros = {b: key_words(b) for b in data.tally.bairros} or {
        b: key_words(b) for b in data.bairros.values()
    }
    places = {
        str(p.index): tuple(w for w in key_words(p.name) if w not in SCHOOL_WORDS)
        for p in data.tally.places
    }
    acronyms = {}
    for p in data.tally.places:
        words = [w for w in key_words(p.name) if w not in CONNECTORS and w != "up"]
        if words and words[0] == "universidade":
            acronyms["".join(w[0] for w in words)] = str(p.index)
    single = frozenset(str(c.number) for c in data.candidates if len(key_words(c.ballot_name)) == 1)
    return Index(
        _Names.of(names, CONNECTORS | ARTICLES),
        _Names.of(bairros, CONNECTORS | ARTICLES | GENERIC_PLACE),
        _Names.of(places, CONNECTORS | ARTICLES | TITLES),
        acronyms,
        {str(c.number): c.votes for c in data.candidates},
        single,
    )


def link(data: CandidateData, toks: list[Token]) -> list[Mention]:
    """Every mention in the message, overlaps settled (best score first), in text order."""
    index = index_of(data)
    found = [
        *_simple(data, toks),
        *_runs(index.candidates, toks, "candidate", index),
        *_runs(index.bairros, toks, "bairro", index),
        *_runs(index.places, toks, "place", index),
        *_acronyms(index, toks),
    ]
    chosen: list[Mention] = []
    taken: set[int] = set()
    for m in sorted(found, key=lambda m: (-m.score, m.start)):
        span = set(range(m.start, m.end))
        if span & taken:
            continue
        chosen.append(m)
        taken |= span
    return sorted(chosen, key=lambda m: m.start)


def _before(toks: list[Token], i: int, back: int = 1) -> set[str]:
    return {t.word for t in toks[max(0, i - back) : i]}


def _capital(tok: Token, i: int) -> bool:
    return i > 0 and tok.raw[:1].isupper() and not tok.raw.isupper()


def _simple(data: CandidateData, toks: list[Token]) -> Iterable[Mention]:
    """Numbers, zones, offices, years, parties, other cities: words looked up as they are."""
    words = [t.word for t in toks]
    text = " " + " ".join(words) + " "
    for i, tok in enumerate(toks):
        w = tok.word
        if w in OFFICES:
            yield Mention("office", (OFFICES[w],), i, i + 1, 1.0)
        elif w.isdigit():
            yield from _number(data, toks, i)
    for city in OTHER_CITIES:
        at = text.find(f" {city} ")
        if at >= 0:
            start = text[:at].count(" ")
            size = len(city.split())
            if city == "santos" and start > 0 and words[start - 1] not in ("em", "de"):
                continue
            yield Mention("city", (city,), start, start + size, 3.0 + size)
    yield from _parties(data, toks)


def _number(data: CandidateData, toks: list[Token], i: int) -> Iterable[Mention]:
    w = toks[i].word
    before = _before(toks, i, 2)
    after = toks[i + 1].word if i + 1 < len(toks) else ""
    if _before(toks, i, 1) & {"secao", "sessao", "urna"}:
        yield Mention("section", (str(int(w)),), i - 1, i + 1, 4.0)
        return
    bare_zone = (
        w.zfill(4) in data.tally.zones
        and len(w) >= 2
        and _before(toks, i, 1) & {"na", "da", "a", "em"}
    )
    if before & ZONE_WORDS or after in ("zona", "ze") or bare_zone:
        zone = w.zfill(4)
        if zone in data.tally.zones or not data.tally.zones:
            yield Mention(
                "zone", (zone,), i - 1 if toks[i - 1].word in ZONE_WORDS else i, i + 1, 4.0
            )
            return
    if len(w) == 4 and w[:2] in ("19", "20"):
        yield Mention("year", (w,), i, i + 1, 2.0)
    elif len(w) == 5 and int(w) in data.by_number:
        yield Mention("candidate", (w,), i, i + 1, 6.0)
    elif len(w) in (2, 5):
        yield Mention("number", (w,), i, i + 1, 1.5)


def _parties(data: CandidateData, toks: list[Token]) -> Iterable[Mention]:
    words = [t.word for t in toks]
    siglas = {fold(p.sigla).replace(" ", ""): p.number for p in data.parties}
    joined = " ".join(words)
    for alias, number in PARTY_NAMES.items():
        if alias not in joined:
            continue
        for m in re.finditer(rf"(?:^| ){re.escape(alias)}(?= |$)", joined):
            start = joined[: m.start() + (1 if m.start() else 0)].count(" ")
            yield Mention("party", (str(number),), start, start + len(alias.split()), 3.0)
    for i, tok in enumerate(toks):
        w = tok.word
        found = siglas.get(w)
        absent = w in ABSENT and found is None
        if found is None and not absent:
            continue
        announced = bool(_before(toks, i, 1) & {"partido", "o", "do", "pelo", "no", "a", "da"})
        shouting = tok.raw.isupper() and len(tok.raw) >= 2
        if w in EVERYDAY_SIGLAS and not (announced or shouting or _next_is_party(toks, i)):
            continue
        if absent:
            yield Mention("absent_party", (w,), i, i + 1, 3.5)
        else:
            yield Mention("party", (str(found),), i, i + 1, 3.5 if announced else 3.0)


def _next_is_party(toks: list[Token], i: int) -> bool:
    near = {t.word for t in toks[max(0, i - 2) : i + 3]} - {toks[i].word}
    return bool(near & {"ou", "e", "x", "vs", "contra"}) and any(
        t.raw.isupper() for t in toks[max(0, i - 2) : i + 3] if t is not toks[i]
    )


def _acronyms(index: Index, toks: list[Token]) -> Iterable[Mention]:
    for i, tok in enumerate(toks):
        place = index.acronyms.get(tok.word)
        if place is not None:
            yield Mention("place", (place,), i, i + 1, 4.0)


def _runs(names: _Names, toks: list[Token], kind: Kind, index: Index) -> Iterable[Mention]:
    """Runs of consecutive words (connectors allowed inside) that one or more names share."""
    n = len(toks)
    named = {k for k in range(n) if _word_owners(names, toks, k, kind, index)[0]}
    i = 0
    while i < n:
        owners, exact = _word_owners(names, toks, i, kind, index)
        if not owners:
            i += 1
            continue
        j, common, matched, all_exact = i + 1, owners, [i], exact
        while j < n:
            k = j
            while k < n and toks[k].word in CONNECTORS:
                k += 1
            if k >= n:
                break
            nxt, nxt_exact = _word_owners(names, toks, k, kind, index)
            both = common & nxt
            if not both:
                break
            common, all_exact = both, all_exact and nxt_exact
            matched.append(k)
            j = k + 1
        start = i
        if kind != "candidate":  # «vila natal»: the generic word belongs to the name
            while (
                start > 0
                and toks[start - 1].word in GENERIC_PLACE
                and any(toks[start - 1].word in names.names[o] for o in common)
            ):
                start -= 1
        mention = _score(names, toks, kind, index, start, j, matched, common, all_exact, named)
        if mention is not None:
            yield mention
        i = j


def _word_owners(
    names: _Names, toks: list[Token], i: int, kind: Kind, index: Index
) -> tuple[frozenset[str], bool]:
    w = toks[i].word
    if w.isdigit() or w in CONNECTORS or (kind != "candidate" and w in TITLES):
        return frozenset(), False
    return names.owners(w, fuzzy=True)


def _score(
    names: _Names,
    toks: list[Token],
    kind: Kind,
    index: Index,
    start: int,
    end: int,
    matched: list[int],
    owners: frozenset[str],
    exact: bool,
    named: set[int],
) -> Mention | None:
    words = [toks[k].word for k in matched]
    strong = [w for w in words if w not in TITLES and w not in NOT_NAMES]
    generic = GENERIC_PLACE if kind != "candidate" else frozenset()
    distinctive = [w for w in strong if w not in generic]
    titled = kind == "candidate" and any(w in TITLES for w in words)
    pointed = _pointed(toks, start, kind)
    if not distinctive:
        # a title alone («o delegado»): the few candidates who carry it, to choose from
        follows = toks[end].word if end < len(toks) else ""
        named_next = (
            follows.isalpha()
            and len(follows) >= 3
            and follows not in NOT_NAMES | {"teve", "fez", "foi", "ficou", "ganhou", "tem"}
            and follows not in CONNECTORS
        )
        if titled and pointed and len(owners) <= 6 and len(words) == 1 and not named_next:
            ranked = sorted(owners, key=lambda o: -index.votes.get(o, 0))
            return Mention(kind, tuple(ranked), start, end, 1.5, exact)
        return None
    ordinary = all(w in ORDINARY for w in distinctive) and not titled
    whole = [o for o in owners if _is_whole(names.names[o], words)]
    if len(distinctive) == 1 and (ordinary or len(distinctive[0]) < 3):
        single_name = kind == "candidate" and bool(owners & index.single_word)
        phrase = _in_phrase(names, toks, start, owners)
        if phrase:
            owners = phrase
        elif not (pointed and (single_name or kind != "candidate" or whole)):
            if kind == "candidate" and exact and single_name:
                return Mention("maybe", tuple(sorted(owners & index.single_word)), start, end, 0.5)
            return None
        elif single_name:
            owners = owners & index.single_word
    if (
        not exact
        and kind == "candidate"
        and _beside_other_name(names, toks, start, end, owners, named)
    ):
        return None  # «pastor marco feliciano»: another person, near one candidate's name
    if not exact and len(distinctive) == 1 and len(owners) > 3:
        return None  # one misspelt word close to many names: a guess, not a mention
    if kind == "candidate" and not whole and _other_surname(names, toks, start, end, owners, index):
        # «Malu Ferreira», «Inês Pazini»: a real first name, someone else's surname
        ranked = sorted(owners, key=lambda o: -index.votes.get(o, 0))
        return Mention("near", tuple(ranked[:5]), start, min(end + 1, len(toks)), 2.0 + len(words))
    score = 1.0 + len(distinctive) + (1.0 if exact else -0.5) + (0.7 if whole else 0.0)
    if kind == "place":
        score += 1.5 if _before(toks, start, 3) & PLACE_CUES else -1.0
        if not (_before(toks, start, 3) & PLACE_CUES) and len(distinctive) < 2:
            return None
    if kind == "bairro":
        score += 1.2 if pointed else 0.0
        score += 0.3 * sum(1 for k in range(start, end) if toks[k].word in GENERIC_PLACE)
    if kind == "candidate" and pointed:
        score += 0.2
    ranked = sorted(owners, key=lambda o: (o not in whole, -index.votes.get(o, 0), o))
    if whole and kind != "candidate":
        ranked = [o for o in ranked if o in whole]
        said = set(words) | CONNECTORS
        same = [o for o in ranked if set(names.names[o]) <= said]  # «braz cubas», not «Cj. …»
        ranked = same or ranked
    return Mention(kind, tuple(ranked), start, end, score, exact)


def _in_phrase(
    names: _Names, toks: list[Token], start: int, owners: frozenset[str]
) -> frozenset[str]:
    """The owners whose name has the connector before this word too («da inclusão», «do
    salão»): an ordinary word, but said as part of a name."""
    if start == 0 or toks[start - 1].word not in CONNECTORS:
        return frozenset()
    pair = (toks[start - 1].word, toks[start].word)
    return frozenset(
        o
        for o in owners
        if any(names.names[o][i : i + 2] == pair for i in range(len(names.names[o]) - 1))
    )


def _beside_other_name(
    names: _Names,
    toks: list[Token],
    start: int,
    end: int,
    owners: frozenset[str],
    named: set[int],
) -> bool:
    """A typo match beside a name-like word that none of the owners has (a title, a word that
    is not ordinary, or a word another name matched): the message names someone else
    («pastor marco feliciano» is not CORONEL FELICIO …)."""
    for k in (start - 1, end):
        if not 0 <= k < len(toks):
            continue
        w = toks[k].word
        if w in CONNECTORS or w in NOT_NAMES or not w.isalpha() or len(w) < 3:
            continue
        after_title = k > 0 and toks[k - 1].word in TITLES
        name_like = w in TITLES or w not in ORDINARY or k in named or after_title
        if name_like and not any(w in names.names[o] for o in owners):
            return True
    return False


def _other_surname(
    names: _Names, toks: list[Token], start: int, end: int, owners: frozenset[str], index: Index
) -> bool:
    """The word right after a partial name looks like a surname none of these candidates has
    (not ordinary, not a place, party or question word)."""
    if end >= len(toks):
        return False
    w = toks[end].word
    if (
        not w.isalpha()
        or len(w) < 3
        or w in CONNECTORS
        or w in NOT_NAMES
        or w in TITLES
        or w in OFFICES
        or w in EVERYDAY_SIGLAS
    ):
        return False
    capital = toks[end].raw[:1].isupper()
    if w not in names.by_word and not capital:
        return False  # not a word of anyone's name, nor written as one
    if w not in names.by_word and (w in index.bairros.by_word or w in ORDINARY):
        return False  # an ordinary word, and nobody's name
    theirs = {x for o in owners for x in names.names[o]}
    return not any(float(fuzz.ratio(w, x)) >= 60 or sound(w) == sound(x) for x in theirs)


def _is_whole(name: tuple[str, ...], words: list[str]) -> bool:
    core = [w for w in name if w not in CONNECTORS and w not in TITLES and w not in GENERIC_PLACE]
    said = set(words)
    return bool(core) and all(w in said for w in core)


def _pointed(toks: list[Token], start: int, kind: Kind) -> bool:
    """Whether the message points at a name here: a preposition or article before it, or
    capitals in mid-sentence."""
    cues = PERSON_CUES if kind == "candidate" else AREA_CUES | PLACE_CUES
    return bool(_before(toks, start, 1) & cues) or _capital(toks[start], start)
