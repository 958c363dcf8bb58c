"""A day of real-shaped updates full of personal data, and a scanner that looks for it.

:func:`day_of_updates` gives Bot API updates of every kind that carries a sender, in a private
chat and a group, with replies and forwards quoting other people, contacts with phone numbers,
``@username`` and ``text_mention`` mentions, a phone number and an e-mail in text. The people
have names no candidate and no Portuguese word shares, so any substring hit is a leak.

:func:`people_in` collects, from any updates (these or a demo lake's raw zone), every user id,
name, username and phone number they hold; :func:`leaks` scans every value of every column of
every Parquet file of an enriched zone (read back by DuckDB, lists and structs walked) and every
other file's bytes for them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import httpx2

from tests.helpers import serve_in_thread
from tglake.adapters.http import create_app
from tglake.bot.responder import make_responder
from tglake.candidates.catalog import CandidateData
from tglake.config import Settings
from tglake.storage import ObjectStore

BOT = {
    "id": 7000000001,
    "is_bot": True,
    "first_name": "Mogi Eleições",
    "username": "MogiEleicoesBot",
}
ZULMIRA = {
    "id": 7410000001,
    "is_bot": False,
    "first_name": "Zulmira",
    "last_name": "Quixabeira",
    "username": "zulmira_qx",
    "language_code": "pt-br",
}
GODOFREDO = {
    "id": 7410000002,
    "is_bot": False,
    "first_name": "Godofredo",
    "last_name": "Anhanguera",
    "username": "godo_anh",
}
EULALIA = {"id": 7410000003, "is_bot": False, "first_name": "Eulália", "last_name": "Piracema"}
BARTOLOMEU = {
    "id": 7410000004,
    "is_bot": False,
    "first_name": "Bartolomeu",
    "last_name": "Jabuticaba",
    "username": "bartojab",
}
LEOCADIA_PHONE = "+5511977771234"
GROUP = {"id": -1001234567890, "title": "Eleições Mogi 2024", "type": "supergroup"}
DATE = 1727740800  # 2024-10-01 00:00 UTC, 2024-09-30 21:00 in São Paulo


def private(user: dict[str, Any]) -> dict[str, Any]:
    chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
    for key in ("last_name", "username"):
        if key in user:
            chat[key] = user[key]
    return chat


def _message(mid: int, user: dict[str, Any], chat: dict[str, Any], **rest: Any) -> dict[str, Any]:
    return {"message_id": mid, "from": user, "chat": chat, "date": DATE + mid, **rest}


GODOFREDO_WORDS = "a ponte do Socorro sai em março, pode anotar"


def entity(text: str, covered: str, kind: str, **rest: Any) -> dict[str, Any]:
    """The entity of ``covered`` in ``text`` (BMP characters only: UTF-16 units = indices)."""
    return {"offset": text.index(covered), "length": len(covered), "type": kind, **rest}


def day_of_updates() -> list[dict[str, Any]]:
    """One update of each kind that carries a sender (update ids 900001…), in order."""
    z_chat, b_chat = private(ZULMIRA), private(BARTOLOMEU)
    godo_said = _message(40, GODOFREDO, GROUP, text=GODOFREDO_WORDS)
    mention = "fala com @godo_anh ou com Eulália, ela sabe"
    mentions = [
        entity(mention, "@godo_anh", "mention"),
        entity(mention, "Eulália", "text_mention", user=EULALIA),
    ]
    caption = "olha a Eulália aí"
    reach = "me liga: +55 11 96666-4321 ou escreve para zulmira.quixabeira@example.com"
    bodies: list[dict[str, Any]] = [
        {"message": _message(1, ZULMIRA, z_chat, text="/candidato Mara Bertaiolli",
                             entities=[{"offset": 0, "length": 10, "type": "bot_command"}])},
        {"message": _message(2, ZULMIRA, z_chat, text="quem ganhou em Braz Cubas?")},
        {"message": _message(3, ZULMIRA, z_chat, text="/candidato @godo_anh",
                             entities=[{"offset": 0, "length": 10, "type": "bot_command"},
                                       {"offset": 11, "length": 9, "type": "mention"}])},
        {"message": godo_said},
        {"message": _message(41, ZULMIRA, GROUP, text=mention, entities=mentions)},
        {"message": _message(42, BARTOLOMEU, GROUP, text="discordo totalmente",
                             reply_to_message=godo_said,
                             quote={"text": "ponte do Socorro", "position": 14})},
        {"message": _message(43, ZULMIRA, GROUP, text=GODOFREDO_WORDS,
                             forward_origin={"type": "user", "sender_user": GODOFREDO,
                                             "date": DATE}, forward_date=DATE)},
        {"message": _message(44, BARTOLOMEU, GROUP, text=GODOFREDO_WORDS,
                             forward_from=GODOFREDO, forward_date=DATE)},
        {"message": _message(45, BARTOLOMEU, GROUP, text="repassando sem nome",
                             forward_origin={"type": "hidden_user", "date": DATE,
                                             "sender_user_name": "Godofredo Anhanguera"})},
        {"message": _message(46, ZULMIRA, GROUP, photo=[{"file_id": "AgAD", "file_unique_id":
                             "AQAD", "width": 90, "height": 90}], caption=caption,
                             caption_entities=[entity(caption, "Eulália", "text_mention",
                                                      user=EULALIA)])},
        {"message": _message(47, EULALIA, GROUP, contact={
            "phone_number": LEOCADIA_PHONE, "first_name": "Leocádia", "last_name": "Tamanduá",
            "user_id": 7410000005})},
        {"message": _message(48, ZULMIRA, GROUP, text=reach, entities=[
            entity(reach, "+55 11 96666-4321", "phone_number"),
            entity(reach, "zulmira.quixabeira@example.com", "email")])},
        {"message": _message(49, GODOFREDO, GROUP, new_chat_members=[EULALIA, BARTOLOMEU])},
        {"message": _message(50, GODOFREDO, GROUP, left_chat_member=EULALIA)},
        {"edited_message": {**_message(41, ZULMIRA, GROUP, text=mention + "!",
                                       entities=mentions), "edit_date": DATE + 99}},
        {"channel_post": {"message_id": 7, "chat": {"id": -1009876543210, "type": "channel",
                          "title": "Notícias de Mogi"}, "date": DATE, "text": "boletim",
                          "author_signature": "Godofredo Anhanguera"}},
        {"business_message": {**_message(60, ZULMIRA, private(ZULMIRA), text="oi, loja?"),
                              "business_connection_id": "bc1"}},
        {"edited_business_message": {**_message(60, ZULMIRA, private(ZULMIRA), text="oi loja",
                                     edit_date=DATE + 5), "business_connection_id": "bc1"}},
        {"business_connection": {"id": "bc1", "user": GODOFREDO, "user_chat_id": GODOFREDO["id"],
                                 "date": DATE, "can_reply": True, "is_enabled": True}},
        {"callback_query": {"id": "cb1", "from": BARTOLOMEU, "chat_instance": "ci1",
                            "data": "cand:22", "message": {
                                "message_id": 70, "from": BOT, "chat": b_chat, "date": DATE,
                                "text": "Qual destes?"}}},
        {"inline_query": {"id": "iq1", "from": BARTOLOMEU, "query": "mara", "offset": ""}},
        {"chosen_inline_result": {"result_id": "r1", "from": BARTOLOMEU, "query": "mara"}},
        {"shipping_query": {"id": "sq1", "from": ZULMIRA, "invoice_payload": "p",
                            "shipping_address": {"country_code": "BR", "state": "SP",
                                                 "city": "Mogi das Cruzes",
                                                 "street_line1": "Rua Quixabeira 12",
                                                 "street_line2": "", "post_code": "08700"}}},
        {"pre_checkout_query": {"id": "pc1", "from": ZULMIRA, "currency": "BRL",
                                "total_amount": 500, "invoice_payload": "p", "order_info": {
                                    "name": "Zulmira Quixabeira", "phone_number": "5511955554444",
                                    "email": "zulmira.quixabeira@example.com"}}},
        {"purchased_paid_media": {"from": BARTOLOMEU, "paid_media_payload": "x"}},
        {"poll_answer": {"poll_id": "p1", "user": BARTOLOMEU, "option_ids": [0]}},
        {"my_chat_member": {"chat": b_chat, "from": BARTOLOMEU, "date": DATE,
                            "old_chat_member": {"status": "member", "user": BOT},
                            "new_chat_member": {"status": "kicked", "user": BOT,
                                                "until_date": 0}}},
        {"chat_member": {"chat": GROUP, "from": GODOFREDO, "date": DATE,
                         "old_chat_member": {"status": "member", "user": BARTOLOMEU},
                         "new_chat_member": {"status": "administrator", "user": BARTOLOMEU,
                                             "can_be_edited": False}}},
        {"chat_join_request": {"chat": GROUP, "from": EULALIA, "user_chat_id": EULALIA["id"],
                               "date": DATE, "bio": "moradora do Socorro"}},
        {"message_reaction": {"chat": GROUP, "message_id": 40, "user": BARTOLOMEU, "date": DATE,
                              "old_reaction": [], "new_reaction": [{"type": "emoji",
                                                                    "emoji": "👍"}]}},
    ]  # fmt: skip
    return [{"update_id": 900001 + i, **body} for i, body in enumerate(bodies)]


@dataclasses.dataclass
class People:
    """What identifies people in some updates."""

    ids: set[int] = dataclasses.field(default_factory=set)
    names: set[str] = dataclasses.field(default_factory=set)
    usernames: set[str] = dataclasses.field(default_factory=set)
    phones: set[str] = dataclasses.field(default_factory=set)


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _walk(value: Any, people: People) -> None:
    if isinstance(value, list):
        for item in value:
            _walk(item, people)
        return
    if not isinstance(value, dict):
        return
    is_user = "is_bot" in value and isinstance(value.get("id"), int)
    is_private = value.get("type") == "private"
    if (is_user and not value.get("is_bot")) or is_private:
        people.ids.add(value["id"])
        people.names.update(v for k in ("first_name", "last_name") if (v := value.get(k)))
        if value.get("username"):
            people.usernames.add(value["username"])
    if "phone_number" in value and isinstance(value["phone_number"], str):  # contact, order
        people.phones.add(value["phone_number"])
        people.names.update(v for k in ("first_name", "last_name") if (v := value.get(k)))
        if isinstance(value.get("user_id"), int):
            people.ids.add(value["user_id"])
        if isinstance(value.get("name"), str):
            people.names.update(value["name"].split())
    for key in ("sender_user_name", "author_signature"):
        if isinstance(value.get(key), str):
            people.names.update(value[key].split())
    for key, child in value.items():
        if key != "from" or not (isinstance(child, dict) and child.get("is_bot")):
            _walk(child, people)


def people_in(updates: Iterable[Any]) -> People:
    """Every non-bot user id, first/last name, username and phone number the updates hold."""
    people = People()
    for update in updates:
        _walk(update, people)
    return people


def raw_updates(raw: Path) -> Iterator[Any]:
    """Every JSON object of a raw zone's ``telegram/`` folder."""
    for path in sorted((raw / "telegram").rglob("*.json")):
        yield json.loads(path.read_bytes())


