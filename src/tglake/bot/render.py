"""The renderer: a typed question and the evaluator's figures, worded in Brazilian Portuguese.

One function per :class:`~tglake.bot.question.Ask`, in :data:`RENDERERS`; each returns a
:class:`Reply` (HTML for ``parse_mode=HTML``, every data value through :func:`esc`, each line
self-contained so a long reply splits at line breaks). Every figure comes from
:mod:`tglake.bot.evaluate`; a question the data cannot answer gets :mod:`tglake.bot.limits`'
sentence, never a figure about something else.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from tglake.bot import cards, limits
from tglake.bot import evaluate as ev
from tglake.bot.answer import Buttons
from tglake.bot.question import Ask, Measure, Question, Unit
from tglake.candidates.catalog import Candidate, CandidateData, Party
from tglake.candidates.seats import ELECTED
from tglake.candidates.tally import CITY, Scope
from tglake.candidates.text import esc, fmt_int, fmt_pct


@dataclasses.dataclass(frozen=True)
class Reply:
    text: str
    ids: tuple[str, ...] = ()
    answered: bool = True
    buttons: Buttons | None = None
    about: tuple[int, ...] = ()
    """The candidates the answer turned out to be about («o segundo» → who it is), so «e ele?»
    can follow."""
    where: Scope | None = None
    """The place the answer found («onde foi melhor» → that bairro), for «e lá?»."""


def _pct(value: float | None) -> str:
    return fmt_pct(value) if value is not None else "—"


def _c(data: CandidateData, q: Question) -> list[Candidate]:
    return [data.by_number[n] for n in q.candidates if n in data.by_number]


def _p(data: CandidateData, q: Question) -> list[Party]:
    return [data.party_by_number[n] for n in q.parties if n in data.party_by_number]


def _ids(cs: list[Candidate]) -> tuple[str, ...]:
    return tuple(str(c.number) for c in cs)


def _where(data: CandidateData, scope: Scope) -> str:
    return ev.scope_phrase(data, scope)


def _name(c: Candidate) -> str:
    return f"<b>{esc(c.ballot_name)}</b> ({esc(c.party.sigla)}, {esc(c.number)})"


def _standing_line(data: CandidateData, s: ev.Standing) -> str:
    where = _where(data, s.scope)
    if s.rank is None:
        return (
            f"{_name(s.candidate)} teve {fmt_int(s.votes)} votos {where}, anulados pelo TSE "
            f"(«{esc(s.candidate.vote_status or 'anulados')}»: não contam como válidos)."
        )
    field = f"{s.rank}º de {s.of}"
    among = (
        f" entre os candidatos a {s.candidate.office} do {esc(s.party.sigla)}"
        if s.party
        else f" para {s.candidate.office}"
    )
    base = "dos votos do partido" if s.party else "dos válidos"
    return (
        f"{_name(s.candidate)}: <b>{fmt_int(s.votes)}</b> votos {where} "
        f"({_pct(s.share)} {base}), {field}{among}."
    )


def _scope_note(scope: Scope) -> str:
    if scope.kind in ("bairro", "place"):
        return "Bairro e local pelo local de votação da seção (não pelo endereço do eleitor)."
    return ""


def _finish(lines: list[str], scope: Scope = CITY) -> str:
    note = _scope_note(scope)
    return "\n".join([*lines, note] if note else lines)


# ---- one renderer per ask -------------------------------------------------------------------


def card(data: CandidateData, q: Question) -> Reply:
    cs = _c(data, q)
    if not cs:
        return missing(data, q)
    c = cs[0]
    party = data.party_by_number.get(c.number)  # a 2-digit number is also a party's
    buttons = (
        [[(f"Ver o partido {party.sigla} ({party.number})", f"party:{party.number}")]]
        if party is not None
        else None
    )
    return Reply(cards.candidate_card(data, c), _ids([c]), buttons=buttons)


def votes(data: CandidateData, q: Question) -> Reply:
    cs = _c(data, q)
    if not cs:
        return missing(data, q)
    if len(cs) > 1:
        return compare(data, q)
    c = cs[0]
    s = ev.standing(data, c, q.scope)
    if q.scope.is_city:
        head = f"{esc(c.ballot_name)} teve <b>{fmt_int(c.votes)}</b> votos."
        return Reply(head + "\n\n" + cards.candidate_card(data, c), _ids([c]))
    return Reply(_finish([_standing_line(data, s)], q.scope), _ids([c]))


def share(data: CandidateData, q: Question) -> Reply:
    cs = _c(data, q)
    if not cs:
        return missing(data, q)
    lines = []
    for c in cs:
        if q.share_of_party:
            s = ev.standing(data, c, q.scope, c.party)
            own = ev.party_votes(data, c.party, c.office, q.scope)
            lines.append(
                f"{_name(c)} teve {fmt_int(s.votes)} dos {fmt_int(own)} votos do "
                f"{esc(c.party.sigla)} para {c.office} {_where(data, q.scope)}: "
                f"<b>{_pct(s.share)}</b> (nominais e de legenda)."
            )
            continue
        s = ev.standing(data, c, q.scope)
        valid = ev.totals(data, c.office, q.scope).valid
        lines.append(
            f"{_name(c)} teve <b>{_pct(s.share)}</b> dos votos válidos para {c.office} "
            f"{_where(data, q.scope)} ({fmt_int(s.votes)} de {fmt_int(valid)})."
        )
    return Reply(_finish(lines, q.scope), _ids(cs))


def rank(data: CandidateData, q: Question) -> Reply:
    cs = _c(data, q)
    if not cs:
        return missing(data, q)
    parties = _p(data, q)
    lines = [
        _standing_line(
            data, ev.standing(data, c, q.scope, parties[0] if q.within_party and parties else None)
        )
        for c in cs
    ]
    return Reply(_finish(lines, q.scope), _ids(cs))


def position(data: CandidateData, q: Question) -> Reply:
    parties = _p(data, q)
    party = parties[0] if parties else None
    office = q.office or ("vereador" if party and not _mayor_of(data, party) else "prefeito")
    n = q.position or 1
    s = ev.at_position(data, office, n, q.scope, party)
    if s is None:
        field = len([x for x in ev.ranking(data, office, q.scope, party) if x[1] > 0])
        who = f" do {esc(party.sigla)}" if party else ""
        return Reply(
            f"Só {field} candidato(s) a {office}{who} tiveram votos {_where(data, q.scope)}.",
            answered=False,
        )
    place = "último" if n == -1 else f"{n}º"
    who = f" entre os candidatos a {office} do {esc(party.sigla)}" if party else f" para {office}"
    line = (
        f"{place} lugar{who} {_where(data, q.scope)}: {_name(s.candidate)} — "
        f"<b>{fmt_int(s.votes)}</b> votos"
    )
    if s.share is not None:
        line += f" ({_pct(s.share)} {'do partido' if party else 'dos válidos'})"
    return Reply(_finish([line + "."], q.scope), _ids([s.candidate]), about=(s.candidate.number,))


def _mayor_of(data: CandidateData, party: Party) -> Candidate | None:
    found = data.in_race("prefeito", party)
    return found[0] if found else None


def winner(data: CandidateData, q: Question) -> Reply:
    if q.unit in (Unit.ZONE, Unit.BAIRRO, Unit.PLACE) and q.scope.is_city:
        kind = {Unit.ZONE: "zone", Unit.PLACE: "place"}.get(q.unit, "bairro")
        return _winners(data, q, kind)
    if q.scope.is_city and q.office != "vereador":
        text = "\n".join([cards.mayor_race(data)] if not q.parties else [party(data, q).text])
        top = data.in_race("prefeito")[0]
        return Reply(
            f"🏆 {_name(top)} venceu para prefeito com <b>{fmt_int(top.votes)}</b> votos, "
            f"{_pct(data.share(top))} dos válidos, no 1º turno.\n\n" + text,
            _ids([top]),
        )
    if q.scope.is_city:
        return elected(data, dataclasses.replace(q, ask=Ask.ELECTED))
    if not data.tally.has(q.scope):
        return missing(data, q)
    offices = [q.office] if q.office else ["prefeito", "vereador"]
    where = {
        "bairro": " no bairro",
        "place": " neste local",
        "zone": " na zona",
        "section": " nesta seção",
    }.get(q.scope.kind, "")
    lines = [f"<b>{esc(ev.scope_name(data, q.scope))}</b> — quem teve mais votos{where}"]
    for office in offices:
        field = ev.ranking(data, office, q.scope, _p(data, q)[0] if q.parties else None)
        valid = ev.totals(data, office, q.scope).valid
        lines.append(f"{office.capitalize()}:")
        for c, v in field[: 3 if office == "prefeito" else 5]:
            share_ = f" ({fmt_pct(100 * v / valid)})" if valid else ""
            lines.append(f"• {esc(c.ballot_name)} ({esc(c.party.sigla)}): {fmt_int(v)}{share_}")
    first = ev.ranking(data, offices[0], q.scope, _p(data, q)[0] if q.parties else None)
    about = (first[0][0].number,) if first else ()
    return Reply(_finish(lines, q.scope), (scope_id(q.scope),), about=about)


def scope_id(scope: Scope) -> str:
    """The id a bot event records for a place answer (``bairro:<name>`` as /bairro does)."""
    prefix = {"bairro": "bairro", "place": "local", "zone": "zona", "section": "secao"}
    return f"{prefix.get(scope.kind, scope.kind)}:{scope.id}"


def compare(data: CandidateData, q: Question) -> Reply:
    cs = _c(data, q)
    if len(cs) < 2:
        if _p(data, q):
            return _compare_parties(data, q)
        return votes(data, q) if cs else missing(data, q)
    standings = sorted((ev.standing(data, c, q.scope) for c in cs), key=lambda s: -s.votes)
    top, second = standings[0], standings[1]
    lines = [_standing_line(data, s) for s in standings]
    gap = top.votes - second.votes
    if gap == 0:
        lines.insert(0, f"Empate {_where(data, q.scope)}: {fmt_int(top.votes)} votos cada.")
    else:
        lines.insert(
            0,
            f"{_name(top.candidate)} teve mais votos {_where(data, q.scope)}: "
            f"{fmt_int(top.votes)} contra {fmt_int(second.votes)} de "
            f"{esc(second.candidate.ballot_name)}, {fmt_int(gap)} votos de diferença.",
        )
    return Reply(_finish(lines, q.scope), _ids([s.candidate for s in standings]))


def _compare_parties(data: CandidateData, q: Question) -> Reply:
    ps = _p(data, q)
    office = q.office or "vereador"
    rows = sorted(
        ((ev.party_votes(data, p, office, q.scope), p) for p in ps), key=lambda vp: -vp[0]
    )
    lines = [
        f"Votos para {office} {_where(data, q.scope)} (nominais + legenda):",
        *(f"• <b>{esc(p.sigla)}</b>: {fmt_int(v)}" for v, p in rows),
    ]
    if len(rows) >= 2:
        lines.append(f"Diferença: {fmt_int(rows[0][0] - rows[1][0])} votos.")
    return Reply(_finish(lines, q.scope), tuple(f"partido:{p.number}" for _, p in rows))


def difference(data: CandidateData, q: Question) -> Reply:
    return compare(data, q)


def sum_(data: CandidateData, q: Question) -> Reply:
    cs = _c(data, q)
    if len(cs) < 2:
        return compare(data, q)
    standings = [ev.standing(data, c, q.scope) for c in cs]
    total = sum(s.votes for s in standings)
    parts = " + ".join(f"{esc(s.candidate.ballot_name)} {fmt_int(s.votes)}" for s in standings)
    lines = [f"Somados {_where(data, q.scope)}: <b>{fmt_int(total)}</b> votos ({parts})."]
    offices = {c.office for c in cs}
    if len(offices) == 1:
        valid = ev.totals(data, cs[0].office, q.scope).valid
        if valid:
            lines.append(f"Juntos: {fmt_pct(100 * total / valid)} dos válidos.")
    return Reply(_finish(lines, q.scope), _ids(cs))


def best_or_worst(data: CandidateData, q: Question) -> Reply:
    cs = _c(data, q)
    if not cs:
        return missing(data, q)
    c = cs[0]
    kind = {Unit.ZONE: "zone", Unit.PLACE: "place"}.get(q.unit or Unit.BAIRRO, "bairro")
    if q.by_share:
        return _best_share(data, q, c, kind)
    rows = ev.by_area(data, c, kind)
    if q.ask == Ask.WORST:
        rows = list(reversed(rows))
    label = {"zone": "zonas", "place": "locais de votação", "bairro": "bairros"}[kind]
    word = "menos" if q.ask == Ask.WORST else "mais"
    lines = [f"Onde {_name(c)} teve {word} votos ({label}):"]
    for scope, v, r in rows[:5]:
        place = f", {r}º lugar lá" if r else ""
        lines.append(f"• {esc(ev.scope_name(data, scope))}: {fmt_int(v)} votos{place}")
    scope_note = Scope(kind, "x") if kind != "zone" else CITY  # type: ignore[arg-type]
    return Reply(_finish(lines, scope_note), _ids([c]), where=rows[0][0] if rows else None)


def _best_share(data: CandidateData, q: Question, c: Candidate, kind: str) -> Reply:
    rows = ev.by_area_share(data, c, kind)
    if q.ask == Ask.WORST:
        rows = [s for s in reversed(rows) if s.share is not None]
    label = {"zone": "zonas", "place": "locais de votação", "bairro": "bairros"}[kind]
    word = "menor" if q.ask == Ask.WORST else "maior"
    lines = [f"Onde {_name(c)} teve a {word} porcentagem dos votos válidos ({label}):"]
    for s in rows[:5]:
        share = fmt_pct(s.share) if s.share is not None else "—"
        place = f", {s.rank}º lugar lá" if s.rank else ""
        lines.append(
            f"• {esc(ev.scope_name(data, s.scope))}: {share} ({fmt_int(s.votes)} votos{place})"
        )
    scope_note = Scope(kind, "x") if kind != "zone" else CITY  # type: ignore[arg-type]
    return Reply(_finish(lines, scope_note), _ids([c]), where=rows[0].scope if rows else None)


def won_where(data: CandidateData, q: Question) -> Reply:
    cs = _c(data, q)
    if not cs:
        return missing(data, q)
    c = cs[0]
    kind = {Unit.ZONE: "zone", Unit.PLACE: "place"}.get(q.unit or Unit.BAIRRO, "bairro")
    if len(cs) == 2:
        return _beat(data, cs[0], cs[1], kind)
    won, total = ev.areas_won(data, c, kind)
    label = {"zone": "zonas", "place": "locais de votação", "bairro": "bairros"}[kind]
    if q.ask == Ask.WON_ALL:
        verdict = "Sim" if len(won) == total else "Não"
        head = (
            f"{verdict}: {_name(c)} foi o mais votado para {c.office} em {len(won)} de {total} "
            f"{label}."
        )
    elif not won:
        head = (
            f"Não: {_name(c)} não foi o mais votado para {c.office} em nenhum dos {total} {label}."
        )
    else:
        head = f"Sim: {_name(c)} foi o mais votado para {c.office} em {len(won)} de {total} {label}"
        head += ": " + ", ".join(esc(ev.scope_name(data, s)) for s in won[:25]) + "."
    lines = [head]
    if q.ask == Ask.WON_ALL and len(won) < total:
        lost = [s for s in data.tally.scopes(kind) if s not in won]  # type: ignore[arg-type]
        lines.append(
            "Não venceu em: "
            + ", ".join(esc(ev.scope_name(data, s)) for s in lost[:15])
            + ("…" if len(lost) > 15 else "")
        )
    return Reply(_finish(lines, Scope("bairro", "x")), _ids([c]))


_LABEL = {"zone": "zonas", "place": "locais de votação", "bairro": "bairros"}


def _beat(data: CandidateData, c: Candidate, other: Candidate, kind: str) -> Reply:
    """Where ``c`` had more votes than ``other``."""
    scopes = data.tally.scopes(kind)  # type: ignore[arg-type]
    ahead = [(s, ev.votes(data, c, s), ev.votes(data, other, s)) for s in scopes]
    ahead = [row for row in ahead if row[1] > row[2]]
    label = _LABEL[kind]
    if not ahead:
        text = (
            f"Não: {_name(c)} não teve mais votos que {esc(other.ballot_name)} em nenhum dos "
            f"{len(scopes)} {label}."
        )
        return Reply(text, _ids([c, other]))
    lines = [
        f"Sim: {_name(c)} teve mais votos que {esc(other.ballot_name)} em {len(ahead)} de "
        f"{len(scopes)} {label}:"
    ]
    lines += [
        f"• {esc(ev.scope_name(data, s))}: {fmt_int(a)} × {fmt_int(b)}" for s, a, b in ahead[:20]
    ]
    return Reply(_finish(lines, Scope("bairro", "x")), _ids([c, other]))


def _winners(data: CandidateData, q: Question, kind: str) -> Reply:
    """The most voted of the office in each scope of one kind."""
    office = q.office or "prefeito"
    lines = [f"Mais votado para {office} em cada um dos {_LABEL[kind]}:"]
    for scope in data.tally.scopes(kind):  # type: ignore[arg-type]
        top = ev.ranking(data, office, scope)
        if top and top[0][1] > 0:
            c, v = top[0]
            lines.append(
                f"• {esc(ev.scope_name(data, scope))}: {esc(c.ballot_name)} "
                f"({esc(c.party.sigla)}) {fmt_int(v)}"
            )
    return Reply(_finish(lines, Scope("bairro", "x") if kind != "zone" else CITY))


def elected(data: CandidateData, q: Question) -> Reply:
    from tglake.bot import results

    cs = _c(data, q)
    if cs:
        lines = []
        for c in cs:
            if c.office == "prefeito":
                won = c.rank == 1 and (data.share(c) or 0) > 50
                verdict = (
                    "foi <b>eleita(o)</b> prefeita(o) no 1º turno"
                    if won
                    else ("<b>não</b> foi eleito(a): ficou em " + f"{c.rank}º lugar para prefeito")
                )
                lines.append(f"{_name(c)} {verdict}, com {fmt_int(c.votes)} votos.")
            else:
                lines.append(results.situation_line(c) or "")
        if len(cs) == 1:
            lines += ["", cards.candidate_card(data, cs[0])]
        return Reply("\n".join(lines), _ids(cs))
    ps = _p(data, q)
    if ps:
        return Reply(
            "\n".join(results.party_seats_line(data, p) for p in ps),
            tuple(f"partido:{p.number}" for p in ps),
        )
    return Reply("\n".join(results.camara_lines(data)))


def party_of(data: CandidateData, q: Question) -> Reply:
    cs = _c(data, q)
    if not cs:
        return missing(data, q)
    lines = [
        f"{esc(c.ballot_name)} é do <b>{esc(c.party.sigla)}</b> ({esc(c.party.name)}), "
        f"número {esc(c.number)}, candidato(a) a {c.office}."
        for c in cs
    ]
    return Reply("\n".join(lines), _ids(cs))


def number_of(data: CandidateData, q: Question) -> Reply:
    cs = _c(data, q)
    if not cs:
        return missing(data, q)
    return Reply(
        "\n".join(
            f"O número de {esc(c.ballot_name)} é <b>{esc(c.number)}</b> ({c.office}, "
            f"{esc(c.party.sigla)})."
            for c in cs
        ),
        _ids(cs),
    )


def party(data: CandidateData, q: Question) -> Reply:
    from tglake.bot import results

    ps = _p(data, q)
    if not ps:
        return missing(data, q)
    if len(ps) > 1:
        return _compare_parties(data, q)
    p = ps[0]
    ids = (f"partido:{p.number}",)
    mayor = _mayor_of(data, p)
    if q.office == "prefeito":
        if mayor is None:
            return Reply(
                f"O <b>{esc(p.sigla)}</b> não teve candidato a prefeito em Mogi das Cruzes em "
                f"2024. Candidatos a prefeito: "
                + ", ".join(
                    f"{esc(c.ballot_name)} ({esc(c.party.sigla)})" for c in data.in_race("prefeito")
                )
                + ".",
                ids,
            )
        return Reply(
            f"O candidato a prefeito do <b>{esc(p.sigla)}</b> foi "
            + _standing_line(data, ev.standing(data, mayor, q.scope)),
            (*ids, str(mayor.number)),
        )
    if not q.scope.is_city:
        total = ev.party_votes(data, p, "vereador", q.scope)
        leg = ev.legenda_votes(data, p, q.scope)
        top = [(c, v) for c, v in ev.ranking(data, "vereador", q.scope, p)][:3]
        lines = [
            f"Votos para vereador do <b>{esc(p.sigla)}</b> {_where(data, q.scope)}: "
            f"<b>{fmt_int(total)}</b> ({fmt_int(total - leg)} nominais + {fmt_int(leg)} de "
            f"legenda).",
            "Mais votados lá: " + ", ".join(f"{esc(c.ballot_name)} ({fmt_int(v)})" for c, v in top),
        ]
        if mayor is not None:
            lines.append(_standing_line(data, ev.standing(data, mayor, q.scope)))
        return Reply(_finish(lines, q.scope), ids)
    lines = [
        cards.party_card(data, p),
        results.party_totals_line(data, p),
        results.party_seats_line(data, p),
    ]
    if mayor is None:
        lines.append(f"O {esc(p.sigla)} não teve candidato a prefeito.")
    return Reply("\n".join(lines), ids)


def totals(data: CandidateData, q: Question) -> Reply:
    offices = [q.office] if q.office else ["prefeito", "vereador"]
    if not q.scope.is_city and not data.tally.has(q.scope):
        return missing(data, q)
    lines = []
    for office in offices:
        t = ev.totals(data, office, q.scope)
        counted = t.counted or 1
        blank = f"brancos <b>{fmt_int(t.blank)}</b> ({fmt_pct(100 * t.blank / counted)})"
        null = f"nulos <b>{fmt_int(t.null)}</b> ({fmt_pct(100 * t.null / counted)})"
        valid = f"válidos <b>{fmt_int(t.valid)}</b>"
        parts = {
            Measure.BLANK: [blank],
            Measure.NULL: [null],
            Measure.VALID: [valid],
            Measure.BLANK_NULL: [
                blank,
                null,
                f"brancos + nulos <b>{fmt_int(t.blank + t.null)}</b>",
            ],
            Measure.TURNOUT: [
                f"total de votos apurados (comparecimento) <b>{fmt_int(t.counted)}</b>",
                valid,
                blank,
                null,
            ],
        }.get(q.measure or Measure.ALL, [valid, blank, null, f"total apurado {fmt_int(t.counted)}"])
        lines.append(f"{office.capitalize()} {_where(data, q.scope)}: " + " · ".join(parts))
    if q.measure == Measure.TURNOUT or q.measure is None:
        lines.append(limits.TURNOUT_NOTE)
    return Reply(_finish(lines, q.scope))


def legenda(data: CandidateData, q: Question) -> Reply:
    ps = _p(data, q) or sorted(data.parties, key=lambda p: -ev.legenda_votes(data, p, q.scope))
    lines = [f"Votos de legenda (no número do partido, para vereador) {_where(data, q.scope)}:"]
    lines += [f"• <b>{esc(p.sigla)}</b>: {fmt_int(ev.legenda_votes(data, p, q.scope))}" for p in ps]
    if not q.parties:
        total = sum(ev.legenda_votes(data, p, q.scope) for p in ps)
        lines.append(f"Total: {fmt_int(total)}")
    return Reply(_finish(lines, q.scope), tuple(f"partido:{p.number}" for p in ps[:1]))


def count(data: CandidateData, q: Question) -> Reply:
    t = data.tally
    scope = q.scope
    where = _where(data, scope)
    if q.unit == Unit.SECTION:
        n = len(t.sections_in(scope))
        return Reply(
            f"Seções com votos {where}: <b>{fmt_int(n)}</b> (nas zonas {', '.join(t.zones)})."
        )
    if q.unit == Unit.ZONE:
        return Reply(
            f"Mogi das Cruzes tem <b>{len(t.zones)}</b> zonas eleitorais: "
            + ", ".join(f"{z} ({len(t.sections_in(Scope('zone', z)))} seções)" for z in t.zones)
            + "."
        )
    if q.unit == Unit.PLACE:
        places = t.places_in(scope.id) if scope.kind == "bairro" else t.places
        if scope.kind == "zone":
            places = tuple(p for p in t.places if scope.id in p.zones)
        return Reply(f"Locais de votação {where}: <b>{len(places)}</b>.")
    if q.unit == Unit.BAIRRO:
        return Reply(
            f"Bairros com locais de votação: <b>{len(t.bairros)}</b> (pelo bairro "
            "do local de votação)."
        )
    if q.unit == Unit.PARTY:
        return Reply(
            f"<b>{len(data.parties)}</b> partidos tiveram candidatos: "
            + ", ".join(esc(p.sigla) for p in data.parties)
            + "."
        )
    parties = _p(data, q)
    party = parties[0] if parties else None
    offices = [q.office] if q.office else ["vereador", "prefeito"]
    lines = []
    for office in offices:
        race = data.in_race(office, party)
        annulled = sum(1 for c in race if c.rank is None)
        extra = f" ({annulled} com votos anulados)" if annulled else ""
        who = f" do {esc(party.sigla)}" if party else ""
        lines.append(f"Candidatos a {office}{who} na urna: <b>{len(race)}</b>{extra}.")
    if party is None and not q.office:
        lines.append("A Câmara tem 23 cadeiras.")
        registered = data.aggregates.get("candidaturas")
        if registered:
            lines.append(f"Candidaturas registradas no TSE (com vices): {registered}.")
    return Reply("\n".join(lines))


def zero_votes(data: CandidateData, q: Question) -> Reply:
    zero = ev.zero_vote_candidates(data)
    if not zero:
        least = data.in_race("vereador")[-1]
        return Reply(
            f"Nenhum candidato ficou sem votos. O que teve menos: {_name(least)} com "
            f"{fmt_int(least.votes)}."
        )
    names = ", ".join(f"{esc(c.ballot_name)} ({esc(c.party.sigla)})" for c in zero)
    return Reply(f"<b>{len(zero)}</b> candidato(s) sem nenhum voto: {names}.", _ids(zero))


def place_info(data: CandidateData, q: Question) -> Reply:
    t = data.tally
    if q.scope.kind == "bairro":
        places = t.places_in(q.scope.id)
        zones = sorted({z for p in places for z in p.zones})
        lines = [
            f"Locais de votação no bairro <b>{esc(q.scope.id)}</b>: {len(places)}, na(s) "
            f"zona(s) eleitoral(is) {', '.join(zones)}"
        ]
        lines += [f"• {esc(p.name)} — {esc(p.address)}" for p in places]
        return Reply("\n".join(lines))
    place = t.places[int(q.scope.id)]
    n = len(t.sections_in(q.scope))
    return Reply(
        f"<b>{esc(place.name)}</b>\nEndereço: {esc(place.address)}\nBairro: {esc(place.bairro)}"
        f"\nZona eleitoral: {', '.join(place.zones)} · {n} seções",
        (f"local:{place.index}",),
    )


def second_round(data: CandidateData, q: Question) -> Reply:
    top = data.in_race("prefeito")[0]
    return Reply(
        f"Não houve 2º turno em Mogi das Cruzes em 2024: {_name(top)} teve "
        f"{_pct(data.share(top))} dos votos válidos no 1º turno (mais da metade).",
        _ids([top]),
    )


def seats_total(data: CandidateData, q: Question) -> Reply:
    return Reply(
        "A Câmara Municipal de Mogi das Cruzes tem <b>23</b> vereadores. Quem foi eleito "
        "em 2024: /eleitos."
    )


def help_(data: CandidateData, q: Question) -> Reply:
    return Reply(limits.HELP)


def limit(data: CandidateData, q: Question) -> Reply:
    text = limits.refusal(q.limit, q.detail)
    near = [
        data.by_number[int(o[5:])]
        for o in q.options
        if o.startswith("cand:") and int(o[5:]) in data.by_number
    ]
    if not near:
        return Reply(text, answered=False)
    offer = ", ".join(f"{esc(c.ballot_name)} ({esc(c.party.sigla)})" for c in near)
    first, _, rest = text.partition("\n")
    return Reply(
        f"{first}\nVocê quis dizer {offer}?\n{rest}",
        answered=False,
        buttons=[[(f"{c.ballot_name} ({c.party.sigla})"[:60], c.callback)] for c in near],
    )


def missing(data: CandidateData, q: Question) -> Reply:
    return Reply(limits.refusal(None, ""), answered=False)


def clarify(data: CandidateData, q: Question) -> Reply:
    options = []
    for option in q.options:
        kind, _, ident = option.partition(":")
        if kind == "cand" and int(ident) in data.by_number:
            c = data.by_number[int(ident)]
            options.append(
                (
                    f"{c.ballot_name} ({c.number}, {c.office}, {c.party.sigla}) — "
                    f"{fmt_int(c.votes)} votos",
                    cards.button_label(c),
                    c.callback,
                )
            )
        elif kind == "bairro":
            index = list(data.bairros.values())
            if ident in index:
                options.append((ident, ident, f"bairro:{index.index(ident)}"))
        elif kind == "place":
            place = data.tally.places[int(ident)]
            options.append((f"{place.name} ({place.bairro})", place.name[:60], f"local:{ident}"))
    about = f" para «{esc(q.detail)}»" if q.detail else ""
    lines = [f"Encontrei {len(options)} opções{about}. Qual delas?"]
    lines += [f"• {esc(text)}" for text, _, _ in options]
    return Reply(
        "\n".join(lines),
        tuple(q.options),
        buttons=[[(label, data_)] for _, label, data_ in options],
    )


RENDERERS: dict[Ask, Callable[[CandidateData, Question], Reply]] = {
    Ask.CARD: card,
    Ask.VOTES: votes,
    Ask.SHARE: share,
    Ask.RANK: rank,
    Ask.POSITION: position,
    Ask.WINNER: winner,
    Ask.COMPARE: compare,
    Ask.DIFFERENCE: difference,
    Ask.SUM: sum_,
    Ask.BEST: best_or_worst,
    Ask.WORST: best_or_worst,
    Ask.WON_ANY: won_where,
    Ask.WON_ALL: won_where,
    Ask.ELECTED: elected,
    Ask.PARTY_OF: party_of,
    Ask.NUMBER_OF: number_of,
    Ask.PARTY: party,
    Ask.TOTALS: totals,
    Ask.LEGENDA: legenda,
    Ask.COUNT: count,
    Ask.ZERO_VOTES: zero_votes,
    Ask.PLACE_INFO: place_info,
    Ask.SECOND_ROUND: second_round,
    Ask.SEATS_TOTAL: seats_total,
    Ask.HELP: help_,
    Ask.LIMIT: limit,
    Ask.CLARIFY: clarify,
}


def render(data: CandidateData, q: Question) -> Reply:
    return RENDERERS[q.ask](data, q)


__all__ = ["ELECTED", "RENDERERS", "Reply", "render"]
