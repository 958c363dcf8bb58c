"""Reply texts in Brazilian Portuguese (HTML for ``parse_mode=HTML``), built line by line.

Every value from the data goes through :func:`esc`; each line is self-contained (its tags open
and close on it), so :func:`clip` can cut at a line break and never leave a tag open.
"""

from __future__ import annotations

import functools
import statistics
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Concatenate, ParamSpec

from tglake.candidates.catalog import Candidate, CandidateData, Party
from tglake.candidates.seats import ELECTED
from tglake.candidates.text import esc, fmt_int, fmt_pct

SAFE_LIMIT = 4000
"""Characters per message we send: Telegram's limit is 4096; we keep a margin."""
OFFICE = {"prefeito": "Prefeito", "vereador": "Vereador"}
ELECTED_NOTE = (
    "ℹ️ Quem foi eleito: /eleitos (calculado a partir dos votos oficiais pelo método da lei)."
)
SOURCE_NOTE = "Fonte: relatório de votação por seção do TSE, Mogi das Cruzes, 1º turno de 2024."


P = ParamSpec("P")


def _once(
    key: Callable[P, tuple[object, ...]],
) -> Callable[
    [Callable[Concatenate[CandidateData, P], str]], Callable[Concatenate[CandidateData, P], str]
]:
    """A card made once per candidate data (:attr:`CandidateData.rendered`): a card is a pure
    function of the data, and rendering one costs more than the rest of an answer."""

    def decorate(
        render: Callable[Concatenate[CandidateData, P], str],
    ) -> Callable[Concatenate[CandidateData, P], str]:
        @functools.wraps(render)
        def card(data: CandidateData, /, *args: P.args, **kwargs: P.kwargs) -> str:
            found = (render.__name__, *key(*args, **kwargs))
            text = data.rendered.get(found)
            if text is None:
                text = data.rendered[found] = render(data, *args, **kwargs)
            return text

        return card

    return decorate


def clip(lines: Iterable[str]) -> str:
    """Join lines; a reply over Telegram's limit is split into messages at line breaks by
    :func:`tglake.bot.answer.split_text`, not cut."""
    return "\n".join(lines)


def _share(data: CandidateData, c: Candidate) -> str:
    share = data.share(c)
    return f" ({fmt_pct(share)} dos válidos)" if share is not None else ""


@_once(lambda c: (c.number,))
def candidate_card(data: CandidateData, c: Candidate) -> str:
    """Everything the data holds about one candidate."""
    race = data.in_race(c.office)
    lines = [
        f"<b>{esc(c.ballot_name)}</b> — {esc(c.number)}",
        f"{OFFICE[c.office]} · {esc(c.party.sigla)} ({esc(c.party.name)})",
        f"🗳️ <b>{fmt_int(c.votes)}</b> votos{_share(data, c)}",
    ]
    if c.rank is not None:
        counted = sum(1 for o in race if o.rank is not None)
        lines.append(f"🏅 {c.rank}º lugar entre {counted} candidatos a {c.office}")
    if c.vote_status:
        lines.append(
            f"⚠️ O relatório do TSE marca os votos desta candidatura como "
            f"«{esc(c.vote_status)}»: não entram nos votos válidos."
        )
    zones = " · ".join(f"zona {esc(z)}: {fmt_int(v)}" for z, v in c.by_zone.items())
    lines.append(f"Por zona eleitoral: {zones}")
    top = list(c.by_bairro.items())[:3]
    if top:
        lines.append(
            "Bairros com mais votos: " + ", ".join(f"{esc(b)} ({fmt_int(v)})" for b, v in top)
        )
    lines.extend(_profile_lines(c))
    if c.office == "prefeito" and c.rank == 1 and (data.share(c) or 0) > 50:
        lines.append("✅ Teve mais da metade dos votos válidos: eleita(o) no 1º turno.")
    if c.office == "vereador" and c.situation:
        lines.append(
            f"Resultado: <b>{esc(c.situation)}</b> (calculado pelo método da lei; /eleitos)"
        )
    return clip(lines)


