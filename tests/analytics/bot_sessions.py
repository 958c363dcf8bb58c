"""Conversations with the real bot whose sessions, resolutions, returns and re-asks are known.

:func:`build_sessions_lake` posts each message (or button press) through ``ingest.receive`` to
the real bot responder, whose clock reads the moment of the message, so its raw events are the
ones production writes; then the real ETL builds every day. The script is written as sessions,
so what the ``sessions`` query must say is computed from it (:func:`expected_sessions`); the
outcomes each session was designed for are stated beside it, and the builder checks that the
bot did find or miss each turn as the script says (a change in the bot fails here, loudly).

Times are UTC; America/Sao_Paulo is UTC-3. 2024-09-30, 10-07 and 10-14 are Mondays: weeks 0, 1
and 2 of the first cohort. All chats are private.

| session | who    | first turn (UTC) | turns (seconds after the first), F found / M missed       |
|---------|--------|------------------|-----------------------------------------------------------|
| S1      | Ana    | 09-30 12:00      | /candidato zzqxw M · 60 /candidato Mara Bertaiolli F (22)  |
| S2      | Ana    | 09-30 13:00      | /partido PL F (59 min after S1: a new session)             |
| S3      | Bruno  | 09-30 15:00      | /candidato xyzzyq M, then silence: abandoned               |
| S4      | Ana    | 10-01 10:00      | /candidato Mara Bertaiolli F: 22 again, 22 h after S1      |
| S5      | Carla  | 10-01 14:00      | /bairro qwqwqw M · 120 /bairro zxzxzx M: never answered    |
| S6      | Fábio  | 10-01 18:00      | /candidato zzzz M · 30 button cand:22222 F                 |
| S7      | Diego  | 10-02 12:00      | /candidato Caio Cunha F (20)                               |
| S8      | Diego  | 10-04 12:00      | /candidato Caio Cunha F: 20 again, 48 h later              |
| S9      | Diego  | 10-07 12:00      | /partido PT F (week 1)                                     |
| S10     | Eva    | 10-08 13:00      | «quantos votos teve a Mara Bertaiolli?» F · 300 /candidato |
|         |        |                  | Mara Bertaiolli F (22 twice in one session: a follow-up)   |
| S11     | Bruno  | 10-14 12:00      | /partido PT F (week 2: Bruno comes back)                   |
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import statistics
from pathlib import Path
from typing import Any

from tests.lakebuild import person, private, settings_for, ts
from tglake import etl, layout
from tglake.bot.responder import make_responder
from tglake.ingest import webhook as ingest
from tglake.storage import LocalStore

ANA, BRUNO, CARLA, DIEGO, EVA, FABIO = (
    person(201, "Ana"),
    person(202, "Bruno"),
    person(203, "Carla"),
    person(204, "Diego"),
    person(205, "Eva"),
    person(206, "Fábio"),
)
TZ = "America/Sao_Paulo"


@dataclasses.dataclass(frozen=True)
class Turn:
    after: int
    """Seconds after the session's first turn."""
    text: str
    """What the person sends; ``button:<data>`` presses a button with that callback data."""
    found: bool


@dataclasses.dataclass(frozen=True)
class Session:
    who: dict[str, Any]
    start: str
    """UTC, ``YYYY-MM-DD HH:MM``."""
    turns: tuple[Turn, ...]

    @property
    def local_day(self) -> dt.date:
        return (ts(self.start) - dt.timedelta(hours=3)).date()

    @property
    def seconds(self) -> float:
        return float(self.turns[-1].after - self.turns[0].after)


def _t(after: int, text: str, found: bool) -> Turn:
    return Turn(after, text, found)


