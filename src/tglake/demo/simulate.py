"""A simulated Telegram conversation about the 2024 Mogi das Cruzes election (pure, seeded).

The same seed gives the same deliveries, byte for byte. Days end on the first round (6 Oct
2024); traffic follows Brasília time: quiet nights, lunch and evening peaks, later weekends, a
debate night and a busy election day. People follow a Zipf-like law (a few write a lot, most
now and then). About 2% of updates are delivered twice, as Telegram does when an answer is lost;
some of those second deliveries land after midnight, in the next day's partition.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import heapq
import random
from collections.abc import Iterator, Sequence
from zoneinfo import ZoneInfo

from tglake.demo.candidates import Candidate
from tglake.demo.conversation import Conversation, make_people

BRASILIA = ZoneInfo("America/Sao_Paulo")
ELECTION_DAY = dt.date(2024, 10, 6)

# relative traffic of each hour of the day, 00h to 23h Brasília time
# fmt: off
_WEEKDAY_HOURS = (
    0.6, 0.3, 0.15, 0.1, 0.1, 0.2, 0.6, 1.5, 2.5, 2.8, 2.6, 2.7,
    3.4, 3.2, 2.6, 2.4, 2.5, 2.8, 3.2, 4.0, 4.6, 4.4, 3.2, 1.6,
)
_WEEKEND_HOURS = (
    1.0, 0.6, 0.3, 0.15, 0.1, 0.1, 0.2, 0.5, 1.2, 2.2, 3.0, 3.2,
    3.4, 3.2, 2.8, 2.6, 2.6, 2.8, 3.0, 3.4, 3.6, 3.4, 2.8, 1.8,
)
_ELECTION_HOURS = (
    0.5, 0.2, 0.1, 0.1, 0.1, 0.3, 1.2, 3.0, 4.5, 4.0, 3.6, 3.2,
    3.0, 2.8, 2.8, 3.2, 3.8, 6.0, 7.0, 6.0, 4.5, 3.5, 2.5, 1.5,
)
# fmt: on
_DEBATE_BOOST = {21: 3.0, 22: 3.5, 23: 2.0}


@dataclasses.dataclass(frozen=True)
class SimConfig:
    """How much to simulate; the last day is the election by default."""

    days: int = 7
    updates_per_day: int = 3000
    seed: int = 2024
    last_day: dt.date = ELECTION_DAY
    redelivery_rate: float = 0.02

    @property
    def first_day(self) -> dt.date:
        return self.last_day - dt.timedelta(days=self.days - 1)

    @property
    def day_list(self) -> list[dt.date]:
        return [self.first_day + dt.timedelta(days=i) for i in range(self.days)]

    @property
    def people(self) -> int:
        """A few hundred people: more traffic, more people, within reason."""
        return max(40, min(800, self.days * self.updates_per_day // 30))


@dataclasses.dataclass(frozen=True)
class Delivery:
    """One POST Telegram makes: when, and the exact body."""

    received_at: dt.datetime
    body: bytes
    update_id: int
    kind: str
    first_received_at: dt.datetime | None = None
    """For a redelivery, when the first delivery of the same update was received."""

    @property
    def redelivery(self) -> bool:
        return self.first_received_at is not None


def day_weights(config: SimConfig) -> list[float]:
    """Relative traffic of each day: weekends calmer, debate night and election day busier."""
    weights = []
    for day in config.day_list:
        weight = 0.8 if day.weekday() == 5 else 0.7 if day.weekday() == 6 else 1.0
        if day == config.last_day:
            weight = 1.8
        elif day == config.last_day - dt.timedelta(days=3):
            weight = 1.3  # the debate
        weights.append(weight)
    return weights


def hour_weights(day: dt.date, config: SimConfig) -> list[float]:
    if day == config.last_day:
        return list(_ELECTION_HOURS)
    hours = list(_WEEKEND_HOURS if day.weekday() >= 5 else _WEEKDAY_HOURS)
    if day == config.last_day - dt.timedelta(days=3):
        for hour, boost in _DEBATE_BOOST.items():
            hours[hour] *= boost
    return hours


def _times(rng: random.Random, day: dt.date, count: int, hours: list[float]) -> list[dt.datetime]:
    midnight = dt.datetime.combine(day, dt.time(), BRASILIA)
    picked = rng.choices(range(24), weights=hours, k=count)
    times = [
        (midnight + dt.timedelta(hours=h, microseconds=rng.randrange(3_600_000_000))).astimezone(
            dt.UTC
        )
        for h in picked
    ]
    return sorted(times)


def _redelivery_delay(rng: random.Random) -> dt.timedelta:
    roll = rng.random()
    if roll < 0.7:
        return dt.timedelta(seconds=rng.uniform(1, 30))
    if roll < 0.95:
        return dt.timedelta(seconds=rng.uniform(30, 600))
    return dt.timedelta(minutes=rng.uniform(10, 60))


def iter_deliveries(candidates: Sequence[Candidate], config: SimConfig) -> Iterator[Delivery]:
    """The deliveries in the order they reach the webhook (by ``received_at``)."""
    rng = random.Random(config.seed)  # noqa: S311 - a simulation, not a secret
    people = make_people(rng, config.people)
    talk = Conversation(rng, people, candidates, config.last_day)
    update_id = rng.randrange(100_000_000, 900_000_000)
    weights = day_weights(config)
    total = config.days * config.updates_per_day
    pending: list[tuple[dt.datetime, int, Delivery]] = []  # redeliveries not yet due
    for index, day in enumerate(config.day_list):
        quota = round(total * weights[index] / sum(weights))
        firsts: list[Delivery] = []
        for at in _times(rng, day, quota, hour_weights(day, config)):
            if len(firsts) >= quota:
                break
            for offset, (kind, update) in enumerate(talk.next_updates(at, day, first=index == 0)):
                update_id += 1
                received = at + dt.timedelta(milliseconds=offset * 150)
                if firsts and received <= firsts[-1].received_at:  # keep arrival order strict
                    received = firsts[-1].received_at + dt.timedelta(milliseconds=1)
                update = {"update_id": update_id, **update}
                firsts.append(Delivery(received, talk.encode(update), update_id, kind))
        next_midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), BRASILIA)
        for position, first in enumerate(firsts):
            last_of_day = position == len(firsts) - 1 and index < config.days - 1
            if last_of_day:  # always one redelivery across midnight between two days
                delay = next_midnight - first.received_at + dt.timedelta(seconds=rng.uniform(1, 90))
            elif rng.random() < config.redelivery_rate:
                delay = _redelivery_delay(rng)
            else:
                continue
            again = dataclasses.replace(
                first, received_at=first.received_at + delay, first_received_at=first.received_at
            )
            heapq.heappush(pending, (again.received_at, again.update_id, again))
        for first in firsts:
            while pending and pending[0][0] <= first.received_at:
                yield heapq.heappop(pending)[2]
            yield first
    while pending:
        yield heapq.heappop(pending)[2]


def simulate(candidates: Sequence[Candidate], config: SimConfig) -> list[Delivery]:
    """Every delivery of the simulated conversation, in arrival order."""
    return list(iter_deliveries(candidates, config))
