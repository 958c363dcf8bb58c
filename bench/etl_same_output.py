"""Proof that a change to the ETL left its output alone: the same raw day through the ETL of a
git revision (default ``main``) and through the working tree's, file by file, byte for byte.

    python bench/etl_same_output.py                      # 20,000 updates, against main
    python bench/etl_same_output.py --updates 100000 --ref b0afe9d

The day is ``bench/etl.py``'s generated one (redeliveries across midnight, conflicting payloads,
candidate names) plus bodies that take every odd path of parsing and cleaning: lone surrogates
(escaped and as bytes), integers past 64 bits, NaN and Infinity, a byte-order mark, UTF-16,
duplicate keys, deep nesting, bodies that are not JSON or not updates, people-naming entities,
typed ``@usernames``, phone numbers, control characters, decomposed accents. Each side runs in a
child process on the same folder, once in-process and once with worker processes; every file
of the enriched zone (Parquet of every table, rejects, manifest) is compared by its sha256.
Prints one line per side and file that differs and exits 1 on any difference.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DAY = dt.date(2024, 10, 6)
KEY = "bench-pseudonym-key-0123456789abcdef"


def _message(update_id: int, text: str, **extra: object) -> dict[str, object]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": 7,
            "from": {"id": 5_000_123, "is_bot": False, "first_name": "Ana", "language_code": "pt"},
            "chat": {"id": -1001234567890, "title": "Eleições Mogi 2024", "type": "supergroup"},
            "date": 1728190000,
            "text": text,
            **extra,
        },
    }


def odd_bodies(first: int) -> list[bytes]:
    """Bodies for every odd path of parsing and cleaning (see the module doc)."""
    ids = iter(range(first, first + 1000))
    dump = json.dumps
    bodies = [
        dump(_message(next(ids), "Mara Bertaiolli \ud800 vote 22")).encode(),  # escaped surrogate
        dump(
            _message(next(ids), "ok", chat={"id": 1, "type": "group", "title": "\udfff"})
        ).encode(),
        b'{"update_id": %d, "message": {"message_id": 1, "chat": {"id": 2, "type": "group"},'
        b' "date": 1728190000, "text": "bytes \xed\xa0\x80 surrogate Caio Cunha"}}' % next(ids),
        b'{"update_id": %d, "message": {"message_id": 123456789012345678901, "date": 1728190000,'
        b' "chat": {"id": 18446744073709551616, "type": "group"}, "text": "big ints",'
        b' "from": {"id": -9223372036854775809}}}' % next(ids),
        b'{"update_id": %d, "message": {"message_id": 1, "date": NaN, "edit_date": Infinity,'
        b' "chat": {"id": 3, "type": "group"}, "text": "nan and infinity"}}' % next(ids),
        b'{"update_id": %d, "message": {"message_id": 1, "date": 1e400,'
        b' "chat": {"id": 3, "type": "group"}, "text": "huge float"}}' % next(ids),
        b'\xef\xbb\xbf{"update_id": %d, "message": {"message_id": 1, "date": 1728190000,'
        b' "chat": {"id": 4, "type": "group"}, "text": "after a BOM"}}' % next(ids),
        dump(_message(next(ids), "em UTF-16, Mara")).encode("utf-16"),
        b'{"update_id": %d, "message": {"message_id": 1, "text": "first", "date": 1728190000,'
        b' "chat": {"id": 5, "type": "group"}, "text": "second wins"}}' % next(ids),
        b'{"update_id": %d, "poll": ' % next(ids) + b"[" * 3000 + b"]" * 3000 + b"}",
        b'{"update_id": %d, "message": ' % next(ids) + b"[" * 100 + b"]" * 100 + b"}",
        b"not json at all",
        b"[1, 2, 3]",
        b'{"update_id": true, "message": {}}',
        b'{"update_id": "12", "message": {}}',
        b'{"update_id": 99999999999999999999, "message": {}}',
        b'{"update_id": 1.5e3, "message": {}}',
        b'{"update_id": %d, "message": {"text": "trailing"}} x' % next(ids),
        b'{"update_id": %d, "message": {"text": "raw \x01 control"}}' % next(ids),
        b'{"update_id": %d, "message": {"message_id": 1, "chat": {"id": 6, "type": "group"},'
        b' "date": 1728190000.75, "text": "a float date"}}' % next(ids),
        b"",
    ]
    text = "Oi @joaozinho_22, fala com a Mara (11) 98765-4321 ou a@b.com.br sobre o 45"
    entities = [
        {"type": "mention", "offset": 3, "length": 12},
        {"type": "text_mention", "offset": 32, "length": 4, "user": {"id": 9, "first_name": "M"}},
        {"type": "phone_number", "offset": 38, "length": 15},
        {"type": "email", "offset": 57, "length": 11},
        {"type": "bold", "offset": "x", "length": 2},
    ]
    bodies += [
        dump(_message(next(ids), text, entities=entities), ensure_ascii=False).encode(),
        dump(_message(next(ids), "fale com @pessoa ou @Alguem_Aqui vote 45 na urna")).encode(),
        dump(_message(next(ids), "  Jose\u0301 Mara\tBertaiolli\x07\x1f \u200b ")).encode(),
        dump(_message(next(ids), "📣 números 12345 e 22 às 22h, R$ 45, dia 22 de out")).encode(),
        dump(
            _message(
                next(ids),
                "/candidato@MogiBot Caio",
                entities=[{"type": "bot_command", "offset": 0, "length": 18}],
            )
        ).encode(),
        dump(_message(next(ids), "x", caption="ignored", forward_origin={"type": "user"})).encode(),
        dump(
            {
                "update_id": next(ids),
                "callback_query": {
                    "id": "1234567890123456789",
                    "from": {"id": 5},
                    "data": "cand:\ud83d\ude00",
                    "chat_instance": "-1",
                },
            }
        ).encode(),
        dump(
            {
                "update_id": next(ids),
                "message_reaction_count": {
                    "chat": {"id": 8, "type": "group"},
                    "message_id": 3,
                    "date": 1728190000,
                    "reactions": [
                        {"type": {"type": "emoji", "emoji": "🔥"}, "total_count": 2**40},
                        {
                            "type": {"type": "custom_emoji", "custom_emoji_id": "55"},
                            "total_count": 3,
                        },
                        {"type": {"type": "paid"}, "total_count": 1},
                    ],
                },
            }
        ).encode(),
        dump(
            {
                "update_id": next(ids),
                "my_chat_member": {
                    "chat": {"id": 5, "type": "private"},
                    "from": {"id": 5},
                    "date": 1728190000,
                    "old_chat_member": {"status": "member", "user": {"id": 77, "is_bot": True}},
                    "new_chat_member": {"status": "kicked", "user": {"id": 77, "is_bot": True}},
                    "invite_link": {},
                },
            }
        ).encode(),
        dump({"update_id": next(ids), "brand_new_kind": {"x": 1}}).encode(),
        dump(
            {"update_id": next(ids), "guest_message": _message(0, "Mara convidada")["message"]},
            ensure_ascii=False,
        ).encode(),
        dump({"update_id": next(ids)}).encode(),
    ]
    return bodies


def build_day(folder: Path, updates: int) -> None:
    sys.path[:0] = [str(REPO / "src"), str(REPO / "bench")]
    import etl as bench_etl
    from tglake import layout

    objects = bench_etl.generate(updates)
    for index, body in enumerate(odd_bodies(800_000_000)):
        objects[layout.raw_key(DAY, 800_000_000 + index)] = body
    bench_etl.write_local(folder / "raw", objects)


def checkout(ref: str, into: Path) -> Path:
    """The ``src`` folder of ``ref``, exported from git (no worktree, nothing left behind)."""
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", ref, "src"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    into.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "src"


RUN = """
import datetime as dt, os, sys
from tglake import etl
from tglake.config import Settings
from tglake.storage import LocalStore
raw, out, processes = sys.argv[1], sys.argv[2], int(sys.argv[3])
settings = Settings.from_env({"TGLAKE_PSEUDONYM_KEY": %r}, lake=out, raw_uri=raw,
                             enriched_uri=out + "/enriched")
