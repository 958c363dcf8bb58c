"""Linking messages to candidates, measured on a hand-labelled sample of 72 messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tglake.candidates.catalog import CandidateData
from tglake.candidates.mentions import find_mentions, fold_keep_length

SAMPLE = Path(__file__).parents[1] / "fixtures" / "mentions" / "labelled.jsonl"
MIN_PRECISION = 0.95
"""A wrong link pollutes the "most mentioned" chart, so precision is held high."""
MIN_RECALL = 0.85
"""Nicknames ("a Mara", "o 13") are missed by design when they are ambiguous."""


def test_precision_and_recall_on_the_labelled_sample(data: CandidateData) -> None:
    rows = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 60
    tp = fp = fn = 0
    for row in rows:
        got = {m.candidate_number for m in find_mentions(row["text"], data)}
        expected = set(row["expected"])
        tp, fp, fn = tp + len(got & expected), fp + len(got - expected), fn + len(expected - got)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(
        f"\nmentions: {len(rows)} messages, tp={tp} fp={fp} fn={fn}, "
        f"precision={precision:.3f} recall={recall:.3f}"
    )
    assert precision >= MIN_PRECISION
    assert recall >= MIN_RECALL


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Vou votar na Mara Bertaiolli", [(22, "name", "Mara Bertaiolli")]),
        ("o Valverde falou besteira", [(13, "part", "Valverde")]),
        ("vote 22 pra prefeita", [(22, "number", "22")]),
        ("número 50050", [(50050, "number", "50050")]),
        ("o Dr Roberto Rodrigues", [(28, "name", "Dr Roberto Rodrigues")]),
        ("Gigante esse bairro!", []),  # an ordinary word at the start of a sentence
        ("vi o Gigante na feira", [(77777, "name", "Gigante")]),
    ],
)
def test_kinds_of_mention(
    data: CandidateData, text: str, expected: list[tuple[int, str, str]]
) -> None:
    got = [(m.candidate_number, m.match_kind, m.matched_text) for m in find_mentions(text, data)]
    assert got == expected


@pytest.mark.parametrize(
    "text",
    [
        "reunião às 22h",
        "dia 22 de outubro",
        "custou R$ 22",
        "tenho 22 anos",
        "55% dos votos",
        "a linha 22 atrasou",
        "José, me liga",
        "paz e amor",
        "fiz 50050 pontos",
        "22/10 tem jogo",
    ],
)
def test_numbers_and_words_that_are_not_candidates(data: CandidateData, text: str) -> None:
    assert find_mentions(text, data) == []


def test_a_candidate_mentioned_twice_is_one_mention(data: CandidateData) -> None:
    mentions = find_mentions("Malu, Malu Fernandes, vote 22222", data)
    got = [(m.candidate_number, m.match_kind, m.matched_text) for m in mentions]
    assert got == [(22222, "name", "Malu Fernandes")]  # the strongest evidence is kept


def test_folding_keeps_offsets() -> None:
    text = "Inês Paz, Ação!"
    assert len(fold_keep_length(text)) == len(text)
    assert fold_keep_length(text) == "ines paz  acao "
