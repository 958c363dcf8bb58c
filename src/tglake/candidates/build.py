"""Build the bot's candidate file from the shared TSE folder (``tglake candidates build``).

Reads the edited seção report and the polling-place table, repairs the one known defect of
the report explicitly, checks that every block's printed Total equals its seção sum (or is the
explained defect), and writes one compact, deterministic ``candidates.json.gz`` that ships with
the package. Nothing is typed in by hand except the party siglas (see :mod:`parties`).
"""

from __future__ import annotations

import collections
import csv
import gzip
import io
import json
from pathlib import Path
from typing import Any

from tglake.candidates import camara
from tglake.candidates import tse_votes as tv
from tglake.candidates.parties import SIGLAS, party_of
from tglake.candidates.places import SectionPlaces, read_places
from tglake.candidates.text import fold
from tglake.errors import CandidateDataError

REPORT_FILE = "resultado-votacao-secao-editado.txt"
PLACES_FILE = "locais_votacao_secoes_mogi_2024.csv"
PARTY_COUNTS_FILE = "candidatos_mogi_2024_por_partido.csv"
OCCUPATIONS_FILE = "candidatos_mogi_2024_ocupacoes_top20.csv"
SAMPLE_FILE = "candidatos_mogi_2024_amostra5.csv"
NOTEBOOK_FACTS = {"candidaturas": 397, "idade_media": 49.01, "idade_min": 18, "idade_max": 81}
"""Printed by the source notebook and copied in the shared README ("397 candidates; age …
mean 49.01, min 18, max 81"); no file holds them."""
DEFAULT_SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "tse"
"""``../shared/data/tse`` relative to the repository (this file → repo root)."""
ELECTION = {
    "municipio": "MOGI DAS CRUZES",
    "uf": "SP",
    "ano": 2024,
    "turno": 1,
    "data": "2024-10-06",
}

SHEILA_BLOCK = (tv.PREFEITO, "0074", tv.CANDIDATO, 33)
"""The block of the edited report that holds two runs (README of the shared folder): its first
run (lines 843–1045, 583 votes) is Professora Sheila Mantovanni's zone-0074 result; its second
run (lines 1047–1249) is zone 0074's prefeito *blank* votes, whose ``Votável:95 - Branco``
header is missing, and the block's only printed Total (2.947) belongs to that second run."""


def fix_sheila_block(blocks: list[tv.Block]) -> tuple[list[tv.Block], list[dict[str, Any]]]:
    """Split the known two-run block into her votes and the zone's missing Branco block.

    Refuses anything else that has more than one run: an unknown defect must not be guessed.
    """
    fixed: list[tv.Block] = []
    explained: list[dict[str, Any]] = []
    for block in blocks:
        key = (block.office, block.zone, block.kind, block.number)
        if len(block.runs) == 1:
            fixed.append(block)
            continue
        if key != SHEILA_BLOCK or len(block.runs) != 2:
            raise CandidateDataError(
                f"line {block.header_line}: block {block.label!r} of zone {block.zone} has "
                f"{len(block.runs)} runs of seções; only the Sheila Mantovanni block is known"
            )
        has_blank = any(
            (b.office, b.zone, b.kind) == (tv.PREFEITO, block.zone, tv.BRANCO) for b in blocks
        )
        hers, blank = block.runs
        if has_blank or block.printed_total != sum(blank.values()):
            raise CandidateDataError("the Sheila Mantovanni block is not the documented defect")
        fixed.append(
            tv.Block(
                block.office,
                block.zone,
                block.kind,
                block.number,
                block.label,
                block.status,
                block.header_line,
                [hers],
                None,
                None,
            )
        )
        fixed.append(
            tv.Block(
                tv.PREFEITO,
                block.zone,
                tv.BRANCO,
                95,
                "Branco",
                None,
                block.header_line,
                [blank],
                block.printed_total,
                block.total_line,
            )
        )
        explained.append(
            {
                "zona": block.zone,
                "bloco": f"Candidato:{block.number} - {block.label}",
                "linha_cabecalho": block.header_line,
                "total_impresso": block.printed_total,
                "soma_das_secoes": block.secao_sum(),
                "correcao": (
                    f"1ª sequência de seções ({sum(hers.values())} votos) = votos da candidata "
                    f"na zona {block.zone}; 2ª sequência ({sum(blank.values())} votos, igual ao "
                    f"Total impresso) = votos em branco para prefeito da zona {block.zone}, "
                    "cujo cabeçalho 'Votável:95 - Branco' falta no arquivo"
                ),
            }
        )
    return fixed, explained


