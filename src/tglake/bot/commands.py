"""The bot's behaviour, pure: a Telegram update in, a reply (or nothing) out.

``handle(update, data)`` decides whether the update is for the bot (commands anywhere; plain
text in private chats; in groups only commands and replies to the bot), answers in Brazilian
Portuguese, and says what it understood (:class:`Answer` carries the reply and the facts the
bot event records). Turning an :class:`Answer` into a Bot API method is :func:`to_method`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from tglake.bot import cards, limits, render, search
from tglake.bot.answer import Answer, Buttons, to_method, to_methods
from tglake.bot.context import Context
from tglake.bot.linker import ABSENT
from tglake.bot.question import Ask, Limit, Question
from tglake.bot.understand import understand
from tglake.candidates.catalog import CandidateData, Party
from tglake.candidates.text import esc, fold

# Answer, to_method: from .answer
__all__ = ["COMMANDS", "Answer", "handle", "to_method", "to_methods", "wants_reply"]

COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{3,64}))?(?:\s+(.*))?$", re.S)
"""``/name[@bot] [argument]``: Telegram's command syntax (groups: name, addressee, argument)."""
_PARTY_IN_SENTENCE = re.compile(
    r"\b(?:partido|candidat[oa]s? d[oa]|vereador(?:a|es)? d[oa]|prefeit[oa] d[oa])\s+([\w-]+)", re.I
)
"""``quero saber dos candidatos do psd``: a party named after words that announce one (a bare
word is not enough: ``novo``, ``pode`` and ``rede`` are parties and everyday words)."""
_BAIRRO_QUESTION = re.compile(r"\b(?:bairro|em|no|na)\s+([^?!.]{3,60})[?!.]*\s*$", re.I)

HELP = limits.HELP
"""The answer to /ajuda (and to «como funciona?»): :data:`tglake.bot.limits.HELP`."""
PAGE_SIZE = 15
"""Vereadores per page of /vereadores (the next ones behind a button)."""
START = "Olá! 👋 Eu respondo sobre os candidatos de Mogi das Cruzes em 2024.\n\n" + HELP


def _candidate_answer(
    data: CandidateData, query: str, command: str, chat_id: int, reply_to: int | None
) -> Answer:
    base = Answer(
        chat_id=chat_id, text="", command=command, query=query, reply_to_message_id=reply_to
    )
    if not query.strip():
        return replace(
            base,
            text="Diga o nome ou o número: /candidato Mara Bertaiolli ou /candidato 22222",
            answered=False,
        )
    found = search.find_candidates(data, query)
    ids = tuple(str(c.number) for c in found.candidates)
    if found.unique:
        party = data.party_by_number.get(found.unique.number)  # 2 digits: also a party
        return replace(
            base,
            text=cards.candidate_card(data, found.unique),
            matched_kind=found.kind,
            matched_ids=ids,
            buttons=[[(f"Ver o partido {party.sigla} ({party.number})", f"party:{party.number}")]]
            if party
            else None,
        )
    if found.candidates:
        buttons = [[(cards.button_label(c), c.callback)] for c in found.candidates]
        return replace(
            base,
            text=cards.choice_list(found.candidates, query),
            matched_kind=found.kind,
            matched_ids=ids,
            buttons=buttons,
        )
    return replace(
        base,
        text=f"Não encontrei candidato para «{esc(query.strip()[:100])}». Tente outro nome, "
        "o número de urna ou /vereadores para ver a lista.",
        answered=False,
    )


def _party(data: CandidateData, query: str, chat_id: int, reply_to: int | None) -> Answer:
    base = Answer(
        chat_id=chat_id, text="", command="partido", query=query, reply_to_message_id=reply_to
    )
    party = search.find_party(data, query) if query.strip() else None
    absent = next((w for w in fold(query).split() if w in ABSENT), None) if not party else None
    if absent is not None:
        return replace(base, text=limits.refusal(Limit.ABSENT_PARTY, absent), answered=False)
    if party is None:
        siglas = ", ".join(p.sigla for p in data.parties)
        return replace(
            base,
            text=f"Não encontrei esse partido. Partidos na urna: {esc(siglas)}.",
            answered=False,
        )
    return replace(
        base,
        text=cards.party_card(data, party),
        matched_kind="party",
        matched_ids=(f"partido:{party.number}",),
    )


