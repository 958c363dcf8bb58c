"""The nightly ETL: one day of raw JSON in, one enriched Parquet partition per table out.

``run`` drives a day (list, read, deduplicate, flatten, publish); ``rawread`` reads the raw
zone, ``workers`` is the worker-process side, ``flatten`` and ``bot_tables`` turn updates into rows,
``tables`` is the one registry of tables, ``clean`` holds the pure helpers, and ``publish`` swaps
a finished partition in whole (``user_key`` is :mod:`tglake.pseudonym`, shared with the bot).

The names below are loaded on first use, so that importing the package loads no PyArrow.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tglake.etl.run import DayReport, pending_days, run_day, run_days, yesterday

__all__ = ["DayReport", "pending_days", "run_day", "run_days", "yesterday"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(importlib.import_module("tglake.etl.run"), name)
    raise AttributeError(f"module 'tglake.etl' has no attribute {name!r}")
