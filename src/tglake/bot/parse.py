"""Messages into typed questions: one ordered table of named rules over linked entities.

:func:`parse` tokenises and links the message (:mod:`tglake.bot.linker`), reads its cue words
(typo-tolerant stems: ``prefeto``, ``elieto``), then asks :data:`RULES` in order; the first rule
that recognises the message gives the :class:`~tglake.bot.question.Question`. Each rule is a
small named function, testable on its own. :func:`resolve` then fills what a follow-up leaves
out («e o segundo?», «e no Jundiapeba?», «ele é de qual partido?») from the conversation's
context, and picks one candidate where a name fits several (an office said, the mayoral
candidate, a much more voted namesake), or asks.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable

from rapidfuzz import fuzz

from tglake.bot.context import Context
from tglake.bot.linker import Mention, Token, link, tokens
from tglake.bot.question import Ask, Limit, Measure, Question, Unit
from tglake.candidates.catalog import CandidateData
from tglake.candidates.tally import CITY, Scope

ORDINALS = {
    "primeiro": 1,
    "primeira": 1,
    "segundo": 2,
    "segunda": 2,
    "terceiro": 3,
    "terceira": 3,
    "quarto": 4,
    "quarta": 4,
    "quinto": 5,
    "quinta": 5,
    "sexto": 6,
    "setimo": 7,
    "oitavo": 8,
    "nono": 9,
    "decimo": 10,
    "ultimo": -1,
    "ultima": -1,
    "lanterna": -1,
    "vice": 2,
}
NOT_POSITIONS = frozenset(
    {
        "idade",
        "vez",
        "vezes",
        "feira",
        "turno",
        "dia",
        "mandato",
        "ano",
        "anos",
        "serie",
        "grau",
        "filho",
        "filha",
        "neto",
        "casamento",
        "semestre",
        "mes",
        "andar",
        "lei",
    }
)
"""«terceira idade», «primeira vez», «segunda feira»: ordinal words that are not a position."""
SHORTHAND = {
    "qnts": "quantos",
    "qts": "quantos",
    "qtos": "quantos",
    "qntos": "quantos",
    "qto": "quanto",
    "qnt": "quanto",
    "qnto": "quanto",
    "qtas": "quantas",
    "qntas": "quantas",
    "vc": "voce",
    "vcs": "voces",
    "q": "que",
    "oq": "o que",
    "pq": "porque",
    "tb": "tambem",
    "tbm": "tambem",
    "mto": "muito",
    "mt": "muito",
    "msm": "mesmo",
    "hj": "hoje",
    "ngm": "ninguem",
    "td": "tudo",
    "tds": "todos",
    "cmg": "comigo",
    "blz": "beleza",
    "vts": "votos",
    "vt": "voto",
    "vtos": "votos",
    "num": "numero",
    "n": "nao",
    "nao": "nao",
    "eh": "e",
    "oque": "o que",
    "porcentagem": "porcento",
    "cento": "porcento",
    "percentual": "porcento",
}
"""Chat spellings, spelt out before the rules read the message."""


@dataclasses.dataclass(frozen=True, eq=False)
class Parsed:
    """What the rules read: the words, the linked mentions by kind, and the text."""

    data: CandidateData
    toks: tuple[Token, ...]
    mentions: tuple[Mention, ...]
    text: str
    """The folded words joined by spaces, padded with a space at both ends."""
    raw: str

    def of(self, kind: str) -> list[Mention]:
        return [m for m in self.mentions if m.kind == kind]

    @functools.cached_property
    def words(self) -> tuple[str, ...]:
        return tuple(t.word for t in self.toks)

    def has(self, *stems: str) -> bool:
        """A word starts with one of the stems, or is one typo from it (long stems); a stem
        of several words is looked for as a phrase."""
        words = tuple(s for s in stems if " " not in s)
        phrases = [s for s in stems if " " in s]
        return _has(self.words, words) or self.phrase(*phrases)

    def said(self, *words: str) -> bool:
        """One of these whole words, or one typo from it (``elieto``), not a longer word that
        starts with it (``eleitores`` is not ``eleito``)."""
        return _said(self.words, words)

    def starts(self, *stems: str) -> bool:
        """Like :meth:`has`, with no typo allowed: for the words that refuse (a typo of
        «faltou» is «falou»)."""
        words = tuple(s for s in stems if " " not in s)
        phrases = [s for s in stems if " " in s]
        return _starts(self.words, words) or self.phrase(*phrases)

    def phrase(self, *phrases: str) -> bool:
        return any(f" {p} " in self.text for p in phrases)

    @property
    def offices(self) -> set[str]:
        return {m.ids[0] for m in self.of("office")}

    @property
    def office(self) -> str | None:
        found = self.offices
        return found.pop() if len(found) == 1 else None

    @functools.cached_property
    def position(self) -> int | None:
        for i, w in enumerate(self.words):
            following = self.words[i + 1] if i + 1 < len(self.words) else ""
            if following in NOT_POSITIONS:
                continue
            if w in ORDINALS and not (w == "segundo" and self.has("turno")):
                if w in ("segunda", "quarta", "quinta", "sexta") and self.phrase(f"{w} feira"):
                    continue
                return ORDINALS[w]
            m = re.fullmatch(r"(\d{1,3})o", w)
            if m and not (i + 1 < len(self.words) and self.words[i + 1] == "turno"):
                return int(m[1])
        if self.phrase("menos votado", "menos votada", "menos votos", "pior colocado"):
            return -1
        return None


@functools.lru_cache(maxsize=65536)
def _like(word: str, stem: str) -> bool:
    if word.startswith(stem):
        return True
    return len(stem) >= 5 and float(fuzz.ratio(word[: len(stem) + 1], stem)) >= 84


@functools.lru_cache(maxsize=65536)
def _has(words: tuple[str, ...], stems: tuple[str, ...]) -> bool:
    return any(_like(w, s) for w in words for s in stems)


@functools.lru_cache(maxsize=65536)
def _starts(words: tuple[str, ...], stems: tuple[str, ...]) -> bool:
    return any(w.startswith(s) for w in words for s in stems)


@functools.lru_cache(maxsize=65536)
def _said(words: tuple[str, ...], wanted: tuple[str, ...]) -> bool:
    return any(
        w == x or (len(x) >= 5 and abs(len(w) - len(x)) <= 1 and fuzz.ratio(w, x) >= 84)
        for w in words
        for x in wanted
    )


def _spelt(text: str) -> str:
    """The message with chat spellings spelt out (word by word, case kept elsewhere)."""
    return " ".join(SHORTHAND.get(w.lower(), w) for w in text.split())


def read(data: CandidateData, text: str) -> Parsed:
    toks = tokens(_spelt(text))
    toks = [Token(SHORTHAND.get(t.word, t.word), t.raw) for t in toks]
    mentions = _not_the_writer(_promote(link(data, toks), toks), toks)
    return Parsed(
        data, tuple(toks), tuple(mentions), " " + " ".join(t.word for t in toks) + " ", text
    )


_ABOUT_SOMEONE = (
    "voto",
    "votos",
    "eleit",
    "elegeu",
    "partido",
    "numero",
    "ganhou",
    "teve",
    "fez",
    "ficou",
    "lugar",
    "passou",
    "entrou",
)


def _promote(found: list[Mention], toks: list[Token]) -> list[Mention]:
    """A one-word ballot name that is also a word («vasco», «gigante») names the candidate when
    the message asks about someone and names no one else; otherwise it is just the word."""
    maybe = [m for m in found if m.kind == "maybe"]
    rest = [m for m in found if m.kind != "maybe"]
    words = tuple(t.word for t in toks)
    if maybe and not any(m.kind == "candidate" for m in rest) and _has(words, _ABOUT_SOMEONE):
        rest += [dataclasses.replace(m, kind="candidate") for m in maybe[:1]]
    return sorted(rest, key=lambda m: m.start)


SELF_INTRODUCTION = (("meu", "nome", "e"), ("me", "chamo"), ("aqui", "e", "a"), ("aqui", "e", "o"))
"""«meu nome é Sandra»: the name that follows is the writer, not whom they ask about."""


def _not_the_writer(found: list[Mention], toks: list[Token]) -> list[Mention]:
    words = [t.word for t in toks]

    def introduced(start: int) -> bool:
        return any(tuple(words[max(0, start - len(w)) : start]) == w for w in SELF_INTRODUCTION)

    return [m for m in found if not (m.kind == "candidate" and introduced(m.start))]


# ---- the pieces every rule reads ------------------------------------------------------------


def _scope(p: Parsed) -> Scope:
    """The narrowest place the message names: a polling place, a bairro, a zone; else the city."""
    sections, zones = p.of("section"), p.of("zone")
    city_at = _city_word_at(p)
    if city_at is not None and not any(
        m.start > city_at for kind in ("place", "bairro", "zone") for m in p.of(kind)
    ):  # «sou do Mogi Moderno … quem foi o mais votado da cidade toda?»
        return CITY
    if sections and zones:
        return Scope("section", f"{zones[0].ids[0]}:{sections[0].ids[0]}")
    for kind in ("place", "bairro", "zone"):
        found = p.of(kind)
        if found and len(found[0].ids) == 1:
            return Scope(kind, found[0].ids[0])
    return CITY


def _city_word_at(p: Parsed) -> int | None:
    """Where the message says «na cidade toda», «no total» (a token index), if it does."""
    words = p.words
    for phrase in CITY_WORDS:
        w = tuple(phrase.split())
        for k in range(len(words) - len(w) + 1):
            if words[k : k + len(w)] == w:
                return k
    return None


def _candidates(p: Parsed) -> tuple[int, ...]:
    return tuple(int(m.ids[0]) for m in p.of("candidate"))


def _parties(p: Parsed) -> tuple[int, ...]:
    seen: list[int] = []
    for m in p.of("party"):
        if int(m.ids[0]) not in seen:
            seen.append(int(m.ids[0]))
    return tuple(seen)


def _unit(p: Parsed) -> Unit | None:
    if p.has("secao", "secoes", "sessao", "sessoes", "urna"):
        return Unit.SECTION
    if p.has("zona"):
        return Unit.ZONE
    if p.has("escola", "colegio", "locais", "local", "lugares de vot", "predio"):
        return Unit.PLACE
    if p.has("bairro", "regiao", "regioes"):
        return Unit.BAIRRO
    return None


def _q(p: Parsed, ask: Ask, **fields: object) -> Question:
    base: dict[str, object] = {
        "candidates": _candidates(p),
        "parties": _parties(p),
        "office": p.office,
        "scope": _scope(p),
        "position": p.position,
    }
    base.update(fields)
    return Question(ask, **base)  # type: ignore[arg-type]


ASKS_VOTES = ("voto", "votad", "votacao", "resultado", "fez", "teve", "recebeu", "obteve")
WINS = ("ganhou", "ganhad", "venceu", "vencedor", "vencedora", "levou", "ganhar", "ganhei")
ELECTED = (
    "eleito",
    "eleita",
    "eleitos",
    "eleitas",
    "elegeu",
    "elegeram",
    "eleger",
    "elegi",
    "reeleito",
    "reeleita",
    "reelegeu",
    "elegeram",
    "elegerem",
    "eleja",
)
"""Whole words (:meth:`Parsed.said`): «eleitores» and «eleitoral» are not about who won."""


# ---- the rules, in the order they are asked ------------------------------------------------

Rule = Callable[[Parsed], Question | None]


def help_request(p: Parsed) -> Question | None:
    entities = [m for m in p.mentions if m.kind not in ("office",)]
    asks_help = p.phrase(
        "como funciona",
        "como usa",
        "como usar",
        "o que voce",
        "que voce sabe",
        "voce faz",
        "pode fazer",
        "sabe fazer",
        "ajuda",
        "me ajuda",
        "menu",
        "comandos",
        "help",
        "o que da pra",
        "o que posso",
        "que posso perguntar",
        "quem e voce",
        "quem e vc",
        "voce e um bot",
        "como te uso",
        "para que serve",
        "pra que serve",
    ) or p.words in (
        ("oi",),
        ("ola",),
        ("bom", "dia"),
        ("boa", "tarde"),
        ("boa", "noite"),
        ("start",),
        ("inicio",),
        ("oi", "bot"),
        ("ola", "bot"),
        ("e", "ai"),
    )
    if asks_help and (not entities or p.words in (("menu",), ("ajuda",), ("help",), ("comandos",))):
        return Question(Ask.HELP)
    return None


def other_city(p: Parsed) -> Question | None:
    cities = p.of("city")
    if cities and not p.has("mogi"):
        return Question(Ask.LIMIT, limit=Limit.OTHER_CITY, detail=cities[0].ids[0])
    return None


def other_year(p: Parsed) -> Question | None:
    years = [m.ids[0] for m in p.of("year") if m.ids[0] != "2024"]
    if years:
        return Question(Ask.LIMIT, limit=Limit.OTHER_YEAR, detail=years[0])
    if p.phrase("eleicao passada", "ultima eleicao antes", "proxima eleicao", "em 2028"):
        return Question(Ask.LIMIT, limit=Limit.OTHER_YEAR, detail="")
    return None


def someone_else(p: Parsed) -> Question | None:
    """A name close to a candidate's but not theirs: say so, and offer the close ones."""
    near = p.of("near")
    if near and not p.of("candidate"):
        detail = " ".join(t.raw for t in p.toks[near[0].start : near[0].end])
        return Question(
            Ask.LIMIT,
            limit=Limit.UNKNOWN_NAME,
            detail=detail,
            options=tuple(f"cand:{i}" for i in near[0].ids),
        )
    return None


