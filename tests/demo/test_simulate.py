"""The simulated conversation: deterministic, shaped like Telegram, and realistic enough that
every chart of the report has something to show."""

from __future__ import annotations

import collections
import datetime as dt
import json
from typing import Any

import pytest

from tglake import telegram
from tglake.demo.candidates import Candidate, load_candidates
from tglake.demo.simulate import BRASILIA, Delivery, SimConfig, simulate
from tglake.telegram import parse_update

# real 2024 candidates of Mogi das Cruzes (ballot name and number, TSE results)
CANDIDATES = [
    Candidate(22, "MARA BERTAIOLLI", "Prefeito", "PL", 113271),
    Candidate(20, "CAIO CUNHA", "Prefeito", "PODE", 69065),
    Candidate(13, "RODRIGO VALVERDE", "Prefeito", "PT", 36811),
    Candidate(22222, "MALU FERNANDES", "Vereador", "PL", 5089),
    Candidate(50050, "INÊS PAZ", "Vereador", "PSOL", 3622),
    Candidate(10123, "OSVALDO SILVA", "Vereador", "REPUBLICANOS", 2762),
]
CONFIG = SimConfig(days=7, updates_per_day=1500, seed=7)


@pytest.fixture(scope="module")
def deliveries() -> list[Delivery]:
    return simulate(CANDIDATES, CONFIG)


@pytest.fixture(scope="module")
def firsts(deliveries: list[Delivery]) -> list[tuple[Delivery, dict[str, Any]]]:
    return [(d, json.loads(d.body)) for d in deliveries if not d.redelivery]


def messages(firsts: list[tuple[Delivery, dict[str, Any]]]) -> list[dict[str, Any]]:
    return [u["message"] for _, u in firsts if "message" in u]


def test_the_same_seed_gives_the_same_deliveries_byte_for_byte() -> None:
    config = SimConfig(days=2, updates_per_day=300, seed=11)
    first = [(d.received_at, d.body) for d in simulate(CANDIDATES, config)]
    again = [(d.received_at, d.body) for d in simulate(CANDIDATES, config)]
    other = [(d.received_at, d.body) for d in simulate(CANDIDATES, SimConfig(2, 300, seed=12))]
    assert first == again
    assert first != other


def test_every_body_is_a_valid_update_with_exactly_one_known_kind(
    deliveries: list[Delivery],
) -> None:
    for delivery in deliveries:
        update = parse_update(delivery.body)
        assert update["update_id"] == delivery.update_id
        assert telegram.update_kind(update) == delivery.kind != telegram.UNKNOWN_KIND
        assert len(update) == 2
        assert delivery.received_at.tzinfo is not None


def test_message_dates_never_come_after_their_delivery(
    firsts: list[tuple[Delivery, dict[str, Any]]],
) -> None:
    for delivery, update in firsts:
        message = telegram.message_of(update)
        if message is not None and "date" in message and "callback_query" not in update:
            assert message["date"] <= delivery.received_at.timestamp()
            assert message.get("edit_date", message["date"]) >= message["date"]


def test_update_ids_grow_by_one_in_order_of_first_delivery(
    firsts: list[tuple[Delivery, dict[str, Any]]],
) -> None:
    ids = [d.update_id for d, _ in firsts]
    assert ids == list(range(ids[0], ids[0] + len(ids)))
    times = [d.received_at for d, _ in firsts]
    assert times == sorted(times)


def test_about_two_percent_are_redelivered_byte_identical_and_later(
    deliveries: list[Delivery],
) -> None:
    first_by_id = {d.update_id: d for d in deliveries if not d.redelivery}
    again = [d for d in deliveries if d.redelivery]
    assert 0.01 < len(again) / len(first_by_id) < 0.035
    for delivery in again:
        original = first_by_id[delivery.update_id]
        assert delivery.body == original.body
        assert delivery.received_at > original.received_at == delivery.first_received_at
    assert [d.received_at for d in deliveries] == sorted(d.received_at for d in deliveries)


def test_some_redeliveries_land_after_midnight_in_brasilia(deliveries: list[Delivery]) -> None:
    crossing = [
        d
        for d in deliveries
        if d.first_received_at is not None
        and d.first_received_at.astimezone(BRASILIA).date()
        != d.received_at.astimezone(BRASILIA).date()
    ]
    assert len(crossing) >= CONFIG.days - 1


def test_volume_follows_the_days_and_election_day_is_the_busiest(
    firsts: list[tuple[Delivery, dict[str, Any]]],
) -> None:
    per_day = collections.Counter(d.received_at.astimezone(BRASILIA).date() for d, _ in firsts)
    assert sum(per_day.values()) == pytest.approx(CONFIG.days * CONFIG.updates_per_day, rel=0.01)
    assert set(per_day) == set(CONFIG.day_list)
    assert max(per_day, key=per_day.__getitem__) == dt.date(2024, 10, 6)
    saturday, thursday = dt.date(2024, 10, 5), dt.date(2024, 10, 3)  # calm day, debate day
    assert per_day[saturday] < per_day[dt.date(2024, 10, 1)] < per_day[thursday]


def test_nights_in_brasilia_are_quiet_and_evenings_busy(
    firsts: list[tuple[Delivery, dict[str, Any]]],
) -> None:
    hours = collections.Counter(d.received_at.astimezone(BRASILIA).hour for d, _ in firsts)
    night = sum(hours[h] for h in (2, 3, 4))
    evening = sum(hours[h] for h in (19, 20, 21))
    assert evening > 10 * night > 0


