"""Score the bot on written questions, by category (``tglake.bot.question_eval``).

    python scripts/eval_bot.py [FILE.jsonl ...] [--misses]

Default: the development parts, ``tests/fixtures/questions/*-dev.jsonl``. The test parts
(``*-test.jsonl``) are scored once, at the end of a round of work, and the figures recorded in
docs/bot.md; scoring them while tuning would make them a second development set.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tglake.bot.question_eval import by_category, read_cases, score
from tglake.candidates.catalog import bundled

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "questions"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--misses", action="store_true", help="print every failed case")
    args = parser.parse_args()
    files = args.files or sorted(FIXTURES.glob("*-dev.jsonl"))
    outcomes = score(read_cases(files), bundled())
    if args.misses:
        for o in outcomes:
            if o.passed:
                continue
            print(f"--- {o.case['id']} [{o.case.get('category')}] {o.case.get('note', '')}")
            for turn, reply, problems in zip(o.case["turns"], o.replies, o.problems, strict=True):
                print(f"  > {turn['text']}")
                print("    " + reply[:400].replace("\n", "\n    "))
                if problems:
                    print(f"    ✗ {'; '.join(problems)}")
    print(" ".join(str(f.name) for f in files))
    for category, (passed, total) in by_category(outcomes).items():
        print(f"{category:<10} {passed:>4}/{total:<4} {100 * passed / total:5.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
