"""The cheap test the webhook runs on its event loop: ``wants_reply`` is False only where
``handle`` surely answers nothing, so skipping the bot for those updates changes no answer."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import load_fixture, update_fixture_names
from tglake.bot import commands, search
from tglake.candidates.catalog import CandidateData

TEXTS = [
    "/candidato bertaiolli", "/candidato@MogiEleicoesBot caio", "/candidato@OutroBot caio",
    "/prefeito", "/vereadores pt", "/bairro Jundiapeba", "/desconhecido",
    "/desconhecido@MogiEleicoesBot",
    "Mara Bertaiolli", "quem ganhou em Braz Cubas?", "oi", "bom dia grupo", "vou votar no 45",
    "", "   ", "xyzzy",
]  # fmt: skip
CHATS = [
    {"id": 5550006, "type": "private", "first_name": "Fábio"},
    {"id": -1001234567890, "type": "supergroup", "title": "Eleições Mogi 2024"},
    {"id": -4001, "type": "group", "title": "Amigos"},
]
REPLIED = [
    None,
    {"message_id": 7, "from": {"id": 1, "is_bot": True, "username": "MogiEleicoesBot"}},
    {"message_id": 8, "from": {"id": 2, "is_bot": False, "first_name": "Ana"}},
]


def _update(text: str, chat: dict[str, Any], replied: dict[str, Any] | None) -> dict[str, Any]:
    message: dict[str, Any] = {"message_id": 41, "date": 1727742000, "chat": chat, "text": text}
    if replied is not None:
        message["reply_to_message"] = {**replied, "date": 1727741000, "chat": chat}
    return {"update_id": 1, "message": message}


def _agrees(update: dict[str, Any], data: CandidateData, username: str | None) -> None:
    wants = commands.wants_reply(update, bot_username=username)
    answer = commands.handle(update, data, bot_username=username)
    assert wants == (answer is not None), (update, username, answer)


@pytest.mark.parametrize("username", ["MogiEleicoesBot", None])
def test_wants_reply_agrees_with_handle_on_commands_chatter_and_replies(
    data: CandidateData, username: str | None
) -> None:
    for text, chat, replied in itertools.product(TEXTS, CHATS, REPLIED):
        _agrees(_update(text, chat, replied), data, username)


@pytest.mark.parametrize("name", update_fixture_names())
def test_wants_reply_agrees_with_handle_on_every_update_kind(
    data: CandidateData, name: str
) -> None:
    _agrees(load_fixture(name), data, "MogiEleicoesBot")


def test_group_chatter_is_not_for_the_bot() -> None:
    chatter = _update("alguém viu o debate ontem?", CHATS[1], None)
    assert commands.wants_reply(chatter, bot_username="MogiEleicoesBot") is False


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.text(alphabet="abcdeilmnorstuz", min_size=1, max_size=9), min_size=1, max_size=4)
)
def test_bulk_fuzzy_scores_equal_the_name_by_name_scores(
    data: CandidateData, words: list[str]
) -> None:
    """The bulk scoring is an optimisation: it keeps exactly the candidates, and scores, that
    scoring each name with ``_score`` keeps."""
    query = " ".join(words)
    expected = {
        c.number: score
        for c in data.candidates
        if (score := max(search._score(query, n) for n in search._names(c))) >= search.FUZZY_CUTOFF
    }
    found = {c.number: s for s, c in search._fuzzy_scores(data, query, search.FUZZY_CUTOFF)}
    assert found == expected
