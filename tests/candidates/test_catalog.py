"""The candidate data's lookups: each race sorted once, read on every answer."""

from __future__ import annotations

import dataclasses

from tglake.candidates.catalog import CandidateData, bundled


def test_a_race_is_its_office_most_voted_first_with_annulled_votes_last() -> None:
    data = bundled()
    race = data.in_race("vereador")
    assert {c.office for c in race} == {"vereador"}
    assert len(race) == sum(c.office == "vereador" for c in data.candidates)
    counted = [c for c in race if c.rank is not None]
    annulled = [c for c in race if c.rank is None]
    assert annulled
    assert list(race) == counted + annulled
    assert [c.votes for c in counted] == sorted((c.votes for c in counted), reverse=True)


def test_a_partys_race_keeps_the_race_order() -> None:
    data = bundled()
    party = data.in_race("vereador")[0].party
    own = data.in_race("vereador", party)
    assert own
    assert all(c.party.number == party.number for c in own)
    assert list(own) == [c for c in data.in_race("vereador") if c.party.number == party.number]
    assert data.in_race("senador") == ()


def test_a_bairros_top_is_by_votes_there_and_leaves_annulled_votes_out() -> None:
    data = bundled()
    bairro = next(iter(data.bairros.values()))
    top = data.top_in_bairro("vereador", bairro)
    assert all(c.rank is not None for c in top)
    there = [c.by_bairro.get(bairro, 0) for c in top]
    assert there == sorted(there, reverse=True)
    assert there[0] > 0
    assert data.top_in_bairro("vereador", bairro) is top  # sorted once


def test_new_data_gets_its_own_sorted_races() -> None:
    data = bundled()
    leader = data.in_race("prefeito")[0]
    last = data.in_race("prefeito")[-1]
    swapped = tuple(
        dataclasses.replace(c, votes=leader.votes + 1) if c is last else c for c in data.candidates
    )
    other = CandidateData(data.election, data.parties, data.races, swapped)
    assert other.in_race("prefeito")[0].number == last.number
    assert data.in_race("prefeito")[0].number == leader.number