def _profile_lines(c: Candidate) -> list[str]:
    p = c.profile
    if not p:
        return []
    fields = [
        ("Nome completo", p.get("nome_completo")),
        ("Idade na eleição", f"{p['idade']} anos" if p.get("idade") is not None else None),
        ("Gênero", p.get("genero")),
        ("Cor/raça", p.get("cor_raca")),
        ("Instrução", p.get("grau_instrucao")),
        ("Ocupação", p.get("ocupacao")),
        ("Candidatura", p.get("situacao_candidatura")),
        ("Resultado (arquivo do TSE)", p.get("situacao_totalizacao")),
        ("Vice", p.get("vice")),
    ]
    return [f"{label}: {esc(value)}" for label, value in fields if value]


def choice_list(found: Iterable[Candidate], query: str) -> str:
    items = list(found)
    lines = [f"Encontrei {len(items)} candidatos para «{esc(query)}». Qual deles?"]
    for c in items:
        lines.append(
            f"• {esc(c.ballot_name)} ({esc(c.number)}, {c.office}, {esc(c.party.sigla)}) — "
            f"{fmt_int(c.votes)} votos"
        )
    return clip(lines)


def button_label(c: Candidate) -> str:
    return f"{c.ballot_name} ({c.number})"[:60]


@_once(lambda: ())
def mayor_race(data: CandidateData) -> str:
    race = data.races["prefeito"]
    lines = ["<b>Prefeito de Mogi das Cruzes — 1º turno de 2024</b>"]
    for c in data.in_race("prefeito"):
        lines.append(
            f"{c.rank}. {esc(c.ballot_name)} ({esc(c.number)}, {esc(c.party.sigla)}): "
            f"<b>{fmt_int(c.votes)}</b>{_share(data, c)}"
        )
    lines += [
        f"Votos válidos: {fmt_int(race.valid)} · brancos: {fmt_int(race.blank)} · "
        f"nulos: {fmt_int(race.null)}",
    ]
    winner = data.in_race("prefeito")[0]
    if (data.share(winner) or 0) > 50:
        lines.append(
            f"✅ {esc(winner.ballot_name)} teve mais da metade dos votos válidos e foi "
            "eleita no 1º turno."
        )
    lines.append(SOURCE_NOTE)
    return clip(lines)


@_once(lambda party, limit=15, offset=0: (party.number if party else None, limit, offset))
def council_list(data: CandidateData, party: Party | None, limit: int = 15, offset: int = 0) -> str:
    pool = data.in_race("vereador", party)
    title = "Vereadores mais votados" + (f" do {esc(party.sigla)}" if party else "")
    lines = [f"<b>{title}</b> (de {len(pool)} candidatos)"]
    for c in pool[offset : offset + limit]:
        rank = f"{c.rank}º" if c.rank is not None else "—"
        lines.append(
            f"{rank} {esc(c.ballot_name)} ({esc(c.number)}, {esc(c.party.sigla)}): "
            f"{fmt_int(c.votes)}{' ✅' if c.situation in ELECTED else ''}"
        )
    lines.append(ELECTED_NOTE)
    return clip(lines)


@_once(lambda party: (party.number,))
def party_card(data: CandidateData, party: Party) -> str:
    members = [c for c in data.candidates if c.party == party]
    council = data.in_race("vereador", party)
    mayor = [c for c in members if c.office == "prefeito"]
    nominal = sum(c.votes for c in council if c.rank is not None)
    lines = [
        f"<b>{esc(party.sigla)}</b> — {esc(party.name)} (número {party.number})",
        f"Candidatos a vereador na urna: {len(council)}",
        f"Votos nominais a vereador: {fmt_int(nominal)} · votos de legenda: "
        f"{fmt_int(party.legenda_votes)}",
    ]
    for c in mayor:
        lines.append(f"Prefeito: {esc(c.ballot_name)} — {fmt_int(c.votes)} votos ({c.rank}º lugar)")
    if council:
        lines.append(
            "Mais votados: "
            + ", ".join(f"{esc(c.ballot_name)} ({fmt_int(c.votes)})" for c in council[:5])
        )
    registered = data.aggregates.get("por_partido", {}).get(party.sigla)
    if registered is not None:
        lines.append(f"Candidaturas registradas no TSE (com prefeito e vice): {registered}")
    return clip(lines)