def other_office(p: Parsed) -> Question | None:
    if p.starts(
        "deputad",
        "senador",
        "senadora",
        "governador",
        "governadora",
        "presidente da rep",
        "presidencia",
    ) or p.phrase("presidente do brasil", "pra presidente"):
        if not p.of("candidate"):
            return Question(Ask.LIMIT, limit=Limit.OTHER_OFFICE)
    return None


def absent_party(p: Parsed) -> Question | None:
    absent = p.of("absent_party")
    if absent and not p.of("party"):
        return Question(Ask.LIMIT, limit=Limit.ABSENT_PARTY, detail=absent[0].ids[0])
    return None


def second_round(p: Parsed) -> Question | None:
    if p.has("turno") and (p.position == 2 or p.phrase("segundo turno", "2 turno", "2o turno")):
        return Question(Ask.SECOND_ROUND)
    return None


def electorate(p: Parsed) -> Question | None:
    if p.starts(
        "abstenc",
        "absten",
        "eleitorado",
        "aptos",
        "quantos faltaram",
        "faltaram votar",
        "nao foram votar",
        "nao foram as urnas",
        "nao votaram",
        "deixaram de votar",
        "eleitores cadastr",
        "quantos eleitores",
        "populacao",
        "habitantes",
    ):
        return Question(Ask.LIMIT, limit=Limit.ELECTORATE)
    if p.phrase("quantos eleitores", "numero de eleitores", "quantas pessoas podiam"):
        return Question(Ask.LIMIT, limit=Limit.ELECTORATE)
    return None


