"""Conversations' contexts in DynamoDB (moto's server over HTTP, the table the template defines):
kept per person and conversation for 30 minutes after the last use, expired ones ignored before
DynamoDB deletes them, erased whole; through the real webhook Lambda a follow-up on a fresh cold
start is answered from the context the previous invocation stored, the table holds no text, and
a table that cannot be reached costs the context, never the answer or the update."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.adapters.lambda_chat import GROUP, KEY, LambdaChat
from tests.bot.test_understand import Figures, brl
from tests.helpers import free_port
from tglake.adapters.dynamo_contexts import (
    CONTEXT,
    CONVERSATION,
    EXPIRES_AT,
    USER_KEY,
    DynamoContexts,
)
from tglake.adapters.running_bot import open_contexts
from tglake.bot.context import TTL_SECONDS, Context, MemoryContexts
from tglake.candidates.catalog import BUNDLED, read_document
from tglake.config import Settings
from tglake.errors import ConfigError, StorageUnavailableError
from tglake.pseudonym import Pseudonymizer

IRACEMA, JOAQUIM = 5550101, 5550202
BAIRRO = "Jundiapeba"


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def scan(client: Any, table: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = client.scan(TableName=table, ConsistentRead=True)["Items"]
    return items


def shown(reply: dict[str, Any]) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", str(reply.get("text", ""))))


@pytest.fixture(scope="module")
def figures() -> Figures:
    """Figures summed from the document the Lambda answers from (the bundled one)."""
    return Figures(read_document(BUNDLED))


# ------------------------------------------------------------------ the store


def test_a_context_is_kept_per_person_and_conversation(context_table: tuple[str, Any]) -> None:
    # GIVEN two conversations of one person and one of another
    name, client = context_table
    store = DynamoContexts(name, client=client)
    mine = Context(ask="votes", candidates=(50050,), scope=("bairro", BAIRRO))
    store.put("k1", "private", mine)
    store.put("k1", str(GROUP), Context(ask="winner", office="prefeito"))
    # WHEN each is read back, THEN each is its own, and a stranger has none
    assert store.get("k1", "private") == mine
    assert store.get("k1", str(GROUP)) == Context(ask="winner", office="prefeito")
    assert store.get("k2", "private") is None
    # AND the same interface as memory: what the bot's loop relies on
    memory = MemoryContexts()
    memory.put("k1", "private", mine)
    assert memory.get("k1", "private") == store.get("k1", "private")


def test_a_context_expires_30_minutes_after_its_last_use_even_before_dynamodb_deletes_it(
    context_table: tuple[str, Any],
) -> None:
    # GIVEN a context kept at t, used again at t + 1000 s
    name, client = context_table
    clock = Clock(1_728_241_200.0)
    store = DynamoContexts(name, client=client, clock=clock)
    store.put("k1", "private", Context(ask="votes", candidates=(22,)))
    clock.now += 1000
    store.put("k1", "private", Context(ask="party", candidates=(22,)))
    # THEN its TTL attribute is 30 minutes after the last use, in epoch seconds
    (item,) = scan(client, name)
    assert int(item[EXPIRES_AT]["N"]) == int(clock.now) + TTL_SECONDS
    # WHEN a second before it expires, THEN it is read; at the second it expires, it is not,
    # though the item is still in the table (moto, like DynamoDB, deletes expired items lazily)
    clock.now += TTL_SECONDS - 1
    assert store.get("k1", "private") == Context(ask="party", candidates=(22,))
    clock.now += 1
    assert store.get("k1", "private") is None
    assert len(scan(client, name)) == 1


def test_erase_removes_every_conversation_of_one_person_expired_or_not(
    context_table: tuple[str, Any],
) -> None:
    # GIVEN one person in three conversations (one expired, not deleted yet), another in one
    name, client = context_table
    clock = Clock(1_728_241_200.0)
    store = DynamoContexts(name, client=client, clock=clock)
    store.put("k1", "-100777", Context(ask="votes"))
    clock.now += TTL_SECONDS + 60
    store.put("k1", "private", Context(ask="votes"))
    store.put("k1", str(GROUP), Context(ask="winner"))
    store.put("k2", "private", Context(ask="votes"))
    # WHEN counted, then erased
    assert store.count("k1") == 3
    assert store.erase("k1") == 3
    # THEN none of theirs is left, the other person's is untouched, and a second erase finds 0
    assert [item[USER_KEY]["S"] for item in scan(client, name)] == ["k2"]
    assert store.get("k2", "private") == Context(ask="votes")
    assert store.erase("k1") == 0


def test_an_item_of_another_shape_reads_as_no_context(context_table: tuple[str, Any]) -> None:
    name, client = context_table
    key = {USER_KEY: {"S": "k1"}, CONVERSATION: {"S": "private"}}
    client.put_item(TableName=name, Item={**key, EXPIRES_AT: {"N": "9999999999"}})
    assert DynamoContexts(name, client=client).get("k1", "private") is None
    client.put_item(
        TableName=name, Item={**key, EXPIRES_AT: {"N": "9999999999"}, CONTEXT: {"S": "[1]"}}
    )
    assert DynamoContexts(name, client=client).get("k1", "private") is None


def test_an_unreachable_table_is_a_storage_error_that_names_the_operation() -> None:
    # GIVEN a table on an endpoint where nothing listens
    import boto3

    client = boto3.client(
        "dynamodb",
        endpoint_url=f"http://127.0.0.1:{free_port()}",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    store = DynamoContexts("tglake-contexts", client=client)
    # WHEN each operation runs, THEN each raises the transient storage error, in one line
    for call, what in (
        (lambda: store.get("k1", "private"), "read a context"),
        (lambda: store.put("k1", "private", Context()), "keep a context"),
        (lambda: store.erase("k1"), "erase a person's contexts"),
    ):
        with pytest.raises(StorageUnavailableError, match=f"cannot {what}: ") as caught:
            call()
        assert "\n" not in str(caught.value)


def test_the_setting_names_the_table_and_open_contexts_picks_the_store(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # GIVEN no table, THEN memory (serve, poll, the demo); GIVEN one, THEN DynamoDB
    assert isinstance(open_contexts(Settings.from_env({})), MemoryContexts)
    settings = Settings.from_env({"TGLAKE_CONTEXT_TABLE": " tglake-Contexts_1.a "})
    assert settings.context_table == "tglake-Contexts_1.a"
    # (a shell without an AWS region is told what to set, not shown a traceback)
    with pytest.raises(ConfigError, match=r"cannot open the context table .* AWS_REGION"):
        open_contexts(settings)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "sa-east-1")
    chosen = open_contexts(settings)
    assert isinstance(chosen, DynamoContexts)
    assert chosen.table == "tglake-Contexts_1.a"
    # AND a name DynamoDB would refuse is refused at start, saying what a name may hold
    for bad in ("ab", "contexts/prod", "x" * 256):
        with pytest.raises(ConfigError, match="TGLAKE_CONTEXT_TABLE must be a DynamoDB table"):
            Settings.from_env({"TGLAKE_CONTEXT_TABLE": bad})


# ------------------------------------------------------------------ through the webhook Lambda


def test_a_follow_up_on_a_fresh_cold_start_is_answered_from_the_context_in_dynamodb(
    context_table: tuple[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    figures: Figures,
) -> None:
    (first, v1), (second, v2) = figures.ranking("prefeito", "bairro", BAIRRO)[:2]
    # GIVEN the Lambda with the context table, every update on a new cold start
    name, client = context_table
    chat = LambdaChat(monkeypatch, tmp_path / "lake", name)
    # WHEN Iracema asks who won in a bairro, and then «e o segundo?»
    status, won = chat.say(IRACEMA, "oi, bom dia! quem ganhou no jundiapeba?")
    assert status == 200
    assert figures.candidates[first]["nome_urna"] in shown(won)
    assert brl(v1) in shown(won)
    (kept,) = scan(client, name)  # the first invocation left its context in the table
    assert Context.from_json(kept[CONTEXT]["S"]).scope == ("bairro", BAIRRO)  # type: ignore[union-attr]
    status, then = chat.say(IRACEMA, "e o segundo?")
    # THEN the second answer is the second place in that bairro: the place came from the table
    assert status == 200
    assert figures.candidates[second]["nome_urna"] in shown(then)
    assert brl(v2) in shown(then)
    assert BAIRRO in shown(then)
    # AND without the table (memory, lost with each cold start) the same follow-up has no bairro
    monkeypatch.delenv("TGLAKE_CONTEXT_TABLE")
    chat.say(JOAQUIM, "quem ganhou no jundiapeba?")
    alone = shown(chat.say(JOAQUIM, "e o segundo?")[1])
    assert BAIRRO not in alone
    assert brl(v2) not in alone


def test_the_table_holds_only_pseudonyms_entity_ids_and_expiry_never_text(
    context_table: tuple[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN Iracema's questions in private and in a group, through the Lambda
    name, client = context_table
    chat = LambdaChat(monkeypatch, tmp_path / "lake", name)
    private_text = "oi, bom dia! quantos votos teve a ines paz no jundiapeba?"
    group_text = "quem ganhou no centro?"
    assert chat.say(IRACEMA, private_text)[0] == 200
    assert chat.say(IRACEMA, group_text, group=True)[0] == 200
    # WHEN the whole table is scanned
    items = scan(client, name)
    # THEN one item per conversation, keyed by her user_key (the lake's), never her id
    user_key = Pseudonymizer(KEY.encode())(IRACEMA)
    assert sorted((i[USER_KEY]["S"], i[CONVERSATION]["S"]) for i in items) == sorted(
        [(user_key, "private"), (user_key, str(GROUP))]
    )
    # AND nothing but the four attributes, the context being entity ids and enums
    dump = json.dumps(items, ensure_ascii=False)
    for item in items:
        assert set(item) == {USER_KEY, CONVERSATION, CONTEXT, EXPIRES_AT}
        stored = item[CONTEXT]["S"]
        context = Context.from_json(stored)  # None for anything but a context
        assert (context.to_json() if context else None) == stored
    # AND no word she wrote but the names of what she asked about, nor her id or name
    entity_names = {"ines", "paz", "jundiapeba", "centro"}
    words = set(re.findall(r"\w+", f"{private_text} {group_text}".lower())) - entity_names
    lowered = dump.lower()
    assert [w for w in words if len(w) > 2 and re.search(rf"\b{w}\b", lowered)] == []
    assert str(IRACEMA) not in dump
    assert "Iracema" not in dump


def test_esquecer_erases_the_persons_contexts_in_dynamodb(
    context_table: tuple[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN Iracema's context in private and in a group, and Joaquim's
    name, client = context_table
    chat = LambdaChat(monkeypatch, tmp_path / "lake", name)
    chat.say(IRACEMA, "quem ganhou no jundiapeba?")
    chat.say(IRACEMA, "quem ganhou no centro?", group=True)
    chat.say(JOAQUIM, "quem ganhou no centro?")
    # WHEN she sends /esquecer in private
    status, reply = chat.say(IRACEMA, "/esquecer")
    # THEN the bot says it forgot the conversation, and only Joaquim's context is left
    assert status == 200
    assert shown(reply) == "Pronto: esqueci a nossa conversa."
    joaquim = Pseudonymizer(KEY.encode())(JOAQUIM)
    assert [item[USER_KEY]["S"] for item in scan(client, name)] == [joaquim]
    # AND her follow-up no longer has a bairro to lean on
    assert BAIRRO not in shown(chat.say(IRACEMA, "e o segundo?")[1])


def test_an_unreachable_table_costs_the_context_never_the_answer_or_the_update(
    context_table: tuple[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # GIVEN the Lambda whose context table's endpoint is down (S3 and the rest unaffected)
    name, _ = context_table
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", f"http://127.0.0.1:{free_port()}")
    chat = LambdaChat(monkeypatch, tmp_path / "lake", name)
    # WHEN Iracema asks a question and then a follow-up
    answers = [chat.say(IRACEMA, text) for text in ("quem ganhou no jundiapeba?", "e o segundo?")]
    # THEN both are answered with a message (200, never a 500), and both updates are stored
    assert [status for status, _ in answers] == [200, 200]
    assert all(reply.get("method") == "sendMessage" and reply["text"] for _, reply in answers)
    assert BAIRRO in shown(answers[0][1])
    assert len(chat.stored_update_ids()) == 2
    # AND the follow-up was answered without context, the log saying why (no secret, no text)
    assert BAIRRO not in shown(answers[1][1])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    logged = [line["message"] for line in lines if line.get("logger") == "tglake.bot.loop"]
    assert logged == ["context not read: StorageUnavailableError",
                      "context not kept: StorageUnavailableError"] * 2  # fmt: skip
