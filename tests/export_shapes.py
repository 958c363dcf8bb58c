"""Telegram Desktop exports ("Machine-readable JSON") for tests, shaped as tdesktop writes them.

Every field below is one that ``Telegram/SourceFiles/export/output/export_output_json.cpp``
(telegramdesktop/tdesktop @ 929032d5, Sep 2025) writes, in its order: ``SerializeMessage``
(``id``, ``type``, ``date``, ``date_unixtime`` as a string, ``edited``/``edited_unixtime``,
``from``/``from_id`` or ``actor``/``actor_id`` + ``action``, ``forwarded_from``,
``reply_to_message_id``, media fields, ``text``, ``text_entities``, ``reactions``),
``SerializeText`` (a plain string, or an array of strings and entity objects),
``writeDialogStart`` (``name``, ``type``, ``id`` as the bare peer id, ``messages``) and the full
export's ``chats.list`` / ``left_chats.list``. The placeholders are tdesktop's own strings.
Public exports read for cross-checking: chat-analytics' samples (mlomb/chat-analytics,
``tests/samples/telegram/DM_2A_7M.json``: text arrays with a ``link`` part, messages with only
``date`` (older exports) or only ``date_unixtime``, the photo placeholder, a ``joined_telegram``
service message; ``MultiChat_2C_6M.json``: ``chats.list`` with personal_chat and private_group,
a ``phone_call`` service message).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

NOT_INCLUDED = "(File not included. Change data exporting settings to download.)"
SUPERGROUP_ID = 1987654321
"""Bare id of the test supergroup: the Bot API's ``-1001987654321``."""
BOT_API_SUPERGROUP = -1001987654321
SAO_PAULO = dt.timezone(dt.timedelta(hours=-3))


