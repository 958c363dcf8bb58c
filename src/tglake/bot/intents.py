"""Questions in plain Portuguese: what a voter asks, recognised without a command.

``recognise`` looks for the intents voters use (who won, second place, blank votes, how many
candidates, who was elected, a candidate's votes or party, a party's votes or seats, who won
in a bairro…) on the folded text, so accents and case never matter and the key words tolerate
a typo (``prefeto``, ``elieto``). It returns None when the text asks none of them, and the
caller falls back to a plain search. Everything it says comes from :mod:`results` and
:mod:`tglake.bot.cards`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import replace

from rapidfuzz import fuzz

from tglake.bot import cards, results, search
from tglake.bot.answer import Answer
from tglake.candidates.catalog import Candidate, CandidateData, Party
from tglake.candidates.text import esc, fmt_int, fold

_ORDINALS = {
    "primeiro": 1, "1o": 1, "segundo": 2, "2o": 2, "vice": 2, "terceiro": 3, "3o": 3,
    "quarto": 4, "4o": 4, "quinto": 5, "5o": 5,
}  # fmt: skip
_FILLER_WORDS = (
    "a o as os e de do da dos das em no na nos nas um uma pra para pro por com que qual quais "
    "quem quanto quantos quanta quantas teve tem tiveram foi foram ficou ficaram ser se sera "
    "onde como voto votos votou votaram candidato candidata candidatos vereador vereadora "
    "vereadores prefeito prefeita numero partido lugar posicao colocacao eleito eleita "
    "eleitos eleitas elegeu elegeram ganhou venceu ganhei mais menos melhor melhores bairro "
    "bairros me diz diga sabe saber queria quero gostaria informar informa ai ja ele ela dele "
    "dela seu sua obteve recebeu conseguiu fez lugares cadeira cadeiras cadeiras camara "
    "porcentagem percentual cento por ganharam eleicao eleicoes mogi cruzes 2024 oi ola bom "
    "reeleito reeleita reelegeu perdeu perderam "
    "dia boa tarde noite favor pf pfv pls saber"
)
FILLER = frozenset(_FILLER_WORDS.split())
"""Words that ask, not name: left out when looking for the candidate a question is about."""


_NOT_PLACE = (FILLER - {"de", "do", "da", "dos", "das"}) | {"la", "aqui", "eu", "moro", "meu"}
"""Question words left out of the words that may name a bairro."""


def _words(folded: str) -> list[str]:
    return folded.split()


@functools.lru_cache(maxsize=65536)
def _like(word: str, stem: str) -> bool:
    """``word`` is ``stem`` or starts with it, or is one typo away (long stems only)."""
    if word.startswith(stem):
        return True
    return len(stem) >= 5 and float(fuzz.ratio(word[: len(stem) + 1], stem)) >= 84


def _has(words: list[str], *stems: str) -> bool:
    return _has_any(tuple(words), stems)


@functools.lru_cache(maxsize=16384)
def _has_any(words: tuple[str, ...], stems: tuple[str, ...]) -> bool:
    """Memoised: one question asks a dozen of these of the same words."""
    return any(_like(w, s) for w in words for s in stems)


def _answer(
    text: str, query: str, chat_id: int, reply_to: int | None, kind: str, ids: tuple[str, ...] = ()
) -> Answer:
    return Answer(
        chat_id=chat_id,
        text=text,
        command="texto",
        query=query,
        matched_kind=kind,
        matched_ids=ids,
        reply_to_message_id=reply_to,
    )


def candidate_in(data: CandidateData, text: str) -> tuple[Candidate, ...]:
    """The candidate(s) a sentence names: a 5-digit ballot number first (a vereador's number
    wins over any party), then the words that are not question words."""
    for number in re.findall(r"(?<!\d)(\d{5})(?!\d)", text):
        hit = data.by_number.get(int(number))
        if hit:
            return (hit,)
    names = [w for w in _words(search.key(text)) if w not in FILLER and not w.isdigit()]
    if not names:
        return ()
    found = search.find_candidates(data, " ".join(names))
    if found.kind == "fuzzy" and len(found.candidates) > 1:
        return ()  # several near misses on a sentence's leftover words: not a name
    if len(names) == 1 and any(fold(p.sigla).replace(" ", "") == names[0] for p in data.parties):
        return ()  # "o PT": the party, not a candidate nicknamed "… do PT"
    if found.kind in ("exact", "name", "fuzzy"):
        return found.candidates
    return ()


_EVERYDAY = frozenset({"pode", "rede", "novo", "avante", "solidariedade", "uniao", "mobiliza"})
"""Siglas that are also everyday words: taken as a party only when written in capitals or
announced (``partido rede``, ``do PODE``)."""


def party_in(data: CandidateData, text: str) -> Party | None:
    """A party named in a sentence by its exact sigla (accents and case aside)."""
    folded = fold(text)
    announced = re.search(r"\bpartido\s+([a-z0-9 ]+?)(?:\s+(?:elegeu|teve|tem|fez)\b|$)", folded)
    if announced:
        party = search.find_party(data, announced[1])
        if party:
            return party
    upper = set(re.findall(r"\b[A-ZÀ-Ú][A-ZÀ-Ú]+\b", text))
    words = _words(folded)
    for alias, sigla in search.PARTY_NAMES.items():  # "o podemos", "do pcdob"
        if re.search(rf"\b(?:o|a|do|da|pelo|pela|partido)\s+{alias}\b", folded):
            found = search.find_party(data, sigla)
            if found:
                return found
    for party in data.parties:
        sigla = fold(party.sigla)
        compact = sigla.replace(" ", "")
        hit = f" {sigla} " in f" {folded} " or compact in words
        if not hit:
            continue
        announced_word = re.search(rf"\b(?:o|a|do|da|pelo|pela)\s+{compact}\b", folded)
        if (
            compact in _EVERYDAY
            and not announced_word
            and not any(fold(u) == compact for u in upper)
        ):
            continue
        return party
    return None


def _mayor(
    data: CandidateData, q: str, chat_id: int, reply_to: int | None, second_round: bool = False
) -> Answer:
    lines = [results.headline_mayor(data)]
    if second_round:
        lines.insert(0, "Não houve 2º turno em Mogi das Cruzes em 2024:")
    for c in data.in_race("prefeito"):
        lines.append(results.place_line(data, c))
    lines.append(cards.SOURCE_NOTE)
    return _answer("\n".join(lines), q, chat_id, reply_to, "prefeito")


def _place(
    data: CandidateData, n: int, office: str, q: str, chat_id: int, reply_to: int | None
) -> Answer:
    race = [c for c in data.in_race(office) if c.rank is not None]
    if n > len(race):
        return replace(
            _answer(
                f"Só houve {len(race)} candidatos com votos válidos para {office}.",
                q,
                chat_id,
                reply_to,
                "lugar",
            ),
            answered=False,
        )
    c = race[n - 1] if n > 0 else race[-1]
    return _answer(results.place_line(data, c), q, chat_id, reply_to, "lugar", (str(c.number),))


def _elected(data: CandidateData, q: str, chat_id: int, reply_to: int | None) -> Answer:
    return _answer("\n".join(results.camara_lines(data)), q, chat_id, reply_to, "eleitos")


def eleitos(data: CandidateData, query: str, chat_id: int, reply_to: int | None) -> Answer:
    """``/eleitos [partido]``: the computed Câmara, or one party's seats."""
    party = search.find_party(data, query) if query.strip() else None
    if party is not None:
        return replace(_party_seats(data, party, query, chat_id, reply_to), command="eleitos")
    return replace(_elected(data, query, chat_id, reply_to), command="eleitos")