def test_a_few_people_write_most_and_most_write_little(
    firsts: list[tuple[Delivery, dict[str, Any]]],
) -> None:
    per_user = collections.Counter(m["from"]["id"] for m in messages(firsts) if "from" in m)
    counts = sorted(per_user.values(), reverse=True)
    top = counts[: max(1, len(counts) // 20)]
    assert 100 <= len(counts) <= 800
    assert sum(top) > 0.25 * sum(counts)
    assert counts[len(counts) // 2] < counts[0] / 10


def test_the_kinds_of_update_are_in_realistic_proportions(
    firsts: list[tuple[Delivery, dict[str, Any]]],
) -> None:
    kinds = collections.Counter(d.kind for d, _ in firsts)
    total = sum(kinds.values())
    share = {kind: count / total for kind, count in kinds.items()}
    assert share["message"] > 0.7
    assert 0.05 < share["message_reaction"] < 0.15
    assert 0.02 < share["edited_message"] < 0.06
    assert 0.01 < share["callback_query"] < 0.05
    assert 0.01 < share["channel_post"] < 0.04
    assert 0.002 < share["edited_channel_post"] < 0.01
    assert 0.005 < share["chat_member"] < 0.03
    assert kinds["my_chat_member"] == 1


def test_messages_carry_every_content_a_chat_has(
    firsts: list[tuple[Delivery, dict[str, Any]]],
) -> None:
    found = messages(firsts)

    def count(predicate: Any) -> int:
        return sum(1 for m in found if predicate(m))

    total = len(found)
    assert 0.03 < count(lambda m: "photo" in m) / total < 0.09
    assert count(lambda m: "photo" in m and "caption" in m) > 0
    assert 0.02 < count(lambda m: "sticker" in m) / total < 0.08
    assert 0.01 < count(lambda m: "voice" in m) / total < 0.04
    assert 0.02 < count(lambda m: "forward_origin" in m) / total < 0.06
    assert 0.08 < count(lambda m: "reply_to_message" in m) / total < 0.25
    assert count(lambda m: "new_chat_members" in m) > 0
    assert count(lambda m: "left_chat_member" in m) > 0
    assert count(lambda m: m["chat"]["type"] == "private") > 0
    assert count(lambda m: "#" in m.get("text", "")) > 0


def test_people_ask_the_bot_with_each_of_its_commands(
    firsts: list[tuple[Delivery, dict[str, Any]]],
) -> None:
    commands = collections.Counter(
        m["text"].split()[0].split("@")[0]
        for m in messages(firsts)
        if m.get("text", "").startswith("/")
    )
    assert set(commands) == {"/candidato", "/partido", "/prefeito", "/vereadores", "/bairro",
                             "/ajuda"}  # fmt: skip
    assert 0.05 < sum(commands.values()) / len(messages(firsts)) < 0.2


def test_entities_point_at_the_command_and_hashtags_in_utf16_units(
    firsts: list[tuple[Delivery, dict[str, Any]]],
) -> None:
    checked = 0
    for message in messages(firsts):
        text = message.get("text", "")
        units = text.encode("utf-16-le")
        for entity in message.get("entities", []):
            start, length = entity["offset"] * 2, entity["length"] * 2
            piece = units[start : start + length].decode("utf-16-le")
            assert piece.startswith("/" if entity["type"] == "bot_command" else "#")
            checked += 1
    assert checked > 100


def test_the_conversation_is_about_the_real_candidates(
    firsts: list[tuple[Delivery, dict[str, Any]]],
) -> None:
    texts = " ".join(m.get("text", "") + m.get("caption", "") for m in messages(firsts))
    for candidate in CANDIDATES:
        assert candidate.ballot_name.title() in texts
    assert "Braz Cubas" in texts
    assert "Jundiapeba" in texts


def test_button_presses_answer_a_message_the_bot_sent(
    firsts: list[tuple[Delivery, dict[str, Any]]],
) -> None:
    presses = [u["callback_query"] for _, u in firsts if "callback_query" in u]
    assert presses
    for press in presses:
        assert press["message"]["from"]["is_bot"] is True
        buttons = press["message"]["reply_markup"]["inline_keyboard"]
        assert press["data"] in {row[0]["callback_data"] for row in buttons}


def test_the_candidates_are_the_bots_real_2024_ones() -> None:
    candidates = load_candidates()
    offices = collections.Counter(c.office for c in candidates)
    assert offices == {"Prefeito": 5, "Vereador": 380}
    assert Candidate(22, "MARA BERTAIOLLI", "Prefeito", "PL", 113271) in candidates


def test_the_most_voted_are_the_most_talked_about(
    firsts: list[tuple[Delivery, dict[str, Any]]],
) -> None:
    texts = " ".join(m.get("text", "") for m in messages(firsts))
    assert texts.count("Mara Bertaiolli") > texts.count("Rodrigo Valverde") > 0


def test_people_ask_in_their_own_words_and_later_days_bring_new_text(
    firsts: list[tuple[Delivery, dict[str, Any]]],
) -> None:
    from tglake.candidates.text import fold
    from tglake.demo.asking import WAYS

    said = {fold(s) for way in WAYS for s in way.said}
    by_day: dict[dt.date, set[str]] = collections.defaultdict(set)
    retries = 0
    for delivery, update in firsts:
        message = update.get("message") or {}
        if message.get("chat", {}).get("type") != "private" or "text" not in message:
            continue
        text = message["text"]
        if fold(text) in said or fold(text)[:-1] in said:
            by_day[delivery.received_at.astimezone(BRASILIA).date()].add(text)
        retries += text in {way.retry for way in WAYS}
    days = sorted(by_day)
    assert len(days) == CONFIG.days
    assert retries > 0
    first, later = by_day[days[0]], set().union(*(by_day[d] for d in days[3:]))
    assert later - first  # spellings never seen on the first day
    assert {fold(t) for t in later} & {fold(t) for t in first}  # the same ways of writing recur