SCRIPT: tuple[Session, ...] = (
    Session(ANA, "2024-09-30 12:00", (_t(0, "/candidato zzqxw", False),
                                      _t(60, "/candidato Mara Bertaiolli", True))),
    Session(ANA, "2024-09-30 13:00", (_t(0, "/partido PL", True),)),
    Session(BRUNO, "2024-09-30 15:00", (_t(0, "/candidato xyzzyq", False),)),
    Session(ANA, "2024-10-01 10:00", (_t(0, "/candidato Mara Bertaiolli", True),)),
    Session(CARLA, "2024-10-01 14:00", (_t(0, "/bairro qwqwqw", False),
                                        _t(120, "/bairro zxzxzx", False))),
    Session(FABIO, "2024-10-01 18:00", (_t(0, "/candidato zzzz", False),
                                        _t(30, "button:cand:22222", True))),
    Session(DIEGO, "2024-10-02 12:00", (_t(0, "/candidato Caio Cunha", True),)),
    Session(DIEGO, "2024-10-04 12:00", (_t(0, "/candidato Caio Cunha", True),)),
    Session(DIEGO, "2024-10-07 12:00", (_t(0, "/partido PT", True),)),
    Session(EVA, "2024-10-08 13:00", (_t(0, "quantos votos teve a Mara Bertaiolli?", True),
                                      _t(300, "/candidato Mara Bertaiolli", True))),
    Session(BRUNO, "2024-10-14 12:00", (_t(0, "/partido PT", True),)),
)  # fmt: skip
GAP_S1_S2_MINUTES = 59
"""Ana's silence between S1's last turn and S2: under a gap of 60 minutes they are one."""


def expected_sessions(script: tuple[Session, ...] = SCRIPT) -> list[tuple[Any, ...]]:
    """The rows of the ``sessions`` query, counted on the script: per local day, sessions,
    people, turns, median turns, median duration in seconds."""
    days: dict[dt.date, list[Session]] = {}
    for session in script:
        days.setdefault(session.local_day, []).append(session)
    return [
        (
            day,
            len(group),
            len({s.who["id"] for s in group}),
            sum(len(s.turns) for s in group),
            float(statistics.median(len(s.turns) for s in group)),
            float(statistics.median(s.seconds for s in group)),
        )
        for day, group in sorted(days.items())
    ]


def merged(script: tuple[Session, ...], first: int, second: int) -> tuple[Session, ...]:
    """The script with session ``second`` read as the continuation of ``first``."""
    a, b = script[first], script[second]
    offset = int((ts(b.start) - ts(a.start)).total_seconds())
    joined = Session(a.who, a.start, (*a.turns, *(_t(offset + t.after, t.text, t.found)
                                                   for t in b.turns)))  # fmt: skip
    return tuple(joined if i == first else s for i, s in enumerate(script) if i != second)


def _update(update_id: int, who: dict[str, Any], at: dt.datetime, text: str) -> dict[str, Any]:
    chat = private(who)
    if text.startswith("button:"):
        bot_message = {"message_id": 9000 + update_id, "date": int(at.timestamp()), "chat": chat,
                       "text": "…"}  # fmt: skip
        return {
            "update_id": update_id,
            "callback_query": {"id": f"cb{update_id}", "from": who, "message": bot_message,
                               "chat_instance": "-1", "data": text.removeprefix("button:")},
        }  # fmt: skip
    message: dict[str, Any] = {"message_id": update_id, "date": int(at.timestamp()),
                               "chat": chat, "from": who, "text": text}  # fmt: skip
    if text.startswith("/"):
        message["entities"] = [{"offset": 0, "length": len(text.split()[0]),
                                "type": "bot_command"}]  # fmt: skip
    return {"update_id": update_id, "message": message}


def build_sessions_lake(lake: Path, script: tuple[Session, ...] = SCRIPT) -> Path:
    """Every turn of ``script`` through ingest and the real bot, then the ETL of every day."""
    settings = settings_for(lake, TZ)
    raw, enriched = LocalStore(lake / "raw"), LocalStore(lake / "enriched")
    clock = {"now": ts("2024-09-30 00:00")}
    respond = make_responder(settings, raw, clock=lambda: clock["now"])
    turns = sorted(
        ((ts(s.start) + dt.timedelta(seconds=t.after), s.who, t) for s in script for t in s.turns),
        key=lambda item: item[0],
    )
    days = set()
    for update_id, (at, who, turn) in enumerate(turns, start=1):
        body = json.dumps(_update(update_id, who, at, turn.text), ensure_ascii=False).encode()
        outcome = ingest.receive(body, {}, settings=settings, store=raw, now=at)
        assert outcome.status == "stored", outcome
        clock["now"] = at + dt.timedelta(milliseconds=5)
        respond(outcome)
        day = layout.context_date(at, settings.tz)
        event = json.loads(raw.get(f"bot/context_date={day}/{update_id}.json"))
        assert event["answered"] is turn.found, (turn, event)
        days.add(day)
    for day in sorted(days):
        report = etl.run_day(day, settings=settings, raw=raw, enriched=enriched)
        assert not report.rejects, report.rejects
    return lake
