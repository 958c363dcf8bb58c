"""Which parts of tglake this build has: the demo runs the stages that exist, and names the
others, instead of imitating them."""

from __future__ import annotations

import importlib.util


def has_module(name: str) -> bool:
    """Whether a module of tglake exists in this build (parts land one by one)."""
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False
