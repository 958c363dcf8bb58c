"""Write ``src/tglake/bot/data/ordinary_pt.txt``: the ordinary Portuguese words the bot's entity
linker must not take for names on a near match (``câmara`` is not the bairro Chácara …).

Derived from wordfreq (a dev dependency): the Portuguese words at or above :data:`ZIPF` on its
Zipf scale (3 = once per million words... 6 = once per thousand), folded (lower case, no
accents), one per line, sorted. Only the derived list ships; ``--check`` fails when the
committed file differs from what the installed wordfreq gives.

    python scripts/build_lexicon.py [--check]
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from importlib.metadata import version
from pathlib import Path

import wordfreq

ZIPF = 4.3
"""At 4.3 the list holds «câmara», «paz», «centro», «pode» but not «farofa» (3.55) or «sheila»
(3.5); first names that common (maria, paulo) are weak evidence of one candidate anyway."""
OUT = Path(__file__).resolve().parents[1] / "src" / "tglake" / "bot" / "data" / "ordinary_pt.txt"
HEADER = (
    f"# Ordinary Portuguese words (wordfreq {version('wordfreq')}, Zipf >= {ZIPF}), folded; "
    "made by scripts/build_lexicon.py\n"
)


def fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words() -> list[str]:
    found = set()
    for word in wordfreq.top_n_list("pt", 50_000):
        if wordfreq.zipf_frequency(word, "pt") < ZIPF:
            break
        folded = fold(word)
        if folded.isalpha() and len(folded) >= 2:
            found.add(folded)
    return sorted(found)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true", help="fail if the file is out of date")
    text = HEADER + "".join(f"{w}\n" for w in words())
    if parser.parse_args().check:
        if OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT} is out of date: run scripts/build_lexicon.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"{OUT}: {text.count(chr(10)) - 1} words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