def _council(data: CandidateData, query: str, chat_id: int, reply_to: int | None) -> Answer:
    base = Answer(
        chat_id=chat_id,
        text="",
        command="vereadores",
        query=query or None,
        reply_to_message_id=reply_to,
    )
    party = search.find_party(data, query) if query.strip() else None
    if query.strip() and party is None:
        return replace(
            base, text=f"Não encontrei o partido «{esc(query.strip()[:60])}».", answered=False
        )
    ids = (f"partido:{party.number}",) if party else ()
    text, buttons = _council_page(data, party, 0)
    return replace(
        base,
        text=text,
        matched_kind="party" if party else "list",
        matched_ids=ids,
        buttons=buttons,
    )


def _bairro(
    data: CandidateData, query: str, chat_id: int, reply_to: int | None, command: str = "bairro"
) -> Answer:
    base = Answer(
        chat_id=chat_id, text="", command=command, query=query, reply_to_message_id=reply_to
    )
    names = search.find_bairro(data, query) if query.strip() else []
    if len(names) == 1:
        return replace(
            base,
            text=cards.bairro_card(data, names[0]),
            matched_kind="bairro",
            matched_ids=(f"bairro:{names[0]}",),
        )
    if names:
        text = "Qual bairro? " + ", ".join(esc(n) for n in names)
        index = list(data.bairros.values())
        return replace(
            base,
            text=text,
            matched_kind="bairro",
            answered=True,
            matched_ids=tuple(f"bairro:{n}" for n in names),
            buttons=[[(n, f"bairro:{index.index(n)}")] for n in names],
        )
    return replace(
        base, text="Não encontrei esse bairro. Exemplo: /bairro Braz Cubas", answered=False
    )


def _free_text(
    data: CandidateData,
    text: str,
    chat_id: int,
    reply_to: int | None,
    context: Context | None = None,
    replying: bool = False,
) -> Answer:
    """Plain text: understood as a question (:mod:`tglake.bot.understand`), with the
    conversation's context; a name nobody has gets «você quis dizer…?» when one is close."""
    u = understand(data, text, context, replying=replying)
    q = u.question
    reply = u.reply
    buttons = reply.buttons
    kind = q.ask.value if q is not None else "none"
    if q is not None and q.ask == Ask.LIMIT and q.limit == Limit.UNKNOWN_NAME:
        near = search.find_candidates(data, text)
        if near.candidates:
            shown = near.candidates[:5]
            names = ", ".join(f"{esc(c.ballot_name)} ({c.number})" for c in shown)
            reply = dataclasses.replace(
                reply,
                text=f"Não encontrei «{esc(text[:60])}». Você quis dizer: {names}?",
                ids=tuple(str(c.number) for c in shown),
            )
            buttons = [[(cards.button_label(c), c.callback)] for c in shown]
            kind = "sugestao"
    return Answer(
        chat_id=chat_id,
        text=reply.text,
        command="texto",
        query=text,
        matched_kind=kind,
        matched_ids=reply.ids,
        answered=reply.answered,
        buttons=buttons,
        reply_to_message_id=reply_to,
        context=u.context,
    )


def _eleitos(data: CandidateData, query: str, chat_id: int, reply_to: int | None) -> Answer:
    """``/eleitos [partido]``: the computed Câmara, or one party's seats."""
    party = search.find_party(data, query) if query.strip() else None
    q = Question(Ask.ELECTED, parties=(party.number,) if party else ())
    reply = render.render(data, q)
    return Answer(
        chat_id=chat_id,
        text=reply.text,
        command="eleitos",
        query=query or None,
        matched_kind="party" if party else "eleitos",
        matched_ids=reply.ids,
        reply_to_message_id=reply_to,
    )


