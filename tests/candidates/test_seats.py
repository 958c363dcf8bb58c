"""The seat computation on hand-computed small elections and on Mogi das Cruzes 2024."""

from __future__ import annotations

import datetime as dt

import pytest

from tglake.candidates import camara
from tglake.candidates.catalog import bundled
from tglake.candidates.seats import ELECTED, Contender, allocate, electoral_quotient
from tglake.candidates.text import fold


@pytest.mark.parametrize(
    ("valid", "seats", "qe"),
    [(1000, 3, 333), (1001, 2, 500), (1003, 2, 501), (1004, 3, 335), (217535, 23, 9458)],
)
def test_electoral_quotient_drops_a_half_and_rounds_up_above_it(
    valid: int, seats: int, qe: int
) -> None:
    assert electoral_quotient(valid, seats) == qe


def test_ten_percent_threshold_then_last_phase_without_requirements_and_a_tie_on_averages() -> None:
    # GIVEN 5 seats, 1000 valid votes: QE 200; A has QP 3 but only 2 candidates with ≥ 20
    cands = [
        Contender(11, "A", 300),
        Contender(12, "A", 150),
        Contender(13, "A", 15),
        Contender(14, "A", 10),
        Contender(21, "B", 250),
        Contender(22, "B", 30),
        Contender(31, "C", 100),
    ]
    result = allocate(5, {"A": 600, "B": 300, "C": 100}, cands)
    assert result.electoral_quotient == 200
    # QP seats: A 2 (QP 3, capped by the 10% rule), B 1. Phase 2: A's and B's next candidates
    # have < 40 (20% of QE): nobody qualifies. Last phase: A 600/3 = 200 beats B 300/2 = 150;
    # then A 600/4 = 150 ties B 150: the list with more votes (A) wins.
    assert result.elected == (11, 12, 21, 13, 14)
    assert result.last_phase_seats == 2
    assert result.situation[13] == "eleito por média"
    assert result.situation[22] == "suplente"
    assert result.situation[31] == "não eleito"
    by_list = {r.list_id: (r.quotient, r.seats_qp, r.seats_average) for r in result.lists}
    assert by_list == {"A": (3, 2, 2), "B": (1, 1, 0), "C": (0, 0, 0)}


def test_eighty_percent_rule_in_phase_two_and_everyone_in_the_last_phase() -> None:
    # 4 seats, QE 250. B has 240 ≥ 80% (200); C 199 < 200 is out of phase 2 only.
    cands = [
        Contender(11, "A", 400),
        Contender(12, "A", 100),
        Contender(21, "B", 200),
        Contender(22, "B", 10),
        Contender(31, "C", 199),
        Contender(41, "D", 41),
    ]
    result = allocate(4, {"A": 520, "B": 240, "C": 199, "D": 41}, cands)
    # phase 1: A 2; phase 2: B (b1 200 ≥ 50); then B's next has 10 < 50: last phase,
    # C 199/1 beats B 240/2 = 120 and D 41.
    assert result.elected == (11, 12, 21, 31)
    assert [result.situation[n] for n in (21, 31, 22, 41)] == [
        "eleito por média",
        "eleito por média",
        "suplente",
        "não eleito",
    ]
    assert result.last_phase_seats == 1


def test_a_party_that_reaches_the_quotient_only_as_a_federation() -> None:
    cands = [
        Contender(101, "X", 300),
        Contender(102, "X", 20),
        Contender(201, "Y", 140),
        Contender(301, "Z", 240),
        Contender(401, "W", 240),
    ]
    alone = allocate(4, {"X": 350, "Y": 150, "Z": 250, "W": 250}, cands)
    assert alone.situation[201] == "não eleito"  # Y alone: 150 < QE 250, no remainder left
    federated = [Contender(c.number, "XY" if c.list_id in "XY" else c.list_id, c.votes)
                 for c in cands]  # fmt: skip
    together = allocate(4, {"XY": 500, "Z": 250, "W": 250}, federated)
    assert together.situation[201] == "eleito por QP"  # the federation's QP is 2
    assert together.situation[102] == "suplente"  # 20 < 10% of QE: not by QP
    assert set(together.elected) == {101, 201, 301, 401}


