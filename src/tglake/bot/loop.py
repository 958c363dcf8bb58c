"""What the lake taught the bot, around :func:`tglake.bot.commands.handle`: approved aliases, and
answers that fit the person asking (their bairro).

:func:`handle` answers in this order: the personal commands (``/meubairro``, ``/meusdados``,
``/esquecer``) and "quem ganhou aqui?"; then an approved alias (the whole query, or the end of a
sentence, matched with :func:`tglake.candidates.aliases.alias_key`); then the plain bot. A card
about one candidate then gains a line with the candidate's votes and rank in the person's bairro.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import logging
import re
import secrets
from collections.abc import Callable, Mapping
from typing import Any

from tglake.bot import commands, search
from tglake.bot.answer import Answer
from tglake.bot.context import PRIVATE, Context, ContextStore, MemoryContexts
from tglake.bot.profile import Profiles
from tglake.candidates.aliases import RELOAD_SECONDS, Alias, AliasBook, AliasTable
from tglake.candidates.catalog import Candidate, CandidateData
from tglake.candidates.text import esc, fmt_int, fold
from tglake.config import Settings
from tglake.errors import ConfigError
from tglake.pseudonym import Pseudonymizer, load_or_create_key
from tglake.storage import ObjectStore

log = logging.getLogger(__name__)

_HERE = re.compile(
    r"\b(?:quem (?:ganhou|venceu|levou)|mais votad[oa]s?)\b.*\b(?:aqui|meu bairro)\b"
)
ALIASED_COMMANDS = frozenset({"candidato", "partido", "bairro", "vereadores"})
PERSONAL_HELP = "\n".join(
    [
        "/meubairro &lt;nome&gt; — guardo seu bairro e mostro os votos de lá nas fichas",
        "/meusdados — o que guardo sobre você · /esquecer — apaga",
    ]
)
NO_KEY = (
    "Não consigo guardar seu bairro neste servidor (falta a chave de pseudônimos). "
    "As outras perguntas funcionam normalmente."
)
PRIVATE_ONLY = "Sobre você, só converso no privado: me chame lá e envie /meubairro &lt;nome&gt;."
ASK_BAIRRO = "Dica: envie /meubairro {bairro} e as fichas passam a mostrar os votos de lá."


@dataclasses.dataclass
class Loop:
    """What the responder needs for the loop: aliases, profiles and the pseudonym function
    (None when the pseudonym key is not available: then nothing personal is stored)."""

    aliases: AliasBook | None = None
    profiles: Profiles | None = None
    user_key: Callable[[int], str] | None = None
    contexts: ContextStore = dataclasses.field(default_factory=MemoryContexts)
    """Conversations' last questions (in memory, or DynamoDB on AWS)."""
    _ephemeral: bytes = dataclasses.field(default_factory=lambda: secrets.token_bytes(32))

    def key_of(self, update: Mapping[str, Any]) -> str | None:
        sender = _sender_id(update)
        return self.user_key(sender) if self.user_key is not None and sender is not None else None

    def conversation_of(self, update: Mapping[str, Any]) -> tuple[str, str] | None:
        """``(user_key, conversation)`` of a message: ``private``, or the group's chat id.
        Without the pseudonym key, an in-process key stands in (contexts are not personal
        data then either, and live only as long as the process)."""
        sender = _sender_id(update)
        message = update.get("message")
        if sender is None or not isinstance(message, dict):
            return None
        found = message.get("chat")
        chat: dict[str, Any] = found if isinstance(found, dict) else {}
        who = self.key_of(update)
        if who is None:
            who = hmac.new(self._ephemeral, str(sender).encode(), hashlib.sha256).hexdigest()
        where = PRIVATE if chat.get("type") == "private" else str(chat.get("id"))
        return who, where


def make_loop(
    settings: Settings,
    reference: ObjectStore,
    *,
    interval: float = RELOAD_SECONDS,
    contexts: ContextStore | None = None,
) -> Loop:
    """The loop of a running bot over the lake's reference zone (``reference/``): aliases
    reloaded every ``interval`` seconds at most; profiles only when the pseudonym key is there
    (the same key as the ETL's, so the bot's ``user_key`` is the lake's)."""
    book = AliasBook(reference, interval=interval)
    book.table()  # read at start: a broken document shows in the log now, not at the 1st miss
    try:
        pseudonymizer = Pseudonymizer(load_or_create_key(settings))
    except (ConfigError, OSError) as exc:
        log.warning("personal answers off: %s", exc)
        return Loop(book, contexts=contexts or MemoryContexts())
    return Loop(book, Profiles(reference), pseudonymizer, contexts or MemoryContexts())


def _sender_id(update: Mapping[str, Any]) -> int | None:
    for kind in ("message", "callback_query"):
        payload = update.get(kind)
        sender = payload.get("from") if isinstance(payload, dict) else None
        user_id = sender.get("id") if isinstance(sender, dict) else None
        if isinstance(user_id, int) and not isinstance(user_id, bool):
            return user_id
    return None