def beyond_the_votes(p: Parsed) -> Question | None:
    """Why, what next, who is better, salaries, proposals, profiles: not in vote counts."""
    if p.phrase("por que", "porque", "pq", "motivo", "culpa") and p.starts(
        "perdeu", "perder", "ganhou", "ganhar", "venceu", "caiu", "foi mal"
    ):
        return Question(Ask.LIMIT, limit=Limit.WHY)
    if p.phrase(
        "vai ganhar",
        "vai vencer",
        "vai ser",
        "quem ganha em",
        "proxima",
        "vai se eleger",
        "previsao",
        "vai ter",
        "chance",
        "pesquisa",
    ):
        if not p.starts("turno"):
            return Question(Ask.LIMIT, limit=Limit.PREDICTION)
    if p.starts(
        "salario",
        "proposta",
        "projeto",
        "plano de governo",
        "ideia",
        "promet",
        "ficha",
        "processo",
        "corrup",
        "qual a idade",
        "idade dele",
        "idade dela",
        "anos tem",
        "nasceu",
        "casad",
        "religi",
        "formac",
        "profiss",
        "trabalha",
        "telefone",
        "instagram",
        "contato",
        "whats",
        "escolaridade",
        "genero",
        "vice",
        "ficha limpa",
        "ficha suja",
        "quanto ganha",
        "ganha por mes",
        "quantos anos",
        "onde mora",
        "mora onde",
    ):
        if not p.of("place"):
            return Question(Ask.LIMIT, limit=Limit.PROFILE)
    if p.phrase(
        "melhor candidato",
        "devo votar",
        "em quem votar",
        "vale a pena",
        "voce acha",
        "voce votaria",
        "vc acha",
        "sua opiniao",
        "e bom",
        "e boa",
        "presta",
    ):
        return Question(Ask.LIMIT, limit=Limit.OPINION)
    return None


