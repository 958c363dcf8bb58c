"""Conversations' contexts in a DynamoDB table: the webhook Lambda's store, where each update may
land on another instance (a context in one instance's memory would miss most follow-ups).

One item per conversation, and nothing else in it:

    user_key      partition key (S)  the person's pseudonym, never a Telegram id
    conversation  sort key (S)       ``private``, or the group's chat id
    context       (S)                :meth:`tglake.bot.context.Context.to_json`: entity ids and
                                     small enums, never the text of a message
    expires_at    (N)                epoch seconds, :data:`~tglake.bot.context.TTL_SECONDS`
                                     after the last use: the table's TTL attribute

DynamoDB deletes an expired item lazily (within a few days), so :meth:`DynamoContexts.get`
ignores an item whose ``expires_at`` has passed: a context lives 30 minutes, as in memory.
Keying by ``user_key`` first lets ``/esquecer`` and ``tglake forget`` find every conversation
of one person with one Query. Every failure is a :class:`~tglake.errors.StorageUnavailableError`
(the bot then answers without context; ``tglake forget`` stops and says so), and the client
gives up fast: a context is never worth a slow answer.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from typing import Any

from tglake.bot.context import TTL_SECONDS, Context
from tglake.config import Settings, check_context_table
from tglake.errors import ConfigError, StorageUnavailableError

try:
    import boto3
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError as exc:  # pragma: no cover - exercised in the no-extras check
    raise ConfigError("a DynamoDB context table needs boto3: pip install 'tglake[aws]'") from exc

USER_KEY = "user_key"
CONVERSATION = "conversation"
CONTEXT = "context"
EXPIRES_AT = "expires_at"
"""The item's attributes (the SAM template's table names the first two and the last)."""


def make_client(endpoint_url: str | None = None) -> Any:
    """A DynamoDB client that fails within about two seconds (two attempts, short timeouts):
    the Lambda answers in its 10 s even when the table is unreachable."""
    config = Config(
        max_pool_connections=64,
        retries={"max_attempts": 2, "mode": "standard"},
        connect_timeout=1,
        read_timeout=2,
    )
    endpoint = os.environ.get("AWS_ENDPOINT_URL_DYNAMODB") or endpoint_url
    try:
        return boto3.client("dynamodb", endpoint_url=endpoint, config=config)
    except BotoCoreError as exc:  # no region: the Lambda always has one, a shell may not
        raise ConfigError(
            f"cannot open the context table (TGLAKE_CONTEXT_TABLE): {exc} (set AWS_REGION)"
        ) from None


class DynamoContexts:
    """A :class:`~tglake.bot.context.ContextStore` over one DynamoDB table (see the module doc)."""

    def __init__(
        self,
        table: str,
        *,
        client: Any = None,
        endpoint_url: str | None = None,
        ttl: int = TTL_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.table = check_context_table(table)
        self.client = client if client is not None else make_client(endpoint_url)
        self._ttl = ttl
        self._clock = clock

    def _fail(self, exc: Exception, what: str) -> StorageUnavailableError:
        if isinstance(exc, ClientError):
            code = exc.response.get("Error", {}).get("Code", "")
            return StorageUnavailableError(f"cannot {what}: DynamoDB error {code}")
        return StorageUnavailableError(f"cannot {what}: {type(exc).__name__}")

    @staticmethod
    def _key(user_key: str, conversation: str) -> dict[str, Any]:
        return {USER_KEY: {"S": user_key}, CONVERSATION: {"S": conversation}}

    def get(self, user_key: str, conversation: str) -> Context | None:
        """The conversation's context, or None when there is none or it has expired."""
        try:
            found = self.client.get_item(
                TableName=self.table, Key=self._key(user_key, conversation), ConsistentRead=True
            )
        except (ClientError, BotoCoreError) as exc:
            raise self._fail(exc, "read a context") from None
        item = found.get("Item")
        if not item:
            return None
        try:
            expires = float(item[EXPIRES_AT]["N"])
            text = item[CONTEXT]["S"]
        except (KeyError, TypeError, ValueError):
            return None
        if expires <= self._clock():
            return None  # expired, not deleted yet: TTL deletion is lazy
        return Context.from_json(text)

    def put(self, user_key: str, conversation: str, context: Context) -> None:
        item = {
            **self._key(user_key, conversation),
            CONTEXT: {"S": context.to_json()},
            EXPIRES_AT: {"N": str(int(self._clock()) + self._ttl)},
        }
        try:
            self.client.put_item(TableName=self.table, Item=item)
        except (ClientError, BotoCoreError) as exc:
            raise self._fail(exc, "keep a context") from None

    def _conversations(self, user_key: str) -> Iterator[str]:
        """Every conversation of the person held in the table, expired or not (one Query)."""
        request: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "#u = :u",
            "ExpressionAttributeNames": {"#u": USER_KEY, "#c": CONVERSATION},
            "ExpressionAttributeValues": {":u": {"S": user_key}},
            "ProjectionExpression": "#c",
            "ConsistentRead": True,
        }
        while True:
            page = self.client.query(**request)
            for item in page.get("Items", []):
                yield item[CONVERSATION]["S"]
            if "LastEvaluatedKey" not in page:
                return
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def count(self, user_key: str) -> int:
        """How many conversations of the person the table holds (``tglake forget --dry-run``)."""
        try:
            return sum(1 for _ in self._conversations(user_key))
        except (ClientError, BotoCoreError) as exc:
            raise self._fail(exc, "list a person's contexts") from None

    def erase(self, user_key: str) -> int:
        """Delete every conversation of the person, expired ones too; returns how many."""
        try:
            conversations = list(self._conversations(user_key))
            for conversation in conversations:
                self.client.delete_item(TableName=self.table, Key=self._key(user_key, conversation))
        except (ClientError, BotoCoreError) as exc:
            raise self._fail(exc, "erase a person's contexts") from None
        return len(conversations)


def table_contexts(settings: Settings, *, client: Any = None) -> DynamoContexts | None:
    """The table ``TGLAKE_CONTEXT_TABLE`` names, or None when it names none."""
    if settings.context_table is None:
        return None
    return DynamoContexts(
        settings.context_table, client=client, endpoint_url=settings.aws_endpoint_url
    )