def _party_seats(
    data: CandidateData, party: Party, q: str, chat_id: int, reply_to: int | None
) -> Answer:
    return _answer(
        results.party_seats_line(data, party),
        q,
        chat_id,
        reply_to,
        "party",
        (f"partido:{party.number}",),
    )


def _with_card(
    data: CandidateData, c: Candidate, head: str, q: str, chat_id: int, reply_to: int | None
) -> Answer:
    text = (head + "\n\n" if head else "") + cards.candidate_card(data, c)
    return _answer(text, q, chat_id, reply_to, "candidate", (str(c.number),))


def _choose(found: tuple[Candidate, ...], q: str, chat_id: int, reply_to: int | None) -> Answer:
    buttons = [[(cards.button_label(c), c.callback)] for c in found]
    return replace(
        _answer(
            cards.choice_list(found, q[:60]),
            q,
            chat_id,
            reply_to,
            "name",
            tuple(str(c.number) for c in found),
        ),
        buttons=buttons,
    )


def _candidate_question(
    data: CandidateData, words: list[str], q: str, chat_id: int, reply_to: int | None
) -> Answer | None:
    found = candidate_in(data, q)
    if not found:
        return None
    mayors = [c for c in found if c.office == "prefeito"]
    if (
        len(found) > 1
        and len(mayors) == 1
        and _has(words, "ganhou", "venceu", "prefeit", "cento", "porcent", "percent")
    ):
        found = (mayors[0],)
    if len(found) > 1:
        return _choose(found, q, chat_id, reply_to)
    c = found[0]
    share = data.share(c)
    if _has(words, "eleit", "elegeu", "eleg", "reeleit", "reeleg") or (
        c.office == "vereador" and _has(words, "ganhou", "venceu", "passou", "entrou")
    ):
        head = results.situation_line(c) or results.headline_mayor(data)
    elif _has(words, "cento", "porcent", "percent") or "%" in q:
        pct = f"{share:.2f}".replace(".", ",") + "%" if share is not None else "—"
        head = f"{esc(c.ballot_name)} teve {pct} dos votos válidos para {c.office}."
    elif _has(words, "numero") or "nº" in q.lower():
        head = f"O número de {esc(c.ballot_name)} é <b>{esc(c.number)}</b>."
    elif _has(words, "partido", "sigla", "legenda"):
        head = f"{esc(c.ballot_name)} é do <b>{esc(c.party.sigla)}</b> ({esc(c.party.name)})."
    elif _has(words, "lugar", "posicao", "coloca", "ranking") and c.rank is not None:
        head = results.place_line(data, c)
    elif _has(words, "bairro", "onde", "regiao"):
        top = list(c.by_bairro.items())[:3]
        head = f"Onde {esc(c.ballot_name)} teve mais votos: " + ", ".join(
            f"{esc(b)} ({fmt_int(v)})" for b, v in top
        )
    elif _has(words, "voto", "quantos"):
        head = f"{esc(c.ballot_name)} teve <b>{fmt_int(c.votes)}</b> votos."
    else:
        head = ""
    return _with_card(data, c, head, q, chat_id, reply_to)