def sender_id(update: Mapping[str, Any]) -> int | None:
    """The Telegram id of who sent a message or pressed a button (for the ETL's user_key)."""
    return _sender_id(update)


def _rank_in_bairro(data: CandidateData, c: Candidate, bairro: str) -> tuple[int, int, int]:
    """(votes there, rank there, candidates of the office with votes there)."""
    race = [o for o in data.candidates if o.office == c.office and o.rank is not None]
    votes = c.by_bairro.get(bairro, 0)
    ahead = sum(1 for o in race if o.by_bairro.get(bairro, 0) > votes)
    with_votes = sum(1 for o in race if o.by_bairro.get(bairro, 0) > 0)
    return votes, ahead + 1, with_votes


def bairro_line(data: CandidateData, c: Candidate, bairro: str) -> str:
    """``📍 Em Jundiapeba: 1.234 votos, 3º lugar entre 250 candidatos a vereador``."""
    votes, rank, counted = _rank_in_bairro(data, c, bairro)
    if votes == 0:
        return f"📍 Em {esc(bairro)} (seu bairro): nenhum voto."
    return (
        f"📍 Em {esc(bairro)} (seu bairro): {fmt_int(votes)} votos, {rank}º lugar entre "
        f"{counted} candidatos a {esc(c.office)} com votos lá."
    )


def _base(message: Mapping[str, Any], command: str, query: str | None) -> Answer:
    chat = message.get("chat") or {}
    private = chat.get("type") == "private"
    return Answer(
        chat_id=int(chat.get("id", 0)),
        text="",
        command=command,
        query=query,
        reply_to_message_id=None if private else message.get("message_id"),
    )


def _personal(
    name: str,
    arg: str,
    message: Mapping[str, Any],
    data: CandidateData,
    loop: Loop,
    who: str | None,
) -> Answer:
    """``/meubairro``, ``/meusdados``, ``/esquecer``; the event records no bairro."""
    base = _base(message, name, None)
    if (message.get("chat") or {}).get("type") != "private":
        return dataclasses.replace(base, text=PRIVATE_ONLY, answered=False)
    if loop.profiles is None or who is None:
        return dataclasses.replace(base, text=NO_KEY, answered=False)
    if name == "meusdados":
        bairro = loop.profiles.get(who)
        text = (
            f"Guardo só o seu bairro: <b>{esc(bairro)}</b>. /esquecer apaga."
            if bairro
            else "Não guardo nada sobre você. (/meubairro &lt;nome&gt; guarda seu bairro.)"
        )
        return dataclasses.replace(base, text=text, matched_kind="perfil")
    if name == "esquecer":
        existed = loop.profiles.erase(who)
        talked = _forget_conversations(loop, who)
        text = (
            "Pronto: esqueci seu bairro" + (" e a nossa conversa." if talked else ".")
            if existed
            else "Pronto: esqueci a nossa conversa."
            if talked
            else "Não havia nada guardado sobre você."
        )
        return dataclasses.replace(base, text=text, matched_kind="perfil")
    if not arg.strip():
        return dataclasses.replace(
            base, text="Diga o nome do bairro: /meubairro Jundiapeba", answered=False
        )
    alias = _aliases(loop).get(arg)
    names = [alias.target] if alias and alias.kind == "bairro" else search.find_bairro(data, arg)
    if len(names) != 1:
        text = (
            "Qual deles? " + ", ".join(f"/meubairro {esc(n)}" for n in names)
            if names
            else "Não encontrei esse bairro. Exemplo: /meubairro Braz Cubas"
        )
        return dataclasses.replace(base, text=text, answered=bool(names))
    loop.profiles.set(who, names[0])
    return dataclasses.replace(
        base,
        text=f"Anotado: seu bairro é <b>{esc(names[0])}</b>. As fichas dos candidatos passam a "
        "mostrar os votos de lá, e «quem ganhou aqui?» funciona. /meusdados mostra o que guardo, "
        "/esquecer apaga.",
        matched_kind="perfil",
    )


def _alias_in(table: AliasTable, text: str) -> Alias | None:
    """The alias the whole text is, or the alias the sentence ends with (longest first)."""
    hit = table.get(text)
    if hit is not None or not table.by_key:
        return hit
    words = fold(text).split()
    for start in range(1, len(words)):
        hit = table.by_key.get(" ".join(words[start:]))
        if hit is not None:
            return hit
    return None


def _aliased(
    alias: Alias, command: str, query: str, message: Mapping[str, Any], data: CandidateData
) -> Answer:
    chat_id = int((message.get("chat") or {}).get("id", 0))
    base = _base(message, command, query)
    reply_to = base.reply_to_message_id
    handler = {"candidate": "candidato", "party": "partido", "bairro": "bairro"}[alias.kind]
    if command == "vereadores" and alias.kind == "party":
        handler = "vereadores"
    answer = commands.COMMANDS[handler](data, alias.target, chat_id, reply_to)
    return dataclasses.replace(answer, command=command, query=query, matched_kind="alias")


