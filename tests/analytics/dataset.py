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

The bot's replies (``bot_replies``; ids are real candidate numbers of the bundled data: 22 Mara
Bertaiolli, 20 Caio Cunha, 22222 Malu Fernandes; ``partido:22`` is the PL):

| #   | chat | UTC         | local       | asked                        | matched          | ms   |
|-----|------|-------------|-------------|------------------------------|------------------|------|
| b1  | 101  | 09-30 12:05 | Mon 09:05   | /candidato mara              | 22               | 12   |
| b2  | 101  | 09-30 12:06 | Mon 09:06   | /candidato fulano de tal     | nothing          | 30   |
| b3  | 103  | 10-01 02:30 | Mon 23:30   | text "pl"                    | partido:22       | 8    |
| b4  | 103  | 10-01 13:00 | Tue 10:00   | /candidato caio              | 20               | 15   |
| b5  | 103  | 10-01 13:01 | Tue 10:01   | text "malu f" (choice list)  | 22222, 22444     | 20   |
| b6  | 103  | 10-01 13:02 | Tue 10:02   | button cand:22222            | 22222            | 5    |
| b7  | 101  | 10-01 22:00 | Tue 19:00   | /bairro braz cubas           | bairro:…         | 40   |
| b8  | 104  | 10-02 12:00 | Wed 09:00   | /candidato "Fulano de Tal "  | nothing          | 100  |
| b9  | 104  | 10-02 12:10 | Wed 09:10   | text "quem ganhou em suzano?"| nothing          | 25   |
| b10 | 104  | 10-02 12:20 | Wed 09:20   | button cand:99999 (expired)  | nothing          | 2    |
| b11 | 101  | 10-02 12:30 | Wed 09:30   | /candidato Mara Bertaiolli   | 22               | 10   |
| b12 | 101  | 10-02 12:31 | Wed 09:31   | /start                       | —                | null |
| b13 | 101  | 10-02 12:40 | Wed 09:40   | /foo (unknown command)       | nothing          | 3    |

Candidate mentions (``candidate_mentions``), one row per (message, candidate):

| #   | user | chat | UTC         | local      | candidate (office, party)      |
|-----|------|------|-------------|------------|--------------------------------|
| c1  | u2   | -200 | 09-30 15:00 | Mon 12:00  | 22 (prefeito, PL)              |
| c2  | u2   | -200 | 09-30 15:00 | Mon 12:00  | 20 (prefeito, PODE), same msg  |
| c3  | u2   | -200 | 10-01 02:00 | Mon 23:00  | 22 (prefeito, PL)              |
| c4  | u3   | 103  | 10-01 13:00 | Tue 10:00  | 22 (prefeito, PL)              |
| c5  | u3   | 103  | 10-01 13:00 | Tue 10:00  | 22222 (vereador, PL), same msg |
| c6  | u4   | -200 | 10-02 12:00 | Wed 09:00  | 20 (prefeito, PODE)            |
| c7  | u1   | -200 | 10-02 12:30 | Wed 09:30  | 22 (prefeito, PL)              |
| c8  | none | -300 | 10-02 14:00 | Wed 11:00  | 13 (prefeito, PT)              |
| c9  | none | -300 | 10-02 14:00 | Wed 11:00  | 50050 (vereador, PSOL)         |
| c10 | none | -300 | 10-02 14:00 | Wed 11:00  | 25555 (vereador, PRD)          |
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.analytics.lakefiles import ts, write_by_local_day, write_messages

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


def reply(
    update_id: int,
    chat_id: int,
    at: str,
    command: str,
    query: str | None,
    ids: list[str],
    latency_ms: float | None,
    *,
    answered: bool = True,
    kind: str = "name",
) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "update_kind": "callback_query" if command == "callback" else "message",
        "chat_id": None,  # every asker here wrote in private: chat 10n is user un
        "user_key": f"u{chat_id - 100}",
        "command": command,
        "query": query,
        "matched_kind": kind if ids else "none",
        "matched_ids": ids,
        "top_match": ids[0] if ids else None,
        "result_count": len(ids),
        "answered": answered,
        "latency_ms": latency_ms,
        "reply_method": "sendMessage",
        "reply_ts": ts(at),
        "event_version": 2,
    }


