"""Link a chat message to the candidates it mentions (the ``candidate_mentions`` table).

Three ways a message names a candidate:

* ``name`` — the whole ballot name (``Mara Bertaiolli``, ``Dr Roberto Rodrigues``);
* ``part`` — a *distinctive* word of it: a word that belongs to one ballot name only and is
  neither a common first name, surname or Portuguese word (``Bertaiolli``, ``Valverde``; not
  ``José``, ``Paz``, ``Gigante``). Those lists are written by hand from the 385 ballot names;
* ``number`` — a ballot number in a voting context (``vote 22``, ``número 22222``,
  ``22 na urna``); a 5-digit vereador number also counts when the message talks about the
  election. Numbers that are times, dates, money, ages or percentages never count.

Single-word ballot names that are ordinary words (``FIO``, ``GIGANTE``) count only when written
with a capital letter away from the start of a sentence. Precision and recall are measured on
a hand-labelled sample in ``tests/fixtures/mentions``.
"""

from __future__ import annotations

import collections
import dataclasses
import re
import unicodedata

from tglake.candidates.catalog import Candidate, CandidateData
from tglake.candidates.text import fold

# Words unique to one ballot name that are still too common to identify anybody.
COMMON = frozenset(
    """
    academia acessibilidade adote aeroporto amada amigo assistente autista bahia bandeira
    barbeiro blog boas bode bombeiro cabelo cabo caixao calhas coletivo comandante comercio
    comunitari coronel cultura despachante doutor doutora educacao enfermeira engenheiro
    esperanca esteticista facilitadora fada farmacia farofa feira filho flores forro
    fotografo gemeos gesso gigante goiaba grafica inclusao jacare jardim lanches libras
    lider locutor maos mano mercado motoboy motorista motos municipal nega negao neto nobre
    ortopedia otica patriota peixe peixeiro perninha pipoca portao postinho profa promotora
    recanto sardinha socorro sucata tenente transporte universo verde verduras vielas
    vigilante vilas vistoria chocolate rato pastor professor professora irmao irma vila povo
    sensei tio tia dona seu ademilson adilson adriane adrianny aguinaldo airton alessandra
    alessandro alexandra alexia aline allison amanda andreia andressa andreza bruno
    carlinhos carol carolina catarina cecilia celeste celio celma celso chico chiquinho
    claudia cristiano cristina daiane daniel danilo dayana denilson devanir dirceu edneia
    edvaldo eliana eliane elias elisangela elisete eliseu emerson eugenio evaldo fabinho
    francisco gilda gilson glaucia gloria gustavo henrique igor ines ingrid iris jair jean
    jeane jeff john johnny josefa josias juliano karina kleber laercio leila ligia lincoln
    luciano luciene luis luiza magali mario mary matheus mauricio maurinho miguel milton
    moacir nelson nilson odair orlando oscar oswaldo patricia priscila rafael renata roberta
    rogerio ronaldo rosania sabrina sandro sara sidnei silmara silvana silvia simone sirlene
    suzana talita tatiana valdir valter vanessa vera vitor wellington wesley wilson jose
    maria ana joao paulo pedro carlos marcos lucas marcio ferreira barbosa batista castro
    dias freitas goncalves leite machado martins melo mello mendes moraes morais moreno
    nascimento nunes pires soares xavier lemos braga assis carmo brum rossi viana vianna
    lira maciel menezes nogueira rangel antunes botelho mattoso caetano tobias salvador
    vasco bras japa gaucho mogiano dmais kaka silva santos souza oliveira lima costa pereira
    rodrigues almeida alves ribeiro gomes araujo paz cunha
    """.split()  # noqa: SIM905 - a word list reads better as text
)
_VOTE_BEFORE = re.compile(
    r"(?:\bvot\w*|\bn[uú]mero|\bn[º°o]\.?|\burna|\bdigit\w*|\bcandidat[oa]|\bno|\bo|\ba)\s*$",
    re.IGNORECASE,
)
_STRONG_BEFORE = re.compile(r"(?:\bvot\w*|\bn[uú]mero|\bn[º°o]\.?|\bdigit\w*)\s*(?:\w+\s+)?$", re.I)
_VOTE_AFTER = re.compile(
    r"^\s*(?:na urna|e confirma|confirma|pra vereador|para vereador|"
    r"pra prefeit|para prefeit)",
    re.IGNORECASE,
)
_NOT_A_BALLOT = re.compile(
    r"^\s*(?:h\b|hs\b|horas?|min|anos|reais|mil\b|%|km|de\s+(?:jan|fev|mar|abr|mai|jun|jul|ago|"
    r"set|out|nov|dez))",
    re.IGNORECASE,
)
_MONEY_OR_TIME_BEFORE = re.compile(
    r"(?:r\$|\bdia|\bàs|\bas|\bate|\baté|\bônibus|\blinha|\bcasa)\s*$", re.I
)
_NUMBER = re.compile(r"(?<![\d/.,:$])(\d{5}|\d{2})(?![\d/:%]|[.,]\d)")
_WORD = re.compile(r"[a-z0-9]+")
_DIGIT = re.compile(r"\d")
_ELECTION_WORDS = re.compile(r"vot|vereador|candidat|urna|n[uú]mero|elei", re.IGNORECASE)


@dataclasses.dataclass(frozen=True)
class Mention:
    """One (message, candidate) link and the text that made it."""

    candidate_number: int
    office: str
    party: str
    match_kind: str
    matched_text: str