report = etl.run_day(dt.date.fromisoformat(%r), settings=settings, raw=LocalStore(raw),
                     enriched=LocalStore(out + "/enriched"), processes=processes)
print(report.rows, report.duplicates_dropped, report.conflicts_kept, len(report.rejects))
""" % (KEY, DAY.isoformat())  # noqa: UP031 - the script's own text


def run(src: Path, raw: Path, out: Path, processes: int) -> dict[str, str]:
    """sha256 of every file of the enriched zone one ETL run writes."""
    script = out.parent / f"{out.name}.py"
    script.write_text(f"if __name__ == '__main__':\n{_indent(RUN)}")  # spawn re-imports main
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run(
        [sys.executable, str(script), str(raw), str(out), str(processes)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode:
        raise SystemExit(f"ETL run failed ({src}):\n{done.stderr[-3000:]}")
    print(f"  {out.name:<22} {done.stdout.strip()}")
    files = sorted(p for p in (out / "enriched").rglob("*") if p.is_file())
    return {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def _indent(text: str) -> str:
    return "".join(f"    {line}\n" for line in text.strip().splitlines())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ref", default="main", help="git revision to compare with")
    parser.add_argument("--updates", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tglake-same-") as tmp:
        root = Path(tmp)
        build_day(root, args.updates)
        old_src = checkout(args.ref, root / "ref")
        differences = 0
        for processes in (1, 2):
            before = run(old_src, root / "raw", root / f"ref-{processes}proc", processes)
            after = run(REPO / "src", root / "raw", root / f"tree-{processes}proc", processes)
            for name in sorted(set(before) | set(after)):
                if before.get(name) != after.get(name):
                    differences += 1
                    print(f"  DIFFERS ({processes} process(es)): {name}")
            print(
                f"{processes} process(es): {len(after)} files compared, "
                f"{sum(before.get(n) == h for n, h in after.items())} byte-identical to {args.ref}"
            )
    print("same output" if not differences else f"{differences} files differ")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
