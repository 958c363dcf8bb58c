"""The Bot API's kinds and content fields come from one generated table, and everything reads it.

``src/tglake/botapi_kinds.py`` is derived from the published schema by
``scripts/build_botapi_table.py``; these tests hold the code to it: what Telegram is asked for,
what the ETL flattens or counts, and which content type each message field is.
"""

from __future__ import annotations

import json
import runpy
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import load_fixture
from tglake import botapi_kinds, telegram
from tglake.etl import clean, flatten
from tglake.etl.tables import SPECS
from tglake.pseudonym import Pseudonymizer

SCRIPT = Path(__file__).parent.parent / "scripts" / "build_botapi_table.py"
CTX = flatten.Context(user_key=Pseudonymizer(b"test-key"))


def test_we_ask_telegram_for_every_kind_of_the_table() -> None:
    assert botapi_kinds.BOT_API_VERSION == "Bot API 10.1"
    assert tuple(name for name, _ in botapi_kinds.UPDATE_KINDS) == telegram.ALL_KINDS
    assert len(telegram.ALL_KINDS) == 25
    assert {"guest_message", "managed_bot", "purchased_paid_media"} <= set(telegram.ALL_KINDS)


def test_every_kind_of_the_table_is_flattened_or_deliberately_counted() -> None:
    flattened = flatten.flattened_kinds(tuple(s for s in SPECS if s.source == "telegram"))
    undecided = set(telegram.ALL_KINDS) - flattened - flatten.COUNTED_KINDS
    assert undecided == set(), f"decide what the ETL does with {sorted(undecided)}"
    assert flattened & flatten.COUNTED_KINDS == set()
    assert set(telegram.ALL_KINDS) >= flatten.COUNTED_KINDS


def test_every_update_kind_carrying_a_message_is_a_messages_row() -> None:
    carried = {name for name, kind in botapi_kinds.UPDATE_KINDS if kind == "Message"}
    assert set(telegram.MESSAGE_KINDS) == carried
    assert "guest_message" in carried


@pytest.mark.parametrize("field", [name for name, _ in botapi_kinds.MESSAGE_CONTENT])
def test_every_content_field_of_the_schema_is_a_named_content_type(field: str) -> None:
    message = {"message_id": 1, "date": 1, "chat": {"id": 1, "type": "private"}, field: {"x": 1}}
    assert clean.content_type(message) == field


def test_the_content_types_added_in_bot_api_9_and_10_are_named_and_classed() -> None:
    assert clean.CONTENT_CLASS["gift"] == "service"
    assert clean.CONTENT_CLASS["checklist"] == "content"
    assert clean.CONTENT_CLASS["live_photo"] == "content"
    assert clean.CONTENT_CLASS["suggested_post_paid"] == "service"
    assert clean.CONTENT_CLASS["new_chat_members"] == "service"
    row = flatten.messages(load_fixture("gift_message"), CTX)[0]
    assert row["content_type"] == "gift"


def test_a_live_photo_is_a_live_photo_though_it_carries_a_photo_too() -> None:
    message = {"live_photo": {"file_id": "a"}, "photo": [{"file_id": "b"}], "caption": "x"}
    assert clean.content_type(message) == "live_photo"


def test_a_guest_message_counts_its_caller_but_not_the_chat_the_bot_is_not_in() -> None:
    rows = flatten.messages(load_fixture("guest_message"), CTX)
    assert len(rows) == 1
    row = rows[0]
    assert row["update_type"] == "guest_message"
    assert row["user_key"] == CTX.user_key(5550031)
    assert (row["chat_id"], row["chat_title"], row["message_thread_id"]) == (None, None, None)
    assert row["chat_type"] == "supergroup"
    assert row["text"] == "@pessoa quem ganhou pra prefeito?"  # mentions redacted, as elsewhere


def test_a_managed_bot_update_is_counted_by_its_name() -> None:
    assert telegram.update_kind(load_fixture("managed_bot")) == "managed_bot"
    assert all(spec.extract(load_fixture("managed_bot"), CTX) == [] for spec in SPECS[:4])


def _schema(update: list[tuple[str, str]], message: list[tuple[str, str]]) -> dict[str, Any]:
    def fields(pairs: list[tuple[str, str]]) -> list[dict[str, Any]]:
        return [{"name": n, "types": [n.title()], "description": d} for n, d in pairs]

    return {
        "version": "Bot API 99.0",
        "release_date": "January 1, 2030",
        "types": {"Update": {"fields": fields(update)}, "Message": {"fields": fields(message)}},
    }


def test_the_script_keeps_facts_not_prose_and_classes_each_content_field(tmp_path: Path) -> None:
    script = runpy.run_path(str(SCRIPT))
    schema = _schema(
        [("update_id", "id"), ("message", "Optional. New message"), ("future", "Optional. New")],
        [
            ("message_id", "Unique id"),
            ("from", "Optional. Sender"),
            ("text", "Optional. For text messages, the text"),
            ("entities", "Optional. Entities"),
            ("hologram", "Optional. Message is a hologram"),
            ("caption", "Optional. Caption"),
            ("hologram_ended", "Optional. Service message: the hologram ended"),
            ("pinned_message", "Optional. Specified message was pinned"),
            ("reply_markup", "Optional. Keyboard"),
        ],
    )
    facts = script["derive"](schema)
    assert facts["kinds"] == [("message", "Message"), ("future", "Future")]
    assert facts["content"] == [
        ("text", "content"),
        ("hologram", "content"),
        ("hologram_ended", "service"),
        ("pinned_message", "service"),
    ]
    text = script["render"](facts)
    assert "Bot API 99.0" in text
    assert "Service message" not in text
    assert "hologram ended" not in text
    compile(text, "botapi_kinds.py", "exec")


def test_the_committed_table_is_what_the_script_renders_from_its_own_facts() -> None:
    script = runpy.run_path(str(SCRIPT))
    facts = {
        "version": botapi_kinds.BOT_API_VERSION,
        "date": botapi_kinds.BOT_API_DATE,
        "kinds": list(botapi_kinds.UPDATE_KINDS),
        "content": list(botapi_kinds.MESSAGE_CONTENT),
    }
    assert script["render"](facts) == Path(botapi_kinds.__file__).read_text(encoding="utf-8")


def test_the_script_refuses_a_schema_without_a_message_text(tmp_path: Path) -> None:
    path = tmp_path / "api.json"
    path.write_text(json.dumps(_schema([("message", "x")], [("message_id", "x")])))
    script = runpy.run_path(str(SCRIPT))
    with pytest.raises(SystemExit, match="no field 'text'"):
        script["main"]([str(path), "--check"])
