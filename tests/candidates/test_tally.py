"""The seção tally: every scope is a sum over its seções, and the scopes cover the city."""

from __future__ import annotations

from typing import Any

from tglake.candidates.catalog import CandidateData
from tglake.candidates.tally import CITY, Scope


def test_each_kind_of_scope_adds_up_to_the_city(data: CandidateData) -> None:
    tally = data.tally
    for key in ("c22", "c50050", "b:prefeito", "n:vereador", "l13"):
        city = tally.sum(key)
        assert sum(tally.sum(key, s) for s in tally.scopes("zone")) == city
        # one seção (279 of zone 0074) has two places in the file, so no bairro and no place
        lost = tally.votes[key][tally.sections_in(Scope("section", "0074:279"))[0]]
        assert sum(tally.sum(key, s) for s in tally.scopes("bairro")) == city - lost
        assert sum(tally.sum(key, s) for s in tally.scopes("place")) == city - lost


def test_the_city_totals_are_the_candidates_totals(data: CandidateData) -> None:
    for c in data.candidates:
        assert data.tally.sum(f"c{c.number}", CITY) == c.votes


def test_a_place_lies_in_one_bairro_and_its_seções_in_its_zones(
    data: CandidateData, document: dict[str, Any]
) -> None:
    tally = data.tally
    assert len(tally.sections) == 969
    assert tally.zones == ("0074", "0287", "0319")
    for place in tally.places:
        members = tally.sections_in(Scope("place", str(place.index)))
        assert members
        assert {tally.sections[i].zone for i in members} == set(place.zones)
    # the autofilled address column (one school, ten street numbers) is one place
    nagib = [p for p in tally.places if "Helena Urbano Nagib" in p.name]
    assert len(nagib) == 1


def test_an_unknown_scope_has_no_seções_and_no_votes(data: CandidateData) -> None:
    nowhere = Scope("bairro", "Atlântida")
    assert not data.tally.has(nowhere)
    assert data.tally.sum("c22", nowhere) == 0