def seats_total(p: Parsed) -> Question | None:
    if (
        not p.of("party")
        and p.has("quantos", "quantas", "numero")
        and (p.has("cadeira", "vaga") or (p.has("vereador") and p.has("camara", "tem")))
        and not p.has("candidat", "concorr", "votos", "eleit")
    ):
        return Question(Ask.SEATS_TOTAL)
    return None


def count(p: Parsed) -> Question | None:
    if not p.has("quantos", "quantas", "numero", "total de", "quantidade"):
        return None
    unit = _unit(p)
    votes_asked = p.has("voto", "votou", "ganhou", "branco", "nulo", "valido", "eleitor")
    if (
        unit in (Unit.SECTION, Unit.ZONE, Unit.PLACE, Unit.BAIRRO)
        and not p.of("candidate")
        and (
            not votes_asked
            or p.phrase(
                "quantas secoes",
                "quantas zonas",
                "quantos locais",
                "quantas escolas",
                "quantos bairros",
            )
        )
    ):
        return _q(p, Ask.COUNT, unit=unit)
    if (
        p.phrase(
            "quantos candidatos",
            "quantas candidatas",
            "quantas candidaturas",
            "quantos concorreram",
            "quantos disputaram",
            "numero de candidatos",
            "quantidade de candidatos",
            "quantos vereadores concorreram",
            "quantos se",
            "quantos candidatos a",
            "total de candidatos",
            "quantos concorrentes",
            "quantas pessoas concorreram",
            "quantos tinha",
            "quantos teve",
            "quantos o",
            "quantas a",
            "quantos a",
        )
        and p.has("candidat", "concorr", "disput")
        and not p.of("candidate")
    ):
        return _q(p, Ask.COUNT, unit=Unit.CANDIDATE)
    if p.has("partidos") and not p.of("party"):
        return _q(p, Ask.COUNT, unit=Unit.PARTY)
    return None


def zero_votes(p: Parsed) -> Question | None:
    if p.phrase(
        "nenhum voto",
        "zero voto",
        "zero votos",
        "sem voto",
        "sem votos",
        "0 votos",
        "nao teve voto",
        "nao teve nenhum",
        "nao recebeu voto",
        "zerou",
        "zerado",
    ):
        if not p.of("candidate"):
            return Question(Ask.ZERO_VOTES)
    return None


def place_info(p: Parsed) -> Question | None:
    places = p.of("place")
    if places and p.has(
        "onde fica",
        "endereco",
        "fica onde",
        "localiza",
        "rua",
        "qual bairro",
        "que bairro",
        "fica em",
        "fica no",
        "zona",
        "telefone",
    ):
        if len(places[0].ids) == 1 and not p.has("voto", "ganhou", "venceu", "votad"):
            return Question(Ask.PLACE_INFO, scope=Scope("place", places[0].ids[0]))
    if p.phrase("onde fica", "qual o endereco", "endereco do", "endereco da") and places:
        return Question(Ask.PLACE_INFO, scope=Scope("place", places[0].ids[0]))
    bairros = p.of("bairro")
    if (
        bairros
        and p.has("qual zona", "que zona", "zona eleitoral", "quais zonas")
        and not p.of("candidate")
    ):
        return Question(Ask.PLACE_INFO, scope=Scope("bairro", bairros[0].ids[0]), unit=Unit.ZONE)
    if bairros and _unit(p) == Unit.PLACE and p.has("quais", "qual", "onde", "lista", "tem"):
        if not p.starts("voto", "ganhou", "venceu", "votad") and not p.of("candidate"):
            return Question(
                Ask.PLACE_INFO, scope=Scope("bairro", bairros[0].ids[0]), unit=Unit.PLACE
            )
    return None


def race_totals(p: Parsed) -> Question | None:
    measures = {
        Measure.BLANK: p.has("branco", "brancos", "em branco"),
        Measure.NULL: p.has("nulo", "nulos", "anulad", "anularam"),
        Measure.VALID: p.has("valido", "validos"),
        Measure.TURNOUT: p.has(
            "comparec",
            "votaram",
            "apurad",
            "participac",
            "foram votar",
            "total de votos",
            "foram as urnas",
            "turnout",
        )
        or p.phrase(
            "quantas pessoas votaram",
            "quantos votaram",
            "quantas pessoas foram",
            "quantos eleitores votaram",
            "total de eleitores",
        ),
    }
    asked = [m for m, on in measures.items() if on]
    if not asked or p.of("candidate") or (p.has("porcento") and not asked):
        return None
    if p.of("party") and not (measures[Measure.BLANK] or measures[Measure.NULL]):
        return None
    if p.has("legenda"):
        return None
    if p.has("no total", "contando", "incluindo", "somando tudo", "ao todo", "com branco"):
        if measures[Measure.BLANK] or measures[Measure.NULL]:
            return _q(p, Ask.TOTALS, measure=Measure.TURNOUT)
    measure = asked[0] if len(asked) == 1 else Measure.BLANK_NULL
    if {Measure.BLANK, Measure.NULL} <= set(asked):
        measure = Measure.BLANK_NULL
    elif len(asked) > 1:
        measure = Measure.ALL
    return _q(p, Ask.TOTALS, measure=measure)


def legenda(p: Parsed) -> Question | None:
    if p.has("legenda") and not p.of("candidate"):
        return _q(p, Ask.LEGENDA)
    return None


def compare(p: Parsed) -> Question | None:
    cands, parties = _candidates(p), _parties(p)
    many = len(cands) >= 2 or (len(parties) >= 2 and not cands)
    if not many or (cands and p.said(*ELECTED)):  # «algum dos dois foi eleito?»
        return None
    if p.has("diferenc", "a mais que", "a frente", "distancia", "vantagem", "separou"):
        return _q(p, Ask.DIFFERENCE)
    if p.has(
        "somad",
        "juntos",
        "juntas",
        "soma",
        "somando",
        "total dos",
        "total das",
        "no total",
        "ao todo",
        "os dois",
        "as duas",
        "os tres",
    ):
        if not p.has("mais", "menos", "ganhou", "ou"):
            return _q(p, Ask.SUM)
    if p.has("porcento") or "%" in p.raw:
        return _q(p, Ask.SHARE)
    return _q(p, Ask.COMPARE)


