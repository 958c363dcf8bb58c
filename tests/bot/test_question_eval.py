"""The question sets and their scorer: the development parts stay at their recorded scores, and
the scorer itself catches what it is meant to catch (a missing figure, a refusal that answers)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tglake.bot.answer import Answer
from tglake.bot.question_eval import by_category, check, read_cases, score
from tglake.candidates.catalog import CandidateData

QUESTIONS = Path(__file__).parents[1] / "fixtures" / "questions"
FLOORS = {"a-dev.jsonl": 0.95, "b-dev.jsonl": 0.89, "c-dev.jsonl": 0.86}
"""The development parts' scores when the test parts were scored (docs/bot.md), less a case or
two: a change that loses more is a regression to look at, not noise."""


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_the_development_parts_keep_their_scores(data: CandidateData, name: str) -> None:
    outcomes = score(read_cases([QUESTIONS / name]), data)
    passed, total = by_category(outcomes)["all"]
    assert passed / total >= FLOORS[name], [o.case["id"] for o in outcomes if not o.passed]


def test_every_case_is_well_formed_and_ids_are_unique() -> None:
    ids = []
    kinds = {"answer", "refusal", "clarify", "help"}
    for path in sorted(QUESTIONS.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            case = json.loads(line)
            ids.append(case["id"])
            assert case["turns"], case["id"]
            for turn in case["turns"]:
                assert turn["text"].strip(), case["id"]
                assert turn.get("expect", {}).get("kind", "answer") in kinds, case["id"]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 300


def reply(text: str, *, answered: bool = True, buttons: int = 0) -> Answer:
    rows = [[("opção " + "x" * i, f"cand:{i}")] for i in range(buttons)]
    return Answer(chat_id=1, text=text, command="texto", answered=answered, buttons=rows or None)


def test_the_scorer_reads_figures_as_the_bot_writes_them() -> None:
    good = reply("<b>MARA BERTAIOLLI</b> teve <b>113.271</b> votos (51,08% dos válidos).")
    assert (
        check({"numbers": [113271], "pcts": [51.08], "names": ["Mara Bertaiolli"]}, good, "") == []
    )
    assert check({"numbers": [69065]}, good, "") == ["missing 69065"]
    assert check({"pcts": [51.1]}, good, "") == []  # rounded to one decimal is the same share
    assert check({"not_names": ["mara"]}, good, "") == ["shows «mara»"]


def test_a_refusal_must_not_answer_nor_show_a_figure() -> None:
    refusal = {"kind": "refusal"}
    plain = reply("Só tenho dados de Mogi das Cruzes, não de Suzano.", answered=False)
    assert check(refusal, plain, "quem ganhou em suzano?") == []
    leaky = reply("Em Suzano: 12.345 votos.", answered=False)
    assert check(refusal, leaky, "quem ganhou em suzano?") != []
    assert check(refusal, reply("Só tenho Mogi."), "") != []  # marked answered


def test_one_of_passes_when_any_alternative_holds() -> None:
    answer = reply("Escolha:", buttons=2)
    expect = {"one_of": [{"numbers": [1]}, {"kind": "clarify"}]}
    assert check(expect, answer, "") == []
    assert check({"one_of": [{"numbers": [1]}, {"numbers": [2]}]}, answer, "") != []