def _bairro_question(
    data: CandidateData, q: str, chat_id: int, reply_to: int | None
) -> Answer | None:
    folded = fold(q)
    match = re.search(r"\b(?:bairro|no|na|em)\s+(.{3,80})$", folded)
    tail = " ".join(w for w in (match[1] if match else folded).split() if w not in _NOT_PLACE)
    names = search.find_bairro(data, tail) if tail else []
    if not names:
        return None
    if len(names) == 1:
        return _answer(
            cards.bairro_card(data, names[0]), q, chat_id, reply_to, "bairro",
            (f"bairro:{names[0]}",),
        )  # fmt: skip
    index = list(data.bairros.values())
    return replace(
        _answer("Qual bairro?", q, chat_id, reply_to, "bairro",
                tuple(f"bairro:{n}" for n in names)),
        buttons=[[(n, f"bairro:{index.index(n)}")] for n in names],
    )  # fmt: skip


def recognise(data: CandidateData, text: str, chat_id: int, reply_to: int | None) -> Answer | None:
    """The answer to a plain question, or None when the text asks nothing we recognise."""
    q = _SHORTHAND.sub("quantos", text.strip())
    folded = fold(q)
    words = _words(folded)
    if not words:
        return None
    about_council = _has(words, "vereador", "camara", "bancada", "cadeira", "legislativo")
    about_mayor = _has(words, "prefeit", "prefeitura")
    asks_elected = _has(
        words, "eleit", "elegeu", "elegeram", "eleger", "elieto", "eleto", "reeleit", "reeleg"
    )
    party = party_in(data, q)
    missing = absent_party(data, q) if party is None else None
    if missing:
        return _answer(missing, q, chat_id, reply_to, "party")
    if (
        party is None
        and _has(words, "quantos", "quantas")
        and (_has(words, "cadeira", "vaga") or (_has(words, "vereador") and _has(words, "camara")))
    ):
        return _answer(
            "A Câmara Municipal de Mogi das Cruzes tem <b>23</b> vereadores. Quem foi eleito "
            "em 2024: /eleitos.",
            q, chat_id, reply_to, "contagem",
        )  # fmt: skip
    # a candidate named by number or name comes first: a vereador's number beats a party
    if re.search(r"(?<!\d)\d{5}(?!\d)", q):
        answer = _candidate_question(data, words, q, chat_id, reply_to)
        if answer:
            return answer
    if party is not None and (asks_elected or _has(words, "cadeira", "vaga")):
        return _party_seats(data, party, q, chat_id, reply_to)
    if asks_elected and about_council and not about_mayor:
        named = candidate_in(data, q)
        if not named or len(named) > 3:
            return _elected(data, q, chat_id, reply_to)
    if _has(words, "turno"):
        return _mayor(data, q, chat_id, reply_to, second_round=True)
    in_place = re.search(r"\b(?:bairro|no|na|em)\b", folded) is not None
    ordinal = next((_ORDINALS[w] for w in words if w in _ORDINALS), None)
    if ordinal is None and _has(words, "ultimo", "lanterna"):
        ordinal = 0
    if ordinal is not None and (_has(words, "lugar", "colocad", "ficou") or about_mayor):
        office = "vereador" if about_council and not about_mayor else "prefeito"
        return _place(data, ordinal, office, q, chat_id, reply_to)
    checks: list[tuple[Callable[[], bool], Callable[[], Answer | None]]] = [
        (
            lambda: _has(words, "branco", "nulo", "valido", "comparec", "abstenc", "eleitorado",
                         "votaram", "participacao", "turnout"),
            lambda: _totals(data, words, about_council, about_mayor, q, chat_id, reply_to),
        ),
        (
            lambda: _has(words, "quantos", "quantas", "numero")
            and _has(words, "candidat", "concorre", "disput", "candidatura"),
            lambda: _how_many(data, q, chat_id, reply_to),
        ),
        (
            lambda: (_has(words, "votad") or ("mais" in words and _has(words, "voto")))
            and not party and not about_mayor and not candidate_in(data, q),
            lambda: (_bairro_question(data, q, chat_id, reply_to) if in_place else None)
            or _most_voted(data, q, chat_id, reply_to),
        ),
    ]  # fmt: skip
    for applies, answer_with in checks:
        if applies():
            found = answer_with()
            if found is not None:
                return found
    if party is not None and not candidate_in(data, q):
        head = results.party_totals_line(data, party)
        card = cards.party_card(data, party)
        seats = results.party_seats_line(data, party)
        return _answer(
            f"{card}\n{head}\n{seats}", q, chat_id, reply_to, "party",
            (f"partido:{party.number}",),
        )  # fmt: skip
    wins = _has(words, "ganhou", "venceu", "ganhador", "vencedor", "vitoria", "ganhadora", "perdeu")
    if re.search(r"\b(?:bairro|no|na|em)\b", folded) and (
        wins or "mais" in words or _has(words, "votad", "bairro")
    ):
        answer = _bairro_question(data, q, chat_id, reply_to)
        if answer is not None:
            return answer
    answer = _candidate_question(data, words, q, chat_id, reply_to)
    mayor_question = wins and about_mayor and answer is not None
    if answer is not None and answer.matched_kind != "none" and not mayor_question:
        return answer
    if (wins or asks_elected or _has(words, "resultado", "cento", "porcent")) and (
        about_mayor or not about_council
    ):
        return _mayor(data, q, chat_id, reply_to)
    if about_mayor and words[0] in ("quem", "qual") and not about_council:
        return _mayor(data, q, chat_id, reply_to)  # "quem é a nova prefeita?"
    return None