Handler = Callable[[CandidateData, str, int, "int | None"], Answer]


def _simple(command: str, text: Callable[[CandidateData], str]) -> Handler:
    def handler(data: CandidateData, query: str, chat_id: int, reply_to: int | None) -> Answer:
        return Answer(
            chat_id=chat_id,
            text=text(data),
            command=command,
            query=query or None,
            reply_to_message_id=reply_to,
        )

    return handler


def _candidato(data: CandidateData, query: str, chat_id: int, reply_to: int | None) -> Answer:
    return _candidate_answer(data, query, "candidato", chat_id, reply_to)


COMMANDS: dict[str, Handler] = {
    "start": _simple("start", lambda _: START),
    "ajuda": _simple("ajuda", lambda _: HELP),
    "help": _simple("ajuda", lambda _: HELP),
    "candidato": _candidato,
    "partido": _party,
    "prefeito": _simple("prefeito", cards.mayor_race),
    "vereadores": _council,
    "bairro": _bairro,
    "perfil": _simple("perfil", cards.profile_card),
    "eleitos": _eleitos,
}


def wants_reply(
    update: Mapping[str, Any],
    *,
    bot_username: str | None = None,
    also: frozenset[str] = frozenset(),
) -> bool:
    """Whether :func:`handle` may answer this update: the cheap part of its decision (no
    search, no card), so a server can keep group chatter off its worker threads. False only
    when ``handle`` is sure to return None. ``also``: commands another layer answers (the
    loop's own), wanted in groups too."""
    if isinstance(update.get("callback_query"), dict):
        return True
    message = update.get("message")
    if not isinstance(message, dict):
        return False
    chat = message.get("chat")
    text = message.get("text")
    if not isinstance(chat, dict) or not isinstance(chat.get("id"), int):
        return False  # a malformed shape: stored, never answered
    if not isinstance(text, str) or not text.strip():
        return False
    private = chat.get("type") == "private"
    command = COMMAND.match(text.strip())
    if command:
        addressee = command[2]
        if addressee and bot_username and addressee.lower() != bot_username.lower():
            return False
        name = command[1].lower()
        return private or bool(addressee) or name in COMMANDS or name in also
    addressed = _addressed(text, bot_username) is not None
    return private or addressed or _replies_to_bot(message, bot_username)


TEXT_MAX = 1000
"""Characters of a message the bot reads (a long voice-to-text question fits)."""


def handle(
    update: Mapping[str, Any],
    data: CandidateData,
    *,
    bot_username: str | None = None,
    context: Context | None = None,
) -> Answer | None:
    """The bot's answer to one update, or None when the update is not for the bot.
    ``context``: the conversation's last question (:mod:`tglake.bot.context`); the answer
    carries the context to keep (:attr:`Answer.context`)."""
    callback = update.get("callback_query")
    if isinstance(callback, dict):
        return _callback(callback, data)
    message = update.get("message")
    if not isinstance(message, dict):
        return None  # edits, channel posts, reactions…: stored, never answered
    chat = message.get("chat")
    chat_id = chat.get("id") if isinstance(chat, dict) else None
    text = message.get("text")
    if not isinstance(chat_id, int) or not isinstance(text, str) or not text.strip():
        return None
    private = isinstance(chat, dict) and chat.get("type") == "private"
    reply_to = None if private else message.get("message_id")
    command = COMMAND.match(text.strip())
    if command:
        name, addressee, query = command[1].lower(), command[2], command[3] or ""
        if addressee and bot_username and addressee.lower() != bot_username.lower():
            return None  # a command for another bot in the same group
        handler = COMMANDS.get(name)
        if handler is None:
            if not private and not addressee:
                return None
            return Answer(
                chat_id=chat_id,
                text="Não conheço esse comando.\n\n" + HELP,
                command=name,
                answered=False,
                reply_to_message_id=reply_to,
            )
        return handler(data, query.strip(), chat_id, reply_to)
    addressed = _addressed(text, bot_username)
    replying = _replies_to_bot(message, bot_username)
    if private or addressed is not None or replying:
        query = (addressed or text).strip()[:TEXT_MAX]
        return _free_text(data, query, chat_id, reply_to, context, replying)
    return None