def reconcile(blocks: list[tv.Block], explained: list[dict[str, Any]]) -> dict[str, Any]:
    """Every printed Total equals its seção sum; the only block without one is the explained."""
    reconciled = 0
    for block in blocks:
        if block.printed_total is None:
            if (block.office, block.zone, block.kind, block.number) != SHEILA_BLOCK:
                raise CandidateDataError(f"line {block.header_line}: block without a Total")
            continue
        if block.printed_total != block.secao_sum():
            raise CandidateDataError(
                f"line {block.header_line}: printed Total {block.printed_total} of "
                f"{block.label!r} (zone {block.zone}) ≠ seção sum {block.secao_sum()}"
            )
        reconciled += 1
    return {
        "blocos_no_arquivo": len(blocks) - len(explained),
        "totais_conferidos": reconciled,
        "explicados": explained,
    }


def _race_totals(blocks: list[tv.Block], office: str, nominal_valid: int) -> dict[str, Any]:
    def total(kind: str) -> int:
        return sum(b.secao_sum() for b in blocks if b.office == office and b.kind == kind)

    legenda = total(tv.LEGENDA)
    annulled = sum(
        b.secao_sum()
        for b in blocks
        if b.office == office and b.kind == tv.CANDIDATO and b.status is not None
    )
    return {
        "votos_nominais_validos": nominal_valid,
        "votos_legenda": legenda,
        "votos_validos": nominal_valid + legenda,
        "votos_brancos": total(tv.BRANCO),
        "votos_nulos": total(tv.NULO),
        "votos_nominais_anulados": annulled,
    }


def aggregate(blocks: list[tv.Block], places: SectionPlaces) -> dict[str, Any]:
    """Candidates with totals per zone and per bairro, ranks, party and race totals."""
    per: dict[tuple[str, int], dict[str, Any]] = {}
    for block in blocks:
        if block.kind != tv.CANDIDATO:
            continue
        cand = per.setdefault(
            (block.office, block.number),
            {
                "numero": block.number,
                "nome_urna": block.label,
                "cargo": block.office,
                "partido": party_of(block.number),
                "situacao_voto": block.status,
                "votos": 0,
                "zonas": collections.Counter(),
                "bairros": collections.Counter(),
            },
        )
        if cand["nome_urna"] != block.label or cand["situacao_voto"] != block.status:
            raise CandidateDataError(f"line {block.header_line}: {block.number} differs by zone")
        for secao, votes in block.runs[0].items():
            cand["votos"] += votes
            cand["zonas"][block.zone] += votes
            bairro = places.bairro_of.get((block.zone, secao))
            if bairro is not None and votes:
                cand["bairros"][bairro] += votes
    candidates = sorted(per.values(), key=lambda c: (c["cargo"], -c["votos"], c["numero"]))
    races: dict[str, Any] = {}
    for office in (tv.PREFEITO, tv.VEREADOR):
        in_race = [c for c in candidates if c["cargo"] == office]
        valid = [c for c in in_race if c["situacao_voto"] is None]
        races[office] = _race_totals(blocks, office, sum(c["votos"] for c in valid))
        for c in in_race:
            c["posicao"] = (
                1 + sum(1 for o in valid if o["votos"] > c["votos"])
                if c["situacao_voto"] is None
                else None
            )
            c["zonas"] = dict(sorted(c["zonas"].items()))
            c["bairros"] = dict(sorted(c["bairros"].items(), key=lambda kv: (-kv[1], kv[0])))
    return {"candidatos": candidates, "disputas": races}


def _parties(blocks: list[tv.Block], numbers: set[int]) -> list[dict[str, Any]]:
    names: dict[int, str] = {}
    legenda: collections.Counter[int] = collections.Counter()
    for block in blocks:
        if block.kind == tv.LEGENDA:
            names.setdefault(block.number, block.label)
            legenda[block.number] += block.secao_sum()
    missing = sorted(numbers - names.keys())
    unknown = sorted(names.keys() - SIGLAS.keys())
    if missing or unknown:
        raise CandidateDataError(f"parties without a name {missing} or a sigla {unknown}")
    return [
        {"numero": n, "sigla": SIGLAS[n], "nome": names[n], "votos_legenda": legenda[n]}
        for n in sorted(names)
    ]


def _join_report(blocks: list[tv.Block], places: SectionPlaces) -> dict[str, Any]:
    in_results = {(b.zone, s) for b in blocks for s in b.runs[0]}
    listed = set(places.bairro_of) | {(a["zona"], a["secao"]) for a in places.ambiguous}
    without = sorted(in_results - set(places.bairro_of))
    return {
        "secoes_nos_resultados": len(in_results),
        "secoes_com_bairro": len(in_results & set(places.bairro_of)),
        "secoes_sem_bairro": [{"zona": z, "secao": s} for z, s in without],
        "secoes_ambiguas": places.ambiguous,
        "secoes_repetidas_iguais": places.duplicates_consistent,
        "secoes_so_nos_locais": [{"zona": z, "secao": s} for z, s in sorted(listed - in_results)],
        "grafias_de_bairro": places.bairro_variants,
    }