def won_where(p: Parsed) -> Question | None:
    """«X ganhou em algum bairro?», «ganhou em todos?», «onde X ganhou de Y?»."""
    if len(_candidates(p)) not in (1, 2) or not p.has(
        *WINS, "primeiro", "liderou", "lider", "bateu", "superou", "passou"
    ):
        return None
    if len(_candidates(p)) == 2 and not p.has(
        "algum", "alguma", "quais", "onde", "em que", "quantos", "quantas", "nenhum"
    ):
        return None
    unit = _unit(p) or Unit.BAIRRO
    if p.has("todos", "todas", "tudo", "cada", "toda a cidade", "todo lugar"):
        return _q(p, Ask.WON_ALL, unit=unit)
    if p.has("porcento") or "%" in p.raw:
        return None
    counted = p.has("quantos", "quantas") and _unit(p) is not None
    if counted or p.has("algum", "alguma", "quais", "onde", "em que", "nenhum", "em qual"):
        if _scope(p).is_city:
            return _q(p, Ask.WON_ANY, unit=unit)
    return None


def _listed(p: Parsed) -> str | None:
    """The kind of place the message lists two or more of («na 74, na 287 ou na 319»)."""
    for kind in ("zone", "bairro", "place"):
        if len({m.ids[0] for m in p.of(kind) if len(m.ids) == 1}) >= 2:
            return kind
    return None


WHERE = (
    "onde",
    "qual bairro",
    "que bairro",
    "quais bairros",
    "qual zona",
    "que zona",
    "qual escola",
    "qual regiao",
    "em que",
    "reduto",
    "forte",
    "qual local",
)
"""«onde X foi melhor», «em qual bairro…»: a question about which place."""


def best_or_worst(p: Parsed) -> Question | None:
    listed = _listed(p)
    if len(_candidates(p)) != 1 or (not _scope(p).is_city and listed is None):
        return None
    where = p.has(*WHERE)
    if not where and listed is None and not p.has("reduto", "mais forte"):
        return None
    unit = _unit(p) or Unit.BAIRRO
    if listed is not None:
        unit = {"zone": Unit.ZONE, "place": Unit.PLACE}.get(listed, Unit.BAIRRO)
    by_share = p.has("porcent", "percent", "proporc") or "%" in p.raw
    if p.has("menos", "menor", "pior", "fraco", "piores"):
        return _q(p, Ask.WORST, unit=unit, scope=CITY, by_share=by_share)
    if p.has("mais", "melhor", "forte", "reduto", "maior", "bem", "ganhou", "lider", "votad"):
        return _q(p, Ask.BEST, unit=unit, scope=CITY, by_share=by_share)
    return None


def elected(p: Parsed) -> Question | None:
    entered = p.phrase(
        "entrou na camara",
        "entrou pra camara",
        "passou pra camara",
        "tem vaga",
        "pegou vaga",
        "conseguiu vaga",
        "ganhou vaga",
        "ganhou cadeira",
        "vai assumir",
        "assumiu",
        "tomou posse",
        "conseguiu entrar",
        "se deu bem",
        "passou",
        "entrou",
    )
    if not (p.said(*ELECTED) or entered or (p.has("cadeira", "vaga") and p.of("party"))):
        return None
    if p.of("candidate") and p.office != "prefeito" and not p.has("mais votado", "votos de"):
        if p.has("quantos", "quantas") and p.has("voto"):
            return None
        return _q(p, Ask.ELECTED)
    if p.of("party"):
        return _q(p, Ask.ELECTED)
    if p.office == "prefeito" or (p.has("prefeit") and not p.has("vereador", "camara")):
        return _q(p, Ask.WINNER, office="prefeito")
    if p.position is not None:
        return None
    return _q(p, Ask.ELECTED, office="vereador")


def share(p: Parsed) -> Question | None:
    if not (p.has("porcento") or "%" in p.raw or p.phrase("fatia", "proporcao")):
        return None
    if len(_candidates(p)) == 1 and p.has(*WHERE) and p.has("maior", "menor", "melhor", "pior"):
        return None  # «onde X teve a maior porcentagem?»: best_or_worst, by share
    if p.of("candidate"):
        of_party = p.phrase("do partido", "da legenda", "do seu partido", "dentro do partido")
        of_party = of_party or bool(p.of("party"))
        return _q(p, Ask.SHARE, share_of_party=of_party)
    if p.of("party"):
        return _q(p, Ask.PARTY)
    if p.position is not None:
        return _q(p, Ask.POSITION)
    return _q(p, Ask.WINNER)


def rank_of(p: Parsed) -> Question | None:
    if not p.of("candidate"):
        return None
    if (
        p.has("lugar", "posicao", "colocac", "ranking", "colocad", "classifica")
        or p.phrase("ficou em que", "em que lugar", "ficou em quanto", "em qual lugar")
    ) and (p.position is None or p.phrase("que lugar", "qual lugar", "qual posicao")):
        return _q(p, Ask.RANK, within_party=bool(p.of("party")))
    return None


def position(p: Parsed) -> Question | None:
    n = p.position
    most = p.phrase(
        "mais votado",
        "mais votada",
        "mais votados",
        "mais votadas",
        "mais voto",
        "mais votos",
        "campeao de voto",
        "recordista",
    )
    if n is None and most and not p.of("candidate"):
        n = 1
    if n is None or (p.of("candidate") and not p.has("quem")):
        return None
    office = p.office
    if office is None and (p.of("party") or p.has("vereador", "camara")):
        office = "vereador"
    return _q(p, Ask.POSITION, position=n, office=office, within_party=bool(p.of("party")))


