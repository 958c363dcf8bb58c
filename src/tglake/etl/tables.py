"""The one registry of enriched tables the ETL writes, in the order it writes them.

A table joins by adding its :class:`~tglake.etl.flatten.TableSpec` here: the Telegram tables
(:mod:`tglake.etl.flatten`) and the tables derived from bot events and candidate mentions
(:mod:`tglake.etl.bot_tables`). Their Arrow schemas live in :data:`tglake.schema.SCHEMAS`.
"""

from __future__ import annotations

from tglake.etl import bot_tables, flatten

SPECS: tuple[flatten.TableSpec, ...] = (*flatten.TELEGRAM_SPECS, *bot_tables.SPECS)
"""Every table the ETL writes."""