@_once(lambda bairro: (bairro,))
def bairro_card(data: CandidateData, bairro: str) -> str:
    def top(office: str, n: int) -> tuple[Candidate, ...]:
        return data.top_in_bairro(office, bairro)[:n]

    lines = [f"<b>{esc(bairro)}</b> — quem teve mais votos no bairro"]
    mayor_votes = sum(c.by_bairro.get(bairro, 0) for c in data.in_race("prefeito"))
    lines.append("Prefeito:")
    for c in top("prefeito", 3):
        share = 100.0 * c.by_bairro.get(bairro, 0) / mayor_votes if mayor_votes else 0.0
        lines.append(
            f"• {esc(c.ballot_name)}: {fmt_int(c.by_bairro.get(bairro, 0))} ({fmt_pct(share)})"
        )
    lines.append("Vereador:")
    for c in top("vereador", 5):
        lines.append(
            f"• {esc(c.ballot_name)} ({esc(c.party.sigla)}): {fmt_int(c.by_bairro.get(bairro, 0))}"
        )
    lines.append(
        "Bairro pelo local de votação da seção, não pelo endereço do eleitor. "
        "A seção 279 da zona 0074 tem dois locais no cadastro e ficou sem bairro."
    )
    return clip(lines)


@_once(lambda: ())
def profile_card(data: CandidateData) -> str:
    agg = data.aggregates
    lines = ["<b>Perfil das candidaturas de Mogi das Cruzes 2024</b>"]
    imported = [c.profile for c in data.candidates if c.profile]
    if imported:
        lines.append(f"Do arquivo do TSE importado ({esc(data.profile_source)}):")
        lines.extend(_imported_stats(imported))
    if agg:
        lines.append(
            f"Candidaturas registradas: {agg['candidaturas']} (prefeito, vice e vereador)."
        )
        parties = sorted(agg["por_partido"].items(), key=lambda kv: (-kv[1], kv[0]))
        lines.append("Por partido: " + ", ".join(f"{esc(s)} {n}" for s, n in parties))
        lines.append(
            "Ocupações mais comuns: "
            + ", ".join(
                f"{esc(o['ocupacao'].title())} ({o['quantidade']})"
                for o in agg["ocupacoes_top20"][:8]
            )
        )
        lines.append(
            f"Idade: média {str(agg['idade_media']).replace('.', ',')} anos, "
            f"de {agg['idade_min']} a {agg['idade_max']}."
        )
    if not imported:
        lines.append(
            "⚠️ Gênero, cor/raça, instrução e ocupação <b>por candidato</b> não estão nestes "
            "dados: só existem 5 linhas de amostra do arquivo do TSE (todas de vereador). "
            "Os números acima são agregados publicados, não uma amostra."
        )
    return clip(lines)


def _imported_stats(rows: list[Mapping[str, Any]]) -> list[str]:
    ages = [int(p["idade"]) for p in rows if isinstance(p.get("idade"), int)]
    genders: dict[str, int] = {}
    for p in rows:
        g = str(p.get("genero") or "não informado")
        genders[g] = genders.get(g, 0) + 1
    lines = [f"Candidatos com ficha: {len(rows)}"]
    lines.append(
        "Gênero: " + ", ".join(f"{esc(g.lower())} {n}" for g, n in sorted(genders.items()))
    )
    if ages:
        lines.append(
            f"Idade na eleição: média {statistics.fmean(ages):.1f}".replace(".", ",")
            + f", mediana {statistics.median(ages):g}, de {min(ages)} a {max(ages)}"
        )
    return lines
