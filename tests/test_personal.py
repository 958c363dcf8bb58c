"""Where an update names people: its sender, and the text spans Telegram marks as people."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import load_fixture
from tglake import personal


def test_the_sender_of_every_kind_that_has_one() -> None:
    assert personal.sender_id(load_fixture("message_text")) == 5550001
    assert personal.sender_id(load_fixture("callback_query")) is not None
    assert personal.sender_id({"update_id": 1, "poll_answer": {"user": {"id": 7}}}) == 7
    assert personal.sender_id({"update_id": 1, "message_reaction": {"user": {"id": 8}}}) == 8
    assert personal.sender_id(load_fixture("channel_post")) is None  # signed by its channel


def test_spans_are_counted_in_utf16_units_and_entities_follow_the_new_text() -> None:
    # 👍 is two UTF-16 units: the mention starts at unit 6, not at character 5
    text = "oi 👍 @maria_s, liga 11 91234-5678 #mogi"
    entities: list[Any] = [
        {"offset": 6, "length": 8, "type": "mention"},
        {"offset": 21, "length": 13, "type": "phone_number"},
        {"offset": 35, "length": 5, "type": "hashtag"},
    ]
    redacted, moved = personal.redact_spans(text, entities)
    assert redacted == "oi 👍 @pessoa, liga @telefone #mogi"
    units = redacted.encode("utf-16-le")
    covered = [units[2 * e["offset"] : 2 * (e["offset"] + e["length"])].decode("utf-16-le")
               for e in moved]  # fmt: skip
    assert covered == ["@pessoa", "@telefone", "#mogi"]


def test_a_typed_username_without_its_entity_is_replaced_too() -> None:
    assert personal.redact_text("pergunta pro @joao_silva", []) == "pergunta pro @pessoa"
    assert personal.redact_text("escreve a@b.com.br", []) == "escreve a@b.com.br"


def test_a_bot_query_loses_the_spans_of_its_message() -> None:
    update = {
        "update_id": 1,
        "message": {
            "text": "/candidato Eulália",
            "entities": [{"offset": 11, "length": 7, "type": "text_mention", "user": {"id": 9}}],
        },
    }
    assert personal.redact_query("Eulália", update) == "@pessoa"


@settings(deadline=None)  # a loaded CI machine must not fail a test about correctness
@given(
    st.text(max_size=40),
    st.lists(
        st.fixed_dictionaries(
            {
                "offset": st.integers(-3, 50),
                "length": st.integers(-3, 50),
                "type": st.sampled_from(["mention", "text_mention", "bold", "phone_number"]),
            }
        ),
        max_size=5,
    ),
)
def test_redaction_never_raises_on_any_entities_and_keeps_each_one(
    text: str, entities: list[Any]
) -> None:
    redacted, moved = personal.redact_spans(text, entities)
    assert len(moved) == len(entities)
    assert isinstance(redacted, str)


OVERRUN = {
    "update_id": 100000090,
    "message": {
        "message_id": 90,
        "from": {"id": 5550009, "is_bot": False, "first_name": "Ana"},
        "chat": {"id": -1001234567890, "title": "Eleições Mogi 2024", "type": "supergroup"},
        "date": 1727744400,
        "text": "segue o channel ",
        # a client counted the mention past the end of the text: it covers "l " and beyond
        "entities": [{"offset": 14, "length": 9, "type": "mention"}],
    },
}
"""The shape of a real update whose ``mention`` entity runs past the end of its text."""


def test_a_span_that_runs_past_the_end_of_the_text_leaves_the_text_as_it_is() -> None:
    message = OVERRUN["message"]
    assert isinstance(message, dict)
    text, entities = message["text"], message["entities"]
    assert personal.redact_spans(text, entities) == (text, entities)
    assert personal.redact_text(text, entities) == "segue o channel "


def test_a_mention_span_that_covers_no_username_leaves_the_text_as_it_is() -> None:
    # the span lies inside the text but covers "Maria", which no @username is
    text = "fala com a Maria hoje"
    entities: list[Any] = [{"offset": 11, "length": 5, "type": "mention"}]
    assert personal.redact_spans(text, entities) == (text, entities)
    # and an honest mention, a phone and an e-mail in the same text are still replaced
    text = "@maria_s 11 91234-5678 a@b.co"
    entities = [
        {"offset": 0, "length": 8, "type": "mention"},
        {"offset": 9, "length": 13, "type": "phone_number"},
        {"offset": 23, "length": 6, "type": "email"},
        {"offset": 9, "length": 2, "type": "email"},  # "11" is no address: left alone
    ]
    assert personal.redact_spans(text, entities)[0] == "@pessoa @telefone @email"


def test_spans_are_read_in_utf16_units_so_a_mention_after_an_emoji_is_found() -> None:
    # 🗳️ is three UTF-16 units (U+1F5F3 as a pair, then U+FE0F): the mention is at unit 4
    text = "🗳️ @joao_s votou"
    entities: list[Any] = [{"offset": 4, "length": 7, "type": "mention"}]
    assert personal.redact_spans(text, entities)[0] == "🗳️ @pessoa votou"
    # counted in code points (3) it would cover " @joao_" : not a username, so left alone
    assert personal.redact_spans(text, [{**entities[0], "offset": 3}])[0] == text
