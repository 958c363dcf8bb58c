"""Conversation contexts in memory: kept per person and conversation, expired after the TTL,
erased whole by /esquecer, and never more than ids."""

from __future__ import annotations

import dataclasses

from tglake.bot.context import Context, MemoryContexts


def test_a_context_is_kept_per_conversation_and_expires() -> None:
    now = [0.0]
    store = MemoryContexts(ttl=1800, monotonic=lambda: now[0])
    store.put("k1", "private", Context(ask="votes", candidates=(22,)))
    store.put("k1", "-100123", Context(ask="winner", scope=("bairro", "Centro")))
    assert store.get("k1", "private") == Context(ask="votes", candidates=(22,))
    assert store.get("k2", "private") is None
    now[0] = 1799.0
    assert store.get("k1", "-100123") is not None
    now[0] = 1800.0
    assert store.get("k1", "-100123") is None


def test_erase_removes_every_conversation_of_one_person_only() -> None:
    store = MemoryContexts()
    for who, where in (("k1", "private"), ("k1", "-1"), ("k2", "private")):
        store.put(who, where, Context(ask="votes"))
    assert store.erase("k1") == 2
    assert store.get("k1", "-1") is None
    assert store.get("k2", "private") is not None


def test_a_context_holds_only_ids_and_round_trips_through_json() -> None:
    context = Context(ask="position", parties=(22,), office="vereador", position=2,
                      scope=("zone", "0287"))  # fmt: skip
    assert Context.from_json(context.to_json()) == context
    assert set(dataclasses.asdict(context)) == {
        "ask", "candidates", "parties", "office", "scope", "position", "earlier",
        "bot_message_id",
    }  # fmt: skip
    assert Context.from_json("not json") is None