OWN_COMMANDS = frozenset({"meubairro", "meusdados", "esquecer"})
"""The loop's own commands, which the plain bot does not know: in a group they get a pointer to
the private chat (see :func:`tglake.bot.commands.wants_reply`'s ``also``)."""


def handle(
    update: Mapping[str, Any],
    data: CandidateData,
    loop: Loop | None = None,
    *,
    bot_username: str | None = None,
) -> Answer | None:
    """The bot's answer with the loop's aliases and the person's bairro (None: not for the bot)."""
    if loop is None:
        return commands.handle(update, data, bot_username=bot_username)
    conversation = loop.conversation_of(update)
    context = _recall(loop, conversation)
    who = loop.key_of(update)
    message = update.get("message")
    text = message.get("text") if isinstance(message, dict) else None
    answer: Answer | None = None
    if isinstance(message, dict) and isinstance(text, str) and text.strip():
        answer = _before(message, text.strip(), data, loop, who, bot_username)
    if answer is None:
        answer = commands.handle(update, data, bot_username=bot_username, context=context)
    if answer is not None and conversation is not None and answer.context is not None:
        _remember(loop, conversation, answer.context)
    return _fit(answer, data, loop, who, message) if answer is not None else None


def _forget_conversations(loop: Loop, who: str) -> int:
    """Every conversation context of the person (``/esquecer``); 0 when none or unreachable."""
    try:
        return loop.contexts.erase(who)
    except Exception as exc:
        log.warning("contexts not erased: %s", type(exc).__name__)
        return 0


def _aliases(loop: Loop) -> AliasTable:
    return loop.aliases.table() if loop.aliases is not None else AliasTable({})


def _recall(loop: Loop, conversation: tuple[str, str] | None) -> Context | None:
    if conversation is None:
        return None
    try:
        return loop.contexts.get(*conversation)
    except Exception as exc:  # a context is a nicety: answer without it
        log.warning("context not read: %s", type(exc).__name__)
        return None


def _remember(loop: Loop, conversation: tuple[str, str], context: Context) -> None:
    try:
        loop.contexts.put(conversation[0], conversation[1], context)
    except Exception as exc:
        log.warning("context not kept: %s", type(exc).__name__)


def _before(
    message: Mapping[str, Any],
    text: str,
    data: CandidateData,
    loop: Loop,
    who: str | None,
    bot_username: str | None,
) -> Answer | None:
    """What the loop answers itself; None leaves the update to the plain bot."""
    chat = message.get("chat")
    private = isinstance(chat, dict) and chat.get("type") == "private"
    command = commands.COMMAND.match(text)
    if command:
        name, addressee, arg = command[1].lower(), command[2], (command[3] or "").strip()
        if addressee and bot_username and addressee.lower() != bot_username.lower():
            return None
        if name in OWN_COMMANDS:
            return _personal(name, arg, message, data, loop, who)
        alias = _aliases(loop).get(arg) if name in ALIASED_COMMANDS and arg else None
        return _aliased(alias, name, arg, message, data) if alias else None
    if not private:
        return None
    if _HERE.search(fold(text)):
        bairro = loop.profiles.get(who) if loop.profiles and who else None
        if bairro is None:
            return None  # «aqui» may be a place the message or the conversation named
        answer = commands.COMMANDS["bairro"](data, bairro, int(message["chat"]["id"]), None)
        return dataclasses.replace(answer, command="texto", query=text[:200])
    alias = _alias_in(_aliases(loop), text[:200])
    return _aliased(alias, "texto", text[:200], message, data) if alias else None


def _fit(
    answer: Answer,
    data: CandidateData,
    loop: Loop,
    who: str | None,
    message: Any,
) -> Answer:
    """Add the person's bairro to a one-candidate card; offer /meubairro after a bairro card."""
    if answer.command in ("start", "ajuda"):
        return dataclasses.replace(answer, text=answer.text + "\n" + PERSONAL_HELP)
    if answer.method != "sendMessage" or answer.buttons or len(answer.matched_ids) != 1:
        return answer
    only = answer.matched_ids[0]
    bairro = loop.profiles.get(who) if loop.profiles is not None and who is not None else None
    if only.isdigit() and bairro is not None:
        candidate = data.by_number.get(int(only))
        if candidate is not None:
            return dataclasses.replace(
                answer, text=answer.text + "\n" + bairro_line(data, candidate, bairro)
            )
    private = isinstance(message, dict) and (message.get("chat") or {}).get("type") == "private"
    if only.startswith("bairro:") and private and loop.profiles and who and bairro is None:
        hint = ASK_BAIRRO.format(bairro=esc(only.removeprefix("bairro:")))
        return dataclasses.replace(answer, text=answer.text + "\n\n" + hint)
    return answer