_SHORTHAND = re.compile(r"\b(?:qnts|qts|qtos|qntos|qto|qnt)\b", re.I)
"""How people shorten ``quantos`` in chats."""

ABSENT_SIGLAS = ("PSDB", "CIDADANIA", "NOVO", "PCB", "PCO", "PSTU", "UP", "AGIR", "PMN", "DEM")
"""Parties of 2024 that had no candidate in Mogi das Cruzes (so ``PSDB`` is not ``PSB``)."""


def absent_party(data: CandidateData, text: str) -> str | None:
    """ "O PSDB não teve candidatos…" when the text names a party absent from the ballot."""
    folded = f" {fold(text)} "
    for sigla in ABSENT_SIGLAS:
        word = fold(sigla)
        if f" {word} " in folded and (word != "novo" or "NOVO" in text or "partido" in folded):
            on_ballot = ", ".join(esc(p.sigla) for p in data.parties)
            return (
                f"O <b>{esc(sigla)}</b> não teve candidatos em Mogi das Cruzes em 2024. "
                f"Partidos na urna: {on_ballot}."
            )
    return None


def _totals(
    data: CandidateData,
    words: list[str],
    council: bool,
    mayor: bool,
    q: str,
    chat_id: int,
    reply_to: int | None,
) -> Answer:
    offices = ("vereador",) if council and not mayor else ("prefeito",) if mayor else (
        "prefeito", "vereador")  # fmt: skip
    lines = results.totals(data, offices)
    if _has(words, "abstenc", "eleitorado", "aptos", "faltaram", "faltou"):
        lines.insert(0, "Eleitorado e abstenção não estão nestes dados; o que há:")
    lines.append(results.TURNOUT_NOTE)
    return _answer("\n".join(lines), q, chat_id, reply_to, "totais")


