"""Alias suggestions from the bot's misses: what people typed and found nothing for, grouped with
what the same person found next (``queries/bot_miss_resolutions.sql``, which runs on Athena
too); the grouping is here, in Python.

A miss's text is reduced to its core (question words at its start dropped: ``quem ganhou no
conjunto santo angelo`` → ``conjunto santo angelo``) and folded like the bot's names. A core
becomes a suggestion when at least :data:`MIN_PEOPLE` people who wrote it found, within ten
minutes, one candidate, party or bairro, most of those who found something found the same one,
and they are a fair share of all who wrote it (:data:`REACH`). Suggestions rank by the people
who wrote the core (all would have been helped); the other cores are listed apart as
unresolved, for a person to look at.
"""

from __future__ import annotations

import collections
import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

from tglake.candidates.aliases import Alias, AliasKind, alias_key
from tglake.candidates.catalog import CandidateData

QUERY = "bot_miss_resolutions"
MIN_PEOPLE = 2
AGREEMENT = 0.6
"""Share of the resolving people who must agree on one target."""
REACH = 0.3
"""Share of the people who wrote it who must have found that target: someone busy with the bot
finds *something* within minutes of any miss, and that alone must not make an alias."""
_LEADING = """quem qual quais quanto quantos ganhou venceu levou teve tem o a os as do da dos das
de no na nos nas em e me fala fale sobre quero queria saber ver partido bairro votos voto votou
mais votado votada numero n pra para por favor ai oi ola"""
LEADING_WORDS = frozenset(_LEADING.split())


def core(text: str) -> str:
    """The folded text without the question words it starts with (the whole text if only
    those)."""
    words = alias_key(text).split()
    start = 0
    while start < len(words) - 1 and words[start] in LEADING_WORDS:
        start += 1
    return " ".join(words[start:])


def target_of(top_match: str) -> tuple[AliasKind, str] | None:
    """``22222`` → candidate, ``partido:13`` → party, ``bairro:Jundiapeba`` → bairro."""
    if top_match.isdigit():
        return "candidate", top_match
    if top_match.startswith("partido:") and top_match[8:].isdigit():
        return "party", top_match[8:]
    if top_match.startswith("bairro:") and len(top_match) > 7:
        return "bairro", top_match[7:]
    return None


@dataclasses.dataclass(frozen=True)
class Suggestion:
    text: str
    """The core, folded: what the alias will match."""
    kind: AliasKind
    target: str
    people: int
    """People who wrote it (distinct user_key): all of them would have been answered."""
    resolved: int
    """People who found the target themselves afterwards."""
    times: int
    example: str
    """One miss as typed."""

    def label(self, data: CandidateData | None) -> str:
        return describe(self.kind, self.target, data)

    def to_alias(self, added_by: str, added_at: str) -> Alias:
        return Alias(self.text, self.kind, self.target, added_by, added_at, "suggest", self.people)


@dataclasses.dataclass(frozen=True)
class Unresolved:
    text: str
    people: int
    times: int
    example: str


def describe(kind: str, target: str, data: CandidateData | None) -> str:
    """``Mara Bertaiolli (22)``, ``partido PL (22)``, ``bairro Jundiapeba``."""
    if kind == "candidate" and data is not None and target.isdigit():
        c = data.by_number.get(int(target))
        return f"{c.ballot_name.title()} ({c.number})" if c else f"candidato {target}"
    if kind == "party" and data is not None and target.isdigit():
        p = data.party_by_number.get(int(target))
        return f"partido {p.sigla} ({p.number})" if p else f"partido {target}"
    return f"{'bairro ' if kind == 'bairro' else ''}{target}"


def group(
    rows: Iterable[Mapping[str, Any]], known: Iterable[str] = ()
) -> tuple[list[Suggestion], list[Unresolved]]:
    """Suggestions (best first) and unresolved misses (most people first) from the query's rows;
    ``known`` alias keys are left out (already approved)."""
    skip = set(known)
    people: dict[str, set[str]] = collections.defaultdict(set)
    times: collections.Counter[str] = collections.Counter()
    example: dict[str, str] = {}
    found: dict[str, dict[tuple[AliasKind, str], set[str]]] = collections.defaultdict(
        lambda: collections.defaultdict(set)
    )
    for row in rows:
        text = core(str(row.get("query") or ""))
        who = row.get("user_key")
        if len(text) < 3 or text.isdigit() or text in skip or not isinstance(who, str):
            continue
        people[text].add(who)
        times[text] += 1
        example.setdefault(text, str(row["query"]))
        resolved = row.get("resolved_to")
        hit = target_of(str(resolved)) if resolved else None
        if hit is not None:
            found[text][hit].add(who)
    suggestions, unresolved = [], []
    for text, who_missed in people.items():
        targets = found.get(text)
        if targets:
            (kind, target), winners = max(targets.items(), key=lambda kv: (len(kv[1]), kv[0]))
            anyone = set().union(*targets.values())
            if (
                len(winners) >= MIN_PEOPLE
                and len(winners) >= AGREEMENT * len(anyone)
                and len(winners) >= REACH * len(who_missed)
            ):
                suggestions.append(
                    Suggestion(
                        text,
                        kind,
                        target,
                        len(who_missed),
                        len(winners),
                        times[text],
                        example[text],
                    )
                )
                continue
        unresolved.append(Unresolved(text, len(who_missed), times[text], example[text]))
    suggestions.sort(key=lambda s: (-s.people, -s.resolved, s.text))
    unresolved.sort(key=lambda u: (-u.people, -u.times, u.text))
    return suggestions, unresolved


def find(
    engine: Any, period: Any, known: Iterable[str] = ()
) -> tuple[list[Suggestion], list[Unresolved]]:
    """Run the query on ``engine`` (a :class:`~tglake.analytics.duckdb_engine.DuckDBEngine`)
    over ``period`` and group its rows."""
    from tglake.analytics.sql import load_query

    return group(engine.run(load_query(QUERY), period).records(), known)
