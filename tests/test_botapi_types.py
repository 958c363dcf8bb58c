"""The Bot API TypedDicts make mypy check field names and value types, at no run-time cost.

(mypy checks the key of ``d["key"]``; ``d.get("unknown")`` is not an error, it is ``object``.)"""

from __future__ import annotations

from pathlib import Path

from mypy import api

from tests.helpers import load_fixture
from tglake import botapi, telegram

SRC = Path(__file__).resolve().parents[1] / "src"
SNIPPET = """
from tglake.botapi import Message, WebhookInfo

def chat_title(message: Message) -> object:
    return message.get("chat", {}).get("title")

def sender(message: Message) -> object:
    return message.get("from", {}).get("username")

def pending(info: WebhookInfo) -> object:
    return info.get("pending_update_count")

def misspelt(message: Message) -> object:
    return message["chatt"]

def wrong_type(info: WebhookInfo) -> str | None:
    return info.get("pending_update_count")
"""


def test_mypy_refuses_a_misspelt_field_and_accepts_the_real_ones(tmp_path: Path) -> None:
    module = tmp_path / "reader.py"
    module.write_text(SNIPPET, encoding="utf-8")
    config = tmp_path / "mypy.ini"
    config.write_text(f"[mypy]\nstrict = True\nmypy_path = {SRC}\n", encoding="utf-8")
    out, err, status = api.run(
        ["--config-file", str(config), "--no-incremental", "--follow-imports=silent", str(module)]
    )
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert status == 1, out + err
    assert len(errors) == 2, out
    assert f"{module}:14: error:" in errors[0]
    assert '"Message" has no key "chatt"' in errors[0]
    assert f"{module}:17: error:" in errors[1]
    assert '(got "int | None", expected "str | None")' in errors[1]


def test_the_types_are_plain_dicts_at_run_time() -> None:
    update = load_fixture("message_text")
    message = telegram.message_of(update)
    assert type(message) is dict  # no wrapping, no copying: the raw object itself
    assert message is update["message"]
    assert botapi.Message.__required_keys__ == frozenset()  # every field may be absent
