"""Erasure of one person on request (LGPD art. 18): ``tglake forget``.

:mod:`tglake.erasure.redact` says what is theirs and how a quote of them is rewritten;
:mod:`tglake.erasure.forget` applies it to the raw zone, rebuilds the enriched days and keeps an
audit record; :mod:`tglake.erasure.erasers` is where other per-person data joins.
"""

from tglake.erasure.erasers import EraseContext, Eraser, builtin_erasers
from tglake.erasure.forget import ErasureReport, forget, resolve_username

__all__ = [
    "EraseContext",
    "Eraser",
    "ErasureReport",
    "builtin_erasers",
    "forget",
    "resolve_username",
]
