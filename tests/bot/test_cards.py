"""Cards are made once per candidate data: the same text object again, never another data's."""

from __future__ import annotations

import dataclasses

from tglake.bot import cards
from tglake.candidates.catalog import CandidateData, bundled


def test_a_card_is_rendered_once_then_reused() -> None:
    data = bundled()
    first = cards.candidate_card(data, data.in_race("prefeito")[0])
    again = cards.candidate_card(data, data.in_race("prefeito")[0])
    assert again is first
    page = cards.council_list(data, None, limit=5, offset=5)
    assert cards.council_list(data, None, limit=5, offset=5) is page
    assert cards.council_list(data, None, limit=5, offset=10) != page  # the key has the page


def test_another_datas_card_is_its_own() -> None:
    data = bundled()
    mayor = data.in_race("prefeito")[0]
    before = cards.candidate_card(data, mayor)
    changed = dataclasses.replace(mayor, votes=mayor.votes + 1)
    other = CandidateData(
        data.election,
        data.parties,
        data.races,
        tuple(changed if c is mayor else c for c in data.candidates),
    )
    after = cards.candidate_card(other, other.in_race("prefeito")[0])
    assert after != before
    assert f"{mayor.votes + 1:,}".replace(",", ".") in after
    assert cards.candidate_card(data, mayor) is before