def _fold_char(ch: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    base = base.lower()[:1]
    return base if base.isalnum() and base.isascii() else " "


class _FoldTable(dict[int, str]):
    """``str.translate`` table filled on first sight of each character (C-speed afterwards)."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLD_TABLE = _FoldTable()


def fold_keep_length(text: str) -> str:
    """Like :func:`tglake.candidates.text.fold` but one output character per input character, so a
    match in the folded text points at the same span of the original."""
    return text.translate(_FOLD_TABLE)


_Index = tuple[dict[str, list[tuple[re.Pattern[str], Candidate]]], dict[str, Candidate]]
"""Name patterns by their first word (a message is tried only against the names whose first
word it contains), and the distinctive words."""
_INDEXES: dict[int, tuple[CandidateData, _Index]] = {}


def _index(data: CandidateData) -> _Index:
    """Patterns and distinctive words of one data set, built once per data object."""
    cached = _INDEXES.get(id(data))
    if cached is None or cached[0] is not data:
        cached = (data, _build_index(data))
        _INDEXES[id(data)] = cached
    return cached[1]


def _build_index(data: CandidateData) -> _Index:
    names: list[tuple[re.Pattern[str], Candidate]] = []
    owners: dict[str, list[Candidate]] = collections.defaultdict(list)
    for c in data.candidates:
        words = fold_keep_length(c.ballot_name).split()
        variants = {" ".join(words)}
        if words and words[0] in ("doutor", "professor", "professora"):
            short = {"doutor": "dr", "professor": "prof", "professora": "profa"}[words[0]]
            variants.add(" ".join([short, *words[1:]]))
        for variant in variants:
            names.append((re.compile(rf"\b{re.escape(variant).replace(' ', ' +')}\b"), c))
        for word in set(words):
            owners[word].append(c)
    parts = {
        word: cands[0]
        for word, cands in owners.items()
        if len(cands) == 1 and len(word) >= 4 and word not in COMMON and not word.isdigit()
    }
    names.sort(key=lambda pc: -len(pc[0].pattern))
    by_first: dict[str, list[tuple[re.Pattern[str], Candidate]]] = collections.defaultdict(list)
    for pattern, c in names:  # longest first, as the matching loop needs
        first = pattern.pattern.removeprefix(r"\b").split(" ", 1)[0].split("\\", 1)[0]
        by_first[first].append((pattern, c))
    return dict(by_first), parts


def _capitalised_mid_sentence(text: str, start: int) -> bool:
    if not text[start].isupper():
        return False
    before = text[:start].rstrip()
    return bool(before) and before[-1] not in ".!?\n"


def find_mentions(text: str, data: CandidateData) -> list[Mention]:
    """Candidates the message mentions, each once with its strongest evidence (whole name,
    then distinctive word, then number), ordered by where that evidence sits in the text."""
    if not text:
        return []
    folded = fold_keep_length(text)
    by_first, parts = _index(data)
    words = set(folded.split())
    if words.isdisjoint(by_first) and words.isdisjoint(parts) and not _DIGIT.search(text):
        return []  # no name's first word, no distinctive word, no number: nobody (most chat)
    found: dict[int, tuple[int, Mention]] = {}
    taken: list[tuple[int, int]] = []

    def add(c: Candidate, kind: str, start: int, end: int) -> None:
        taken.append((start, end))
        if c.number not in found:
            mention = Mention(c.number, c.office, c.party.sigla, kind, text[start:end])
            found[c.number] = (start, mention)

    names = sorted(
        (pc for word in words for pc in by_first.get(word, ())),
        key=lambda pc: (-len(pc[0].pattern), pc[1].number, pc[0].pattern),
    )
    for pattern, c in names:
        for m in pattern.finditer(folded):
            if any(s <= m.start() < e for s, e in taken):
                continue
            single = " " not in pattern.pattern.replace(r"\b", "")
            ordinary = single and (fold(c.ballot_name) in COMMON or len(m.group()) <= 4)
            if ordinary and not _capitalised_mid_sentence(text, m.start()):
                continue
            add(c, "name", m.start(), m.end())
    # folded text holds only [a-z0-9 ], so its words are exactly the tokens below: a message
    # without a distinctive word (most of them) skips the walk
    for m in _WORD.finditer(folded) if not words.isdisjoint(parts) else ():
        c_part = parts.get(m.group())
        if c_part is not None and not any(s <= m.start() < e for s, e in taken):
            add(c_part, "part", m.start(), m.end())
    election_talk: bool | None = None  # looked for only when a 5-digit number needs it
    for m in _NUMBER.finditer(text):
        c_num = data.by_number.get(int(m.group(1)))
        if c_num is None or _number_is_something_else(text, m.start(), m.end()):
            continue
        before, after = text[max(0, m.start() - 30) : m.start()], text[m.end() : m.end() + 20]
        in_context = bool(_VOTE_BEFORE.search(before) or _VOTE_AFTER.match(after))
        if len(m.group(1)) == 2 and not (_STRONG_BEFORE.search(before) or _VOTE_AFTER.match(after)):
            continue
        if len(m.group(1)) == 5 and not in_context:
            if election_talk is None:
                election_talk = bool(_ELECTION_WORDS.search(text))
            if not election_talk:
                continue
        add(c_num, "number", m.start(), m.end())
    return [mention for _, mention in sorted(found.values(), key=lambda sm: sm[0])]


def _number_is_something_else(text: str, start: int, end: int) -> bool:
    """Times (``22h``), dates (``22 de outubro``), money (``R$ 22``), ages, percentages."""
    if _NOT_A_BALLOT.match(text[end : end + 16]):
        return True
    return bool(_MONEY_OR_TIME_BEFORE.search(text[max(0, start - 12) : start]))
