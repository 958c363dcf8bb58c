"""The rule table, one rule at a time: each named rule recognises what it is named for, and a
follow-up takes what it lacks from the context."""

from __future__ import annotations

import pytest

from tglake.bot import parse
from tglake.bot.context import Context
from tglake.bot.question import Ask, Limit, Question, Unit
from tglake.candidates.catalog import CandidateData
from tglake.candidates.tally import CITY, Scope

EXAMPLES = {
    "help": "oi, como funciona esse bot?",
    "other city": "quem ganhou em guarulhos?",
    "other year": "e em 2016?",
    "absent party": "o PSDB teve quantos votos?",
    "other office": "quem foi o deputado mais votado?",
    "someone else": "quanto teve a Malu Ferreira",
    "second round": "teve segundo turno?",
    "electorate": "qual foi a abstenção?",
    "beyond the votes": "qual o salário do prefeito?",
    "seats in the câmara": "quantas cadeiras tem a câmara?",
    "zero votes": "teve candidato sem nenhum voto?",
    "count": "quantas seções tem em mogi?",
    "polling place": "onde fica a escola aprigio de oliveira?",
    "race totals": "quantos votos nulos pra vereador?",
    "legenda votes": "quantos votos de legenda teve o PL?",
    "won where": "o valverde ganhou em algum bairro?",
    "comparison": "quem teve mais, caio ou valverde?",
    "best or worst place": "onde a ines paz teve menos votos?",
    "rank of a candidate": "em que lugar ficou o farofa?",
    "elected": "a ines paz foi eleita?",
    "share": "qual a porcentagem do caio?",
    "position": "quem ficou em terceiro pra prefeito?",
    "winner": "quem ganhou no jundiapeba?",
    "party of a candidate": "qual o partido do tonhão?",
    "number of a candidate": "qual o número da malu fernandes?",
    "number": "22",
    "votes of a candidate": "quantos votos teve o gondim?",
    "candidate": "gondim",
    "votes of a party": "quantos votos o PT teve?",
    "party": "PSOL",
    "a place alone": "jundiapeba",
    "an office alone": "e pra vereador",
}


def resolved(data: CandidateData, text: str, context: Context | None = None) -> Question:
    """The question a message resolves to (failing the test when it resolves to none)."""
    q, p, rule = parse.parse(data, text)
    found = parse.resolve(q, p, context, data, rule=rule)
    if found is None:
        raise AssertionError(f"{text!r} resolved to no question")
    return found


def test_every_rule_has_an_example() -> None:
    assert {name for name, _ in parse.RULES} == set(EXAMPLES)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_each_rule_recognises_what_it_is_named_for(data: CandidateData, name: str) -> None:
    _, _, rule = parse.parse(data, EXAMPLES[name])
    assert rule == name


def test_a_follow_up_takes_the_place_and_the_party_from_the_context(data: CandidateData) -> None:
    last = Context(ask="position", parties=(22,), office="vereador", position=1)
    second = resolved(data, "e o segundo?", last)
    assert (second.ask, second.parties, second.position) == (Ask.POSITION, (22,), 2)
    there = Context(ask="votes", candidates=(50050,), scope=("bairro", "Jundiapeba"))
    moved = resolved(data, "e no centro?", there)
    assert (moved.ask, moved.candidates, moved.scope) == (
        Ask.VOTES, (50050,), Scope("bairro", "Centro"),
    )  # fmt: skip


def test_here_with_no_place_asks_which(data: CandidateData) -> None:
    asked = resolved(data, "quem ganhou aqui?")
    assert (asked.ask, asked.limit) == (Ask.LIMIT, Limit.WHICH_PLACE)


def test_a_shared_first_name_asks_which_unless_one_is_the_mayoral_candidate(
    data: CandidateData,
) -> None:
    which = resolved(data, "quantos votos teve a fernanda?")
    assert which.ask == Ask.CLARIFY
    assert len(which.options) >= 2
    assert resolved(data, "qual foi a votação da sheila?").candidates == (33,)


def test_a_list_of_zones_asks_where_best(data: CandidateData) -> None:
    best = resolved(data, "o valverde teve mais voto na 74, na 287 ou na 319?")
    assert (best.ask, best.unit) == (Ask.BEST, Unit.ZONE)


def test_the_writer_introducing_themselves_is_not_whom_they_ask_about(
    data: CandidateData,
) -> None:
    # GIVEN a first name some candidate carries, used by the writer for themselves
    writer = next(c for c in data.by_number.values() if c.ballot_name.startswith("SANDRA "))
    first = writer.ballot_name.split()[0].title()
    # WHEN the message asks about the city's winner
    q = resolved(data, f"boa noite meu nome é {first}, quem ganhou pra prefeito?")
    # THEN it is the winner question, about no candidate called like the writer
    assert (q.ask, q.candidates) == (Ask.WINNER, ())


def test_the_whole_city_said_after_a_story_place_asks_about_the_city(
    data: CandidateData,
) -> None:
    # GIVEN a story that names a bairro, then a question «da cidade toda»
    story = "eu sou do grupo da terceira idade do mogi moderno e a gente fez uma aposta"
    # WHEN it is parsed, and the same story asking about that bairro
    city = resolved(data, f"{story}, quem foi o vereador mais votado da cidade toda?")
    there = resolved(data, f"{story}, quem foi o vereador mais votado no mogi moderno?")
    # THEN the first is the city's first place, the second the bairro's
    assert (city.ask, city.position, city.scope) == (Ask.POSITION, 1, CITY)
    assert there.scope == Scope("bairro", "Mogi Moderno")
