"""The candidate data the bot answers from: the bundled TSE file plus an optional overlay.

The bundled ``data/candidates.json.gz`` is built by :mod:`tglake.candidates.build` from the TSE
folder; the overlay (written by ``tglake candidates import``) adds what only the official
``consulta_cand`` file holds: full name, party sigla, gender, age, race, education, occupation,
situation — matched by ballot number and office.
"""

from __future__ import annotations

import dataclasses
import functools
import gzip
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tglake.candidates import tally as tallies
from tglake.candidates.text import fold
from tglake.errors import CandidateDataError

BUNDLED = Path(__file__).parent / "data" / "candidates.json.gz"
"""The file :mod:`tglake.candidates.build` writes and the package ships (here, so that loading
it does not import the builder)."""


@dataclasses.dataclass(frozen=True)
class Party:
    number: int
    sigla: str
    name: str
    legenda_votes: int


@dataclasses.dataclass(frozen=True)
class Candidate:
    number: int
    ballot_name: str
    office: str
    party: Party
    votes: int
    rank: int | None
    """Position among the candidates whose votes count; None when the report annulled them."""
    vote_status: str | None
    """The report's note on the votes (``Nulo técnico``, ``Anulado sub judice``) or None."""
    by_zone: Mapping[str, int]
    by_bairro: Mapping[str, int]
    profile: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    """Fields from an imported consulta_cand file (empty without an import)."""
    situation: str | None = None
    """Computed seat result (``eleito por QP``, ``eleito por média``, ``suplente``, ``não
    eleito``; see :mod:`tglake.candidates.seats`); None for prefeito and annulled votes."""

    @property
    def callback(self) -> str:
        """Button data: ballot numbers are unique across offices (2 digits vs 5)."""
        return f"cand:{self.number}"


@dataclasses.dataclass(frozen=True)
class Race:
    office: str
    nominal_valid: int
    legenda: int
    valid: int
    blank: int
    null: int
    nominal_annulled: int


@dataclasses.dataclass(frozen=True)
class CandidateData:
    """Everything the bot knows, with the lookups the commands need."""

    election: Mapping[str, Any]
    parties: tuple[Party, ...]
    races: Mapping[str, Race]
    candidates: tuple[Candidate, ...]
    aggregates: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    """The shared folder's profile aggregates (party counts, top occupations, sample rows)."""
    profile_source: str | None = None
    """Description of the imported consulta_cand file, when an overlay was merged."""
    camara: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    """The computed Câmara: quotient, each list's seats (see :mod:`tglake.candidates.camara`)."""
    tally: tallies.Tally = tallies.EMPTY
    """Votes per seção with polling places: every scoped figure (:mod:`tallies`)."""

    @functools.cached_property
    def by_number(self) -> dict[int, Candidate]:
        return {c.number: c for c in self.candidates}

    @functools.cached_property
    def party_by_number(self) -> dict[int, Party]:
        return {p.number: p for p in self.parties}

    @functools.cached_property
    def bairros(self) -> dict[str, str]:
        """Folded bairro name → display name."""
        names = {b for c in self.candidates for b in c.by_bairro}
        return {fold(name): name for name in sorted(names)}

    @functools.cached_property
    def _ranked(self) -> dict[tuple[str, int | None], tuple[Candidate, ...]]:
        """Each office's race, most voted first, whole and per party number: sorted once, as
        the bot reads it on every answer."""
        ranked: dict[tuple[str, int | None], tuple[Candidate, ...]] = {}
        order = sorted(self.candidates, key=lambda c: (c.rank is None, -c.votes, c.number))
        for office in {c.office for c in order}:
            race = tuple(c for c in order if c.office == office)
            ranked[(office, None)] = race
            for number in {c.party.number for c in race}:
                ranked[(office, number)] = tuple(c for c in race if c.party.number == number)
        return ranked

    def in_race(self, office: str, party: Party | None = None) -> tuple[Candidate, ...]:
        """Candidates of one office (of one party, if given), most voted first (annulled ones
        last)."""
        return self._ranked.get((office, party.number if party else None), ())

    @functools.cached_property
    def rendered(self) -> dict[tuple[object, ...], str]:
        """Texts made from this data (the bot's cards), kept once made: the data never
        changes while a bot runs, and the same few hundred cards are asked for again and
        again."""
        return {}

    @functools.cached_property
    def memo(self) -> dict[tuple[object, ...], Any]:
        """Figures computed from this data (rankings per scope), kept once computed: the data
        never changes while a bot runs."""
        return {}

    @functools.cached_property
    def _bairro_tops(self) -> dict[tuple[str, str], tuple[Candidate, ...]]:
        return {}

    def top_in_bairro(self, office: str, bairro: str) -> tuple[Candidate, ...]:
        """The office's candidates whose votes count, most voted in ``bairro`` first (ties by
        number); each (office, bairro) sorted once."""
        key = (office, bairro)
        found = self._bairro_tops.get(key)
        if found is None:
            pool = [c for c in self.in_race(office) if c.rank is not None]
            found = tuple(sorted(pool, key=lambda c: (-c.by_bairro.get(bairro, 0), c.number)))
            self._bairro_tops[key] = found
        return found

    def share(self, candidate: Candidate) -> float | None:
        """Percentage of the race's valid votes, when the candidate's votes count."""
        race = self.races[candidate.office]
        if candidate.rank is None or not race.valid:
            return None
        return 100.0 * candidate.votes / race.valid