def winner(p: Parsed) -> Question | None:
    if p.of("candidate"):
        return None
    wins = p.has(*WINS) or p.phrase("quem foi melhor", "quem se saiu melhor", "quem liderou")
    unit = _unit(p)
    if (
        (wins or p.has("mais votad"))
        and unit in (Unit.ZONE, Unit.BAIRRO, Unit.PLACE)
        and p.has(
            "cada", "por zona", "por bairro", "por escola", "por local", "todas as", "todos os"
        )
    ):
        return _q(p, Ask.WINNER, unit=unit)
    if wins or (p.has("prefeit") and p.words[:1] in (("quem",), ("qual",))):
        return _q(p, Ask.WINNER)
    return None


def party_of(p: Parsed) -> Question | None:
    if p.of("candidate") and p.has("partido", "sigla", "legenda") and not p.has("voto", "porcento"):
        return _q(p, Ask.PARTY_OF)
    return None


def number_of(p: Parsed) -> Question | None:
    if p.of("candidate") and (p.has("numero") or "nº" in p.raw.lower()) and not p.has("voto"):
        return _q(p, Ask.NUMBER_OF)
    return None


def number(p: Parsed) -> Question | None:
    """A ballot number alone («22», «número 13»): the mayoral candidate, else the party."""
    numbers = p.of("number")
    if not numbers or len(p.words) > 3 or p.of("candidate") or p.of("party"):
        return None
    n = int(numbers[0].ids[0])
    if len(numbers[0].ids[0]) == 2:
        if any(c.number == n for c in p.data.in_race("prefeito")):
            return Question(Ask.CARD, candidates=(n,))
        if n in p.data.party_by_number:
            return Question(Ask.PARTY, parties=(n,))
    return None


def candidate_votes(p: Parsed) -> Question | None:
    if p.of("candidate") and (p.has(*ASKS_VOTES, "quantos") or not _scope(p).is_city):
        return _q(p, Ask.VOTES)
    return None


def candidate(p: Parsed) -> Question | None:
    """A name alone: the candidate's card."""
    return _q(p, Ask.CARD) if p.of("candidate") else None


def party_votes(p: Parsed) -> Question | None:
    if p.of("party") and p.has(*ASKS_VOTES, "quantos", "quanto"):
        return _q(p, Ask.PARTY)
    return None


def party(p: Parsed) -> Question | None:
    """A party named alone: its card."""
    return _q(p, Ask.PARTY) if p.of("party") else None


def area(p: Parsed) -> Question | None:
    scope = _scope(p)
    if not scope.is_city:
        if p.has("branco", "nulo"):
            return _q(p, Ask.TOTALS, measure=Measure.BLANK_NULL)
        return _q(p, Ask.WINNER)
    for kind in ("place", "bairro"):
        found = p.of(kind)
        if found and len(found[0].ids) > 1:
            return Question(
                Ask.CLARIFY,
                options=tuple(f"{kind}:{i}" for i in found[0].ids[:8]),
                office=p.office,
            )
    return None


def office_only(p: Parsed) -> Question | None:
    if p.office is not None and len(p.words) <= 6:
        return _q(p, Ask.WINNER)
    return None


RULES: tuple[tuple[str, Rule], ...] = (
    ("help", help_request),
    ("other city", other_city),
    ("other year", other_year),
    ("absent party", absent_party),
    ("other office", other_office),
    ("someone else", someone_else),
    ("second round", second_round),
    ("electorate", electorate),
    ("polling place", place_info),
    ("beyond the votes", beyond_the_votes),
    ("seats in the câmara", seats_total),
    ("zero votes", zero_votes),
    ("count", count),
    ("race totals", race_totals),
    ("legenda votes", legenda),
    ("won where", won_where),
    ("comparison", compare),
    ("best or worst place", best_or_worst),
    ("rank of a candidate", rank_of),
    ("elected", elected),
    ("share", share),
    ("position", position),
    ("winner", winner),
    ("party of a candidate", party_of),
    ("number of a candidate", number_of),
    ("number", number),
    ("votes of a candidate", candidate_votes),
    ("candidate", candidate),
    ("votes of a party", party_votes),
    ("party", party),
    ("a place alone", area),
    ("an office alone", office_only),
)
"""The rules in the order they are asked; the first that answers decides."""


def parse(data: CandidateData, text: str) -> tuple[Question | None, Parsed, str]:
    """The message's question (None when no rule recognises it), what was read, and the
    rule's name (``""`` when none)."""
    p = read(data, text)
    for name, rule in RULES:
        q = rule(p)
        if q is not None:
            return _ambiguous_place(q, p) or q, p, name
    return None, p, ""


def _ambiguous_place(q: Question, p: Parsed) -> Question | None:
    """A bairro or polling place that several fit, where the question needed one: ask."""
    if not q.scope.is_city or q.ask in (Ask.HELP, Ask.LIMIT, Ask.CLARIFY):
        return None
    for kind in ("place", "bairro"):
        found = p.of(kind)
        if found and len(found[0].ids) > 1:
            return Question(
                Ask.CLARIFY, options=tuple(f"{kind}:{i}" for i in found[0].ids[:8]), office=q.office
            )
    return None


# ---- follow-ups and ambiguous names ---------------------------------------------------------

