"""A small known conversation, written by hand, whose answers the query tests state by hand.

Times are UTC; America/Sao_Paulo is UTC-3 (no daylight saving since 2019), so local time is
three hours earlier. 2024-09-30 is a Monday.

| #   | user | chat        | UTC         | local (UTC-3)   | what                              |
|-----|------|-------------|-------------|-----------------|-----------------------------------|
| m1  | u1   | private 101 | 09-30 12:00 | Mon 09-30 09:00 | /start (length 6)                 |
| m2  | u1   | private 101 | 09-30 12:05 | Mon 09-30 09:05 | /candidato Maria Silva (22)       |
| m3  | u2   | group -200  | 09-30 15:00 | Mon 09-30 12:00 | text with #Eleição2024 (28)       |
| m8  | u2   | group -200  | 09-30 15:00 | (edit of m3)    | edited_message (not a new message)|
| m4  | u2   | group -200  | 10-01 02:00 | Mon 09-30 23:00 | text, #eleição2024 #mogi (37)     |
| m5  | u3   | private 103 | 10-01 13:00 | Tue 10-01 10:00 | photo with a caption (27)         |
| m6  | u3   | private 103 | 10-01 13:10 | Tue 10-01 10:10 | sticker (no text)                 |
| m7  | u1   | private 101 | 10-01 22:00 | Tue 10-01 19:00 | /candidato João (15)              |
| m9  | u4   | group -200  | 10-02 12:00 | Wed 10-02 09:00 | text (41)                         |
| m10 | u1   | group -200  | 10-02 12:30 | Wed 10-02 09:30 | text, #Mogi and a link (50)       |
| m11 | none | channel -300| 10-02 14:00 | Wed 10-02 11:00 | channel_post (36)                 |

Group -200 is the supergroup "Eleição Mogi"; channel -300 is "Canal Notícias".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.analytics.lakefiles import ts, write_messages

GROUP: dict[str, Any] = {"chat_id": -200, "chat_type": "supergroup", "chat_title": "Eleição Mogi"}
CHANNEL: dict[str, Any] = {"chat_id": -300, "chat_type": "channel", "chat_title": "Canal Notícias"}


def private(chat_id: int) -> dict[str, Any]:
    return {"chat_id": chat_id, "chat_type": "private", "chat_title": None}


def text(body: str, length: int, command: str | None = None) -> dict[str, Any]:
    return {"content_type": "text", "text": body, "text_length": length, "command": command}


# fmt: off
MESSAGES: list[dict[str, Any]] = [
    {"user_key": "u1", **private(101), "message_ts": ts("2024-09-30 12:00"),
     **text("/start", 6, "/start")},
    {"user_key": "u1", **private(101), "message_ts": ts("2024-09-30 12:05"),
     **text("/candidato Maria Silva", 22, "/candidato")},
    {"user_key": "u2", **GROUP, "message_ts": ts("2024-09-30 15:00"),
     **text("Quem vai votar? #Eleição2024", 28)},
    {"user_key": "u2", **GROUP, "message_ts": ts("2024-09-30 15:00"),
     "update_type": "edited_message", "edit_ts": ts("2024-09-30 15:30"),
     **text("Quem vai votar? #Eleição2024 #Mogi", 34)},
    {"user_key": "u2", **GROUP, "message_ts": ts("2024-10-01 02:00"),
     **text("Votar é importante #eleição2024 #mogi", 37)},
    {"user_key": "u3", **private(103), "message_ts": ts("2024-10-01 13:00"),
     "content_type": "photo", "text": "Santinho da candidata Maria", "text_length": 27},
    {"user_key": "u3", **private(103), "message_ts": ts("2024-10-01 13:10"),
     "content_type": "sticker"},
    {"user_key": "u1", **private(101), "message_ts": ts("2024-10-01 22:00"),
     **text("/candidato João", 15, "/candidato")},
    {"user_key": "u4", **GROUP, "message_ts": ts("2024-10-02 12:00"),
     **text("Maria Silva tem propostas boas para saúde", 41)},
    {"user_key": "u1", **GROUP, "message_ts": ts("2024-10-02 12:30"),
     **text("Maria tem meu voto #Mogi https://example.com/maria", 50)},
    {"user_key": None, **CHANNEL, "message_ts": ts("2024-10-02 14:00"),
     "update_type": "channel_post", **text("Debate hoje às 20h com os candidatos", 36)},
]
# fmt: on


def write_known_lake(enriched: Path) -> Path:
    """The conversation above as enriched Parquet; returns the enriched root."""
    write_messages(enriched, MESSAGES)
    return enriched