def test_a_tie_between_candidates_goes_to_the_older_then_to_the_lower_number() -> None:
    older = Contender(12, "A", 100, born=dt.date(1960, 1, 1))
    younger = Contender(11, "A", 100, born=dt.date(1990, 1, 1))
    result = allocate(1, {"A": 200}, [younger, older])
    assert result.elected == (12,)
    unknown = allocate(1, {"A": 200}, [Contender(12, "A", 100), Contender(11, "A", 100)])
    assert unknown.elected == (11,)


def test_nobody_reaching_the_quotient_elects_the_most_voted() -> None:
    cands = [Contender(n, f"P{n}", v) for n, v in ((1, 90), (2, 80), (3, 70), (4, 60))]
    result = allocate(2, {f"P{n}": v for n, v in ((1, 90), (2, 80), (3, 70), (4, 60))}, cands)
    assert result.electoral_quotient == 150
    assert result.elected == (1, 2)


# Published facts about the 2024 result for Mogi das Cruzes (each name with its source):
PUBLISHED_ELECTED = {
    # https://vanguardaaltotiete.com.br/?p=1758 — Malu Fernandes (PL) most voted, 5.089;
    # Inês Paz (PSOL) re-elected, 3.622; Fernanda Moreno (MDB) 3.407; Priscila Yamagami (PP),
    # 2.238 ("foi eleita")
    "MALU FERNANDES": "PL",
    "INÊS PAZ": "PSOL",
    "FERNANDA MORENO": "MDB",
    "PRISCILA YAMAGAMI": "PP",
    # https://portalnews.com.br/cidades/2024/12/prefeito-eleito-vice-prefeito-e-vereadores-sao-
    # diplomados-em-mogi-das-cruzes — "Foram diplomados os vereadores eleitos: Malu Fernandes
    # (PL), Felipe Lintz (PL); … Maurinho do Despachante (PRD); … Bi Gêmeos (PSD), Inês Paz
    # (PSOL); Clodoaldo de Moraes (PL); …" (the stored excerpt stops there)
    "FELIPE LINTZ": "PL",
    "MAURINHO DO DESPACHANTE": "PRD",
    "BI GÊMEOS": "PSD",
    "CLODOALDO DE MORAES": "PL",
    # https://canalonze.com.br/farofa-e-eleito-presidente-da-camara-para-o-bienio-2025-2026 —
    # the Mesa elected on 1 Jan 2025 right after the vereadores' posse: Farofa (PL),
    # Priscila Yamagami (PP), Edu Ota (Pode), Edson Santos (PSD), Maurinho do Despachante (PRD)
    "FAROFA": "PL",
    "PROF EDUARDO OTA": "PODE",
    "EDSON SANTOS": "PSD",
    # https://www.odiariodemogi.net.br/mogi/7-curiosidades-sobre-as-eleicoes-de-2024-em-mogi-
    # das-cruzes/ — "Pedro Komura (União) … reeleito"
    "PEDRO KOMURA": "UNIÃO",
}


def test_mogi_2024_matches_the_published_facts() -> None:
    data = bundled()
    elected = {c.ballot_name: c for c in data.candidates if c.situation in ELECTED}
    assert len(elected) == camara.SEATS == 23
    for name, sigla in PUBLISHED_ELECTED.items():
        assert name in elected, name
        assert fold(elected[name].party.sigla) == fold(sigla)
    assert data.camara["quociente_eleitoral"] == 9458  # 217.535 valid votes ÷ 23
    seats = {r["lista"]: r["cadeiras_qp"] + r["cadeiras_media"] for r in data.camara["listas"]}
    assert sum(seats.values()) == 23
    assert seats["Federação PSOL REDE"] == 1  # Inês Paz


def test_annulled_candidacies_have_no_situation() -> None:
    data = bundled()
    annulled = [c for c in data.in_race("vereador") if c.vote_status]
    assert annulled
    assert all(c.situation is None for c in annulled)
    assert all(c.situation for c in data.in_race("vereador") if not c.vote_status)
