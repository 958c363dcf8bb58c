"""The seção-level tally: every block's votes in every seção, summed over any scope.

The bundled file (``por_secao``, written by :func:`tglake.candidates.build.sections`) lists the
969 seções with their polling place, and each block's votes as one list aligned with them. A
scope (the city, a zone, a bairro, a polling place) is a set of seções, so a question about any
combination of who and where is one sum, and no figure the bot prints is stored twice.

Keys: ``c<number>`` a candidate, ``b:<office>`` blank, ``n:<office>`` null, ``l<party>`` a
party's legenda votes (:func:`candidate_key` and friends).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from tglake.errors import CandidateDataError

ScopeKind = Literal["city", "zone", "bairro", "place", "section"]


@dataclasses.dataclass(frozen=True)
class Place:
    """A polling place: a school or building where one or more seções vote."""

    index: int
    name: str
    address: str
    bairro: str
    zones: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class Section:
    zone: str
    number: int
    place: int | None
    """Index into :attr:`Tally.places`; None for a seção listed with two places."""


@dataclasses.dataclass(frozen=True, order=True)
class Scope:
    """Where a figure is counted: ``Scope()`` is the city."""

    kind: ScopeKind = "city"
    id: str = ""
    """Zone ``0074``, bairro display name, place index as text, or ``0074:279`` (a seção)."""

    @property
    def is_city(self) -> bool:
        return self.kind == "city"


CITY = Scope()


def candidate_key(number: int) -> str:
    return f"c{number}"


def blank_key(office: str) -> str:
    return f"b:{office}"


def null_key(office: str) -> str:
    return f"n:{office}"


def legenda_key(party: int) -> str:
    return f"l{party}"


@dataclasses.dataclass(frozen=True, eq=False)
class Tally:
    """Seções, places and votes, with sums per scope memoised (the data never changes while a
    bot runs, and the same few hundred sums are asked for again and again)."""

    sections: tuple[Section, ...]
    places: tuple[Place, ...]
    votes: Mapping[str, Sequence[int]]

    @functools.cached_property
    def zones(self) -> tuple[str, ...]:
        return tuple(sorted({s.zone for s in self.sections}))

    @functools.cached_property
    def bairros(self) -> tuple[str, ...]:
        return tuple(sorted({p.bairro for p in self.places}))

    @functools.cached_property
    def _members(self) -> dict[Scope, tuple[int, ...]]:
        members: dict[Scope, list[int]] = {CITY: list(range(len(self.sections)))}
        for i, section in enumerate(self.sections):
            members.setdefault(Scope("zone", section.zone), []).append(i)
            members[Scope("section", f"{section.zone}:{section.number}")] = [i]
            if section.place is not None:
                place = self.places[section.place]
                members.setdefault(Scope("place", str(place.index)), []).append(i)
                members.setdefault(Scope("bairro", place.bairro), []).append(i)
        return {scope: tuple(found) for scope, found in members.items()}

    def sections_in(self, scope: Scope) -> tuple[int, ...]:
        """Indices of the scope's seções (empty for a scope the data does not have)."""
        return self._members.get(scope, ())

    def has(self, scope: Scope) -> bool:
        return scope in self._members

    @functools.cached_property
    def _sums(self) -> dict[tuple[str, Scope], int]:
        return {}

    @functools.cached_property
    def _scope_of(self) -> dict[str, list[Scope | None]]:
        """Each seção's scope of each kind (None: a seção without place or bairro)."""
        out: dict[str, list[Scope | None]] = {"zone": [], "bairro": [], "place": []}
        for section in self.sections:
            place = self.places[section.place] if section.place is not None else None
            out["zone"].append(Scope("zone", section.zone))
            out["bairro"].append(Scope("bairro", place.bairro) if place else None)
            out["place"].append(Scope("place", str(place.index)) if place else None)
        return out

    def by_kind(self, key: str, kind: str) -> dict[Scope, int]:
        """The key's votes in every scope of one kind, summed in one pass over the seções."""
        memo = (key, Scope("city", kind))
        found: dict[Scope, int] | None = self._by_kind.get(memo)
        if found is None:
            found = {}
            dense = self.votes.get(key, ())
            for scope, count in zip(self._scope_of[kind], dense, strict=False):
                if scope is not None and count:
                    found[scope] = found.get(scope, 0) + count
            self._by_kind[memo] = found
        return found

    @functools.cached_property
    def _by_kind(self) -> dict[tuple[str, Scope], dict[Scope, int]]:
        return {}

    def sum(self, key: str, scope: Scope = CITY) -> int:
        """The key's votes in the scope (0 for a key without votes)."""
        if scope.kind in ("zone", "bairro", "place"):
            return self.by_kind(key, scope.kind).get(scope, 0)
        found = self._sums.get((key, scope))
        if found is None:
            dense = self.votes.get(key)
            found = sum(dense[i] for i in self.sections_in(scope)) if dense is not None else 0
            self._sums[(key, scope)] = found
        return found

    def places_in(self, bairro: str) -> tuple[Place, ...]:
        return tuple(p for p in self.places if p.bairro == bairro)

    def scopes(self, kind: ScopeKind) -> tuple[Scope, ...]:
        """Every scope of one kind, in a stable order."""
        if kind == "zone":
            return tuple(Scope("zone", z) for z in self.zones)
        if kind == "bairro":
            return tuple(Scope("bairro", b) for b in self.bairros)
        if kind == "place":
            return tuple(Scope("place", str(p.index)) for p in self.places)
        return (CITY,)


def from_document(doc: Mapping[str, Any]) -> Tally:
    """The tally of a candidate document's ``por_secao`` part."""
    try:
        places = tuple(
            Place(i, p["nome"], p["endereco"], p["bairro"], tuple(p["zonas"]))
            for i, p in enumerate(doc["locais"])
        )
        sections = tuple(Section(str(z), int(n), p) for z, n, p in doc["secoes"])
        votes = {str(k): tuple(v) for k, v in doc["votos"].items()}
    except (KeyError, TypeError, ValueError) as exc:
        raise CandidateDataError(f"seção table is malformed: {exc}") from None
    if any(len(v) != len(sections) for v in votes.values()):
        raise CandidateDataError("seção table: a vote list does not match the seções")
    return Tally(sections, places, votes)


EMPTY = Tally((), (), {})
