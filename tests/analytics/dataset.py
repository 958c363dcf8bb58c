"""A small known conversation, as the raw updates Telegram would send, whose answers the query
tests state by hand. :func:`build_known_lake` posts them through ``ingest.receive`` and runs the
real ETL, so every expectation is counted on these updates, never on enriched rows.

Times are UTC; America/Sao_Paulo is UTC-3 (no daylight saving since 2019), so local time is
three hours earlier. 2024-09-30 is a Monday. People: u1 Ana (101), u2 Bruno (102), u3 Carla
(103), u4 Diego (104), u5 Eva (105). Chats: SG the supergroup "Eleição Mogi", BG the group
"Bairro Braz Cubas", CH the channel "Canal Notícias" (posts have no sender), and the private
chats P1, P3, P4 of u1, u3, u4 with the bot (three private conversations).

| #   | user | chat | UTC         | local     | what (text length)                               |
|-----|------|------|-------------|-----------|--------------------------------------------------|
| m1  | u1   | P1   | 09-30 12:00 | Mon 09:00 | /start (6)                                       |
| m2  | u1   | P1   | 09-30 12:05 | Mon 09:05 | /candidato Maria Silva (22)                      |
| m3  | u2   | SG   | 09-30 15:00 | Mon 12:00 | Quem vai votar? #Eleição2024 (28)                |
| e1  | u2   | SG   | 09-30 15:30 | Mon 12:30 | m3 edited: + " #Mogi Mara Bertaiolli ou Caio     |
|     |      |      |             |           | Cunha?"                                          |
| e2  | u2   | SG   | 09-30 15:40 | Mon 12:40 | m3 edited: + " #Mogi Mara Bertaiolli!"           |
| m4  | u2   | SG   | 10-01 02:00 | Mon 23:00 | Votar é importante #eleição2024 #mogi (37)       |
| m5  | u3   | P3   | 10-01 13:00 | Tue 10:00 | photo: Santinho da candidata Mara Bertaiolli (37)|
| m6  | u3   | P3   | 10-01 13:10 | Tue 10:10 | sticker (no text)                                |
| m7  | u1   | P1   | 10-01 22:00 | Tue 19:00 | /candidato João (15)                             |
| m8  | u5   | BG   | 10-01 23:00 | Tue 20:00 | Vou de Malu Fernandes (21)                       |
| e3  | u5   | BG   | 10-02 10:00 | Wed 07:00 | m8 edited a day later: + " #BrazCubas"           |
| m9  | u4   | SG   | 10-02 12:00 | Wed 09:00 | Caio Cunha tem propostas boas para saúde (40)    |
| m12 | u4   | P4   | 10-02 12:20 | Wed 09:20 | /candidato Fulano de Tal (24)                    |
| m10 | u1   | SG   | 10-02 12:30 | Wed 09:30 | Maria tem meu voto #Mogi https://example.com/    |
|     |      |      |             |           | maria (50)                                       |
| m11 | —    | CH   | 10-02 14:00 | Wed 11:00 | channel post: Debate hoje às 20h com Valverde,   |
|     |      |      |             |           | Malu Fernandes e Pedro Komura (62)               |

Besides messages: u2 presses a button in SG (09-30 15:05) and u3 one in P3 (10-01 13:02);
u1 reacts 👍 to m9 (10-02 12:10); u5 adds the bot to BG (10-01 22:45, ``my_chat_member``) and
joins it (10-01 22:50, ``chat_member``).

Candidate names in the texts (found by the ETL, one row per message and candidate a day):
e1 names Mara Bertaiolli (22, prefeito, PL) and Caio Cunha (20, prefeito, PODE); e2 names 22
again (the same message: not counted again); m5 names 22; m8 names Malu Fernandes (22222,
vereador, PL); e3, an edit on the next day, names 22222 again and is counted on its own day
(the ETL of a day does not read the days before); m9 names 20; m11 names Valverde (13,
prefeito, PT, by a part of the name), 22222 and Pedro Komura (44000, vereador, UNIÃO).

The bot's replies (raw bot events; ids are real candidate numbers of the bundled data: 22 Mara
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
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.lakebuild import Updates, build_lake, group, person, private

U1, U2, U3, U4, U5 = (
    person(101, "Ana"),
    person(102, "Bruno"),
    person(103, "Carla"),
    person(104, "Diego"),
    person(105, "Eva"),
)
SG = group(-1001000000001, "Eleição Mogi")
BG = group(-4000000002, "Bairro Braz Cubas", "group")
CH = group(-1001000000003, "Canal Notícias", "channel")
P1, P3, P4 = private(U1), private(U3), private(U4)
BOT = {"id": 7000000001, "is_bot": True, "first_name": "Mogi Eleições", "username": "MogiBot"}

PHOTO = {"photo": [{"file_id": "AgAC", "file_unique_id": "AQAD", "width": 90, "height": 60}]}
STICKER = {
    "sticker": {
        "file_id": "CAAC",
        "file_unique_id": "AgAD",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": "👍",
    }
}


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
    """A bot event as :func:`tglake.bot.responder.bot_event` writes it."""
    return {
        "event_version": 2,
        "update_id": update_id,
        "update_kind": "callback_query" if command == "callback" else "message",
        "chat_id": chat_id,  # every asker here wrote in private: the chat's id is the person's
        "chat_type": "private",
        "user_id": chat_id,
        "command": command,
        "query": query,
        "matched_kind": kind if ids else "none",
        "matched_ids": ids,
        "result_count": len(ids),
        "answered": answered,
        "latency_ms": latency_ms,
        "reply_method": "sendMessage",
        "reply_chars": 100,
        "reply_ts": f"{at.replace(' ', 'T')}:00.000+00:00",
    }


# fmt: off
BOT_EVENTS: list[dict[str, Any]] = [
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
# fmt: on


def conversation(*, bot: bool = True) -> Updates:
    """The updates of the table above, in the order Telegram delivered them."""
    u = Updates()
    u.message(U1, P1, "2024-09-30 12:00", "/start")
    u.message(U1, P1, "2024-09-30 12:05", "/candidato Maria Silva")
    m3 = u.message(U2, SG, "2024-09-30 15:00", "Quem vai votar? #Eleição2024")
    u.callback(U2, SG, 90, "2024-09-30 15:05", "cand:20")
    u.edit(U2, SG, m3, "2024-09-30 15:00", "2024-09-30 15:30",
           "Quem vai votar? #Eleição2024 #Mogi Mara Bertaiolli ou Caio Cunha?")  # fmt: skip
    u.edit(U2, SG, m3, "2024-09-30 15:00", "2024-09-30 15:40",
           "Quem vai votar? #Eleição2024 #Mogi Mara Bertaiolli!")  # fmt: skip
    u.message(U2, SG, "2024-10-01 02:00", "Votar é importante #eleição2024 #mogi")
    u.message(U3, P3, "2024-10-01 13:00", caption="Santinho da candidata Mara Bertaiolli",
              content=PHOTO)  # fmt: skip
    u.callback(U3, P3, 91, "2024-10-01 13:02", "cand:22222")
    u.message(U3, P3, "2024-10-01 13:10", content=STICKER)
    u.message(U1, P1, "2024-10-01 22:00", "/candidato João")
    u.member(U5, BG, "2024-10-01 22:45", BOT, "left", "member", kind="my_chat_member")
    u.member(U5, BG, "2024-10-01 22:50", U5, "left", "member")
    m8 = u.message(U5, BG, "2024-10-01 23:00", "Vou de Malu Fernandes")
    u.edit(U5, BG, m8, "2024-10-01 23:00", "2024-10-02 10:00", "Vou de Malu Fernandes #BrazCubas")
    m9 = u.message(U4, SG, "2024-10-02 12:00", "Caio Cunha tem propostas boas para saúde")
    u.reaction(U1, SG, m9, "2024-10-02 12:10", "👍")
    u.message(U4, P4, "2024-10-02 12:20", "/candidato Fulano de Tal")
    u.message(U1, SG, "2024-10-02 12:30", "Maria tem meu voto #Mogi https://example.com/maria")
    u.message(None, CH, "2024-10-02 14:00",
              "Debate hoje às 20h com Valverde, Malu Fernandes e Pedro Komura")  # fmt: skip
    if bot:
        for event in BOT_EVENTS:
            u.bot_event(event)
    return u


def build_known_lake(lake: Path, *, bot: bool = True) -> Path:
    """The conversation above through ingest and the ETL (``bot=False``: no bot events);
    returns the lake root (``raw/`` and ``enriched/`` under it)."""
    return build_lake(lake, conversation(bot=bot))