def sections(blocks: list[tv.Block], places: SectionPlaces) -> dict[str, Any]:
    """The seção-level results: every seção with its polling place, and each block's votes as
    one list aligned with the seções (a zero where the block has no votes), so that any scope
    (a bairro, a place, a zone, the city) is a sum over seções, and the bot needs no other
    table.

    Keys of ``votos``: ``c<number>`` a candidate, ``b:<office>`` blank, ``n:<office>`` null,
    ``l<party number>`` a party's legenda votes (vereador only)."""
    seen = sorted({(b.zone, s) for b in blocks for s in b.runs[0]})
    index = {key: i for i, key in enumerate(seen)}
    place_ids: dict[tuple[str, str], int] = {}
    # a place is its name in its bairro: the file spells one school's address ten ways (an
    # autofilled column: «R. Paulo Leite de Siqueira, 578 … 587»), the first one is shown
    place_rows: list[dict[str, Any]] = []
    rows: list[list[Any]] = []
    for zone, secao in seen:
        place = places.place_of.get((zone, secao))
        where: int | None = None
        if place is not None:
            bairro = places.bairro_of[(zone, secao)]
            identity = (fold(place[0]), bairro)
            where = place_ids.get(identity)
            if where is None:
                where = place_ids[identity] = len(place_rows)
                place_rows.append(
                    {"nome": place[0], "endereco": place[1], "bairro": bairro, "zonas": []}
                )
            if zone not in place_rows[where]["zonas"]:
                place_rows[where]["zonas"].append(zone)
        rows.append([zone, secao, where])
    votes: dict[str, list[int]] = {}
    for block in blocks:
        key = {
            tv.CANDIDATO: f"c{block.number}",
            tv.BRANCO: f"b:{block.office}",
            tv.NULO: f"n:{block.office}",
            tv.LEGENDA: f"l{block.number}",
        }[block.kind]
        dense = votes.setdefault(key, [0] * len(seen))
        for secao, count in block.runs[0].items():
            dense[index[(block.zone, secao)]] += count
    return {"secoes": rows, "locais": place_rows, "votos": dict(sorted(votes.items()))}


def _csv(shared: Path, name: str) -> list[dict[str, str]]:
    text = (shared / name).read_text(encoding="utf-8")
    rows = csv.DictReader(io.StringIO(text))
    return [{k.strip(): v.strip() for k, v in row.items()} for row in rows]


def profile_aggregates(shared: Path) -> dict[str, Any]:
    """What the shared folder holds about the 397 registered candidacies, as aggregates."""
    by_party = {r["SG_PARTIDO"]: int(r["Total"]) for r in _csv(shared, PARTY_COUNTS_FILE)}
    occupations = [
        {"ocupacao": r["DS_OCUPACAO"], "quantidade": int(r["Quantidade"])}
        for r in _csv(shared, OCCUPATIONS_FILE)
    ]
    if sum(by_party.values()) != NOTEBOOK_FACTS["candidaturas"]:
        raise CandidateDataError(f"{PARTY_COUNTS_FILE} does not add up to 397 candidacies")
    return {
        **NOTEBOOK_FACTS,
        "por_partido": by_party,
        "ocupacoes_top20": occupations,
        "amostra": _csv(shared, SAMPLE_FILE),
    }


def build(shared: Path) -> dict[str, Any]:
    """The whole candidate document from the shared folder."""
    try:
        report = (shared / REPORT_FILE).read_text(encoding="utf-8").splitlines()
        places = read_places((shared / PLACES_FILE).read_text(encoding="utf-8"))
        profile = profile_aggregates(shared)
    except OSError as exc:
        raise CandidateDataError(f"cannot read the TSE folder {shared}: {exc.strerror}") from None
    blocks, explained = fix_sheila_block(tv.parse_report(report))
    checks = reconcile(blocks, explained)
    body = aggregate(blocks, places)
    parties = _parties(blocks, {c["partido"] for c in body["candidatos"]})
    seats = camara.compute(parties, body["candidatos"])  # sets each vereador's "situacao"
    return {
        "formato": 2,
        "eleicao": ELECTION,
        "fontes": [REPORT_FILE, PLACES_FILE, PARTY_COUNTS_FILE, OCCUPATIONS_FILE, SAMPLE_FILE],
        "partidos": parties,
        "disputas": body["disputas"],
        "camara": seats,
        "candidatos": body["candidatos"],
        "perfil_agregado": profile,
        "conferencia_totais": checks,
        "juncao_secao_bairro": _join_report(blocks, places),
        "por_secao": sections(blocks, places),
    }


def encode(document: dict[str, Any]) -> bytes:
    """Deterministic gzip of compact JSON (mtime 0): rebuilding gives identical bytes."""
    raw = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return gzip.compress(raw, compresslevel=9, mtime=0)


def write(document: dict[str, Any], out: Path) -> int:
    """Write the file atomically; returns its size in bytes."""
    data = encode(document)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(out)
    return len(data)