ENTITY_ONLY = frozenset({"candidate", "party", "a place alone", "an office alone", "number"})
"""Rules that fire on a name alone: in a follow-up, the question is the previous one."""
CITY_WORDS = (
    "no total",
    "na cidade",
    "em mogi",
    "no geral",
    "em geral",
    "toda a cidade",
    "na cidade toda",
    "da cidade toda",
    "da cidade inteira",
    "na cidade inteira",
    "em toda",
)
QUESTION_WORDS = frozenset({"quem", "qual", "quais", "quanto", "quantos", "quanta", "quantas",
                            "como", "onde", "quando", "porque"})  # fmt: skip
FOLLOW_UP_START = frozenset({"e", "mas", "entao", "tambem", "agora", "ai"})
PERSON_PRONOUNS = frozenset(
    {
        "ele",
        "ela",
        "dele",
        "dela",
        "esse",
        "essa",
        "desse",
        "dessa",
        "nele",
        "nela",
        "mesmo",
        "mesma",
        "cara",
        "moca",
        "eles",
        "elas",
        "deles",
        "delas",
        "dois",
        "duas",
        "cada",
        "ambos",
        "ambas",
    }
)
PLURAL_PRONOUNS = frozenset(
    {"eles", "elas", "deles", "delas", "dois", "duas", "ambos", "ambas", "cada"}
)
"""«os dois», «ambos», «cada um»: the candidates of the last two turns, not only the last."""
PRONOUNS = PERSON_PRONOUNS | {"la", "ali", "lugar", "nesse", "nessa", "neste", "nesta", "aqui"}
PARTY_PRONOUNS = (
    "o partido",
    "do partido",
    "esse partido",
    "desse partido",
    "partido dele",
    "partido dela",
    "mesmo partido",
    "seu partido",
    "a legenda",
    "sua legenda",
)
NEEDS_SUBJECT = frozenset(
    {
        Ask.VOTES,
        Ask.SHARE,
        Ask.RANK,
        Ask.PARTY_OF,
        Ask.NUMBER_OF,
        Ask.BEST,
        Ask.WORST,
        Ask.WON_ANY,
        Ask.WON_ALL,
        Ask.CARD,
    }
)


def is_follow_up(p: Parsed, q: Question | None, replying: bool) -> bool:
    words = p.words
    return (
        replying
        or bool(words and words[0] in FOLLOW_UP_START)
        or bool(set(words) & PRONOUNS)
        or p.phrase(*PARTY_PRONOUNS)
        or (q is None and len(words) <= 6 and not (words and words[0] in QUESTION_WORDS))
        or (q is not None and q.ask in NEEDS_SUBJECT and not q.candidates and not q.parties)
    )


def resolve(
    q: Question | None,
    p: Parsed,
    context: Context | None,
    data: CandidateData,
    *,
    rule: str = "",
    replying: bool = False,
) -> Question | None:
    """The question with a follow-up's gaps filled from the context, and one candidate per
    ambiguous name (or a :attr:`Ask.CLARIFY`)."""
    if context is not None and context.ask and is_follow_up(p, q, replying):
        filled = with_context(p, q, context)
        named, again = next(
            ((name, found) for name, r in RULES if (found := r(filled)) is not None), ("", None)
        )
        if (
            again is not None
            and named not in ENTITY_ONLY
            and again.ask not in (Ask.HELP, Ask.LIMIT)
        ):
            p, q = filled, again
        else:  # «e o Caio?», «e no Centro?», «e do PT?»: asked as the last question was
            q = _merge(None if rule in ENTITY_ONLY else q, p, context)
    if q is None:
        return None
    if q.scope.is_city and q.ask in SCOPED and p.phrase(*HERE) and not _to_city(p):
        return Question(Ask.LIMIT, limit=Limit.WHICH_PLACE)
    other = context.candidates if context is not None and p.said(*OTHER) else ()
    return _disambiguate(q, p, data, other=frozenset(other))


OTHER = ("outro", "outra")
"""«e o outro sargento?»: a name shared with the last subject means someone else."""


def _to_city(p: Parsed) -> bool:
    """«na cidade toda», «no total»: the whole city, unless «nesse bairro» says otherwise."""
    return p.phrase(*CITY_WORDS) and not p.phrase(*HERE, "nesse", "nessa", "neste", "nesta")


HERE = ("aqui", "la", "ali", "meu bairro", "minha zona", "minha escola", "meu local")
"""Words that point at a place the message itself may not name."""
SCOPED = frozenset(
    {Ask.WINNER, Ask.VOTES, Ask.POSITION, Ask.TOTALS, Ask.SHARE, Ask.RANK, Ask.COMPARE}
)


def with_context(p: Parsed, q: Question | None, ctx: Context) -> Parsed:
    """The message with the context's entities added where it names none of their kind, so the
    rules read «e o segundo?» after «quem ganhou no Centro?» as «o segundo no Centro»."""
    end = len(p.toks)
    extra: list[Mention] = []
    names_someone = bool(p.of("candidate") or p.of("party"))
    leans = bool(set(p.words) & PERSON_PRONOUNS) or q is None or q.ask in NEEDS_SUBJECT
    party_pronoun = p.phrase(*PARTY_PRONOUNS)
    card = q is not None and q.ask == Ask.CARD
    if ctx.candidates and not names_someone and not party_pronoun and (leans or card):
        people = ctx.candidates
        plural = set(p.words) & PLURAL_PRONOUNS or p.phrase("os 2", "as 2", "dos 2", "das 2")
        if len(people) == 1 and ctx.earlier and plural:
            people = tuple(dict.fromkeys(ctx.earlier + people))
        extra += [Mention("candidate", (str(n),), end, end, 0.0) for n in people]
    elif ctx.parties and not names_someone:
        extra += [Mention("party", (str(n),), end, end, 0.0) for n in ctx.parties]
    if not p.of("party") and p.phrase(*PARTY_PRONOUNS) and (ctx.parties or ctx.candidates):
        own = ctx.parties or tuple(
            p.data.by_number[n].party.number for n in ctx.candidates if n in p.data.by_number
        )
        extra += [Mention("party", (str(n),), end, end, 0.0) for n in own[:1]]
        if q is not None and q.ask in (Ask.POSITION, Ask.LEGENDA, Ask.PARTY, Ask.ELECTED):
            extra = [m for m in extra if m.kind != "candidate"]
    has_scope = any(p.of(kind) for kind in ("place", "bairro", "zone")) or _to_city(p)
    if ctx.scope and not has_scope:
        extra.append(Mention(ctx.scope[0], (ctx.scope[1],), end, end, 0.0))  # type: ignore[arg-type]
    if ctx.office and not p.of("office") and not p.of("candidate"):
        extra.append(Mention("office", (ctx.office,), end, end, 0.0))
    if not extra:
        return p
    return dataclasses.replace(p, mentions=p.mentions + tuple(extra))


