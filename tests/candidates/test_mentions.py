"""Linking messages to candidates, measured on a hand-labelled sample of 72 messages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tglake.candidates.catalog import CandidateData
from tglake.candidates.mention_eval import evaluate, read_labelled
from tglake.candidates.mentions import find_mentions, fold_keep_length
from tglake.errors import CandidateDataError

SAMPLE = Path(__file__).parents[1] / "fixtures" / "mentions" / "labelled.jsonl"
MIN_PRECISION = 0.95
"""A wrong link pollutes the "most mentioned" chart, so precision is held high."""
MIN_RECALL = 0.85
"""Nicknames ("a Mara", "o 13") are missed by design when they are ambiguous."""


def test_precision_and_recall_on_the_development_sample(data: CandidateData) -> None:
    """The 72 messages written alongside the matcher: a floor against regressions, not a
    measure of quality (see test_every_labelled_set_is_measured)."""
    scores = evaluate(SAMPLE, data)
    assert scores.messages >= 60
    print(f"\nmentions (development set): {scores.summary()}")
    assert scores.precision >= MIN_PRECISION
    assert scores.recall >= MIN_RECALL


@pytest.mark.parametrize("path", sorted(SAMPLE.parent.glob("*.jsonl")), ids=lambda p: p.name)
def test_every_labelled_set_is_measured(data: CandidateData, path: Path) -> None:
    """Every set in the folder (the independent one once it is added) is read, checked and
    measured; ``scripts/eval_mentions.py`` prints the same figures."""
    scores = evaluate(path, data)
    print(f"\nmentions ({path.name}): {scores.summary()}")
    rows = read_labelled(path, data)
    assert scores.messages == len(rows) > 0
    assert scores.tp + scores.fn == sum(len(expected) for _, _, expected in rows)
    assert len(scores.misses) == sum(
        1 for _, text, expected in rows
        if {m.candidate_number for m in find_mentions(text, data)} != expected
    )  # fmt: skip


def test_a_bad_labelled_row_is_a_clear_error(data: CandidateData, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "oi", "expected": [99999]}\n', encoding="utf-8")
    with pytest.raises(CandidateDataError, match=r"bad.jsonl:1: no candidate numbered \[99999\]"):
        evaluate(bad, data)
    result = subprocess.run(
        [sys.executable, "scripts/eval_mentions.py", str(SAMPLE), "--misses"],
        capture_output=True, text=True, check=True, cwd=Path(__file__).parents[2],
    )  # fmt: skip
    assert result.stdout.startswith(f"labelled.jsonl: {evaluate(SAMPLE, data).summary()}")


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
