"""How fast the bot answers and how fast mentions are found (prints numbers; no pass/fail).

Run: ``.venv/bin/python bench/bot.py [rounds]``. Pure code, no HTTP: the latency a bot event
records is this time plus writing the event.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from tglake.bot import commands, parse, render
from tglake.candidates import catalog as candidates
from tglake.candidates import mentions

QUERIES = [
    "/candidato Mara Bertaiolli", "/candidato bertaioli", "/candidato caio", "/candidato 22222",
    "/prefeito", "/vereadores", "/vereadores pt", "/partido psol", "/bairro braz cubas",
    "/perfil", "inês paz", "quem ganhou em Jundiapeba?", "xyzzy",
]  # fmt: skip
SAMPLE = Path(__file__).parents[1] / "tests" / "fixtures" / "mentions" / "labelled.jsonl"
QUESTIONS = Path(__file__).parents[1] / "tests" / "fixtures" / "questions"


def parse_times(data: candidates.CandidateData) -> None:
    """Parse (link + rules + resolve) and evaluate + render, per message of the development
    question sets: the first pass (each message new to the caches) and a repeated one."""
    texts = [
        turn["text"]
        for path in sorted(QUESTIONS.glob("*-dev.jsonl"))
        for line in path.read_text("utf-8").splitlines()
        if line.strip()
        for turn in json.loads(line)["turns"]
    ]
    for label in ("first pass", "repeated"):
        parsing, answering = [], []
        for text in texts:
            t0 = time.perf_counter()
            q, p, _ = parse.parse(data, text)
            q = parse.resolve(q, p, None, data)
            t1 = time.perf_counter()
            if q is not None:
                render.render(data, q)
            t2 = time.perf_counter()
            parsing.append((t1 - t0) * 1e6)
            answering.append((t2 - t1) * 1e6)
        both = sorted(a + b for a, b in zip(parsing, answering, strict=True))
        print(
            f"questions ({label}, {len(texts)} messages): parse median "
            f"{statistics.median(parsing):.0f} µs, evaluate+render median "
            f"{statistics.median(answering):.0f} µs, together median {statistics.median(both):.0f}"
            f" µs, p95 {both[int(len(both) * 0.95)]:.0f} µs"
        )


def main(rounds: int = 50) -> None:
    started = time.perf_counter()
    data = candidates.bundled()
    print(f"load bundled data: {(time.perf_counter() - started) * 1000:.1f} ms")
    parse_times(data)
    timings: dict[str, list[float]] = {q: [] for q in QUERIES}
    for _ in range(rounds):
        for q in QUERIES:
            chat = {"id": 1, "type": "private"}
            update = {
                "update_id": 1,
                "message": {"message_id": 1, "date": 0, "text": q, "chat": chat},
            }
            t0 = time.perf_counter()
            commands.handle(update, data)
            timings[q].append((time.perf_counter() - t0) * 1000)
    every = sorted(t for ts in timings.values() for t in ts)
    p50, p95 = every[len(every) // 2], every[int(len(every) * 0.95)]
    print(f"replies: {len(every)} in {sum(every):.0f} ms; p50 {p50:.2f} ms, p95 {p95:.2f} ms")
    slowest = max(timings, key=lambda q: statistics.median(timings[q]))
    print(f"slowest query: {slowest!r} median {statistics.median(timings[slowest]):.2f} ms")
    texts = [json.loads(line)["text"] for line in SAMPLE.read_text("utf-8").splitlines()]
    t0 = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            mentions.find_mentions(text, data)
    elapsed = time.perf_counter() - t0
    print(f"mentions: {rounds * len(texts) / elapsed:,.0f} messages/s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
