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