def stamp(when: dt.datetime, exporter_zone: dt.timezone = SAO_PAULO) -> dict[str, str]:
    """``date`` in the exporting machine's local time (no zone) and ``date_unixtime``."""
    local = when.astimezone(exporter_zone).replace(tzinfo=None)
    return {"date": local.isoformat(), "date_unixtime": str(int(when.timestamp()))}


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A moment of August 2024 in São Paulo time."""
    return dt.datetime(2024, 8, day, hour, minute, tzinfo=SAO_PAULO)


def plain(text: str) -> dict[str, Any]:
    return {"text": text, "text_entities": [{"type": "plain", "text": text}] if text else []}


def message(mid: int, when: dt.datetime, user: int, name: str, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"id": mid, "type": "message", **stamp(when)}
    body.update(fields.pop("edited", {}))
    body.update({"from": name, "from_id": f"user{user}"})
    text = fields.pop("text", "")
    body.update(fields)
    if isinstance(text, str):
        body.update(plain(text))
    else:
        body["text"] = text
        body["text_entities"] = [
            p if isinstance(p, dict) else {"type": "plain", "text": p} for p in text
        ]
    return body


def service(
    mid: int, when: dt.datetime, actor: int, name: str, action: str, **fields: Any
) -> dict[str, Any]:
    body = {"id": mid, "type": "service", **stamp(when), "actor": name, "actor_id": f"user{actor}"}
    body.update({"action": action, **fields, "text": "", "text_entities": []})
    return body


def supergroup_messages() -> list[dict[str, Any]]:
    """One of each quirk, in a public supergroup, over 16 and 17 August 2024."""
    edit = stamp(at(16, 10, 30))
    return [
        {
            "id": 1,
            "type": "service",
            **stamp(at(16, 8)),
            "actor": "Grupo Mogi 2024",
            "actor_id": f"channel{SUPERGROUP_ID}",
            "action": "migrate_from_group",
            "title": "Grupo Mogi 2024",
            "text": "",
            "text_entities": [],
        },
        service(2, at(16, 8, 5), 1001, "Ana Souza", "invite_members", members=["Bruno Lima"]),
        service(3, at(16, 8, 10), 1003, "Carla Dias", "join_group_by_link", inviter="Ana Souza"),
        message(4, at(16, 9), 1001, "Ana Souza", text="Bom dia! Alguém viu o debate?"),
        message(
            5,
            at(16, 9, 5),
            1002,
            "Bruno Lima",
            reply_to_message_id=4,
            edited={"edited": edit["date"], "edited_unixtime": edit["date_unixtime"]},
            text=[
                "Vejam ",
                {"type": "link", "text": "https://g1.globo.com/sp/mogi"},
                " e ",
                {"type": "bold", "text": "comentem"},
            ],
        ),
        message(
            6,
            at(16, 9, 10),
            1001,
            "Ana Souza",
            photo=NOT_INCLUDED,
            photo_file_size=84512,
            width=1280,
            height=720,
            text="Santinho do 45",
        ),
        message(
            7,
            at(16, 9, 11),
            1002,
            "Bruno Lima",
            file=NOT_INCLUDED,
            file_name="sticker.webp",
            file_size=30122,
            thumbnail="(File not included. Change data exporting settings to download.)",
            thumbnail_file_size=5120,
            media_type="sticker",
            sticker_emoji="😂",
            mime_type="image/webp",
            width=512,
            height=512,
        ),
        message(
            8,
            at(16, 9, 12),
            1003,
            "Carla Dias",
            file="voice_messages/audio_1@16-08-2024_09-12-00.ogg",
            file_name="audio_1@16-08-2024_09-12-00.ogg",
            file_size=23001,
            media_type="voice_message",
            mime_type="audio/ogg",
            duration_seconds=7,
        ),
        message(
            9,
            at(16, 9, 13),
            1001,
            "Ana Souza",
            file=NOT_INCLUDED,
            file_name="comicio.mp4",
            file_size=9000000,
            thumbnail="(File not included. Change data exporting settings to download.)",
            thumbnail_file_size=7000,
            media_type="video_file",
            mime_type="video/mp4",
            duration_seconds=31,
            width=640,
            height=360,
            text="Comício na praça",
        ),
        message(
            10,
            at(16, 9, 14),
            1002,
            "Bruno Lima",
            file=NOT_INCLUDED,
            file_name="risada.mp4",
            file_size=120000,
            media_type="animation",
            mime_type="video/mp4",
            width=320,
            height=240,
        ),
        message(
            11,
            at(16, 9, 20),
            1003,
            "Carla Dias",
            forwarded_from="Canal da Prefeitura",
            text="Aviso: a votação é dia 6 de outubro",
        ),
        {
            "id": 12,
            "type": "message",
            **stamp(at(16, 9, 30)),
            "from": "Grupo Mogi 2024",
            "from_id": f"channel{SUPERGROUP_ID}",
            "author": "Admin",
            **plain("Regras do grupo: respeito"),
        },
        message(
            13,
            at(16, 9, 40),
            1001,
            "Ana Souza",
            text="Quem vota no 45?",
            reactions=[
                {
                    "type": "emoji",
                    "count": 3,
                    "emoji": "👍",
                    "recent": [
                        {"from": "Bruno Lima", "from_id": "user1002", "date": "2024-08-16T09:41:00"}
                    ],
                },
                {"type": "custom_emoji", "count": 1, "document_id": "5368324170671202286"},
            ],
        ),
        service(14, at(16, 22), 1002, "Bruno Lima", "remove_members", members=["Bruno Lima"]),
        message(
            15,
            at(16, 23, 30),
            1003,
            "Carla Dias",
            text=[{"type": "bot_command", "text": "/candidato"}, " 45"],
        ),
        message(
            16,
            at(17, 0, 30),
            1001,
            "Ana Souza",
            file="files/plano.pdf",
            file_name="plano.pdf",
            file_size=1000,
            mime_type="application/pdf",
            text="Plano de governo",
        ),
        {"id": 17, "type": "unsupported"},
    ]


def single_chat(messages: list[dict[str, Any]] | None = None, **chat: Any) -> dict[str, Any]:
    """A chat's "Export chat history": the chat object is the whole file."""
    header = {"name": "Grupo Mogi 2024", "type": "public_supergroup", "id": SUPERGROUP_ID}
    header.update(chat)
    return {**header, "messages": supergroup_messages() if messages is None else messages}


