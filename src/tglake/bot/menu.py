"""The bot's commands as shown to people: the one table behind the help text and the "/" menu.

``/ajuda`` lists :data:`MENU` and ``tglake webhook set`` / ``tglake poll`` send the same entries
to Telegram with ``setMyCommands`` (:func:`bot_commands`), so what the menu offers and what the
bot answers cannot disagree; a test checks that every entry has a handler in
:data:`tglake.bot.commands.COMMANDS`.
"""

from __future__ import annotations

import dataclasses
import html

from tglake.botapi import BotCommand


@dataclasses.dataclass(frozen=True)
class MenuEntry:
    name: str
    """The command without the slash: 1-32 of a-z, 0-9 and _ (Telegram's rule)."""
    description: str
    """What it does, in Portuguese: the menu's line (3-256 characters)."""
    args: str = ""
    """How to call it, for the help text only (the menu shows no arguments)."""


MENU: tuple[MenuEntry, ...] = (
    MenuEntry("candidato", "ficha e votos de um candidato", "<nome ou número>"),
    MenuEntry("partido", "candidatos e votos de um partido", "<sigla ou número>"),
    MenuEntry("prefeito", "resultado para prefeito"),
    MenuEntry("vereadores", "vereadores mais votados", "[partido]"),
    MenuEntry("bairro", "quem teve mais votos em um bairro", "<nome>"),
    MenuEntry("eleitos", "a Câmara eleita (calculada dos votos pelo método da lei)", "[partido]"),
    MenuEntry("perfil", "o que os dados dizem sobre o perfil das candidaturas"),
    MenuEntry("ajuda", "o que este bot sabe responder"),
)


def help_lines() -> list[str]:
    """One HTML line per command for ``/ajuda`` (the help itself is not listed in it)."""
    return [
        f"/{e.name}{' ' + html.escape(e.args, quote=False) if e.args else ''} — {e.description}"
        for e in MENU
        if e.name != "ajuda"
    ]


def bot_commands() -> list[BotCommand]:
    """``setMyCommands``'s ``commands``: a list of BotCommand objects, in menu order."""
    return [{"command": e.name, "description": e.description} for e in MENU]
