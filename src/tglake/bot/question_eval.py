"""Scoring the bot on written questions: each case is a conversation sent through the bot as
Telegram would send it, and each turn's reply checked against what the case expects.

The cases (``tests/fixtures/questions/*.jsonl``) were written by people who had not read the
bot's code, with expectations computed from the TSE files by their own scripts; the format is
``tests/fixtures/questions/FORMAT.md``. A turn passes when every check it names holds; a case
passes when all its turns do. ``scripts/eval_bot.py`` prints the scores by category.
"""

from __future__ import annotations

import dataclasses
import html
import itertools
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from tglake.bot import limits
from tglake.bot.answer import Answer
from tglake.bot.loop import Loop, handle
from tglake.candidates.catalog import CandidateData
from tglake.candidates.text import fold

BOT = {"id": 7000000001, "is_bot": True, "first_name": "Eleições Mogi", "username": "MogiBot"}
_NUMBER = re.compile(r"(?<![\d,])\d{1,3}(?:\.\d{3})+(?![\d])|(?<![\d.,])\d+(?![\d])")
_PCT = re.compile(r"(\d+(?:,\d+)?)\s*%")
_LIMIT_NUMBERS = frozenset(
    int(n.replace(".", ""))
    for n in _NUMBER.findall(limits.KNOWS + limits.EXAMPLES + "".join(limits.WHY.values()))
)


def shown(answer: Answer) -> str:
    """The reply as the person reads it: tags removed, entities decoded, button labels added."""
    text = html.unescape(re.sub(r"<[^>]+>", "", answer.text))
    labels = [label for row in answer.buttons or [] for label, _ in row]
    return text + ("\n" + "\n".join(labels) if labels else "")


def numbers_in(text: str) -> set[int]:
    return {int(n.replace(".", "")) for n in _NUMBER.findall(text)}


def pcts_in(text: str) -> list[float]:
    return [float(p.replace(",", ".")) for p in _PCT.findall(text)]


def _pct_ok(expected: float, found: list[float]) -> bool:
    return any(round(expected, 2) == f or round(expected, 1) == round(f, 1) for f in found)


def check(expect: Mapping[str, Any], answer: Answer | None, question: str) -> list[str]:
    """What is wrong with the reply (empty: it passes)."""
    if answer is None:
        return ["no reply"]
    if "one_of" in expect:
        alternatives = [check(alt, answer, question) for alt in expect["one_of"]]
        if any(not a for a in alternatives):
            return []
        return [f"none of {len(alternatives)}: " + " | ".join("; ".join(a) for a in alternatives)]
    text = shown(answer)
    folded = fold(text)
    found = numbers_in(text)
    problems = []
    kind = expect.get("kind", "answer")
    if kind == "refusal":
        figures = found - _LIMIT_NUMBERS - numbers_in(question)
        if answer.answered or figures:
            problems.append(
                f"not a refusal (answered={answer.answered}, figures {sorted(figures)})"
            )
    elif kind == "help":
        if answer.matched_kind not in ("help", "saudacao") and answer.command not in (
            "start",
            "ajuda",
        ):
            problems.append(f"not help ({answer.matched_kind})")
    elif kind == "clarify":
        if len(answer.buttons or []) < 2 and "?" not in text:
            problems.append("does not ask which")
    elif not answer.answered:
        problems.append("not answered")
    for n in expect.get("numbers", ()):
        if int(n) not in found:
            problems.append(f"missing {n}")
    for p in expect.get("pcts", ()):
        if not _pct_ok(float(p), pcts_in(text)):
            problems.append(f"missing {p}%")
    for name in expect.get("names", ()):
        if fold(name) not in folded:
            problems.append(f"missing «{name}»")
    for name in expect.get("not_names", ()):
        if fold(name) in folded:
            problems.append(f"shows «{name}»")
    for n in expect.get("not_numbers", ()):
        if int(n) in found:
            problems.append(f"shows {n}")
    return problems


@dataclasses.dataclass(frozen=True)
class Outcome:
    case: Mapping[str, Any]
    replies: tuple[str, ...]
    problems: tuple[tuple[str, ...], ...]

    @property
    def passed(self) -> bool:
        return not any(self.problems)


_ids = itertools.count(1)


def run_case(case: Mapping[str, Any], data: CandidateData, loop: Loop) -> Outcome:
    """Send the case's turns in one private chat; the bot keeps its context between them."""
    user = 900_000_000 + next(_ids)
    last_bot_message: dict[str, Any] | None = None
    replies, problems = [], []
    for n, turn in enumerate(case["turns"]):
        message: dict[str, Any] = {
            "message_id": 2 * n + 1,
            "from": {"id": user, "is_bot": False, "first_name": "Eleitor"},
            "chat": {"id": user, "type": "private"},
            "date": 1728259200 + 60 * n,
            "text": turn["text"],
        }
        if turn.get("reply_to_bot") and last_bot_message is not None:
            message["reply_to_message"] = last_bot_message
        answer = handle({"update_id": next(_ids), "message": message}, data, loop)
        replies.append(shown(answer) if answer else "")
        problems.append(tuple(check(turn.get("expect", {}), answer, turn["text"])))
        if answer is not None:
            last_bot_message = {
                "message_id": 2 * n + 2,
                "from": BOT,
                "chat": message["chat"],
                "date": message["date"],
                "text": shown(answer)[:200],
            }
    return Outcome(case, tuple(replies), tuple(problems))


def read_cases(paths: Iterable[Path]) -> list[dict[str, Any]]:
    cases = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                cases.append(json.loads(line))
    return cases


def score(cases: list[dict[str, Any]], data: CandidateData) -> list[Outcome]:
    return [run_case(case, data, Loop()) for case in cases]


def by_category(outcomes: list[Outcome]) -> dict[str, tuple[int, int]]:
    """Category → (passed, cases), plus ``all``."""
    table: dict[str, list[int]] = {}
    for o in outcomes:
        for key in (str(o.case.get("category", "?")), "all"):
            row = table.setdefault(key, [0, 0])
            row[0] += o.passed
            row[1] += 1
    return {k: (v[0], v[1]) for k, v in sorted(table.items())}
