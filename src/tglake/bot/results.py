"""Reply texts for the questions about results: the computed Câmara, race totals, places.

Same rules as :mod:`tglake.bot.cards`: Brazilian Portuguese, HTML, every data value through
:func:`esc`, each line self-contained so a long reply can be split at line breaks.
"""

from __future__ import annotations

from tglake.candidates.camara import METHOD_NOTE
from tglake.candidates.catalog import Candidate, CandidateData, Party
from tglake.candidates.seats import ELECTED
from tglake.candidates.text import esc, fmt_int, fmt_pct

CAN_ANSWER = (
    "Posso responder, por exemplo: quem ganhou para prefeito e com quantos por cento, quem "
    "ficou em 2º ou 3º, votos brancos, nulos e válidos, quantos candidatos concorreram, quem "
    "foi eleito vereador, os votos, o número, o partido e os bairros de um candidato, os "
    "candidatos e votos de um partido, quem teve mais votos em um bairro."
)
NO_DATA = "Isso não está nos dados que tenho (votos do TSE do 1º turno de 2024 em Mogi)."


def is_elected(c: Candidate) -> bool:
    return c.situation in ELECTED


def headline_mayor(data: CandidateData) -> str:
    winner = data.in_race("prefeito")[0]
    share = data.share(winner) or 0.0
    first_round = " e foi eleita(o) no 1º turno" if share > 50 else ""
    return (
        f"🏆 <b>{esc(winner.ballot_name)}</b> ({esc(winner.party.sigla)}) venceu para prefeito "
        f"com <b>{fmt_int(winner.votes)}</b> votos, {fmt_pct(share)} dos válidos{first_round}."
    )


def place_line(data: CandidateData, c: Candidate) -> str:
    share = data.share(c)
    pct = f", {fmt_pct(share)} dos válidos" if share is not None else ""
    return (
        f"{c.rank}º lugar para {c.office}: <b>{esc(c.ballot_name)}</b> ({esc(c.number)}, "
        f"{esc(c.party.sigla)}) — {fmt_int(c.votes)} votos{pct}."
    )


def totals(data: CandidateData, offices: tuple[str, ...]) -> list[str]:
    lines = []
    for office in offices:
        race = data.races[office]
        counted = race.valid + race.blank + race.null + race.nominal_annulled
        lines.append(
            f"<b>{office.capitalize()}</b>: válidos {fmt_int(race.valid)} · brancos "
            f"{fmt_int(race.blank)} ({fmt_pct(100 * race.blank / counted)}) · nulos "
            f"{fmt_int(race.null)} ({fmt_pct(100 * race.null / counted)}) · total de votos "
            f"apurados {fmt_int(counted)}"
        )
    return lines


TURNOUT_NOTE = (
    "O total de votos apurados é o comparecimento (cada eleitor vota uma vez em cada cargo). "
    "Eleitorado e abstenção não estão nestes dados."
)


def camara_lines(data: CandidateData) -> list[str]:
    """The 23 computed seats, by list, with who fills them."""
    cam = data.camara
    elected = [c for c in data.in_race("vereador") if is_elected(c)]
    lines = [
        f"<b>Câmara Municipal — {cam.get('cadeiras', len(elected))} vereadores eleitos</b>",
        f"<i>{esc(METHOD_NOTE)}</i>",
        f"Quociente eleitoral: {fmt_int(int(cam.get('quociente_eleitoral', 0)))} votos.",
    ]
    for lst in cam.get("listas", []):
        seats = int(lst["cadeiras_qp"]) + int(lst["cadeiras_media"])
        if not seats:
            continue
        members = set(lst["partidos"])
        names = ", ".join(
            f"{esc(c.ballot_name)} ({fmt_int(c.votes)})"
            for c in elected
            if c.party.sigla in members
        )
        lines.append(f"• <b>{esc(lst['lista'])}</b> — {seats}: {names}")
    return lines


def list_of_party(data: CandidateData, party: Party) -> dict[str, object] | None:
    for lst in data.camara.get("listas", []):
        if party.sigla in lst["partidos"]:
            return dict(lst)
    return None


def party_seats_line(data: CandidateData, party: Party) -> str:
    lst = list_of_party(data, party)
    own = [c for c in data.in_race("vereador", party) if is_elected(c)]
    names = ", ".join(esc(c.ballot_name) for c in own)
    text = f"O <b>{esc(party.sigla)}</b> elegeu <b>{len(own)}</b> vereador(es)"
    text += f": {names}." if own else "."
    if lst and len(lst["partidos"]) > 1:  # type: ignore[arg-type]
        seats = int(lst["cadeiras_qp"]) + int(lst["cadeiras_media"])  # type: ignore[call-overload]
        text += f" Concorreu na {esc(lst['lista'])}, que fez {seats} cadeira(s)."
    return text


def situation_line(c: Candidate) -> str:
    if c.office == "prefeito":
        return ""
    if c.situation is None:
        return (
            f"<b>{esc(c.ballot_name)}</b> não concorreu com votos válidos (votos marcados "
            f"«{esc(c.vote_status or 'anulados')}»): não foi eleito(a)."
        )
    verdict = {
        "eleito por QP": "foi <b>eleito(a)</b> (pelo quociente partidário)",
        "eleito por média": "foi <b>eleito(a)</b> (pelas maiores médias)",
        "suplente": "<b>não</b> foi eleito(a): ficou como suplente",
        "não eleito": "<b>não</b> foi eleito(a)",
    }[c.situation]
    return f"{esc(c.ballot_name)} ({esc(c.party.sigla)}) {verdict}. {esc(METHOD_NOTE)}"


def party_totals_line(data: CandidateData, party: Party) -> str:
    nominal = sum(c.votes for c in data.in_race("vereador", party) if c.rank)
    total = fmt_int(nominal + party.legenda_votes)
    return (
        f"Votos para vereador do <b>{esc(party.sigla)}</b>: <b>{total}</b> ("
        f"{fmt_int(nominal)} nominais + {fmt_int(party.legenda_votes)} de legenda)."
    )