def _values(value: Any) -> Iterator[Any]:
    if isinstance(value, list | tuple):
        for item in value:
            yield from _values(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _values(item)
    else:
        yield value


def enriched_cells(root: Path) -> Iterator[tuple[str, str, Any]]:
    """(file, column, value) for every value of every Parquet file under ``root``."""
    con = duckdb.connect()
    for path in sorted(root.rglob("*.parquet")):
        cursor = con.execute("SELECT * FROM read_parquet(?)", [str(path)])
        columns = [d[0] for d in cursor.description]
        for row in cursor.fetchall():
            for column, cell in zip(columns, row, strict=True):
                for value in _values(cell):
                    yield path.relative_to(root).as_posix(), column, value


FREE_TEXT = frozenset({"text", "query", "matched_text", "data", "chat_title"})
"""Columns of words people typed (a search for candidate "Caio" is not a person named Caio)."""


def _hits(text: str, people: People, *, whole_names: bool) -> list[str]:
    found = [str(i) for i in people.ids if str(i) in text]
    found += [u for u in people.usernames if u.lower() in text.lower()]
    digits = _digits(text)
    found += [p for p in people.phones if len(_digits(p)) >= 8 and _digits(p) in digits]
    if whole_names:
        found += [n for n in people.names if n == text.strip()]
    else:
        found += [n for n in people.names if n in text]
    return found


def _no_names(people: People) -> People:
    return dataclasses.replace(people, names=set())


def leaks(
    root: Path,
    people: People,
    *,
    allowed: frozenset[str] = frozenset(),
    whole_names: bool = False,
) -> list[str]:
    """Where people's ids, names, usernames or phone numbers sit in the enriched zone at
    ``root``; names/usernames/phones in an ``allowed`` column are not counted (ids always are).
    ``whole_names``: a name counts only as a whole value, and not in free-text columns (for
    generated people whose first names are common words and candidates' names)."""
    found = []
    for file, column, value in enriched_cells(root):
        if isinstance(value, int) and not isinstance(value, bool) and value in people.ids:
            found.append(f"{file}:{column} = {value}")
        elif isinstance(value, str):
            id_hits = [str(i) for i in people.ids if str(i) in value]
            names = not (whole_names and column in FREE_TEXT)
            if column in allowed or not names:
                hits = id_hits + (
                    [] if column in allowed else _hits(value, _no_names(people), whole_names=False)
                )
            else:
                hits = _hits(value, people, whole_names=whole_names)
            found += [f"{file}:{column} holds {hit!r}" for hit in hits]
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix != ".parquet"):
        text = path.read_bytes().decode("utf-8", "replace")
        found += [f"{path.name} holds {hit!r}" for hit in _hits(text, people, whole_names=False)]
    return found


def post_all(
    settings: Settings,
    raw: ObjectStore,
    data: CandidateData,
    updates: Iterable[tuple[dt.datetime, dict[str, Any]]],
) -> None:
    """Post each update, at its time, to the real webhook app (the bot on) under uvicorn."""
    secret = settings.webhook_secret.reveal() if settings.webhook_secret else ""
    clock = [dt.datetime.now(dt.UTC)]
    responder = make_responder(
        settings, raw, data, bot_username="MogiEleicoesBot", clock=lambda: clock[0]
    )
    app = create_app(settings, raw, responder=responder, clock=lambda: clock[0])
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret}
    with serve_in_thread(app) as url, httpx2.Client(base_url=url, headers=headers) as client:
        for at, update in updates:
            clock[0] = at
            assert client.post("/webhook", content=json.dumps(update)).status_code == 200
