"""The table registry: every real update shape → rows with the schema's columns and types."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import load_fixture, update_fixture_names
from tglake import schema, telegram
from tglake.etl import flatten
from tglake.pseudonym import Pseudonymizer

KEY = Pseudonymizer(b"test-key")
CTX = flatten.Context(user_key=KEY)
NAMES = flatten.Context(user_key=KEY, keep_names=True)
SPECS = {spec.name: spec for spec in flatten.TELEGRAM_SPECS}


def rows_of(name: str, ctx: flatten.Context = CTX) -> dict[str, list[dict[str, Any]]]:
    update = load_fixture(name)
    return {spec.name: spec.extract(update, ctx) for spec in flatten.TELEGRAM_SPECS}


def only_row(name: str, table: str, ctx: flatten.Context = CTX) -> dict[str, Any]:
    rows = rows_of(name, ctx)
    assert {t: len(r) for t, r in rows.items() if r} == {table: 1}
    return rows[table][0]


def ts(seconds: int) -> int:
    return seconds * 1000


@pytest.mark.parametrize("name", update_fixture_names())
def test_every_fixture_gives_rows_that_fit_their_schema(name: str) -> None:
    for table, rows in rows_of(name, NAMES).items():
        for row in rows:
            assert set(row) <= set(SPECS[table].schema.names), table
        arrow = pa.Table.from_pylist(
            [{**r, "payload_hash": "0" * 12} for r in rows], schema=SPECS[table].schema
        )
        assert arrow.num_rows == len(rows)


def test_a_group_text_message_with_a_command() -> None:
    row = only_row("message_text", "messages")
    assert row == {
        "update_id": 100000001,
        "update_type": "message",
        "message_id": 11,
        "chat_id": -1001234567890,
        "chat_type": "supergroup",
        "chat_title": "Eleições Mogi 2024",
        "message_thread_id": None,
        "user_key": KEY(5550001),
        "user_is_bot": False,
        "user_language_code": "pt-br",
        "sender_chat_id": None,
        "message_ts": ts(1727740800),
        "edit_ts": None,
        "content_type": "text",
        "text": "/candidato@MogiEleicoesBot Mara Bertaiolli",
        "text_length": 42,
        "command": "/candidato",
        "reply_to_message_id": None,
        "is_forward": False,
        "source": "bot_api",
        "user_first_name": None,
        "user_last_name": None,
        "user_username": None,
        "contact_phone_number": None,
    }


def test_names_are_kept_only_when_asked() -> None:
    row = only_row("message_text", "messages", NAMES)
    assert (row["user_first_name"], row["user_last_name"], row["user_username"]) == (
        "Ana",
        "Souza",
        "anasouza",
    )
    contact = only_row("contact", "messages", NAMES)
    assert contact["contact_phone_number"] == "+5511987654321"
    assert only_row("contact", "messages")["contact_phone_number"] is None


@pytest.mark.parametrize(
    ("name", "update_type", "content_type", "text"),
    [
        ("edited_message", "edited_message", "text", "/candidato Mara"),
        ("channel_post", "channel_post", "text", None),
        ("edited_channel_post", "edited_channel_post", "text", None),
        ("business_message", "business_message", "text", "Qual o número do Rodrigo Valverde?"),
        ("photo_caption", "message", "photo", None),
        ("sticker", "message", "sticker", None),
        ("voice", "message", "voice", None),
        ("document", "message", "document", "Plano de governo completo \u200b"),
        ("location", "message", "location", None),
        ("contact", "message", "contact", None),
        ("new_chat_members", "message", "new_chat_members", None),
        ("left_chat_member", "message", "left_chat_member", None),
        ("poll_message", "message", "poll", None),
        ("forward_origin", "message", "text", None),
        ("forward_legacy", "message", "text", "Alguém sabe onde voto em Jundiapeba?"),
        ("private_message", "message", "text", "quem ganhou em Braz Cubas?"),
    ],
)
def test_every_message_kind_is_one_row(
    name: str, update_type: str, content_type: str, text: str | None
) -> None:
    row = only_row(name, "messages")
    assert (row["update_type"], row["content_type"]) == (update_type, content_type)
    if text is not None:
        assert row["text"] == text
        assert row["text_length"] == len(text)


def test_edits_carry_both_timestamps_and_channel_posts_have_no_user() -> None:
    edit = only_row("edited_channel_post", "messages")
    assert (edit["message_ts"], edit["edit_ts"]) == (ts(1727744400), ts(1727744500))
    assert (edit["user_key"], edit["user_is_bot"], edit["sender_chat_id"]) == (
        None,
        None,
        -1009876543210,
    )


def test_a_command_only_counts_at_the_start_of_the_text_not_in_a_caption() -> None:
    assert only_row("edited_message", "messages")["command"] == "/candidato"
    assert only_row("private_message", "messages")["command"] is None
    assert only_row("photo_caption", "messages")["command"] is None


def test_a_private_chat_id_is_a_user_id_so_it_is_never_kept_even_with_names() -> None:
    assert only_row("private_message", "messages")["chat_id"] is None
    assert only_row("private_message", "messages", NAMES)["chat_id"] is None
    assert only_row("message_text", "messages")["chat_id"] == -1001234567890


def test_replies_and_forwards_old_and_new_style() -> None:
    assert only_row("photo_caption", "messages")["reply_to_message_id"] == 11
    assert only_row("forward_origin", "messages")["is_forward"] is True
    assert only_row("forward_legacy", "messages")["is_forward"] is True
    assert only_row("private_message", "messages")["is_forward"] is False


def test_a_callback_query() -> None:
    row = only_row("callback_query", "callbacks")
    assert row == {
        "update_id": 100000007,
        "callback_query_id": "4382bfdwdsb323b2d9",
        "user_key": KEY(5550001),
        "user_is_bot": False,
        "user_language_code": "pt-br",
        "chat_id": -1001234567890,
        "chat_type": "supergroup",
        "message_id": 14,
        "inline_message_id": None,
        "data": "cand:22",
        "game_short_name": None,
    }


def test_a_reaction_change_and_a_reaction_count() -> None:
    change = only_row("message_reaction", "reactions")
    assert (change["user_key"], change["old_reactions"], change["new_reactions"]) == (
        KEY(5550002),
        [],
        ["👍"],
    )
    counts = rows_of("message_reaction_count")["reactions"]
    assert [(r["new_reactions"], r["total_count"]) for r in counts] == [
        (["👍"], 12),
        (["🔥"], 3),
        (["custom:5368324170671202286"], 1),
    ]
    assert {r["update_type"] for r in counts} == {"message_reaction_count"}


def test_member_updates() -> None:
    row = only_row("chat_member", "member_updates")
    assert (row["old_status"], row["new_status"], row["member_user_key"]) == (
        "left",
        "member",
        KEY(5550004),
    )
    mine = only_row("my_chat_member", "member_updates")
    assert (mine["update_type"], mine["member_is_bot"], mine["actor_user_key"]) == (
        "my_chat_member",
        True,
        KEY(5550001),
    )


@pytest.mark.parametrize("name", ["poll", "unknown_kind"])
def test_kinds_without_a_table_give_no_rows(name: str) -> None:
    assert not any(rows_of(name).values())
    assert telegram.update_kind(load_fixture(name)) not in flatten.flattened_kinds()


def test_timestamps_are_utc_instants() -> None:
    row = only_row("message_text", "messages")
    table = pa.Table.from_pylist([{**row, "payload_hash": "x"}], schema=schema.MESSAGES)
    value = table.column("message_ts")[0].as_py()
    assert value == dt.datetime(2024, 10, 1, 0, 0, tzinfo=dt.UTC)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=25,
)
FIELDS = ["message_id", "chat", "from", "date", "edit_date", "text", "caption", "id", "user",
          "reply_to_message", "old_reaction", "new_reaction", "reactions", "new_chat_member",
          "old_chat_member", "photo", "contact", "sender_chat", "data", "type",
          "status"]  # fmt: skip
payload = st.recursive(
    st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=6),
    lambda children: st.dictionaries(st.sampled_from(FIELDS), children | json_values, max_size=6),
    max_leaves=10,
)
updates = st.builds(
    lambda uid, kind, body, extra: {**extra, "update_id": uid, kind: body},
    st.integers(-(2**63), 2**63 - 1) | st.integers(),
    st.sampled_from([*telegram.ALL_KINDS, "future_kind"]),
    payload | json_values,
    st.dictionaries(st.text(max_size=8), json_values, max_size=3),
)


@settings(max_examples=200, deadline=None)
@given(updates)
def test_flatten_never_raises_and_rows_always_fit_the_schema(update: dict[str, Any]) -> None:
    fits_int64 = -(2**63) <= update["update_id"] < 2**63  # the ETL rejects the others first
    for ctx in (CTX, NAMES):
        for spec in flatten.TELEGRAM_SPECS:
            rows = spec.extract(update, ctx)
            if fits_int64:
                rows = [{**r, "payload_hash": "h"} for r in rows]
                pa.Table.from_pylist(rows, schema=spec.schema)


def test_a_mention_entity_past_the_end_of_the_text_does_not_change_the_stored_text() -> None:
    from tests.test_personal import OVERRUN

    [row] = SPECS["messages"].extract(OVERRUN, CTX)
    assert (row["text"], row["text_length"]) == ("segue o channel", 15)