def from_document(
    doc: Mapping[str, Any], overlay: Mapping[str, Any] | None = None
) -> CandidateData:
    """Turn the JSON document (and an optional overlay document) into typed data."""
    try:
        parties = tuple(
            Party(p["numero"], p["sigla"], p["nome"], p["votos_legenda"]) for p in doc["partidos"]
        )
        by_number = {p.number: p for p in parties}
        profiles: dict[str, Any] = dict((overlay or {}).get("candidatos", {}))
        candidates = tuple(
            Candidate(
                number=c["numero"],
                ballot_name=c["nome_urna"],
                office=c["cargo"],
                party=by_number[c["partido"]],
                votes=c["votos"],
                rank=c["posicao"],
                vote_status=c["situacao_voto"],
                by_zone=c["zonas"],
                by_bairro=c["bairros"],
                profile=profiles.get(f"{c['cargo']}:{c['numero']}", {}),
                situation=c.get("situacao"),
            )
            for c in doc["candidatos"]
        )
        races = {
            office: Race(
                office,
                r["votos_nominais_validos"],
                r["votos_legenda"],
                r["votos_validos"],
                r["votos_brancos"],
                r["votos_nulos"],
                r["votos_nominais_anulados"],
            )
            for office, r in doc["disputas"].items()
        }
    except (KeyError, TypeError) as exc:
        raise CandidateDataError(f"candidate file is missing {exc}") from None
    source = None
    if overlay:
        if fold(str(overlay.get("municipio", ""))) != fold(doc["eleicao"]["municipio"]):
            raise CandidateDataError(
                f"the imported file is for {overlay.get('municipio')!r}, "
                f"the vote data for {doc['eleicao']['municipio']!r}"
            )
        source = str(overlay.get("fonte", "consulta_cand"))
    return CandidateData(
        doc["eleicao"],
        parties,
        races,
        candidates,
        doc.get("perfil_agregado", {}),
        source,
        doc.get("camara", {}),
        tallies.from_document(doc["por_secao"]) if "por_secao" in doc else tallies.EMPTY,
    )


def read_document(path: Path) -> dict[str, Any]:
    """Read a ``.json`` or ``.json.gz`` candidate (or overlay) document."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CandidateDataError(f"cannot read {path}: {exc.strerror}") from None
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    document: dict[str, Any] = json.loads(data)
    return document


@functools.lru_cache(maxsize=1)
def bundled() -> CandidateData:
    """The data shipped with the package (read once per process)."""
    return from_document(read_document(BUNDLED))


def load(overlay: Mapping[str, Any] | None = None) -> CandidateData:
    """The bundled data, with an imported overlay merged in when given."""
    if overlay is None:
        return bundled()
    return from_document(read_document(BUNDLED), overlay)
