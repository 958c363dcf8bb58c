"""The nightly ETL: one day of raw JSON in, one enriched Parquet partition per table out.

``run`` drives a day (list, read, deduplicate, flatten, publish); ``rawread`` reads the raw
zone, ``workers`` is the worker-process side, ``flatten`` and ``bot_tables`` turn updates into rows,
``tables`` is the one registry of tables, ``clean`` and ``pseudonym`` are the pure helpers, and
``publish`` swaps a finished partition in whole.
"""

from tglake.etl.run import DayReport, pending_days, run_day, run_days, yesterday

__all__ = ["DayReport", "pending_days", "run_day", "run_days", "yesterday"]
