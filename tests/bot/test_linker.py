"""The entity linker, word by word: names as voters write them, and ordinary words left alone."""

from __future__ import annotations

import pytest

from tglake.bot.linker import link, sound, tokens
from tglake.candidates.catalog import CandidateData


def linked(data: CandidateData, text: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(m.kind, m.ids) for m in link(data, tokens(text))]


@pytest.mark.parametrize(
    ("text", "kind", "first"),
    [
        ("quantos votos o dr roberto teve", "candidate", "28"),  # a title, abbreviated
        ("a professora sheila", "candidate", "33"),  # a title, feminine
        ("votos do jhony da inclusao", "candidate", "70555"),  # by sound, and «da inclusão»
        ("o farofa foi eleito?", "candidate", "22999"),  # a one-word name after an article
        ("quem ganhou no centro", "bairro", "Centro"),  # an ordinary word pointed at
        ("quem ganhou no jd ivete", "bairro", "Jardim Ivete"),
        ("e na UMC?", "place", "0"),
        ("quantos brancos na zona 287", "zone", "0287"),
        ("quantos votos o PT teve", "party", "13"),
    ],
)
def test_names_as_voters_write_them(data: CandidateData, text: str, kind: str, first: str) -> None:
    found = [ids for k, ids in linked(data, text) if k == kind]
    assert found, linked(data, text)
    assert found[0][0] == first


@pytest.mark.parametrize(
    ("text", "not_kind"),
    [
        ("entrou na câmara?", "bairro"),  # câmara is a word, not Chácara …
        ("a paz mundial", "candidate"),  # paz alone is not INÊS PAZ
        ("ele pode ser eleito?", "party"),  # «pode» is a verb unless announced or in capitals
    ],
)
def test_ordinary_words_are_not_taken_for_names(
    data: CandidateData, text: str, not_kind: str
) -> None:
    assert not [k for k, _ in linked(data, text) if k == not_kind]


def test_another_city_is_the_city_not_a_near_candidate(data: CandidateData) -> None:
    assert linked(data, "quantos votos em suzano") == [("city", ("suzano",))]


def test_a_real_first_name_with_someone_elses_surname_is_someone_else(
    data: CandidateData,
) -> None:
    kinds = [k for k, _ in linked(data, "quanto teve a vereadora Malu Ferreira")]
    assert "candidate" not in kinds
    assert "near" in kinds


def test_names_that_sound_alike_meet() -> None:
    assert sound("jhony") == sound("johnny")
    assert sound("thiago") == sound("tiago")
    assert sound("luiz") == sound("luis")
