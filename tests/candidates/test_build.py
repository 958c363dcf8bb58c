"""Data checks: the rebuilt candidate file against the published 2024 results and the report's
own printed totals (the README of ../shared/data/tse)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from tglake.candidates import build
from tglake.candidates import tse_votes as tv
from tglake.candidates.catalog import BUNDLED, CandidateData
from tglake.candidates.parties import SIGLAS, party_of
from tglake.errors import CandidateDataError

SHARED = build.DEFAULT_SHARED

PUBLISHED_PREFEITO = {
    "MARA BERTAIOLLI": 113_271,
    "CAIO CUNHA": 69_065,
    "RODRIGO VALVERDE": 36_811,
    "PROFESSORA SHEILA MANTOVANNI": 1_453,
    "DOUTOR ROBERTO RODRIGUES": 1_151,
}


def test_the_five_prefeito_totals_equal_the_published_results(data: CandidateData) -> None:
    got = {c.ballot_name: c.votes for c in data.in_race("prefeito")}
    assert got == PUBLISHED_PREFEITO
    assert [c.rank for c in data.in_race("prefeito")] == [1, 2, 3, 4, 5]


def test_mara_bertaiolli_has_51_08_percent_of_the_valid_votes(data: CandidateData) -> None:
    mara = data.by_number[22]
    assert data.races["prefeito"].valid == sum(PUBLISHED_PREFEITO.values())
    assert round(data.share(mara) or 0, 2) == 51.08


def test_published_vereador_totals(data: CandidateData) -> None:
    assert data.by_number[22222].ballot_name == "MALU FERNANDES"
    assert data.by_number[22222].votes == 5_089
    assert data.by_number[50050].ballot_name == "INÊS PAZ"
    assert data.by_number[50050].votes == 3_622


def test_the_sheila_block_is_split_into_her_votes_and_zone_0074_blank_votes(
    data: CandidateData, document: dict[str, Any]
) -> None:
    sheila = data.by_number[33]
    assert dict(sheila.by_zone) == {"0074": 583, "0287": 604, "0319": 266}
    (explained,) = document["conferencia_totais"]["explicados"]
    assert explained["zona"] == "0074"
    assert explained["linha_cabecalho"] == 839
    assert (explained["total_impresso"], explained["soma_das_secoes"]) == (2_947, 3_530)
    blank_0287_0319 = 6_074 + 2_971  # printed Branco totals of zones 0287 and 0319
    assert data.races["prefeito"].blank == 2_947 + blank_0287_0319


def test_every_printed_total_is_reconciled_or_explained() -> None:
    """Straight from the report: every block's printed Total equals its seção sum, except the
    Sheila block, whose Total is the sum of its second run (the zone's blank votes)."""
    lines = (SHARED / build.REPORT_FILE).read_text(encoding="utf-8").splitlines()
    blocks = tv.parse_report(lines)
    assert len(blocks) == 1_229
    odd = [b for b in blocks if b.printed_total != b.secao_sum()]
    assert [(b.zone, b.number, b.header_line) for b in odd] == [("0074", 33, 839)]
    (sheila,) = odd
    assert [sum(run.values()) for run in sheila.runs] == [583, 2_947]
    assert sheila.printed_total == 2_947
    assert all(len(b.runs) == 1 for b in blocks if b is not sheila)
    fixed, explained = build.fix_sheila_block(blocks)
    assert build.reconcile(fixed, explained)["totais_conferidos"] == 1_229


def test_parsed_sums_match_the_shared_totals_csv() -> None:
    """An independent cross-check: our block sums equal ``soma_das_secoes`` of every row."""
    lines = (SHARED / build.REPORT_FILE).read_text(encoding="utf-8").splitlines()
    ours = {(b.zone, b.header_line): b.secao_sum() for b in tv.parse_report(lines)}
    with (SHARED / "votacao_totais_mogi_2024.csv").open(encoding="utf-8") as handle:
        theirs = {
            (row["zona"], int(row["linha_cabecalho"])): int(row["soma_das_secoes"])
            for row in csv.DictReader(handle)
        }
    assert ours == theirs


def test_race_totals(data: CandidateData) -> None:
    prefeito, vereador = data.races["prefeito"], data.races["vereador"]
    assert (prefeito.blank, prefeito.null, prefeito.legenda) == (11_992, 14_212, 0)
    assert vereador.legenda == sum(p.legenda_votes for p in data.parties)
    assert vereador.valid == vereador.nominal_valid + vereador.legenda
    annulled = [c for c in data.candidates if c.vote_status]
    assert {c.vote_status for c in annulled} == {"Nulo técnico", "Anulado sub judice"}
    assert all(c.rank is None and c.office == "vereador" for c in annulled)
    assert vereador.nominal_annulled == sum(c.votes for c in annulled)


def test_every_candidate_is_on_the_ballot_in_all_three_zones(data: CandidateData) -> None:
    assert len(data.in_race("prefeito")) == 5
    assert len(data.in_race("vereador")) == 380
    assert all(set(c.by_zone) == {"0074", "0287", "0319"} for c in data.candidates)
    assert all(sum(c.by_zone.values()) == c.votes for c in data.candidates)


def test_bairro_votes_cover_every_seção_but_the_ambiguous_one(
    data: CandidateData, document: dict[str, Any]
) -> None:
    join = document["juncao_secao_bairro"]
    assert (join["secoes_nos_resultados"], join["secoes_com_bairro"]) == (969, 968)
    assert join["secoes_ambiguas"] == [
        {"zona": "0074", "secao": 279, "bairros": ["Centro", "Parque Santana"]}
    ]
    assert join["secoes_repetidas_iguais"] == [{"zona": "0319", "secao": 189, "bairro": "Botujuru"}]
    assert len(join["secoes_so_nos_locais"]) == 7
    assert "Jardim Ivete" in data.bairros.values()
    assert "Jardim. Ivete" not in data.bairros.values()
    mara = data.by_number[22]
    assert 0 < mara.votes - sum(mara.by_bairro.values()) < 300  # one seção without bairro


def test_party_numbers_names_and_siglas_agree_with_the_shared_files(data: CandidateData) -> None:
    with (SHARED / build.PARTY_COUNTS_FILE).open(encoding="utf-8") as handle:
        siglas = {row["SG_PARTIDO"] for row in csv.DictReader(handle)}
    assert siglas == set(SIGLAS.values())
    with (SHARED / build.SAMPLE_FILE).open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            assert SIGLAS[int(row["NR_PARTIDO"])] == row["SG_PARTIDO"]
    assert data.party_by_number[22].name == "Partido Liberal"
    assert all(c.party.number == party_of(c.number) for c in data.candidates)


def test_rebuilding_gives_the_bundled_file_byte_for_byte(rebuilt: Path) -> None:
    assert rebuilt.read_bytes() == BUNDLED.read_bytes()


def test_an_unknown_block_with_two_runs_is_refused() -> None:
    report = [
        "Zona Eleitoral: 0287",
        "Candidato:13 - RODRIGO VALVERDE",
        "0001,5,0002,6",
        "0001,7",
        "Total:18",
    ]
    blocks = tv.parse_report(report)
    assert len(blocks[0].runs) == 2
    with pytest.raises(CandidateDataError, match="only the Sheila Mantovanni block is known"):
        build.fix_sheila_block(blocks)


def test_a_printed_total_that_disagrees_is_refused() -> None:
    blocks = tv.parse_report(["Zona Eleitoral: 0287", "Votável:95 - Branco", "0001,5", "Total:6"])
    with pytest.raises(CandidateDataError, match="printed Total 6"):
        build.reconcile(blocks, [])


def test_a_missing_shared_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CandidateDataError, match="cannot read the TSE folder"):
        build.build(tmp_path / "nowhere")
