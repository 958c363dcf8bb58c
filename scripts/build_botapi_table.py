"""Derive tglake's table of Bot API update kinds and message content fields from the schema.

Usage: ``python scripts/build_botapi_table.py api.json [--check]``, where ``api.json`` is the
machine-readable Bot API schema of PaulSonOfLars/telegram-bot-api-spec (its file ``api.json``,
regenerated from https://core.telegram.org/bots/api by that repository's ``scrape.py``). It
writes ``src/tglake/botapi_kinds.py``; ``--check`` only says whether that file is up to date.

Only derived facts are kept, never the schema's prose: the version, the update kinds in the
schema's order with their type, and the Message fields that say what a message *is*, in the
schema's order (which is the content-type precedence: ``animation`` before ``document``,
``live_photo`` before ``photo``, ``venue`` before ``location``, as the Bot API sets both fields
for backward compatibility), each classed as ``content`` or ``service``.

Which Message fields are content: those from ``text`` on (the Bot API lists a message's
metadata first: ids, sender, chat, date, reply and forward information), minus the fields that
only modify a content (:data:`MODIFIERS`). A field is ``service`` when the schema describes it as
a service message, or when it is one of :data:`SERVICE_EVENTS` (chat events the Bot API
describes without that word).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

TARGET = Path(__file__).resolve().parent.parent / "src" / "tglake" / "botapi_kinds.py"
FIRST_CONTENT = "text"
MODIFIERS = frozenset(
    {
        "entities",
        "link_preview_options",
        "suggested_post_info",
        "effect_id",
        "caption",
        "caption_entities",
        "show_caption_above_media",
        "has_media_spoiler",
        "reply_markup",
    }
)
"""Fields after ``text`` that describe how a content is shown, not what the message is."""
SERVICE_EVENTS = frozenset(
    {
        "new_chat_members",
        "left_chat_member",
        "new_chat_title",
        "new_chat_photo",
        "migrate_to_chat_id",
        "migrate_from_chat_id",
        "pinned_message",
        "connected_website",
        "passport_data",
    }
)


def derive(schema: dict[str, Any]) -> dict[str, Any]:
    """The facts tglake keeps, from a parsed ``api.json``."""
    update = schema["types"]["Update"]["fields"]
    kinds = [(f["name"], " | ".join(f["types"])) for f in update if f["name"] != "update_id"]
    fields = schema["types"]["Message"]["fields"]
    names = [f["name"] for f in fields]
    if FIRST_CONTENT not in names:
        raise SystemExit(f"Message has no field {FIRST_CONTENT!r}: the schema changed shape")
    content = []
    for field in fields[names.index(FIRST_CONTENT) :]:
        name = field["name"]
        if name in MODIFIERS:
            continue
        service = "service message" in field["description"].lower() or name in SERVICE_EVENTS
        content.append((name, "service" if service else "content"))
    return {"version": schema["version"], "date": schema["release_date"], "kinds": kinds,
            "content": content}  # fmt: skip


def render(facts: dict[str, Any]) -> str:
    q = json.dumps  # double quotes, as ruff format writes them
    kinds = "\n".join(f"    ({q(name)}, {q(kind)})," for name, kind in facts["kinds"])
    content = "\n".join(f"    ({q(name)}, {q(cls)})," for name, cls in facts["content"])
    return f'''"""The Bot API's update kinds and message content fields: generated, do not edit.

Derived by ``scripts/build_botapi_table.py`` from the machine-readable schema
(PaulSonOfLars/telegram-bot-api-spec, ``api.json``) of {facts["version"]} ({facts["date"]}).
Rerun the script on a newer ``api.json`` when Telegram publishes a new Bot API version;
``tests/test_botapi_kinds.py`` then says what the ETL must decide about the new kinds.
"""

from __future__ import annotations

BOT_API_VERSION = {q(facts["version"])}
BOT_API_DATE = {q(facts["date"])}

UPDATE_KINDS: tuple[tuple[str, str], ...] = (
{kinds}
)
"""Every optional field of ``Update``, in the schema's order, with the type it carries."""

MESSAGE_CONTENT: tuple[tuple[str, str], ...] = (
{content}
)
"""Message fields that say what a message is, in the schema's order (the precedence of
``content_type``), each ``content`` (something sent) or ``service`` (an event of the chat)."""
'''


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("schema", type=Path, help="api.json of telegram-bot-api-spec")
    parser.add_argument("--check", action="store_true", help="only check the file is current")
    args = parser.parse_args(argv)
    text = render(derive(json.loads(args.schema.read_text(encoding="utf-8"))))
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET.name} is out of date: rerun without --check", file=sys.stderr)
            return 1
        print(f"{TARGET.name} is up to date")
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
