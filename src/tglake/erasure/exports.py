"""One person out of the imported Telegram Desktop exports (``raw/export/``).

An export names people its own way (:mod:`tglake.tdexport`): a sender is ``from_id:
"user<ID>"`` with ``from`` their name, a service message's actor is ``actor_id``/``actor``, a
private chat is ``{"type": "personal_chat", "id": <ID>, "name": …}``, a text names someone
with a ``mention`` part (``@username``) or a ``mention_name`` part (``user_id``), a forward
says ``forwarded_from`` (a name) and an invite lists ``members`` by name. Per export:

* **day slices** (``export/context_date=D/<sha256>.jsonl``, what the ETL reads): the person's
  own lines (their messages, their private chat) go; other lines that name them are rewritten
  as :mod:`tglake.erasure.redact` rewrites an update (``@pessoa``, ``[apagado]``,
  ``[removido]``); a slice left empty is deleted;
* **the original file** (``export/files/<sha256>.json``) is deleted when it holds any of them
  (a slice changed, or its bytes hold their id, @username or name): it is an archive of
  bytes the ETL never reads, and rewriting a file of any size byte for byte is not worth its
  risk; the manifest then says ``original_stored: false``, ``original_erased: true``;
* **the manifest** loses a private chat's id that is theirs, and its counts follow the slices.

Importing the same file again finds its manifest and stores nothing, so nothing comes back.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from typing import Any

from tglake import layout
from tglake.erasure.redact import ERASED, ERASED_NAME, ERASED_TEXT, Person
from tglake.errors import ObjectNotFoundError
from tglake.personal import PLACEHOLDERS
from tglake.storage import ObjectStore
from tglake.tdexport import CHAT_TYPES

PREFIX = f"{layout.EXPORT_SOURCE}/"
MENTION = PLACEHOLDERS["mention"]
_PEER_FIELDS = ("from_id", "actor_id", "forwarded_from_id", "saved_from_id")


def _user(value: Any, person: Person) -> bool:
    """``"user<ID>"`` of the person (the export's way to name a user)."""
    return isinstance(value, str) and value.startswith("user") and value[4:].isdigit() and (
        int(value[4:]) in person.ids
    )  # fmt: skip


def _private_with(chat: Any, person: Person) -> bool:
    return (
        isinstance(chat, dict)
        and CHAT_TYPES.get(str(chat.get("type"))) == "private"
        and chat.get("id") in person.ids
    )


def learn(item: Any, person: Person) -> None:
    """Their names, from the lines that carry their id (sender, actor, their private chat)."""
    if not isinstance(item, dict):
        return
    message, chat = item.get("message"), item.get("chat")
    if isinstance(message, dict):
        for peer, name in (("from_id", "from"), ("actor_id", "actor")):
            if _user(message.get(peer), person) and isinstance(message.get(name), str):
                person.names.add(message[name])
    if _private_with(chat, person) and isinstance(chat, dict) and isinstance(chat.get("name"), str):
        person.names.add(chat["name"])


def is_own(item: Any, person: Person) -> bool:
    """A line of their private chat, or a message they sent or acted in."""
    if not isinstance(item, dict):
        return False
    message = item.get("message")
    if _private_with(item.get("chat"), person):
        return True
    return isinstance(message, dict) and any(
        _user(message.get(k), person) for k in ("from_id", "actor_id")
    )


def _usernames(text: str, person: Person) -> str:
    if not person.usernames:
        return text
    pattern = "|".join(re.escape(u) for u in sorted(person.usernames))
    return re.sub(rf"@(?:{pattern})\b", MENTION, text, flags=re.I)


def _part(part: Any, person: Person) -> Any:
    if isinstance(part, str):
        return _usernames(part, person)
    if not isinstance(part, dict):
        return part
    kind, text = part.get("type"), part.get("text")
    theirs = (kind == "mention_name" and part.get("user_id") in person.ids) or (
        kind == "mention" and isinstance(text, str) and text.lstrip("@").lower() in person.usernames
    )
    if theirs:
        return {"type": kind, "text": MENTION}
    if isinstance(text, str):
        return {**part, "text": _usernames(text, person)}
    return part


def _forwards_them(message: dict[str, Any], person: Person) -> bool:
    return message.get("forwarded_from") in person.names or any(
        _user(message.get(k), person) for k in ("forwarded_from_id", "saved_from_id")
    )


def _nested(value: Any, person: Person) -> Any:
    """Any object inside a message that names them by id (a reaction's ``recent`` sender, a
    contact card) becomes ``{"erased": true}``."""
    if isinstance(value, list):
        return [_nested(v, person) for v in value]
    if not isinstance(value, dict):
        return value
    if any(_user(value.get(k), person) for k in _PEER_FIELDS) or value.get("user_id") in person.ids:
        return dict(ERASED)
    return {k: _nested(v, person) for k, v in value.items()}


def scrub(item: dict[str, Any], person: Person) -> dict[str, Any]:
    """Another person's line with every trace of the erased person replaced."""
    message = item.get("message")
    if not isinstance(message, dict):
        return item
    out = dict(message)
    if _forwards_them(message, person):
        out["text"] = ERASED_TEXT
        out["text_entities"] = [{"type": "plain", "text": ERASED_TEXT}]
    for field in ("text", "text_entities"):
        value = out.get(field)
        if isinstance(value, list):
            out[field] = [_part(p, person) for p in value]
        elif isinstance(value, str):
            out[field] = _usernames(value, person)
    for field in ("forwarded_from", "saved_from", "from", "actor"):
        if out.get(field) in person.names:
            out[field] = ERASED_NAME
    if isinstance(out.get("members"), list):
        out["members"] = [ERASED_NAME if m in person.names else m for m in out["members"]]
    contact = out.get("contact_information")
    if isinstance(contact, dict) and re.sub(r"\D", "", str(contact.get("phone_number"))) in (
        person.phones
    ):
        out["contact_information"] = dict(ERASED)
    out = {k: v if k in ("text", "text_entities") else _nested(v, person) for k, v in out.items()}
    return {**item, "message": out}


def _lines(body: bytes) -> list[tuple[bytes, Any]]:
    parsed = []
    for line in body.splitlines():
        try:
            parsed.append((line, json.loads(line.decode("utf-8", "surrogatepass"))))
        except ValueError:
            parsed.append((line, None))
    return parsed


def slices(raw: ObjectStore) -> list[str]:
    return sorted(k for k in raw.list(PREFIX) if layout.parse_export_slice_key(k) is not None)


def learn_all(raw: ObjectStore, person: Person) -> None:
    for key in slices(raw):
        for _, item in _lines(raw.get(key)):
            learn(item, person)


@dataclasses.dataclass
class ExportPlan:
    deleted: list[str] = dataclasses.field(default_factory=list)
    rewrites: dict[str, bytes] = dataclasses.field(default_factory=dict)
    days: set[dt.date] = dataclasses.field(default_factory=set)
    """Days whose slices changed (to rebuild)."""


def _needles(person: Person) -> re.Pattern[bytes] | None:
    words = [rf"(?<!\d){i}(?!\d)" for i in sorted(person.ids)]
    words += [re.escape(f"@{u}") for u in sorted(person.usernames)]
    words += [re.escape(n) for n in sorted(person.names) if len(n) >= 3]
    return re.compile("|".join(words).encode(), re.I) if words else None


def plan(raw: ObjectStore, person: Person) -> ExportPlan:
    """What the erasure does to ``raw/export/`` (see the module doc); changes nothing."""
    out = ExportPlan()
    counts: dict[str, dict[str, int]] = {}
    changed: set[str] = set()
    for key in slices(raw):
        parsed = layout.parse_export_slice_key(key)
        assert parsed is not None
        day, digest = parsed
        kept: list[bytes] = []
        touched = False
        for line, item in _lines(raw.get(key)):
            if is_own(item, person):
                touched = True
                continue
            if isinstance(item, dict) and (new := scrub(item, person)) != item:
                touched = True
                line = json.dumps(new, ensure_ascii=False).encode("utf-8", "surrogatepass")
            kept.append(line)
        counts.setdefault(digest, {})[day.isoformat()] = len(kept)
        if touched:
            changed.add(digest)
            out.days.add(day)
            if kept:
                out.rewrites[key] = b"".join(line + b"\n" for line in kept)
            else:
                out.deleted.append(key)
    needles = _needles(person)
    for digest in sorted(counts.keys() | _digests(raw)):
        file_key = layout.export_file_key(digest)
        erased_file = False
        if file_key in set(raw.list(file_key)):
            holds = needles is not None and needles.search(raw.get(file_key)) is not None
            if digest in changed or holds:
                out.deleted.append(file_key)
                erased_file = True
        manifest = _manifest(raw, digest, person, counts.get(digest, {}), erased_file)
        if manifest is not None:
            out.rewrites[layout.export_manifest_key(digest)] = manifest
    return out


def _digests(raw: ObjectStore) -> set[str]:
    found = set()
    for key in raw.list(f"{PREFIX}manifests/"):
        name = key.rsplit("/", 1)[1].removesuffix(".json")
        if re.fullmatch(r"[0-9a-f]{64}", name):
            found.add(name)
    return found


def _manifest(
    raw: ObjectStore, digest: str, person: Person, counts: dict[str, int], erased_file: bool
) -> bytes | None:
    """The export's manifest without their private chat's id, its counts after the erasure."""
    try:
        document = json.loads(raw.get(layout.export_manifest_key(digest)))
    except (ObjectNotFoundError, ValueError):
        return None
    new = json.loads(json.dumps(document))
    for chat in new.get("chats", []):
        private = isinstance(chat, dict) and chat.get("chat_type") == "private"
        if private and chat.get("export_id") in person.ids:
            chat["export_id"] = None
    if counts:
        days = {d: n for d, n in sorted({**new.get("days", {}), **counts}.items()) if n}
        new["days"], new["messages_kept"] = days, sum(days.values())
    if erased_file:
        new["original_stored"], new["original_erased"] = False, True
    if new == document:
        return None
    return (json.dumps(new, ensure_ascii=False, indent=1) + "\n").encode()
