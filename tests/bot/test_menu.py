"""The "/" menu and the help text come from one table, and the bot answers every entry."""

from __future__ import annotations

import re

import pytest

from tests.bot.test_commands import ask
from tglake.bot import commands, menu
from tglake.candidates.catalog import CandidateData


@pytest.mark.parametrize("entry", menu.MENU, ids=lambda e: e.name)
def test_every_menu_entry_is_a_command_the_bot_answers(
    data: CandidateData, entry: menu.MenuEntry
) -> None:
    assert entry.name in commands.COMMANDS
    answer = ask(data, f"/{entry.name}")
    assert answer.text
    assert "Não conheço esse comando" not in answer.text


def test_menu_entries_follow_telegrams_rules_and_are_unique() -> None:
    names = [e.name for e in menu.MENU]
    assert len(names) == len(set(names))
    for entry in menu.MENU:
        assert re.fullmatch(r"[a-z0-9_]{1,32}", entry.name)
        assert 3 <= len(entry.description) <= 256


def test_the_help_text_lists_the_menu_with_its_arguments() -> None:
    assert "/candidato &lt;nome ou número&gt; — ficha e votos de um candidato" in commands.HELP
    for entry in menu.MENU:
        if entry.name != "ajuda":
            assert f"/{entry.name}" in commands.HELP
    assert menu.bot_commands()[0] == {
        "command": "candidato",
        "description": "ficha e votos de um candidato",
    }