def full_account() -> dict[str, Any]:
    """Settings → Export Telegram data: ``chats.list`` and ``left_chats.list`` of every type."""
    hello = lambda mid, day, user, name, text: message(mid, at(day, 12), user, name, text=text)  # noqa: E731
    chats = [
        {
            "name": "Bruno Lima",
            "type": "personal_chat",
            "id": 1002,
            "messages": [hello(7, 18, 1002, "Bruno Lima", "oi Ana")],
        },
        {
            "name": "Mogi Eleições Bot",
            "type": "bot_chat",
            "id": 777000111,
            "messages": [
                hello(8, 18, 1001, "Ana Souza", "/start"),
                hello(9, 18, 777000111, "Mogi Eleições Bot", "Olá! Pergunte por um candidato."),
            ],
        },
        {
            "type": "saved_messages",
            "id": 1001,
            "messages": [hello(10, 18, 1001, "Ana Souza", "lembrar: debate quinta")],
        },
        {
            "name": "Família",
            "type": "private_group",
            "id": 555,
            "messages": [hello(11, 18, 1004, "Dora", "quem vocês acham que ganha?")],
        },
        {
            "name": "Bairro Vivo",
            "type": "private_supergroup",
            "id": 1400000003,
            "messages": [hello(3, 19, 1002, "Bruno Lima", "reunião hoje")],
        },
        {
            "name": "Notícias Mogi",
            "type": "private_channel",
            "id": 1500000001,
            "messages": [
                {
                    "id": 2,
                    "type": "message",
                    **stamp(at(19, 7)),
                    "from": "Notícias Mogi",
                    "from_id": "channel1500000001",
                    **plain("Boletim do dia"),
                }
            ],
        },
        {
            "name": "Grupo Mogi 2024",
            "type": "public_supergroup",
            "id": SUPERGROUP_ID,
            "messages": [message(40, at(19, 9), 1001, "Ana Souza", text="Bom dia grupo")],
        },
    ]
    left = [
        {
            "name": "Canal Antigo",
            "type": "public_channel",
            "id": 1600000002,
            "messages": [
                {
                    "id": 9,
                    "type": "message",
                    **stamp(at(20, 7)),
                    "from": "Canal Antigo",
                    "from_id": "channel1600000002",
                    **plain("Último post"),
                }
            ],
        },
    ]
    return {
        "about": "Here is the data you requested. Remember: Telegram is ad free...",
        "personal_information": {
            "user_id": 1001,
            "first_name": "Ana",
            "last_name": "Souza",
            "phone_number": "+55 11 90000 0000",
            "username": "@ana",
            "bio": "",
        },
        "chats": {"about": "This page lists all chats from this export.", "list": chats},
        "left_chats": {
            "about": "This page lists all supergroups and channels from this "
            "export that you've left.",
            "list": left,
        },
    }


