"""The report's alias batches: when approved aliases reached the bot, and the answered share
before and after each batch (from ``bot_answered_per_day``; the aliases come from the reference
zone, which the report's caller reads, since the analytics layer opens no store itself)."""

from __future__ import annotations

import collections
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from tglake.analytics import ptbr
from tglake.analytics.results import QueryResult
from tglake.candidates.aliases import Alias


def _day(alias: Alias, tz: ZoneInfo) -> dt.date | None:
    """The first whole day with the alias: its day if added at midnight, else the next."""
    try:
        moment = dt.datetime.fromisoformat(alias.added_at)
    except ValueError:
        return None
    local = (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).astimezone(tz)
    return local.date() if local.time() == dt.time() else local.date() + dt.timedelta(days=1)


def _share(rows: Iterable[Mapping[str, Any]]) -> tuple[int, float | None]:
    rows = list(rows)
    questions = sum(int(r["questions"]) for r in rows)
    answered = sum(int(r["answered"]) for r in rows)
    return questions, (100.0 * answered / questions if questions else None)


def alias_batches(
    aliases: Sequence[Alias], answered_per_day: QueryResult, timezone: str
) -> list[dict[str, str]]:
    """One row per batch (the aliases that start working on the same day): how many, by whom,
    and the answered share of the days before it (since the previous batch) and after it (until
    the next one). A batch counts from its first whole day: the day it was added is mixed (the
    bot reloads within seconds), so it goes with "before"."""
    tz = ZoneInfo(timezone)
    by_day: dict[dt.date, list[Alias]] = collections.defaultdict(list)
    for alias in aliases:
        day = _day(alias, tz)
        if day is not None:
            by_day[day].append(alias)
    rows = answered_per_day.records()
    days = sorted(by_day)
    batches = []
    for index, day in enumerate(days):
        previous = days[index - 1] if index else dt.date.min
        following = days[index + 1] if index + 1 < len(days) else dt.date.max
        before = _share(r for r in rows if previous <= r["day"] < day)
        after = _share(r for r in rows if day <= r["day"] < following)
        who = ", ".join(sorted({a.added_by for a in by_day[day]}))
        batches.append(
            {
                "day": ptbr.date(day),
                "first_day": day.isoformat(),
                "aliases": ptbr.number(len(by_day[day])),
                "by": who,
                "before": "—" if before[1] is None else f"{ptbr.number(before[1], 1)} %",
                "after": "—" if after[1] is None else f"{ptbr.number(after[1], 1)} %",
                "examples": ", ".join(f"«{a.text}»" for a in by_day[day][:4]),
            }
        )
    return batches