# fmt: off
BOT_REPLIES: list[dict[str, Any]] = [
    reply(1001, 101, "2024-09-30 12:05", "candidato", "mara", ["22"], 12.0),
    reply(1002, 101, "2024-09-30 12:06", "candidato", "fulano de tal", [], 30.0, answered=False),
    reply(1003, 103, "2024-10-01 02:30", "texto", "pl", ["partido:22"], 8.0, kind="party"),
    reply(1004, 103, "2024-10-01 13:00", "candidato", "caio", ["20"], 15.0),
    reply(1005, 103, "2024-10-01 13:01", "texto", "malu f", ["22222", "22444"], 20.0,
          kind="fuzzy"),
    reply(1006, 103, "2024-10-01 13:02", "callback", "cand:22222", ["22222"], 5.0,
          kind="button"),
    reply(1007, 101, "2024-10-01 22:00", "bairro", "braz cubas", ["bairro:Braz Cubas"], 40.0,
          kind="bairro"),
    reply(1008, 104, "2024-10-02 12:00", "candidato", "Fulano de Tal ", [], 100.0,
          answered=False),
    reply(1009, 104, "2024-10-02 12:10", "texto", "quem ganhou em suzano?", [], 25.0,
          answered=False),
    reply(1010, 104, "2024-10-02 12:20", "callback", "cand:99999", [], 2.0, answered=False),
    reply(1011, 101, "2024-10-02 12:30", "candidato", "Mara Bertaiolli", ["22"], 10.0,
          kind="exact"),
    reply(1012, 101, "2024-10-02 12:31", "start", None, [], None),
    reply(1013, 101, "2024-10-02 12:40", "foo", None, [], 3.0, answered=False),
]


def mention(update_id: int, user: str | None, chat_id: int, at: str, number: int, office: str,
            party: str) -> dict[str, Any]:
    return {"update_id": update_id, "message_id": update_id, "chat_id": chat_id,
            "user_key": user, "message_ts": ts(at), "candidate_number": number,
            "office": office, "party": party, "match_kind": "name", "matched_text": "…"}


CANDIDATE_MENTIONS: list[dict[str, Any]] = [
    mention(2001, "u2", -200, "2024-09-30 15:00", 22, "prefeito", "PL"),
    mention(2001, "u2", -200, "2024-09-30 15:00", 20, "prefeito", "PODE"),
    mention(2002, "u2", -200, "2024-10-01 02:00", 22, "prefeito", "PL"),
    mention(2003, "u3", 103, "2024-10-01 13:00", 22, "prefeito", "PL"),
    mention(2003, "u3", 103, "2024-10-01 13:00", 22222, "vereador", "PL"),
    mention(2004, "u4", -200, "2024-10-02 12:00", 20, "prefeito", "PODE"),
    mention(2005, "u1", -200, "2024-10-02 12:30", 22, "prefeito", "PL"),
    mention(2006, None, -300, "2024-10-02 14:00", 13, "prefeito", "PT"),
    mention(2006, None, -300, "2024-10-02 14:00", 50050, "vereador", "PSOL"),
    mention(2006, None, -300, "2024-10-02 14:00", 25555, "vereador", "PRD"),
]
# fmt: on


def write_known_lake(enriched: Path, *, bot: bool = True) -> Path:
    """The conversation above as enriched Parquet (``bot=False``: messages only); returns the
    enriched root."""
    write_messages(enriched, MESSAGES)
    if bot:
        write_by_local_day(enriched, "bot_replies", BOT_REPLIES, "reply_ts")
        write_by_local_day(enriched, "candidate_mentions", CANDIDATE_MENTIONS, "message_ts")
    return enriched
