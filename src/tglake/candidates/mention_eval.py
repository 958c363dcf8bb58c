"""Precision and recall of the mention linker on a labelled set (one JSON object a line).

Each line: ``{"text": "…", "expected": [22, 50050]}`` — the ballot numbers of the candidates
the message refers to (empty when none). Used by ``scripts/eval_mentions.py`` and the tests;
the development set (``tests/fixtures/mentions/labelled.jsonl``) was written alongside the
matcher, an independent set must be written by someone who never saw the matcher's rules.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from tglake.candidates.catalog import CandidateData
from tglake.candidates.mentions import find_mentions
from tglake.errors import CandidateDataError


@dataclasses.dataclass(frozen=True)
class Miss:
    line: int
    text: str
    wrong: tuple[int, ...]
    """Linked but not expected (false positives)."""
    missed: tuple[int, ...]
    """Expected but not linked (false negatives)."""


@dataclasses.dataclass(frozen=True)
class Scores:
    messages: int
    tp: int
    fp: int
    fn: int
    misses: tuple[Miss, ...]

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def summary(self) -> str:
        return (
            f"{self.messages} messages, tp={self.tp} fp={self.fp} fn={self.fn}, "
            f"precision={self.precision:.3f} recall={self.recall:.3f}"
        )


def read_labelled(path: Path, data: CandidateData) -> list[tuple[int, str, set[int]]]:
    """(line, text, expected numbers); a malformed line or an unknown number is an error."""
    rows = []
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            text, expected = row["text"], row["expected"]
        except (ValueError, KeyError, TypeError) as exc:
            raise CandidateDataError(f"{path}:{line_no}: not a labelled row ({exc})") from None
        if not isinstance(text, str) or not isinstance(expected, list):
            raise CandidateDataError(f"{path}:{line_no}: text must be a string, expected a list")
        unknown = [n for n in expected if not isinstance(n, int) or n not in data.by_number]
        if unknown:
            raise CandidateDataError(f"{path}:{line_no}: no candidate numbered {unknown}")
        rows.append((line_no, text, set(expected)))
    return rows


def evaluate(path: Path, data: CandidateData) -> Scores:
    """Micro-averaged precision and recall of :func:`find_mentions` over the set."""
    tp = fp = fn = 0
    misses = []
    rows = read_labelled(path, data)
    for line_no, text, expected in rows:
        got = {m.candidate_number for m in find_mentions(text, data)}
        tp, fp, fn = tp + len(got & expected), fp + len(got - expected), fn + len(expected - got)
        if got != expected:
            misses.append(
                Miss(line_no, text, tuple(sorted(got - expected)), tuple(sorted(expected - got)))
            )
    return Scores(len(rows), tp, fp, fn, tuple(misses))
