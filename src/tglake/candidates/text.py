"""Text normalisation shared by the data build, the search and the mention finder."""

from __future__ import annotations

import functools
import html
import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")


@functools.lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lower case, accents removed, punctuation turned into single spaces, trimmed.

    ``"Inês  Paz!"`` → ``"ines paz"``; the key every comparison in the bot goes through.
    Memoised: an answer folds the same siglas, names and question several times.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", bare).strip()


def esc(value: object) -> str:
    """HTML-escape anything that goes into a reply sent with ``parse_mode=HTML``."""
    return html.escape(str(value), quote=False)


def fmt_int(value: int) -> str:
    """Brazilian thousands separator: 113271 → ``113.271``."""
    return f"{value:,}".replace(",", ".")


def fmt_pct(value: float) -> str:
    """Two decimals with a decimal comma: 51.0823 → ``51,08%``."""
    return f"{value:.2f}".replace(".", ",") + "%"