def _merge(q: Question | None, p: Parsed, ctx: Context) -> Question | None:
    """A follow-up takes what it does not say from the previous question."""
    try:
        previous = Ask(ctx.ask or "")
    except ValueError:
        return q
    if previous in (Ask.HELP, Ask.LIMIT, Ask.CLARIFY):
        return q
    given_scope = _scope(p)
    to_city = _to_city(p)
    gives = {
        "candidates": bool(p.of("candidate")),
        "parties": bool(p.of("party")),
        "office": p.office is not None,
        "scope": not given_scope.is_city or to_city,
        "position": p.position is not None,
    }
    ctx_scope = Scope(ctx.scope[0], ctx.scope[1]) if ctx.scope else CITY  # type: ignore[arg-type]
    asks: Ask | None = q.ask if q is not None and q.ask not in (Ask.CARD,) else None
    if (
        q is not None
        and q.ask == Ask.CARD
        and not any((gives["scope"], gives["position"], gives["office"]))
    ):
        asks = (
            previous
            if previous
            in (
                Ask.VOTES,
                Ask.SHARE,
                Ask.RANK,
                Ask.PARTY_OF,
                Ask.NUMBER_OF,
                Ask.ELECTED,
                Ask.BEST,
                Ask.WORST,
                Ask.WON_ANY,
                Ask.WON_ALL,
            )
            else Ask.CARD
        )
    if asks is None:
        if gives["position"]:
            asks = Ask.POSITION
        elif gives["candidates"] and previous == Ask.POSITION:
            asks = Ask.RANK
        elif previous in (Ask.COMPARE, Ask.DIFFERENCE, Ask.SUM) and not gives["candidates"]:
            asks = previous
        else:
            asks = previous
    if gives["scope"] and asks in (Ask.PARTY_OF, Ask.NUMBER_OF, Ask.ELECTED, Ask.CARD):
        asks = Ask.VOTES if (gives["candidates"] or ctx.candidates) else Ask.WINNER
    base = q or _q(p, asks)
    keep_subject = not gives["candidates"] and not gives["parties"]
    candidates = base.candidates if gives["candidates"] else ctx.candidates if keep_subject else ()
    parties = base.parties if gives["parties"] else ctx.parties if keep_subject else ()
    if asks in (Ask.POSITION, Ask.WINNER) and gives["candidates"] is False:
        candidates = ()
    if asks == Ask.POSITION and not gives["parties"] and ctx.ask != Ask.POSITION.value:
        parties = ctx.parties
    scope = given_scope if gives["scope"] else ctx_scope
    if gives["candidates"] and not gives["scope"] and asks in (Ask.CARD,):
        scope = CITY
    position = base.position if gives["position"] else ctx.position
    if asks not in (Ask.POSITION, Ask.RANK):
        position = base.position if gives["position"] else None
    office = base.office if gives["office"] else ctx.office
    if gives["candidates"] and not gives["office"]:
        office = None
    return dataclasses.replace(
        base,
        ask=asks,
        candidates=candidates,
        parties=parties,
        scope=scope,
        position=position,
        office=office,
        within_party=bool(parties) and asks in (Ask.POSITION, Ask.RANK),
    )


def _disambiguate(
    q: Question, p: Parsed, data: CandidateData, *, other: frozenset[int] = frozenset()
) -> Question:
    """One candidate per mention of a name that several candidates share (never one of
    ``other``, when someone else has the name)."""
    mentions = p.of("candidate")
    if not mentions or q.ask == Ask.CLARIFY:
        return q
    chosen: list[int] = []
    for m in mentions:
        pool = [data.by_number[int(i)] for i in m.ids if int(i) in data.by_number]
        if other and len(pool) > 1:
            pool = [c for c in pool if c.number not in other] or pool
        if q.office is not None and any(c.office == q.office for c in pool):
            pool = [c for c in pool if c.office == q.office]
        if len(pool) > 1:
            mayors = [c for c in pool if c.office == "prefeito"]
            if len(mayors) == 1 and q.office != "vereador":
                pool = mayors
        pool.sort(key=lambda c: (-c.votes, c.number))
        if len(pool) > 1:
            if len(mentions) == 1 or q.ask not in (Ask.COMPARE, Ask.DIFFERENCE, Ask.SUM):
                return Question(
                    Ask.CLARIFY,
                    options=tuple(f"cand:{c.number}" for c in pool[:8]),
                    office=q.office,
                    scope=q.scope,
                    detail=" ".join(t.raw for t in p.toks[m.start : m.end]),
                )
        chosen.extend(c.number for c in pool[:1])
    if chosen and tuple(chosen) != q.candidates[: len(chosen)]:
        extra = tuple(
            n
            for n in q.candidates
            if n not in chosen and str(n) not in {i for m in mentions for i in m.ids}
        )
        q = dataclasses.replace(q, candidates=tuple(dict.fromkeys(chosen)) + extra)
    return q