def _addressed(text: str, bot_username: str | None) -> str | None:
    """The text without ``@bot`` when a group message names the bot, else None."""
    if not bot_username:
        return None
    mention = re.compile(rf"@{re.escape(bot_username)}\b[,:]?", re.I)
    if not mention.search(text):
        return None
    return mention.sub(" ", text).strip() or "ajuda"


def _replies_to_bot(message: Mapping[str, Any], bot_username: str | None) -> bool:
    replied = message.get("reply_to_message")
    sender = replied.get("from") if isinstance(replied, dict) else None
    if not isinstance(sender, dict) or not sender.get("is_bot"):
        return False
    return bot_username is None or str(sender.get("username", "")).lower() == bot_username.lower()


def _callback(callback: Mapping[str, Any], data: CandidateData) -> Answer | None:
    """A button press: ``cand:<number>`` a candidate's card, ``party:<number>`` a party's,
    ``bairro:<index>`` a bairro's, ``page:<party number or 0>:<page>`` a page of /vereadores.
    The card comes with an ``answerCallbackQuery`` so the button stops spinning."""
    message = callback.get("message")
    chat = message.get("chat") if isinstance(message, dict) else None
    chat_id = chat.get("id") if isinstance(chat, dict) else None
    payload = str(callback.get("data") or "")
    callback_id = str(callback.get("id", ""))
    kind, _, rest = payload.partition(":")
    text: str | None = None
    ids: tuple[str, ...] = ()
    buttons: Buttons | None = None
    if kind == "cand" and rest.isdigit() and int(rest) in data.by_number:
        candidate = data.by_number[int(rest)]
        text, ids = cards.candidate_card(data, candidate), (str(candidate.number),)
    elif kind == "party" and rest.isdigit() and int(rest) in data.party_by_number:
        party = data.party_by_number[int(rest)]
        text, ids = cards.party_card(data, party), (f"partido:{party.number}",)
    elif kind == "bairro" and rest.isdigit() and int(rest) < len(data.bairros):
        name = list(data.bairros.values())[int(rest)]
        text, ids = cards.bairro_card(data, name), (f"bairro:{name}",)
    elif kind == "page" and re.fullmatch(r"\d{1,2}:\d{1,3}", rest):
        number, page = (int(x) for x in rest.split(":"))
        party_or_none = data.party_by_number.get(number)
        if number == 0 or party_or_none is not None:
            text, buttons = _council_page(data, party_or_none, page)
            ids = (f"partido:{number}",) if party_or_none else ()
    if text is None or not isinstance(chat_id, int):
        return Answer(
            chat_id=chat_id if isinstance(chat_id, int) else 0,
            text="Essa opção não vale mais. Faça a busca de novo.",
            command="callback",
            query=payload[:64],
            answered=False,
            method="answerCallbackQuery",
            callback_query_id=callback_id,
        )
    return Answer(
        chat_id=chat_id,
        text=text,
        command="callback",
        query=payload,
        matched_kind="button",
        matched_ids=ids,
        buttons=buttons,
        callback_query_id=callback_id,
    )


def _council_page(
    data: CandidateData, party: Party | None, page: int
) -> tuple[str, Buttons | None]:
    """One page of the most voted vereadores, with buttons to the pages around it."""
    pool = data.in_race("vereador", party)
    pages = max(1, -(-len(pool) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    text = cards.council_list(data, party, limit=PAGE_SIZE, offset=page * PAGE_SIZE)
    key = party.number if party else 0
    row = []
    if page > 0:
        row.append(("◀️ anteriores", f"page:{key}:{page - 1}"))
    if page < pages - 1:
        row.append((f"próximos ▶️ ({page + 2}/{pages})", f"page:{key}:{page + 1}"))
    return text, [row] if row else None
