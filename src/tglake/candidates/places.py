"""Join seções to bairros through the polling-place table (``locais_votacao_secoes``).

The file's fields carry stray leading/trailing spaces (`` Parque Santana``, ``Centro ``), the
zone is written ``74`` where the vote report writes ``0074``, and the same bairro is spelt in
several ways (``Jardim Ivete`` / ``Jardim. Ivete``, ``Biritiba Ussu`` / ``Biritiba Ussú``):
bairros are merged on their folded form. A seção listed twice with two different places is
*ambiguous* and gets no bairro; its votes stay in the zone totals only.
"""

from __future__ import annotations

import collections
import csv
import dataclasses
import io
import string

from tglake.candidates.text import fold
from tglake.errors import CandidateDataError

_HEADER = ("Model.Sessao", "Nome", "Logadouro", "Bairro", "Telefone", "Zona Eleitoral")


@dataclasses.dataclass(frozen=True)
class SectionPlaces:
    """Which bairro each (zone, seção) votes in, and what the join could not settle."""

    bairro_of: dict[tuple[str, int], str]
    """(zone ``0074``, seção) → bairro display name."""
    ambiguous: list[dict[str, object]]
    duplicates_consistent: list[dict[str, object]]
    bairro_variants: dict[str, list[str]]
    place_of: dict[tuple[str, int], tuple[str, str]] = dataclasses.field(default_factory=dict)
    """(zone, seção) → (polling place name, address), both stripped; ambiguous seções absent."""


def _display(variants: collections.Counter[str]) -> str:
    """The spelling shown for a bairro: fewest punctuation marks, then most used, then A–Z."""
    return min(
        variants,
        key=lambda v: (sum(ch in string.punctuation for ch in v), -variants[v], v),
    )


def read_places(text: str) -> SectionPlaces:
    """Parse the polling-place CSV (UTF-8 text)."""
    rows = list(csv.reader(io.StringIO(text)))
    header = tuple(cell.strip() for cell in rows[0]) if rows else ()
    if header != _HEADER:
        raise CandidateDataError(f"polling-place header is {header!r}, expected {_HEADER!r}")
    seen: dict[tuple[str, int], set[tuple[str, str]]] = collections.defaultdict(set)
    addresses: dict[tuple[str, int], str] = {}
    listed: collections.Counter[tuple[str, int]] = collections.Counter()
    spellings: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for line_no, row in enumerate(rows[1:], start=2):
        cells = [cell.strip() for cell in row]
        if len(cells) != len(_HEADER) or not cells[0].isdigit() or not cells[5].isdigit():
            raise CandidateDataError(f"polling places line {line_no}: {row!r}")
        key = (cells[5].zfill(4), int(cells[0]))
        seen[key].add((cells[1], cells[3]))
        addresses.setdefault(key, " ".join(cells[2].split()))
        listed[key] += 1
        spellings[fold(cells[3])][cells[3]] += 1
    names = {folded: _display(variants) for folded, variants in spellings.items()}
    bairro_of: dict[tuple[str, int], str] = {}
    place_of: dict[tuple[str, int], tuple[str, str]] = {}
    ambiguous: list[dict[str, object]] = []
    duplicates: list[dict[str, object]] = []
    for (zone, secao), places in sorted(seen.items()):
        bairros = sorted({names[fold(bairro)] for _, bairro in places})
        if len(bairros) > 1:
            ambiguous.append({"zona": zone, "secao": secao, "bairros": bairros})
            continue
        if listed[(zone, secao)] > 1:
            duplicates.append({"zona": zone, "secao": secao, "bairro": bairros[0]})
        bairro_of[(zone, secao)] = bairros[0]
        names_here = sorted({" ".join(name.split()) for name, _ in places})
        if len(names_here) == 1:
            place_of[(zone, secao)] = (names_here[0], addresses[(zone, secao)])
    variants = {names[folded]: sorted(v) for folded, v in sorted(spellings.items()) if len(v) > 1}
    return SectionPlaces(bairro_of, ambiguous, duplicates, variants, place_of)