def _how_many(data: CandidateData, q: str, chat_id: int, reply_to: int | None) -> Answer:
    council = data.in_race("vereador")
    mayor = data.in_race("prefeito")
    annulled = sum(1 for c in council if c.vote_status)
    lines = [
        f"Na urna: <b>{len(council)}</b> candidatos a vereador (de {len(data.parties)} partidos; "
        f"{annulled} com votos anulados) e <b>{len(mayor)}</b> a prefeito, para 23 cadeiras.",
    ]
    registered = data.aggregates.get("candidaturas")
    if registered:
        lines.append(f"Candidaturas registradas no TSE (com vices): {registered}.")
    return _answer("\n".join(lines), q, chat_id, reply_to, "contagem")


def _most_voted(data: CandidateData, q: str, chat_id: int, reply_to: int | None) -> Answer:
    top = data.in_race("vereador")[0]
    lines = [
        f"O vereador mais votado foi <b>{esc(top.ballot_name)}</b> ({esc(top.party.sigla)}), "
        f"com {fmt_int(top.votes)} votos.",
        "",
        cards.council_list(data, None, limit=10),
    ]
    return _answer("\n".join(lines), q, chat_id, reply_to, "list", (str(top.number),))


def unknown(q: str, chat_id: int, reply_to: int | None) -> Answer:
    """A question the data cannot answer: say so, and say what can be asked."""
    return replace(
        _answer(f"{results.NO_DATA}\n{results.CAN_ANSWER}", q, chat_id, reply_to, "none"),
        answered=False,
    )


_ASKING = frozenset({"quem", "qual", "quais", "quantos", "quantas", "como", "onde", "quando"})


def looks_like_question(text: str) -> bool:
    words = _words(fold(text))
    return "?" in text or bool(words and words[0] in _ASKING)
