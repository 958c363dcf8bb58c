"""Print the mention linker's precision and recall on labelled sets.

Run from the repository root with the package installed:
``.venv/bin/python scripts/eval_mentions.py [FILE.jsonl ...] [--misses]``
(default: every ``tests/fixtures/mentions/*.jsonl``). Each line of a file is
``{"text": "…", "expected": [ballot numbers]}``; see ``tglake.candidates.mention_eval``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tglake.candidates.catalog import bundled
from tglake.candidates.mention_eval import evaluate
from tglake.errors import TglakeError

SETS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "mentions"


def main(argv: list[str]) -> int:
    show = "--misses" in argv
    paths = [Path(a) for a in argv if a != "--misses"] or sorted(SETS.glob("*.jsonl"))
    data = bundled()
    for path in paths:
        try:
            scores = evaluate(path, data)
        except (OSError, TglakeError) as exc:
            print(f"Error: {exc}", file=sys.stderr)
            return 1
        print(f"{path.name}: {scores.summary()}")
        for miss in scores.misses if show else ():
            print(f"  line {miss.line}: wrong {list(miss.wrong)} missed {list(miss.missed)}"
                  f" — {miss.text[:80]}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
