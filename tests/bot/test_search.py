"""Search ignores accents and case, tolerates typos, and lists several plausible answers."""

from __future__ import annotations

import pytest

from tglake.bot import search
from tglake.candidates.catalog import CandidateData


@pytest.mark.parametrize(
    ("query", "number"),
    [
        ("Mara Bertaiolli", 22),
        ("MARA BERTAIOLLI", 22),
        ("mara bertaiole", 22),  # typo
        ("bertaioli", 22),  # typo, one word
        ("valverdi", 13),
        ("caio cunia", 20),
        ("malu fernandez", 22222),
        ("inez paz", 50050),
        ("sheila mantovani", 33),
        ("ines paz", 50050),  # no accent
        ("Inês Paz", 50050),
        ("dr roberto", 28),  # abbreviation of DOUTOR
        ("22222", 22222),
        ("número 22", 22),
    ],
)
def test_a_single_candidate_is_found(data: CandidateData, query: str, number: int) -> None:
    found = search.find_candidates(data, query)
    assert found.unique is not None
    assert found.unique.number == number


def test_an_ambiguous_name_gives_a_short_list_most_voted_first(data: CandidateData) -> None:
    found = search.find_candidates(data, "caio")
    assert [c.number for c in found.candidates] == [20, 44777]
    assert found.kind == "name"


def test_nothing_close_finds_nothing(data: CandidateData) -> None:
    assert search.find_candidates(data, "xyzzy qwerty").kind == "none"
    assert search.find_candidates(data, "99999").candidates == ()


def test_a_list_never_exceeds_the_maximum(data: CandidateData) -> None:
    assert len(search.find_candidates(data, "professora").candidates) <= search.MAX_RESULTS


@pytest.mark.parametrize(
    ("query", "sigla"),
    [
        ("pt", "PT"),
        ("13", "PT"),
        ("Partido Liberal", "PL"),
        ("pcdob", "PC do B"),
        ("uniao", "UNIÃO"),
    ],
)
def test_parties_by_sigla_number_or_name(data: CandidateData, query: str, sigla: str) -> None:
    party = search.find_party(data, query)
    assert getattr(party, "sigla", None) == sigla


def test_a_party_not_on_the_ballot_is_not_found(data: CandidateData) -> None:
    assert search.find_party(data, "NOVO") is None


def test_bairros_ignore_accents_and_spelling_variants(data: CandidateData) -> None:
    assert search.find_bairro(data, "braz cubas") == ["Braz Cubas"]
    assert search.find_bairro(data, "JUNDIAPEBA") == ["Jundiapeba"]
    assert search.find_bairro(data, "jardim ivete") == ["Jardim Ivete"]
    assert search.find_bairro(data, "nada parecido aqui") == []