def write(folder: Path, document: dict[str, Any], name: str = "result.json") -> Path:
    """Written as tdesktop does: UTF-8, not ASCII-escaped, one-space indentation."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


# Older eras, from the writer's git history (telegramdesktop/tdesktop,
# ``git log --follow -p -- Telegram/SourceFiles/export/output/export_output_json.cpp`` and
# ``export/data/export_data_types.cpp``): see the docstring of ``tglake.tdexport``.
USER_SHIFT = 1 << 32  # UserPeerId: kUserPeerIdShift | id (tdesktop <= 2.7.1)
CHAT_SHIFT = 2 << 32  # ChatPeerId: kChatPeerIdShift | id, basic groups and channels alike
MIGRATED = -1_000_000_000  # kMigratedMessagesIdShift (tdesktop 8f80c19a, 2019)
CHANNEL_BARE = 1292077344
"""A channel exported in 2020 (``id`` 9882011936) and again in 2021 (``id`` 1292077344)."""


def local_only(when: dt.datetime, exporter_zone: dt.timezone = SAO_PAULO) -> dict[str, str]:
    """``date`` as tdesktop before 4.0 wrote it: local time of the exporting machine, no zone,
    no ``date_unixtime`` (``SerializeDate`` only; 96bd9ae8 added the raw form in June 2022)."""
    return {"date": when.astimezone(exporter_zone).replace(tzinfo=None).isoformat()}


def era_message(
    mid: int, when: dt.datetime, from_id: int | str, name: str, text: str, **fields: Any
) -> dict[str, Any]:
    """A message of tdesktop 2.x/3.x: local ``date`` only; ``from_id`` as that era wrote it."""
    body: dict[str, Any] = {"id": mid, "type": "message", **local_only(when)}
    body.update({"from": name, "from_id": from_id, **fields, "text": text})
    return body


def channel_2020() -> dict[str, Any]:
    """A private channel exported by tdesktop 2.4 (2020): the chat's ``id`` is its encoded peer
    id (``Data::NumberToString(data.peerId)``), posts have no ``from_id`` (a channel post in
    2.4 had ``fromId`` 0, so ``pushFrom`` wrote nothing), dates are local."""
    when = dt.datetime(2020, 10, 5, 21, 30, tzinfo=SAO_PAULO)
    return {
        "name": "Notícias de Mogi",
        "type": "private_channel",
        "id": CHAT_SHIFT + CHANNEL_BARE,
        "messages": [
            {"id": 101, "type": "message", **local_only(when), "text": "Boletim de outubro"},
            {
                "id": 102,
                "type": "message",
                **local_only(when + dt.timedelta(minutes=5)),
                "via_bot": "@pollbot",
                "text": ["Vote: ", {"type": "link", "text": "https://t.me/pollbot"}],
            },
        ],
    }


def channel_2021() -> dict[str, Any]:
    """The same channel exported by tdesktop 3.1 (Oct 2021): bare ``id``, ``from_id`` strings,
    still no ``date_unixtime``."""
    when = dt.datetime(2021, 10, 5, 9, 0, tzinfo=SAO_PAULO)
    return {
        "name": "Notícias de Mogi",
        "type": "private_channel",
        "id": CHANNEL_BARE,
        "messages": [
            era_message(201, when, f"channel{CHANNEL_BARE}", "Notícias de Mogi", "Boletim de 2021"),
        ],
    }


def migrated_supergroup_2021() -> dict[str, Any]:
    """A supergroup that was a basic group, exported by tdesktop 2.6 (Feb 2021): the old group's
    messages first with ids shifted by -1e9 (``AdjustMigrateMessageIds``), its
    ``migrate_to_supergroup``, the supergroup's ``migrate_from_group``; the chat ``id`` and
    every ``from_id``/``actor_id`` are encoded peer ids as numbers (2.5 to 2.7.1)."""
    day = dt.datetime(2021, 2, 20, 10, 0, tzinfo=SAO_PAULO)
    minute = dt.timedelta(minutes=1)
    return {
        "name": "Bairro Vivo",
        "type": "private_supergroup",
        "id": CHAT_SHIFT + 1400000003,
        "messages": [
            era_message(MIGRATED + 40, day, USER_SHIFT + 1001, "Ana Souza", "grupo antigo"),
            era_message(
                MIGRATED + 41,
                day + minute,
                USER_SHIFT + 1002,
                "Bruno Lima",
                "respondendo",
                reply_to_message_id=MIGRATED + 40,
            ),
            {
                "id": MIGRATED + 42,
                "type": "service",
                **local_only(day + 2 * minute),
                "actor": "Ana Souza",
                "actor_id": USER_SHIFT + 1001,
                "action": "migrate_to_supergroup",
                "text": "",
            },
            {
                "id": 1,
                "type": "service",
                **local_only(day + 2 * minute),
                "actor": "Bairro Vivo",
                "actor_id": CHAT_SHIFT + 1400000003,
                "action": "migrate_from_group",
                "title": "Bairro Vivo",
                "text": "",
            },
            era_message(2, day + 3 * minute, USER_SHIFT + 1001, "Ana Souza", "agora supergrupo"),
        ],
    }


def full_account_2020() -> dict[str, Any]:
    """A whole account exported by tdesktop 2.4 (Sep 2020): Saved Messages (no ``name``,
    ``saved_from`` on a saved forward), a chat with a bot, a basic group; ``from_id`` is the bare
    user id as a number (``pushBare(label+"_id", NumberToString(message.fromId))``), a chat's
    ``id`` its encoded peer id."""
    when = dt.datetime(2020, 9, 1, 20, 0, tzinfo=SAO_PAULO)
    minute = dt.timedelta(minutes=1)
    chats = [
        {
            "type": "saved_messages",
            "id": USER_SHIFT + 1001,
            "messages": [
                era_message(5, when, 1001, "Ana Souza", "lembrar: título de eleitor"),
                era_message(
                    6, when + minute, 1001, "Ana Souza", "Horário", saved_from="Notícias de Mogi"
                ),
            ],
        },
        {
            "name": "Mogi Eleições Bot",
            "type": "bot_chat",
            "id": USER_SHIFT + 777000111,
            "messages": [
                era_message(7, when + 2 * minute, 1001, "Ana Souza", "/start"),
                era_message(8, when + 3 * minute, 777000111, "Mogi Eleições Bot", "Olá!"),
            ],
        },
        {
            "name": "Família",
            "type": "private_group",
            "id": CHAT_SHIFT + 555,
            "messages": [era_message(9, when + 4 * minute, 1004, "Dora", "quem ganha?")],
        },
    ]
    return {
        "about": "Here is the data you requested. Remember: Telegram is ad free...",
        "personal_information": {"user_id": 1001, "first_name": "Ana", "last_name": "Souza"},
        "chats": {"about": "This page lists all chats from this export.", "list": chats},
        "left_chats": {
            "about": "This page lists all supergroups and channels you left.",
            "list": [],
        },
    }
